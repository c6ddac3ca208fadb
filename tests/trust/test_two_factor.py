"""Two-factor authentication (TOTP): enrolment with a QR code, verification, the gate, the admin site."""

import time

import pytest
import time_machine
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from schools.two_factor import ENROLLED, WRONG_TOKEN


def current_token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def required(settings):
    settings.OTP_REQUIRED_FOR_ADMINS = True
    return settings


def test_an_unverified_administrator_is_sent_to_enrol_before_staff_pages_and_admin(
    required, administrator, client_for
):
    client = client_for(administrator)
    for url in ("/dashboard/", "/schools/", "/admin/", "/schools/import/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/2fa/?next="), url
    assert client.get("/api/schools/").json() == {
        "detail": "Подтвердите вход вторым фактором (код из приложения) в веб-интерфейсе портала."
    }
    assert client.get("/accounts/2fa/").status_code == 200


def test_enrolment_shows_a_qr_code_and_a_code_confirms_the_device(required, administrator, client_for):
    client = client_for(administrator)
    page = client.get("/accounts/2fa/?next=/admin/")
    html = page.content.decode()
    assert "<svg" in html and "<path" in html
    assert "Администраторам портала вход без второго фактора не разрешён" in html
    device = TOTPDevice.objects.get(user=administrator)
    assert device.confirmed is False
    secret = html.split('<code class="otp-secret">')[1].split("</code>")[0].replace(" ", "")
    import base64

    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key

    wrong = client.post(
        "/accounts/2fa/", {"token": "000000" if current_token(device) != "000000" else "111111"}
    )
    assert WRONG_TOKEN in wrong.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False

    with time_machine.travel(time.time() + 31, tick=False):
        done = client.post("/accounts/2fa/", {"token": current_token(device), "next": "/admin/"})
        assert done.status_code == 302
        assert done["Location"] == "/admin/"
        device.refresh_from_db()
        assert device.confirmed is True
        dashboard = client.get("/dashboard/")
        assert dashboard.status_code == 200
        assert ENROLLED in dashboard.content.decode()
        assert client.get("/admin/").status_code == 200


def test_a_new_session_must_verify_the_code_again(required, administrator, client_for):
    device = TOTPDevice.objects.create(user=administrator, name="телефон", confirmed=True)
    client = client_for(administrator)
    gate = client.get("/dashboard/")
    assert gate["Location"] == "/accounts/2fa/verify/?next=%2Fdashboard%2F"
    # Enrolling another device is not a way around the code.
    assert client.get("/accounts/2fa/")["Location"].startswith("/accounts/2fa/verify/")
    wrong = client.post("/accounts/2fa/verify/", {"token": "12345"})
    assert "Введите шесть цифр из приложения-аутентификатора." in wrong.content.decode()
    assert client.get("/admin/").status_code == 302
    ok = client.post("/accounts/2fa/verify/", {"token": current_token(device), "next": "/dashboard/"})
    assert ok["Location"] == "/dashboard/"
    assert client.get("/admin/").status_code == 200


def test_the_same_code_cannot_be_used_twice(required, administrator, client_for):
    device = TOTPDevice.objects.create(user=administrator, name="телефон", confirmed=True)
    code = current_token(device)
    assert client_for(administrator).post("/accounts/2fa/verify/", {"token": code})["Location"] == "/"
    replay = client_for(administrator).post("/accounts/2fa/verify/", {"token": code})
    assert replay.status_code == 200
    assert WRONG_TOKEN in replay.content.decode()


def test_the_next_parameter_cannot_leave_the_site(required, administrator, client_for):
    device = TOTPDevice.objects.create(user=administrator, name="телефон", confirmed=True)
    response = client_for(administrator).post(
        "/accounts/2fa/verify/", {"token": current_token(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_inspectors_may_enrol_and_then_must_verify(inspector, client_for):
    client = client_for(inspector)
    assert client.get("/dashboard/").status_code == 200  # optional for staff without a device
    assert client.get("/accounts/2fa/").status_code == 200
    TOTPDevice.objects.filter(user=inspector).update(confirmed=True)
    assert client_for(inspector).get("/dashboard/")["Location"].startswith("/accounts/2fa/verify/")


def test_principals_have_no_two_factor_pages(principal_a, client_for):
    assert client_for(principal_a).get("/accounts/2fa/").status_code == 403
    assert not TOTPDevice.objects.exists()


def test_demo_mode_lets_an_administrator_in_without_a_device(settings, administrator, client_for):
    settings.OTP_REQUIRED_FOR_ADMINS = False
    client = client_for(administrator)
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_admin_site_is_for_administrators_only(inspector, principal_a, administrator, client_for):
    inspector.is_staff = True  # Django's default check (is_staff) would let this inspector in
    inspector.save()
    for user in (None, principal_a, inspector):
        response = client_for(user).get("/admin/schools/school/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    assert client_for(administrator).get("/admin/schools/school/").status_code == 200


def test_the_admin_login_form_does_not_let_an_inspector_in(inspector, client_for):
    inspector.is_staff = True
    inspector.save()
    client = client_for(None)
    client.post(
        "/admin/login/?next=/admin/", {"username": inspector.username, "password": "пароль-для-тестов-123"}
    )
    assert client.get("/admin/").status_code == 302
