"""PDF rendering with WeasyPrint behind a restricted URL fetcher.

A report template may reference only `data:` URLs and the project's own static files; static files are
read from disk (never over the network). Everything else — http(s), ftp, file:// outside the static
directories, redirects — is refused, so a crafted value in a report can never make the renderer fetch
something.
"""

import base64
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from schools.errors import NotAllowed

# The base URL of every report: relative and /static/ links resolve against it. The `.invalid` TLD is
# reserved and never resolves; the fetcher maps it to files on disk and never opens a connection.
BASE_URL = "https://portal.invalid/"
STATIC_PREFIX = "https://portal.invalid/static/"

URL_REFUSED = "Адрес не разрешён при формировании PDF: {url}"
STATIC_NOT_FOUND = "Статический файл не найден: {url}"


class UrlRefused(NotAllowed, ValueError):
    """The renderer asked for a URL outside the allowed set."""


def static_roots() -> list[Path]:
    """Directories the renderer may read from: STATICFILES_DIRS, app static dirs and STATIC_ROOT."""
    roots = []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location).resolve())
        for root in getattr(finder, "locations", []):
            roots.append(Path(root[1] if isinstance(root, tuple) else root).resolve())
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return list(dict.fromkeys(roots))


def _collected(relative: str) -> Path | None:
    """A file collected into STATIC_ROOT.

    In production `{% static %}` names hashed copies that only live there.
    """
    if not settings.STATIC_ROOT:
        return None
    path = Path(settings.STATIC_ROOT) / relative
    return path if path.is_file() else None


def _inside_static(path: Path) -> bool:
    resolved = path.resolve()
    return any(resolved.is_relative_to(root) for root in static_roots())


def _file_response(url: str, path: Path) -> URLFetcherResponse:
    mime, _ = mimetypes.guess_type(path.name)
    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime or "application/octet-stream"})


def _data_response(url: str) -> URLFetcherResponse:
    header, _, payload = url[len("data:") :].partition(",")
    parts = header.split(";")
    mime = parts[0] or "text/plain"
    body = base64.b64decode(payload) if "base64" in parts[1:] else unquote(payload).encode()
    return URLFetcherResponse(url, body, {"Content-Type": mime})


class RestrictedUrlFetcher(URLFetcher):
    """Serves `data:` URLs and the project's static files from disk; refuses everything else."""

    def __init__(self):
        super().__init__(
            allowed_protocols={"data", "https", "file"}, allow_redirects=False, fail_on_errors=False
        )

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return _data_response(url)
        if url.startswith(STATIC_PREFIX):
            relative = unquote(urlsplit(url).path)[len("/static/") :]
            if ".." in Path(relative).parts:
                raise UrlRefused(URL_REFUSED.format(url=url))
            found = finders.find(relative) or _collected(relative)
            if not found:
                raise UrlRefused(STATIC_NOT_FOUND.format(url=url))
            path = Path(found)
            if not _inside_static(path):
                raise UrlRefused(URL_REFUSED.format(url=url))
            return _file_response(url, path)
        if url.startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path))
            if path.is_file() and _inside_static(path):
                return _file_response(url, path)
        raise UrlRefused(URL_REFUSED.format(url=url))


# Tagged PDF for screen readers (PDF/UA-1: structure tree, MarkInfo, the document language from <html lang>).
PDF_VARIANT = "pdf/ua-1"


def render_pdf(html: str) -> bytes:
    """The tagged PDF of an HTML document (a full page with its own <link> to the PDF stylesheet and
    `<html lang="ru">`, which becomes the PDF's /Lang)."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=RestrictedUrlFetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)
