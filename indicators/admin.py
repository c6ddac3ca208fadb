from django.contrib import admin
from import_export import fields, resources, widgets
from simple_history.admin import SimpleHistoryAdmin

from schools.admin import PortalImportExportAdmin, ReadOnlyAdmin, ReadOnlyAdminMixin
from schools.models import School

from .models import (
    LIST_RULE_FIELDS,
    POPULATION_STAT_FIELDS,
    RESULT_FIGURES,
    AssessmentResult,
    ComputationRun,
    Indicator,
    IndicatorValue,
    MethodologyRules,
    PopulationStat,
    Procedure,
    SchoolStatus,
    StatusOverride,
    Subject,
    TeacherDiagnostic,
    TeacherLevelRules,
)


class AssessmentResultResource(resources.ModelResource):
    """Export from the admin; imports go through «Загрузка данных» (schools.admin.PortalImportExportAdmin)."""

    school = fields.Field("school", "school", widgets.ForeignKeyWidget(School, "code"))
    procedure = fields.Field("procedure", "procedure", widgets.ForeignKeyWidget(Procedure, "code"))
    subject = fields.Field("subject", "subject", widgets.ForeignKeyWidget(Subject, "code"))

    class Meta:
        model = AssessmentResult
        fields = [
            "school",
            "year",
            "procedure",
            "subject",
            "grade",
            *RESULT_FIGURES,
        ]


@admin.register(AssessmentResult)
class AssessmentResultAdmin(PortalImportExportAdmin):
    resource_classes = [AssessmentResultResource]
    import_kind = "results"
    list_display = [
        "school",
        "year",
        "procedure",
        "subject",
        "grade",
        "participants",
        "mark2",
        "below_min",
        "high",
    ]
    list_filter = ["year", "procedure", "subject"]
    search_fields = ["school__code", "school__name"]
    list_select_related = ["school", "procedure", "subject"]
    readonly_fields = ["import_batch"]
    raw_id_fields = ["school"]


class TeacherDiagnosticResource(resources.ModelResource):
    """Export from the admin; imports go through «Загрузка данных» (its checks refuse names)."""

    school = fields.Field("school", "school", widgets.ForeignKeyWidget(School, "code"))
    subject = fields.Field("subject", "subject", widgets.ForeignKeyWidget(Subject, "name"))

    class Meta:
        model = TeacherDiagnostic
        fields = ["school", "year", "subject", "teacher_code", "score", "max_score"]


@admin.register(TeacherDiagnostic)
class TeacherDiagnosticAdmin(ReadOnlyAdminMixin, PortalImportExportAdmin):
    """Rows enter only through the import, whose checks keep names out; here they are read and exported."""

    resource_classes = [TeacherDiagnosticResource]
    import_kind = "teacher_diagnostics"
    list_display = ["school", "year", "subject", "teacher_code", "score", "max_score"]
    list_filter = ["year", "subject"]
    search_fields = ["school__code", "school__name", "teacher_code"]
    list_select_related = ["school", "subject"]
    readonly_fields = [f.name for f in TeacherDiagnostic._meta.fields]


@admin.register(TeacherLevelRules)
class TeacherLevelRulesAdmin(SimpleHistoryAdmin):
    list_display = ["valid_from", "medium_from", "high_from", "updated_at", "changed_by"]


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "group", "index", "polarity", "unit", "order"]
    list_filter = ["group", "index"]
    search_fields = ["code", "name"]


@admin.register(MethodologyRules)
class MethodologyRulesAdmin(SimpleHistoryAdmin):
    list_display = ["valid_from", *LIST_RULE_FIELDS, "updated_at", "changed_by"]


@admin.register(ComputationRun)
class ComputationRunAdmin(ReadOnlyAdmin):
    list_display = [
        "year",
        "started_at",
        "finished_at",
        "started_by",
        "schools",
        "low_results_count",
        "unfavourable_count",
    ]
    list_filter = ["year"]


@admin.register(SchoolStatus)
class SchoolStatusAdmin(ReadOnlyAdmin):
    list_display = [
        "school",
        "year",
        "cluster",
        "results_index",
        "social_index",
        "rank_in_cluster",
        "low_results",
        "unfavourable",
    ]
    list_filter = ["year", "low_results", "unfavourable"]
    search_fields = ["school__code", "school__name"]
    list_select_related = ["school"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdmin):
    list_display = ["school", "year", "indicator", "value", "numerator", "denominator", "risk", "rank"]
    list_filter = ["year", "indicator"]
    search_fields = ["school__code"]
    list_select_related = ["school", "indicator"]


@admin.register(PopulationStat)
class PopulationStatAdmin(ReadOnlyAdmin):
    list_display = list(POPULATION_STAT_FIELDS)
    list_filter = ["year", "population_kind", "indicator"]


@admin.register(StatusOverride)
class StatusOverrideAdmin(ReadOnlyAdmin):
    """Inspectors' decisions are their own history (one row each, with the reason): never deleted here.

    Without delete permission the admin also refuses to delete a school that has decisions (cascade)."""

    list_display = ["school", "year", "list_kind", "decision", "created_by", "created_at"]
    list_filter = ["year", "list_kind", "decision"]
    deletable = False
