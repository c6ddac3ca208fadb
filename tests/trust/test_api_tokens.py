"""API tokens: the second factor at issue, expiry after API_TOKEN_TTL_DAYS, revocation by owner and admin."""

from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from schools.api.auth import NO_TOKEN, TOKEN_REVOKED
from schools.api_tokens import ADMIN_TOKEN_REFUSED, OTP_TOKEN_REQUIRED, OTP_TOKEN_WRONG, TOKEN_EXPIRED

from .test_two_factor import current_token

PASSWORD = "пароль-для-тестов-123"


def _obtain(username: str, **extra):
    return Client().post("/api/token/", {"username": username, "password": PASSWORD, **extra})


def _with_token(key: str) -> Client:
    return Client(headers={"Authorization": f"Token {key}"})


def test_a_staff_member_with_a_device_gets_no_token_without_the_code(inspector):
    device = TOTPDevice.objects.create(user=inspector, name="телефон", confirmed=True)
    start = timezone.now()

    missing = _obtain(inspector.username)
    assert missing.status_code == 400
    assert missing.json() == {"otp_token": [OTP_TOKEN_REQUIRED]}
    wrong_code = "000000" if current_token(device) != "000000" else "111111"
    wrong = _obtain(inspector.username, otp_token=wrong_code)
    assert wrong.status_code == 400
    assert wrong.json() == {"otp_token": [OTP_TOKEN_WRONG]}
    assert not Token.objects.exists()

    with time_machine.travel(start + timedelta(seconds=31), tick=False):  # past django-otp's throttle
        code = current_token(device)
        issued = _obtain(inspector.username, otp_token=code)
        assert issued.status_code == 200
        key = issued.json()["token"]
        assert Token.objects.get(user=inspector).key == key
        assert _with_token(key).get("/api/schools/").status_code == 200
        # The same code cannot be used again.
        assert _obtain(inspector.username, otp_token=code).json() == {"otp_token": [OTP_TOKEN_WRONG]}


def test_an_unconfirmed_device_does_not_ask_for_a_code(inspector):
    TOTPDevice.objects.create(user=inspector, name="телефон", confirmed=False)
    assert "token" in _obtain(inspector.username).json()


def test_an_administrator_needs_a_device_and_its_code_when_two_factor_is_required(settings, administrator):
    settings.OTP_REQUIRED_FOR_ADMINS = True
    refused = _obtain(administrator.username)
    assert refused.status_code == 403
    assert refused.json() == {"detail": ADMIN_TOKEN_REFUSED}
    device = TOTPDevice.objects.create(user=administrator, name="телефон", confirmed=True)
    assert _obtain(administrator.username).json() == {"otp_token": [OTP_TOKEN_REQUIRED]}
    assert "token" in _obtain(administrator.username, otp_token=current_token(device)).json()


def test_a_token_expires_after_the_configured_days_and_a_new_one_is_issued(settings, inspector):
    settings.API_TOKEN_TTL_DAYS = 30
    issued_at = timezone.now()
    with time_machine.travel(issued_at, tick=False):
        key = _obtain(inspector.username).json()["token"]
    with time_machine.travel(issued_at + timedelta(days=30) - timedelta(minutes=1), tick=False):
        assert _with_token(key).get("/api/schools/").status_code == 200
        assert _obtain(inspector.username).json()["token"] == key  # still valid: the same token
    with time_machine.travel(issued_at + timedelta(days=30), tick=False):
        expired = _with_token(key).get("/api/schools/")
        assert expired.status_code == 401
        assert expired.json() == {"detail": TOKEN_EXPIRED}
        fresh = _obtain(inspector.username).json()["token"]
        assert fresh != key
        assert _with_token(fresh).get("/api/schools/").status_code == 200
        assert list(Token.objects.values_list("key", flat=True)) == [fresh]


def test_a_shorter_lifetime_is_a_setting(settings, inspector):
    settings.API_TOKEN_TTL_DAYS = 1
    key = _obtain(inspector.username).json()["token"]
    with time_machine.travel(timezone.now() + timedelta(days=1, seconds=1), tick=False):
        assert _with_token(key).get("/api/schools/").json() == {"detail": TOKEN_EXPIRED}


def test_the_owner_revokes_the_token(principal_a):
    key = _obtain(principal_a.username).json()["token"]
    client = _with_token(key)
    revoked = client.post("/api/token/revoke/")
    assert revoked.status_code == 200
    assert revoked.json() == {"detail": TOKEN_REVOKED}
    assert not Token.objects.exists()
    refused = client.get("/api/schools/")
    assert refused.status_code == 401
    assert refused.json() == {"detail": "Недействительный токен."}
    again = Client()
    again.force_login(principal_a)
    assert again.post("/api/token/revoke/").json() == {"detail": NO_TOKEN}


def test_revoking_ones_own_token_leaves_others_tokens(inspector, principal_a):
    own = _obtain(inspector.username).json()["token"]
    other = _obtain(principal_a.username).json()["token"]
    _with_token(own).post("/api/token/revoke/")
    assert list(Token.objects.values_list("key", flat=True)) == [other]
    assert _with_token(other).get("/api/schools/").status_code == 200


def test_an_administrator_revokes_a_token_in_the_admin(administrator, inspector, client_for):
    key = _obtain(inspector.username).json()["token"]
    admin = client_for(administrator)
    listing = admin.get("/admin/authtoken/tokenproxy/")
    assert listing.status_code == 200
    assert "Действует до" in listing.content.decode()
    deleted = admin.post(f"/admin/authtoken/tokenproxy/{inspector.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert not Token.objects.exists()
    assert _with_token(key).get("/api/schools/").status_code == 401
