from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Приказы и документы"

    def ready(self):
        from schools.panels import register_list_approval_source

        from . import selectors

        register_list_approval_source(selectors.list_approval)
