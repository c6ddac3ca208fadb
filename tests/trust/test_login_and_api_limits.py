"""Login lock-out (django-axes), password rules, API throttling and page size limits."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from schools.api.pagination import PortalPagination
from schools.models import School
from tests.factories import MunicipalityFactory, UserFactory

PASSWORD = "пароль-для-тестов-123"


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_login_with_a_russian_page(settings):
    settings.AXES_FAILURE_LIMIT = 5
    UserFactory(username="director")
    client = Client()
    for _ in range(4):
        wrong = client.post("/accounts/login/", {"username": "director", "password": "не-тот-пароль"})
        assert wrong.status_code == 200
        assert "Пожалуйста, введите правильные имя пользователя и пароль" in wrong.content.decode()
    locked = client.post("/accounts/login/", {"username": "director", "password": "не-тот-пароль"})
    assert locked.status_code == 429
    assert "Вход временно заблокирован" in locked.content.decode()
    assert "Слишком много неудачных попыток входа" in locked.content.decode()
    # Even the right password is refused while the lock holds, and no session is created.
    right = client.post("/accounts/login/", {"username": "director", "password": PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_successful_login_before_the_limit_resets_the_counter(settings):
    UserFactory(username="director")
    client = Client()
    for _ in range(4):
        client.post("/accounts/login/", {"username": "director", "password": "не-тот-пароль"})
    assert client.post("/accounts/login/", {"username": "director", "password": PASSWORD}).status_code == 302
    client.post("/accounts/logout/")
    assert (
        client.post("/accounts/login/", {"username": "director", "password": "не-тот-пароль"}).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Кор0ткий", "Введённый пароль слишком короткий. Он должен состоять из как минимум 10 символов."),
        ("1234567890123", "Введённый пароль состоит только из цифр."),
        ("password123", "Введённый пароль слишком широко распространён."),
    ],
)
def test_weak_passwords_are_refused_in_russian(password, message):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert message in error.value.messages


@pytest.mark.django_db
def test_password_like_the_username_is_refused():
    user = UserFactory.build(username="ivanov_petr", email="ivanov_petr@edu.example")
    with pytest.raises(ValidationError) as error:
        validate_password("ivanov_petr1", user=user)
    assert "Введённый пароль слишком похож на имя пользователя." in error.value.messages


def test_api_throttles_are_the_configured_ones():
    from rest_framework.settings import api_settings

    assert [c.__name__ for c in api_settings.DEFAULT_THROTTLE_CLASSES] == [
        "AnonRateThrottle",
        "UserRateThrottle",
    ]
    assert AnonRateThrottle().get_rate() == "120/min"
    assert UserRateThrottle().get_rate() == "2000/min"


@pytest.mark.django_db
def test_anonymous_api_calls_beyond_the_rate_get_429(monkeypatch):
    # Public endpoints are throttled per address (protected ones refuse anonymous users before that).
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "2000/min"})
    client = Client()
    statuses = [client.post("/api/token/", {"username": "x", "password": "y"}).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]


@pytest.mark.django_db
def test_token_endpoint_is_locked_out_like_the_login_page(settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="director")
    client = Client()
    assert "token" in client.post("/api/token/", {"username": "director", "password": PASSWORD}).json()
    for _ in range(3):
        client.post("/api/token/", {"username": "director", "password": "не-тот-пароль"})
    locked = client.post("/api/token/", {"username": "director", "password": PASSWORD})
    assert locked.status_code == 400
    assert "token" not in locked.json()


@pytest.mark.django_db
def test_administrators_get_no_password_token_when_two_factor_is_required(settings, administrator, inspector):
    settings.OTP_REQUIRED_FOR_ADMINS = True
    client = Client()
    refused = client.post("/api/token/", {"username": administrator.username, "password": PASSWORD})
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("Администраторам токен по паролю не выдаётся")
    assert (
        "token" in client.post("/api/token/", {"username": inspector.username, "password": PASSWORD}).json()
    )


@pytest.mark.django_db
def test_signed_in_api_calls_beyond_the_rate_get_429(monkeypatch, inspector, client_for):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"anon": "120/min", "user": "2/min"})
    client = client_for(inspector)
    statuses = [client.get("/api/schools/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert "Запрос был проигнорирован" in client.get("/api/schools/").json()["detail"]


@pytest.mark.django_db
def test_page_size_is_capped_at_500(inspector, client_for):
    municipality = MunicipalityFactory()
    School.objects.bulk_create(
        School(code=f"{n:04d}", name=f"Школа {n}", municipality=municipality, settlement="town")
        for n in range(501)
    )
    client = client_for(inspector)
    huge = client.get("/api/schools/?page_size=100000").json()
    assert (huge["count"], len(huge["results"])) == (501, 500)
    assert len(client.get("/api/schools/").json()["results"]) == 50
    assert len(client.get("/api/schools/?page_size=7").json()["results"]) == 7
    assert PortalPagination.max_page_size == 500


@pytest.mark.parametrize("cookie", ["abc\x00def0123456789", "' OR 1=1 --0123456", "\xff" * 32, "x" * 5000])
def test_a_forged_session_cookie_is_just_no_session(cookie, inspector, client_for):
    client = client_for(None)
    client.cookies["sessionid"] = cookie
    assert client.get("/schools/").status_code == 302  # to the login page, not a 500
    assert client.get("/quality/").status_code == 200
