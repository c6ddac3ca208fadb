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


def page_key(request, params: tuple[str, ...] = ()) -> str:
    """The cache key of a public page: its path and only the query parameters the page reads, sorted.

    Any other parameter (?utm_source=…, ?x=<random>) changes nothing on the page, so it neither bypasses
    the cache nor adds a stored copy."""
    query = urlencode(sorted((name, value) for name in params for value in request.GET.getlist(name)))
    return f"quality:page:{public_version()}:{request.path}?{query}"


class AnonymousPageCacheMixin:
    """Serve GET pages to anonymous visitors from the cache; signed-in users always get a fresh page.

    `cache_query_params` names the query parameters the page reads (none today); only they are in the key."""

    cache_query_params: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        key = page_key(request, self.cache_query_params)
        cached = cache.get(key)
        if cached is not None:
            return HttpResponse(cached)
        response = super().dispatch(request, *args, **kwargs)
        if response.status_code == 200 and hasattr(response, "render"):
            response.render()
            cache.set(key, response.content, PAGE_SECONDS)
        return response
