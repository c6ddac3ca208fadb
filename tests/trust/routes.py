"""Every URL pattern of the portal, found by walking the resolver, with the HTTP methods its view handles."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.views.generic.edit import ProcessFormView
from django.views.static import serve

IGNORED_METHODS = {"head", "options", "trace"}
# Namespaces checked by their own generic test (every ModelAdmin), not listed route by route.
GENERIC_NAMESPACES = {"admin"}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the route string for an unnamed pattern
    route: str  # the full pattern, for messages
    methods: frozenset[str]  # upper-case HTTP methods the view handles
    namespace: str


def _methods(callback) -> frozenset[str]:
    actions = getattr(callback, "actions", None)  # a DRF ViewSet route: method -> action
    if actions:
        return frozenset(m.upper() for m in actions if m not in IGNORED_METHODS)
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None:
        methods = {
            m for m in view_class.http_method_names if m not in IGNORED_METHODS and hasattr(view_class, m)
        }
        if getattr(view_class, "put", None) is ProcessFormView.put:  # a form view's PUT is its POST
            methods.discard("put")
        return frozenset(m.upper() for m in methods)
    return frozenset({"GET"})


def iter_routes(patterns=None, prefix: str = "", namespace: str = "") -> list[Route]:
    routes = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            routes += iter_routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.callback is not serve:  # DEBUG-only media files
            full = prefix + str(entry.pattern)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or full
            routes.append(Route(name, full, _methods(entry.callback), namespace))
    return routes


def portal_routes() -> dict[str, Route]:
    """Routes the permission matrix must list (everything except generic namespaces), by name."""
    found: dict[str, Route] = {}
    for route in iter_routes():
        if route.namespace.split(":")[0] in GENERIC_NAMESPACES:
            continue
        if route.name in found:  # the same name twice (e.g. a format suffix): merge methods
            route = Route(
                route.name,
                found[route.name].route,
                found[route.name].methods | route.methods,
                route.namespace,
            )
        found[route.name] = route
    return found
