"""Pure rules of the roadmaps app: which fields a principal may change, and which recommendations a
school answers. The services enforce them; forms, pages and the API read the same definitions."""

from .models import Recommendation

# A principal reports the progress of their school's programme items: these fields and no other
# (staff change every field). The progress form, its service and the API's PATCH read this.
PRINCIPAL_ITEM_FIELDS = frozenset({"status", "evidence", "completed_on"})
# A principal answers the recommendations sent to their school: these fields and no other.
PRINCIPAL_ANSWER_FIELDS = frozenset({"answer", "answer_evidence"})
# Fields that staff write of a roadmap, a programme item, a recommendation and a management decision and that
# the page forms and the API list alike, in this order (each adds what only it has or names differently, such
# as the API's school codes).
ROADMAP_DETAILS = (
    "approved_by",
    "document_number",
    "document_date",
    "period_start",
    "period_end",
    "directions",
    "notes",
)
ITEM_DETAILS = ("section", "direction", "title", "term", "due_date", "responsible")
RECOMMENDATION_DETAILS = (
    "target_group",
    "year",
    "direction",
    "problem_area",
    "text",
    "source_kind",
    "source_ref",
    "due_date",
    "status",
)
DECISION_DETAILS = (
    "kind",
    "title",
    "year",
    "direction",
    "document_number",
    "document_date",
    "responsible",
    "participants",
    "deadline",
    "status",
)
UNANSWERABLE = frozenset({Recommendation.Status.DRAFT, Recommendation.Status.CANCELLED})
# Every change carries the version of the record it was made on (the optimistic lock), not a field it sets.
VERSION = "version"


def fields_beyond(fields, allowed: frozenset[str]) -> list[str]:
    """The fields of a change that a principal may not make (sorted; empty when they may)."""
    return sorted(set(fields) - allowed - {VERSION})


def is_answerable(recommendation: Recommendation) -> bool:
    """A school answers a recommendation addressed to it once it is sent (not a draft, not cancelled)."""
    return bool(recommendation.school_id) and recommendation.status not in UNANSWERABLE


ROUTE_SOURCE_REF = "teacher-diagnostics:{year}:{subject}:{teacher}"


def route_source_ref(teacher: dict) -> str:
    """The source of a teacher's ИОМ item (an individual route): one per year, subject and teacher code."""
    return ROUTE_SOURCE_REF.format(
        year=teacher["year"], subject=teacher["subject__code"], teacher=teacher["teacher_code"]
    )
