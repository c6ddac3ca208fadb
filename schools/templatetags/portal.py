from django import template

from schools import formatting, navigation
from schools.flash import NEAR

register = template.Library()


@register.filter
def academic_year(year) -> str:
    """2024 → «2024/2025»."""
    return formatting.school_year(year)


@register.filter
def percent(value, digits=1) -> str:
    """A share in % with a decimal comma (the column says «%»), «—» for no data."""
    return formatting.number(value, int(digits))


@register.filter
def number(value, digits=None) -> str:
    """A number in Russian notation: decimal comma, no trailing zeros («0.100» → «0,1»), «—» for no data;
    with `digits`, exactly that many decimals («12.345»|number:1 → «12,3»)."""
    return formatting.number(value, None if digits in (None, "") else int(digits))


@register.filter
def share(value, digits=1) -> str:
    """A share in % with its sign: «12,3 %»; `share:None` keeps the value's own digits («62,5 %», «70 %»)."""
    return formatting.share(value, None if digits is None else int(digits))


@register.filter
def counted(count, forms: str) -> str:
    """{{ n|counted:"школа,школы,школ" }} → «1 школа», «3 школы», «40 школ»."""
    one, few, many = forms.split(",")
    return formatting.counted(count or 0, one, few, many)


@register.filter
def plural(count, forms: str) -> str:
    """{{ n|plural:"школа,школы,школ" }} → the noun alone, in the form that follows n."""
    one, few, many = forms.split(",")
    return formatting.plural(count or 0, one, few, many)


@register.filter
def local_datetime(value) -> str:
    """A moment in the portal's time zone: «29.11.2026 15:01»."""
    return formatting.local_datetime(value)


@register.simple_tag(takes_context=True)
def url_if_allowed(context, name, *args) -> str:
    """{% url_if_allowed "indicators:index" as link %}: a link only to a page the user may open."""
    request = context.get("request")
    return navigation.url_if_allowed(getattr(request, "user", None), name, *args)


@register.filter
def label_of(labels, code):
    """{{ names|label_of:code }}: the label a mapping gives a code, the code itself if it has none."""
    return labels.get(code, code) if hasattr(labels, "get") else code


@register.filter
def page_messages(messages) -> list:
    """The messages shown at the top of the page: all but those meant for an element (`message_near`)."""
    return [m for m in messages if not (m.extra_tags or "").startswith(NEAR)]


@register.filter
def messages_near(messages, anchor) -> list:
    """{% for message in messages|messages_near:anchor %}: the messages meant for the element `anchor`."""
    return [m for m in messages if (m.extra_tags or "") == NEAR + str(anchor)]
