"""Walk the portal as a person clicking links, and list what would mislead or stop them.

`crawl(page, base_url)` starts from the home page of the signed-in user and follows every visible link
that stays on the site (GET only: forms are not submitted), at most `PER_PATTERN` addresses of one shape
(`/schools/17/` and `/schools/23/` are one shape) and `LIMIT` pages in all. On every page it records:
a server error or a refusal (403) behind a link, a script error, an element marked `hidden` that is shown,
a select offering the same option twice, and visible text with an internal code or an English word.
"""

import re
from collections import deque
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from playwright.sync_api import Error as PlaywrightError

LIMIT = 160
PER_PATTERN = 2
# Not pages of the portal's own interface: Django's admin and the developers' API documentation
# (English by nature, tested by their own suites); files are fetched for their status only.
OUTSIDE = ("/admin/", "/api/", "/static/", "/media/")
FILE_SUFFIXES = (".pdf", ".xlsx", ".csv", ".docx", ".ics", ".json", ".xml", ".svg", ".png", ".zip")

# Latin words a Russian reader meets on such a site and understands as they are.
ALLOWED_LATIN = {
    "pdf",
    "xlsx",
    "xls",
    "csv",
    "docx",
    "ics",
    "json",
    "api",
    "svg",
    "url",
    "e-mail",
    "email",
    "id",
    "ua",  # PDF/UA
    "atom",
    "rss",
    "excel",
    "word",
    "google",
    "authenticator",
    "yandex",
    "totp",
    "freeotp",
    "qr",
    "http",
    "https",
    "odt",
}
URL_RE = re.compile(r"(https?://|www\.)\S+|\S+@\S+\.\w+|/[\w\-./?=&%]+/")
LATIN_WORD_RE = re.compile(r"[A-Za-z][A-Za-z0-9_\-:+./]*")
CODE_PATTERNS = (
    (re.compile(r"\b\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?"), "дата в формате ISO"),
    (re.compile(r"\d[Ee][+-]?\d"), "число в экспоненциальной записи"),
    (re.compile(r"\b[a-zа-я]+_[a-zа-я_]+\b"), "внутренний код"),
)


def internal_codes(text: str) -> list[str]:
    """Fragments of visible text a person should not have to read: codes, English words, raw formats."""
    found = []
    cleaned = URL_RE.sub(" ", text)
    for pattern, _what in CODE_PATTERNS:
        found += [m.group(0) for m in pattern.finditer(cleaned)]
    for match in LATIN_WORD_RE.finditer(cleaned):
        word = match.group(0).rstrip(".:-/")
        if word.casefold() in ALLOWED_LATIN:
            continue
        # Roman numerals (I степень, II квартал) and single letters (k, p, q in formulas) are Russian usage.
        if re.fullmatch(r"[IVXLC]+|[A-Za-z]", word):
            continue
        found.append(word)
    return sorted(set(found))


_PAGE_REPORT_JS = """() => {
  const visible = (el) => el.checkVisibility ? el.checkVisibility() : !!el.offsetParent;
  const hiddenShown = [...document.querySelectorAll('[hidden]')].filter(visible)
    .map((el) => el.outerHTML.slice(0, 160));
  const duplicates = [];
  for (const select of document.querySelectorAll('select')) {
    const seen = new Set();
    for (const option of select.options) {
      const key = option.value + '\\u0000' + option.textContent.trim();
      if (seen.has(key)) {
        duplicates.push((select.name || select.id) + ': ' + option.textContent.trim());
        break;
      }
      seen.add(key);
    }
  }
  const links = [...document.querySelectorAll('a[href]')].filter(visible)
    .map((a) => a.href);
  // What a person is meant to type (commands, keys) is set in <code>/<kbd>/<samp>, or is what they typed
  // into a text box (a template editor's option codes); it is not prose.
  let text = document.body.innerText;
  for (const el of document.querySelectorAll('code, kbd, samp')) {
    if (visible(el)) text = text.replace(el.innerText, ' ');
  }
  for (const el of document.querySelectorAll('textarea')) {
    if (el.value) text = text.replace(el.value, ' ');
  }
  return {text, hiddenShown, duplicates, links};
}"""


def _shape(path: str, query: str) -> str:
    keys = sorted({key for key, _ in parse_qsl(query, keep_blank_values=True)})
    return re.sub(r"\d+", "N", path) + "?" + "&".join(keys)


def _normal(url: str, origin: str) -> str | None:
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    if any(parts.path.startswith(prefix) for prefix in OUTSIDE):
        return None
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return parts.path + (f"?{query}" if query else "")


def crawl(page, base_url: str, *, start: str = "/") -> tuple[list[str], int]:
    """(problems as Russian sentences, number of pages opened) for the user signed in on `page`."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
    problems: list[str] = []
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(f"ошибка сценария: {error}"))
    page.on(
        "console",
        lambda msg: (
            script_errors.append(f"ошибка в консоли: {msg.text} ({msg.location.get('url')})")
            if msg.type == "error"
            else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            script_errors.append(f"ресурс {r.url} не загрузился: {r.status}")
            if r.status >= 400 and r.request.resource_type != "document"
            else None
        ),
    )
    queue = deque([(start, "начало")])
    seen, shapes, opened = {start}, {}, 0
    while queue and opened < LIMIT:
        path, referrer = queue.popleft()
        parts = urlsplit(path)
        if parts.path.endswith(FILE_SUFFIXES) or "/download" in parts.path or "format=" in parts.query:
            status = page.request.get(origin + path, max_redirects=5).status
            if status >= 400:
                problems.append(f"{path} (ссылка со страницы {referrer}): ответ {status}")
            continue
        script_errors.clear()
        opened += 1
        try:
            response = page.goto(origin + path)
        except PlaywrightError as error:  # a file that the browser downloads instead of showing
            if "Download is starting" not in str(error):
                raise
            response = page.request.get(origin + path)
            if response.status >= 400:
                problems.append(f"{path} (ссылка со страницы {referrer}): ответ {response.status}")
            continue
        status = response.status if response else 0
        if status >= 400:
            problems.append(f"{path} (ссылка со страницы {referrer}): ответ {status}")
            continue
        if "text/html" not in (response.headers.get("content-type", "") if response else ""):
            continue
        report = page.evaluate(_PAGE_REPORT_JS)
        problems += [f"{path}: {error}" for error in script_errors]
        problems += [f"{path}: скрытый элемент виден: {html}" for html in report["hiddenShown"]]
        problems += [f"{path}: вариант выбора повторяется: {option}" for option in report["duplicates"]]
        codes = internal_codes(report["text"])
        if codes:
            problems.append(f"{path}: в тексте коды или английские слова: {', '.join(codes)}")
        here = _normal(page.url, origin) or path
        for href in report["links"]:
            target = _normal(urljoin(page.url, href.split("#")[0]), origin)
            if target is None or target in seen:
                continue
            seen.add(target)
            shape = _shape(*urlsplit(target)[2:4])
            shapes[shape] = shapes.get(shape, 0) + 1
            if shapes[shape] <= PER_PATTERN:
                queue.append((target, here))
    return problems, opened
