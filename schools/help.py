"""Short help pages, one per role, open to everybody (the visitor's page is for people without an account)."""

from django.http import Http404
from django.views.generic import TemplateView

from .importing import importer_choices
from .roles import is_administrator, is_inspector, is_principal

HELP_ROLES = {
    "administrator": "Администратору",
    "inspector": "Инспектору и методисту",
    "principal": "Руководителю школы",
    "visitor": "Посетителю сайта",
}


def help_role_of(user) -> str:
    """The help page that fits the user best."""
    if is_administrator(user):
        return "administrator"
    if is_inspector(user):
        return "inspector"
    if is_principal(user):
        return "principal"
    return "visitor"


class HelpView(TemplateView):
    """/help/ opens the page of the user's own role; /help/<role>/ any role's page."""

    def get_template_names(self):
        return [f"help/{self.role}.html"]

    def dispatch(self, request, *args, **kwargs):
        self.role = kwargs.get("role") or help_role_of(request.user)
        if self.role not in HELP_ROLES:
            raise Http404("Нет такой страницы справки")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.pop("role", None)
        return super().get_context_data(
            role=self.role,
            role_title=HELP_ROLES[self.role],
            roles=HELP_ROLES.items(),
            own_role=help_role_of(self.request.user),
            import_templates=importer_choices(),
            **kwargs,
        )
