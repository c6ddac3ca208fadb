"""Browser journeys: headless Debian Chromium driven by Playwright against a live portal with demo data.

The demo municipality is built once per session into a SQLite file (migrate + `demo`, DEBUG on so the
demo users exist). Every test gets its own copy of that file and of the media folder, and a live
server of its own (`manage.py runserver` in a subprocess, Celery tasks eager), so journeys never see
each other's changes and run the same on both CI databases. pytest-django's in-process `live_server`
was not used because it flushes a transactional database after each test, which would mean
rebuilding the demo (the slowest step) for every journey.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = BASE_DIR / "screenshots"
AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}
DEMO_PASSWORD = "demo"
# The demo's documents link of school 0101 and the title of its ШНОР monitoring campaign.
DOC = "https://school0101.edu.example/docs/"
SHNOR = "Мониторинг системы работы со школами с низкими результатами"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.failed_call = report.failed


def _keep_failure_screens(request, pages) -> None:
    """A failed journey leaves screenshots/failed-<test>-<n>.png of every page it had open."""
    if not getattr(request.node, "failed_call", False):
        return
    for number, page in enumerate(pages):
        if not page.is_closed():
            with contextlib.suppress(Exception):  # a broken page must not hide the real failure
                shot(page, f"failed-{request.node.name}-{number}")


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("В CI нет /usr/bin/chromium: браузерные сценарии обязательны (scripts/browser-deps.sh).")
    pytest.skip(
        "Chromium не найден (/usr/bin/chromium): браузерные сценарии пропущены. Установите: make browser-deps"
    )


def _server_env(database: Path, media: Path, *, debug: bool) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=str(media),
        DEBUG="1" if debug else "0",
        # TESTING (PYTEST_VERSION) keeps the safe local defaults (hosts, cookies over http) without DEBUG.
        PYTEST_VERSION=os.environ.get("PYTEST_VERSION", "1"),
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(*args: str, env: dict, log: Path) -> None:
    with log.open("a") as out:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    if result.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} завершилась с ошибкой:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def demo_snapshot(tmp_path_factory):
    """(database file, media folder) with migrations applied and the demo municipality loaded."""
    _require_chromium()
    for stale in SCREENSHOTS.glob("failed-*.png"):
        stale.unlink()
    root = tmp_path_factory.mktemp("demo")
    database, media, log = root / "demo.sqlite3", root / "media", root / "build.log"
    media.mkdir()
    env = _server_env(database, media, debug=True)
    _manage("migrate", "--noinput", "-v0", env=env, log=log)
    _manage("demo", env=env, log=log)
    return database, media


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Portal:
    """A running copy of the portal: its address and its own database file."""

    def __init__(self, url: str, database: Path, media: Path, env: dict, log: Path):
        self.url, self.database, self.media, self.env, self.log = url, database, media, env, log

    def __call__(self, path: str = "/") -> str:
        return self.url + path

    def manage(self, *args: str) -> None:
        """Run a management command against this portal's database (to prepare a precondition)."""
        _manage(*args, env=self.env, log=self.log)


@pytest.fixture
def portal(demo_snapshot, tmp_path):
    """A live portal on a private copy of the demo database; stopped after the test."""
    database, media = tmp_path / "portal.sqlite3", tmp_path / "media"
    shutil.copyfile(demo_snapshot[0], database)
    shutil.copytree(demo_snapshot[1], media)
    env = _server_env(database, media, debug=False)
    port = _free_port()
    log = tmp_path / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/accounts/login/", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"Сервер портала не запустился:\n{log.read_text()[-4000:]}")
            time.sleep(0.2)
    yield Portal(url, database, media, env, log)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    # Playwright's sync API runs an event loop in this thread; Django's ORM in the same thread needs this.
    # Restored afterwards so no later test (or subprocess it starts) inherits it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _context(browser, viewport, **options):
    context = browser.new_context(
        viewport=viewport, locale="ru-RU", timezone_id="Asia/Krasnoyarsk", accept_downloads=True, **options
    )
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def page(browser, request):
    context = _context(browser, DESKTOP)
    page = context.new_page()
    yield page
    _keep_failure_screens(request, [page])
    context.close()


@pytest.fixture
def new_page(browser, request):
    """new_page(viewport=DESKTOP, **context options) -> a page in a fresh context (closed after the test)."""
    contexts, pages = [], []

    def make(viewport=DESKTOP, **options):
        context = _context(browser, viewport, **options)
        contexts.append(context)
        pages.append(context.new_page())
        return pages[-1]

    yield make
    _keep_failure_screens(request, pages)
    for context in contexts:
        context.close()


def login(page, portal, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the login form, as a person would."""
    page.goto(portal("/accounts/login/"))
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"вход {username} не удался"


def menu_link(page, name: str):
    """The link `name` of the main menu."""
    return page.get_by_role("navigation", name="Основное меню").get_by_role("link", name=name)


def criterion(page, code):
    """The criterion `code` of the expert card on the page."""
    return page.locator(f"article[data-criterion='{code}']")


def open_my_card(page):
    """The principal of «СШ № 1» opens their expert card from the main menu."""
    from playwright.sync_api import expect

    menu_link(page, "Экспертная карта").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Экспертная карта: СШ № 1")


def open_a_submitted_card(page) -> str:
    """From the main menu, the staff member opens a submitted card of the ШНОР campaign of 2025 (the demo
    has a 2025 campaign of every built-in template); returns the card's school."""
    menu_link(page, "Мониторинг").click()
    page.locator("tbody tr").filter(has_text="2025/2026").filter(has_text=SHNOR).get_by_role(
        "link"
    ).first.click()
    # The cards table, not the «Таблица» view of a chart (it is a data-table too, inside <details>).
    submitted = (
        page.locator("table.data-table:not(details table) tbody tr").filter(has_text="отправлена").first
    )
    school = submitted.locator("td[data-label='Школа']").inner_text()
    submitted.get_by_role("link").first.click()
    return school


def shot(page, name: str) -> Path:
    """Save a full-page screenshot to screenshots/<name>.png."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Serious and critical axe-core violations of the current page (WCAG 2.1 A/AA rules)."""
    if not AXE_JS.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Нет node_modules/axe-core: запустите scripts/browser-deps.sh (npm install).")
        pytest.skip("axe-core не установлен (node_modules/axe-core): выполните make browser-deps")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "() => axe.run(document, "
        "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]
