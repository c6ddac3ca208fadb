from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured

XML_UNSAFE = (
    "openpyxl читает XML без защиты defusedxml (нет пакета defusedxml или OPENPYXL_DEFUSEDXML≠True): "
    "портал не запускается, чтобы XML-бомба или внешняя сущность в xlsx не навредили серверу."
)


def assert_xml_is_defused() -> None:
    """Refuse to start unless openpyxl parses xlsx XML through defusedxml (entity attacks refused)."""
    import openpyxl

    if not openpyxl.DEFUSEDXML:
        raise ImproperlyConfigured(XML_UNSAFE)


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Школы"

    def ready(self):
        assert_xml_is_defused()

        from .importing import register_importer
        from .services import CONTEXT_COLUMNS, SCHOOL_COLUMNS, contexts_import, schools_import

        register_importer(
            "schools",
            "Реестр ОО (школы)",
            schools_import,
            columns=SCHOOL_COLUMNS,
            example=[
                "0101",
                "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
                "СШ № 1",
                "Энский муниципальный округ",
                "город",
                "г. Энск, ул. Ленина, 1",
                "https://school1.edu.ru",
                "нет",
                "нет",
                "нет",
                "да",
            ],
        )
        register_importer(
            "context",
            "Контекст ОО по годам",
            contexts_import,
            columns=CONTEXT_COLUMNS,
            example=["0101", "2024/2025", 640, 41, 3, 12, 2, 9, 30, 20, 8, 5, "нет", 12, 2],
        )
