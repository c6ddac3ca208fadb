"""A cache of the public tab's pages for anonymous visitors.

Rendering `/quality/` costs enough CPU (benchmarks/RESULTS.md) that 20 concurrent visitors on two cores
alone would break the 100 ms p95 goal. Anonymous pages are the same for everyone, so they are cached whole.
Every change of what is public (publish, withdraw, edit of a published document) bumps a version number
that is part of each key, so no visitor sees a withdrawn item. With REDIS_URL the cache is shared by all
gunicorn workers.
"""

from urllib.parse import urlencode

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

VERSION_KEY = "quality:version"
PAGE_SECONDS = 300


def public_version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def public_cache_bump() -> None:
    """Forget every cached public page now and again after commit.

    A page cached in between is dropped too.
    """
    _bump()
    transaction.on_commit(_bump)


def normalized(name: str, value: str) -> str:
    """A query value as the page reads it (a search: trimmed, case-folded, cut to 100 characters)."""
    return " ".join(value.split()).casefold()[:100] if name == "q" else value[:20]


def page_key(request, params: tuple[str, ...] = ()) -> str:
    """The cache key of a public page: its path, only the query parameters the page reads (normalized,
    sorted, empty ones dropped) and the visitor's version for the visually impaired.

    Any other parameter (?utm_source=…, ?x=<random>) changes nothing on the page, so it neither bypasses
    the cache nor adds a stored copy."""
    from .accessibility import settings_from

    pairs = {(name, normalized(name, value)) for name in params for value in request.GET.getlist(name)}
    query = urlencode(sorted((name, value) for name, value in pairs if value))
    return f"quality:page:{public_version()}:{settings_from(request).cache_key}:{request.path}?{query}"


class AnonymousPageCacheMixin:
    """Serve GET pages to anonymous visitors from the cache; signed-in users always get a fresh page.

    `cache_query_params` names the query parameters the page reads; only they are in the key. Pages,
    CSV/JSON files and the feed alike: the content, its type and its disposition are stored."""

    cache_query_params: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        key = page_key(request, self.cache_query_params)
        cached = cache.get(key)
        if cached is not None:
            content, content_type, disposition = cached
            response = HttpResponse(content, content_type=content_type)
            if disposition:
                response["Content-Disposition"] = disposition
            return response
        response = super().dispatch(request, *args, **kwargs)
        if response.status_code == 200 and not getattr(response, "streaming", False):
            if hasattr(response, "render"):
                response.render()
            stored = (response.content, response["Content-Type"], response.get("Content-Disposition", ""))
            cache.set(key, stored, PAGE_SECONDS)
        return response
