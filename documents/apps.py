from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Приказы и документы"

    def ready(self):
        from schools.panels import register_approval_summary_source, register_list_approval_source

        from . import selectors

        register_list_approval_source(selectors.list_approval)
        register_approval_summary_source(selectors.approval_summaries)
