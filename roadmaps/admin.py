from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CycleStage,
    DigestDelivery,
    Direction,
    ManagementDecision,
    Recommendation,
    Roadmap,
    RoadmapItem,
    StageDuty,
)


@admin.register(CycleStage)
class CycleStageAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name"]


@admin.register(Direction)
class DirectionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "coordinator", "executors"]
    list_select_related = ["coordinator_user"]


@admin.register(StageDuty)
class StageDutyAdmin(SimpleHistoryAdmin):
    list_display = ["direction", "stage"]
    list_filter = ["direction", "stage"]


class RoadmapItemInline(admin.TabularInline):
    model = RoadmapItem
    extra = 0
    fields = ["stage", "number", "title", "term", "due_date", "responsible", "status", "completed_on"]


@admin.register(Roadmap)
class RoadmapAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "school", "document_number", "document_date"]
    list_filter = ["kind"]
    search_fields = ["title", "school__code"]
    inlines = [RoadmapItemInline]


@admin.register(RoadmapItem)
class RoadmapItemAdmin(SimpleHistoryAdmin):
    list_display = ["roadmap", "number", "stage", "due_date", "status"]
    list_filter = ["status", "stage"]
    search_fields = ["title", "number"]
    raw_id_fields = ["roadmap", "import_batch"]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["problem_area", "school", "target_group", "status", "due_date", "answered_at"]
    list_filter = ["status", "source_kind", "target_group"]
    search_fields = ["problem_area", "text", "school__code"]


@admin.register(ManagementDecision)
class ManagementDecisionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "year", "status", "deadline"]
    list_filter = ["kind", "status", "year"]
    filter_horizontal = ["schools", "recommendations"]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    list_display = ["week_start", "email", "items", "sent_at"]
