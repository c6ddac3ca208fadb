"""A cache of the public tab's pages for anonymous visitors.

Rendering `/quality/` costs enough CPU (benchmarks/RESULTS.md) that 20 concurrent visitors on two cores
alone would break the 100 ms p95 goal. Anonymous pages are the same for everyone, so they are cached whole.
Every change of what is public (publish, withdraw, edit of a published document) bumps a version number
that is part of each key, so no visitor sees a withdrawn item. With REDIS_URL the cache is shared by all
gunicorn workers.
"""

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


class AnonymousPageCacheMixin:
    """Serve GET pages to anonymous visitors from the cache; signed-in users always get a fresh page."""

    def dispatch(self, request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        key = f"quality:page:{public_version()}:{request.get_full_path()}"
        cached = cache.get(key)
        if cached is not None:
            return HttpResponse(cached)
        response = super().dispatch(request, *args, **kwargs)
        if response.status_code == 200 and hasattr(response, "render"):
            response.render()
            cache.set(key, response.content, PAGE_SECONDS)
        return response
