from django import template

from roadmaps.sources import recommendation_source_text
from schools import formatting

register = template.Library()

VERDICT_TAGS = {"better": "tag-green", "worse": "tag-red", "same": "tag-grey", "no_data": "tag-grey"}
STATUS_TAGS = {
    "planned": "tag-grey",
    "in_progress": "tag-orange",
    "done": "tag-green",
    "cancelled": "tag-grey",
    "draft": "tag-grey",
    "sent": "tag-orange",
    "answered": "tag-green",
    "closed": "tag-green",
}


@register.filter
def signed(value, digits=1) -> str:
    """A change with its sign and a decimal comma, «—» for no data."""
    return formatting.signed(value, int(digits))


@register.filter
def verdict_tag(verdict) -> str:
    return VERDICT_TAGS.get(verdict, "tag-grey")


@register.filter
def status_tag(status) -> str:
    return STATUS_TAGS.get(status, "tag-grey")


@register.filter
def at(sequence, index):
    """sequence[index] in a template."""
    try:
        return sequence[int(index)]
    except (IndexError, KeyError, TypeError, ValueError):
        return None


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def source_text(ref, names):
    """{{ rec.source_ref|source_text:indicator_names }}: the finding in words, not its code."""
    return recommendation_source_text(ref, names or {})
