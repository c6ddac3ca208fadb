"""Every role clicks through everything it can reach from its home page and meets no trap (issue 17)."""

import pytest

from .conftest import login
from .crawl import crawl

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("username", ["admin", "inspector", "principal1"])
def test_every_reachable_page_works_and_speaks_russian(page, portal, username):
    login(page, portal, username)

    problems, opened = crawl(page, portal())

    assert opened >= 15, f"{username}: открыто только {opened} страниц — обход не дошёл до разделов"
    assert problems == [], "\n".join(problems)
