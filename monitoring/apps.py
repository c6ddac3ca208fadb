from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Мониторинг"

    def ready(self):
        from schools.audit import register_audit_stream
        from schools.panels import register_dashboard_panel, register_school_panel, register_task_source
        from schools.provenance import register_context_source

        from . import audit
        from .panels import dashboard_panel, school_panel, tasks
        from .selectors import context_sources_from_cards

        register_context_source(context_sources_from_cards)
        register_school_panel(40, school_panel)
        register_task_source(tasks)
        register_dashboard_panel(40, dashboard_panel)
        register_audit_stream(
            audit.STREAM_KEY,
            audit.STREAM_TITLE,
            records=audit.card_change_records,
            entry=audit.card_change_entry,
        )
