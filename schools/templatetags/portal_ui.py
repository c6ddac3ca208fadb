"""Small template helpers shared by every list page (sorting and pagination links keep the filters)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **changes) -> str:
    """The current query string with `changes` applied; an empty value removes the key.

    `?{% query_replace sort="name" page="" %}` keeps every filter of the page, sets the sort and
    goes back to the first page.
    """
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        from django.http import QueryDict

        query = QueryDict(mutable=True)
    for key, value in changes.items():
        if value in ("", None):
            query.pop(key, None)
        else:
            query[key] = str(value)
    return query.urlencode()


@register.simple_tag(takes_context=True)
def page_query(context, param: str, number) -> str:
    """The current query string on page `number` of the list whose page is `?<param>=`."""
    return query_replace(context, **{param: number})
