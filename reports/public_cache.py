"""A cache of the public tab's pages for anonymous visitors.

Rendering `/quality/` costs enough CPU (benchmarks/RESULTS.md) that 20 concurrent visitors on two cores
alone would break the 100 ms p95 goal. Anonymous pages are the same for everyone, so they are cached whole.
Every change of what is public (publish, withdraw, edit of a published document) bumps a version number
that is part of each key, so no visitor sees a withdrawn item. With REDIS_URL the cache is shared by all
gunicorn workers.
"""

import gzip
import re
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

VERSION_KEY = "quality:version"
PAGE_SECONDS = 300
# Pages are compressed once, when they are stored, and sent compressed to every browser that accepts it
# (all do): the proxy passes an encoded answer through instead of compressing it again for each visitor.
# Anonymous public pages carry no secret (no CSRF token, no session), so compression leaks nothing.
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
COMPRESS_FROM_BYTES = 1024


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
    return f"quality:page2:{public_version()}:{settings_from(request).cache_key}:{request.path}?{query}"


def _stored(response) -> tuple:
    content = response.content
    packed = gzip.compress(content, compresslevel=6, mtime=0) if len(content) >= COMPRESS_FROM_BYTES else None
    return content, packed, response["Content-Type"], response.get("Content-Disposition", "")


def _replayed(request, stored: tuple) -> HttpResponse:
    content, packed, content_type, disposition = stored
    if packed is not None and ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response = HttpResponse(packed, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(content, content_type=content_type)
    if disposition:
        response["Content-Disposition"] = disposition
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


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
            return _replayed(request, cached)
        response = super().dispatch(request, *args, **kwargs)
        if response.status_code == 200 and not getattr(response, "streaming", False):
            if hasattr(response, "render"):
                response.render()
            stored = _stored(response)
            cache.set(key, stored, PAGE_SECONDS)
            return _replayed(request, stored)
        return response
