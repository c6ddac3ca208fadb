"""Production settings: `check --deploy` is clean, HTTPS-only cookies and HSTS behind a proxy."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def _production_env(**extra) -> dict:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))}
    env.update(
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        ALLOWED_HOSTS="portal.example",
        DEBUG="0",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.pop("OTP_REQUIRED_FOR_ADMINS", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' Playwright; never in production
    env.update(extra)
    return env


def _manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_nothing_in_production():
    result = _manage("check", "--deploy", "--fail-level", "DEBUG", env=_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "Задайте SECRET_KEY" in result.stderr


def test_production_defaults_turn_https_and_two_factor_on():
    code = (
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, s.OTP_REQUIRED_FOR_ADMINS)"
    )
    result = _manage("shell", "-c", code, env=_production_env())
    assert result.stdout.strip().splitlines()[-1] == (
        "True True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https') True"
    ), result.stderr


def test_debug_demo_turns_two_factor_for_administrators_off_unless_asked():
    code = "from django.conf import settings as s; print(s.OTP_REQUIRED_FOR_ADMINS)"
    assert _manage("shell", "-c", code, env=_production_env(DEBUG="1")).stdout.strip().endswith("False")
    forced = _manage("shell", "-c", code, env=_production_env(DEBUG="1", OTP_REQUIRED_FOR_ADMINS="1"))
    assert forced.stdout.strip().endswith("True")


@pytest.fixture
def https_settings(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    return settings


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(https_settings):
    response = Client().get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


@pytest.mark.django_db
def test_behind_the_proxy_https_gets_hsts_and_secure_cookies(https_settings):
    client = Client(headers={"X-Forwarded-Proto": "https"})
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert page.cookies["csrftoken"]["secure"] is True
    from tests.factories import UserFactory

    UserFactory(username="someone")
    logged_in = client.post("/accounts/login/", {"username": "someone", "password": "пароль-для-тестов-123"})
    assert logged_in.status_code == 302
    session_cookie = logged_in.cookies["sessionid"]
    assert session_cookie["secure"] is True
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"] == "Lax"


def test_with_redis_the_cache_is_shared_by_every_worker():
    """API throttles, the public page cache and live job progress must count across all gunicorn workers and
    Celery workers: with REDIS_URL the cache is Redis, not each process's own memory."""
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    shared = _manage("shell", "-c", code, env=_production_env(REDIS_URL="redis://127.0.0.1:6379/15"))
    alone = _manage("shell", "-c", code, env=_production_env(REDIS_URL=""))

    assert shared.stdout.split()[-1] == "django.core.cache.backends.redis.RedisCache", shared.stderr
    assert alone.stdout.split()[-1] == "django.core.cache.backends.locmem.LocMemCache", alone.stderr
