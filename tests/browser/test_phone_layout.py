"""Every main page fits a 390-px-wide phone screen: no sideways scrolling of the page itself."""

import pytest

from .conftest import PHONE, login, shot
from .test_accessibility import MAIN_PAGES

pytestmark = pytest.mark.browser


def test_main_pages_fit_a_phone_screen(new_page, portal):
    too_wide = {}
    pages = {}
    for username, path in MAIN_PAGES:
        if username not in pages:
            pages[username] = new_page(PHONE, is_mobile=True, has_touch=True)
            if username:
                login(pages[username], portal, username)
        page = pages[username]
        assert page.goto(portal(path)).status == 200, path
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[f"{username or 'аноним'} {path}"] = width
        name = path.strip("/").replace("/", "-") or "home"
        shot(page, f"phone-{username or 'anonymous'}-{name}")
    assert not too_wide, f"страницы шире экрана телефона (px): {too_wide}"
