from django import template

from reports.public_figures import public_count as _public_count

register = template.Library()


@register.filter
def public_count(value) -> str:
    """A count as the public may see it: «<10» below k, «—» for no data."""
    return _public_count(value)
