from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from schools.admin import ReadOnlyAdmin

from .models import Campaign, CardAnswer, CardChange, CardTemplate, Criterion, ExpertCard, TemplateSection
from .services.templates import template_version_bump


class TemplateSectionInline(admin.TabularInline):
    model = TemplateSection
    extra = 0


@admin.register(CardTemplate)
class CardTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["slug", "title", "version", "high_share", "medium_share"]
    readonly_fields = ["version"]
    inlines = [TemplateSectionInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            template_version_bump(template=form.instance)


@admin.register(Criterion)
class CriterionAdmin(SimpleHistoryAdmin):
    """Edits and deletions are kept by simple_history (and raise the template's version)."""

    list_display = ["code", "section", "kind", "points", "threshold", "evidence_required"]
    list_filter = ["section__template", "kind"]
    search_fields = ["code", "text"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        template_version_bump(template=obj.section.template)

    def delete_model(self, request, obj):
        template = obj.section.template
        super().delete_model(request, obj)
        template_version_bump(template=template)

    def delete_queryset(self, request, queryset):
        templates = list(CardTemplate.objects.filter(sections__criteria__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for template in templates:
            template_version_bump(template=template)


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["title", "year", "template", "self_assessment_due", "verification_due", "evaluation_due"]
    list_filter = ["year"]


class CardAnswerInline(admin.TabularInline):
    model = CardAnswer
    extra = 0
    can_delete = False
    fields = ["criterion_code", "claimed", "evidence", "computed", "verdict", "points"]
    readonly_fields = fields


@admin.register(ExpertCard)
class ExpertCardAdmin(ReadOnlyAdmin):
    """Read-only: cards change only through the services (pages and API), so history stays complete.

    No deletion either: it would cascade the card's answers and its change log. Without delete permission
    the admin also refuses to delete a campaign or a school that has cards."""

    list_display = ["school", "campaign", "status", "self_score", "score", "level"]
    list_filter = ["campaign", "status", "level"]
    search_fields = ["school__code", "school__name"]
    inlines = [CardAnswerInline]
    deletable = False


@admin.register(CardChange)
class CardChangeAdmin(ReadOnlyAdmin):
    """The append-only card log: read only, never deleted."""

    list_display = ["at", "card", "user", "action", "criterion_code", "field", "old_value", "new_value"]
    list_filter = ["action"]
    deletable = False
