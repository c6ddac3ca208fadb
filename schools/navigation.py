"""Which addresses a user may open, read from the access checks of the views themselves.

A link is shown only when the view behind it would let the user in: `may_open` resolves the address and
asks the view's access mixin (`allows(user)`, the same function its `dispatch` calls), so a page and the
links to it can never disagree.
"""

from django.urls import NoReverseMatch, Resolver404, resolve, reverse


def may_open(user, path: str) -> bool:
    try:
        match = resolve(path.split("?")[0])
    except Resolver404:
        return False
    view_class = getattr(match.func, "view_class", None)
    allows = getattr(view_class, "allows", None)
    if allows is None:
        return True  # a page without a role check (public pages, login, help)
    return bool(getattr(user, "is_authenticated", False)) and allows(user)


def url_if_allowed(user, name: str, *args, **kwargs) -> str:
    """The address of a named page if `user` may open it, else ""."""
    try:
        path = reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""
    return path if may_open(user, path) else ""
