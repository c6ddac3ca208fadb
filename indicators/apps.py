from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Показатели"

    def ready(self):
        from schools.audit import register_audit_stream
        from schools.importing import register_importer
        from schools.panels import register_dashboard_panel, register_school_panel

        from . import audit, panels
        from .services import RESULT_COLUMNS, results_import
        from .services.diagnostics import EXAMPLE_ROW, TEACHER_DIAGNOSTIC_COLUMNS, teacher_diagnostics_import

        register_importer(
            "results",
            "Результаты оценочных процедур",
            results_import,
            columns=RESULT_COLUMNS,
            example=[
                *["0101", "2024/2025", "ОГЭ", "Математика", 9, 52, 3, "", 3, 20, 19, 10, 3.7, "", "", ""],
                *["да", "да", "нет"],
            ],
        )
        register_importer(
            "teacher_diagnostics",
            "Диагностика предметных компетенций педагогов",
            teacher_diagnostics_import,
            columns=TEACHER_DIAGNOSTIC_COLUMNS,
            example=EXAMPLE_ROW,
            keeps_upload=False,  # a refused file may carry names: its copy is not kept
        )
        register_school_panel(20, panels.school_status_panel)
        register_school_panel(25, panels.school_teacher_diagnostics_panel)
        register_dashboard_panel(20, panels.dashboard_lists_panel)
        register_audit_stream(
            audit.STREAM_KEY,
            audit.STREAM_TITLE,
            records=audit.status_override_records,
            entry=audit.status_override_entry,
        )
