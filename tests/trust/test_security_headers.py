"""Security headers, the strict CSP included, on every response: every route of the matrix, every role."""

import pytest
from django.urls import reverse

from .test_permission_matrix import KWARGS, MATRIX
from .world import build_world

STRICT_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Views that carry their own per-view relaxation (schools/api/docs.py); scripts stay 'self' there too.
PER_VIEW = {"api-docs": {"style-src": "'self' 'nonce-"}, "api-redoc": {"style-src": "'self' 'unsafe-inline'"}}


def _policy(header: str) -> dict[str, str]:
    parts = (p.strip().split(" ", 1) for p in header.split(";") if p.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def assert_secure_headers(response, name: str) -> None:
    where = f"{name} → {response.status_code}"
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["X-Frame-Options"] == "DENY", where
    assert response["Referrer-Policy"] == "same-origin", where
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", where
    policy = _policy(response["Content-Security-Policy"])
    assert "unsafe" not in response["Content-Security-Policy"] or name in PER_VIEW, where
    if policy.get("default-src") == "'none'" and "sandbox" in policy:
        return  # a file download with an even stricter policy of its own (nothing may load or run)
    # A refused docs page (anonymous: 403) renders no Swagger/Redoc, so it keeps the strict policy.
    expected = {**STRICT_CSP, **(PER_VIEW.get(name, {}) if response.status_code == 200 else {})}
    for directive, value in expected.items():
        assert policy.get(directive, "").startswith(value), f"{where}: {directive} = {policy.get(directive)}"
    assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in policy["script-src"], where
    if name not in PER_VIEW:
        assert "unsafe-inline" not in response["Content-Security-Policy"], where


def test_every_route_answers_with_the_security_headers_for_every_role(actors, client_for):
    world = build_world(actors)
    checked = 0
    for name, methods in MATRIX.items():
        if "GET" not in methods:
            continue
        url = reverse(name, kwargs=KWARGS[name](world) if name in KWARGS else None)
        for role in ("anonymous", "principal_a", "principal_b", "inspector", "administrator"):
            assert_secure_headers(client_for(actors[role]).get(url), name)
            checked += 1
    assert checked >= 5 * 15


@pytest.mark.parametrize(
    "url",
    [
        "/no-such-page/",
        "/schools/NOPE/",
        "/api/nothing/",
        "/admin/",
        "/admin/login/",
        "/admin/schools/school/",
    ],
)
def test_error_pages_static_files_and_admin_have_them_too(url, actors, client_for):
    for role in ("anonymous", "inspector", "administrator"):
        assert_secure_headers(client_for(actors[role]).get(url), url)


def test_static_files_are_served_with_nosniff_and_the_referrer_policy(client_for):
    # WhiteNoise answers before the page middlewares: a stylesheet needs no CSP or frame rule.
    response = client_for(None).get("/static/css/portal.css")
    assert response.status_code == 200
    assert (response["X-Content-Type-Options"], response["Referrer-Policy"]) == ("nosniff", "same-origin")


@pytest.mark.django_db
def test_a_post_response_has_them(client_for):
    assert_secure_headers(
        client_for(None).post("/accounts/login/", {"username": "x", "password": "y"}), "login"
    )


def test_swagger_nonce_in_the_header_matches_its_style_tag(client_for, inspector):
    response = client_for(inspector).get("/api/docs/")  # the docs are for portal users (README «API»)
    nonce = _policy(response["Content-Security-Policy"])["style-src"].split("'nonce-")[1].rstrip("'")
    assert f'<style nonce="{nonce}">' in response.content.decode()
    assert "<script>" not in response.content.decode()
    assert "fonts.googleapis.com" not in client_for(inspector).get("/api/redoc/").content.decode()
