"""Login lock-out (django-axes), password rules, API throttling and page size limits."""

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from schools.api.pagination import PortalPagination
from schools.login_guard import client_ip_address, failure_delay_seconds
from schools.models import School
from tests.factories import MunicipalityFactory, UserFactory

PASSWORD = "пароль-для-тестов-123"


@pytest.fixture
def director(db):
    """The real user whose logins the tests attack, with the password PASSWORD."""
    return UserFactory(username="director")


def _login(client, username, password, **headers):
    return client.post("/accounts/login/", {"username": username, "password": password}, headers=headers)


def test_five_wrong_passwords_lock_the_login_with_a_russian_page(settings, director):
    settings.AXES_FAILURE_LIMIT = 5
    client = Client()
    for _ in range(4):
        wrong = _login(client, "director", "не-тот-пароль")
        assert wrong.status_code == 200
        assert "Пожалуйста, введите правильные имя пользователя и пароль" in wrong.content.decode()
    locked = _login(client, "director", "не-тот-пароль")
    assert locked.status_code == 429
    assert "Вход временно заблокирован" in locked.content.decode()
    assert "Слишком много неудачных попыток входа" in locked.content.decode()
    # Even the right password is refused while the lock holds, and no session is created.
    right = _login(client, "director", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_successful_login_before_the_limit_resets_the_counter(settings, director):
    client = Client()
    for _ in range(4):
        _login(client, "director", "не-тот-пароль")
    assert _login(client, "director", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    assert _login(client, "director", "не-тот-пароль").status_code == 200


@pytest.fixture
def quick_delays(settings):
    """The per-address slow-down on, with delays too short to slow the tests."""
    settings.LOGIN_FAILURES_FREE_PER_ADDRESS = 10
    settings.LOGIN_FAILURE_DELAY_SECONDS = 0.001
    settings.LOGIN_FAILURE_DELAY_MAX_SECONDS = 0.002
    return settings


def test_made_up_user_names_from_one_address_do_not_lock_a_real_user_there(quick_delays, director):
    client = Client()  # every request from 127.0.0.1
    for n in range(6):
        statuses = [_login(client, f"nobody{n}", "не-тот-пароль").status_code for _ in range(5)]
        assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks this name at this address
    # Thirty failures from the address: each made-up name is locked, the address is not.
    assert _login(client, "director", PASSWORD).status_code == 302


def test_wrong_passwords_from_one_address_do_not_lock_the_account_from_another(director):
    attacker = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(5):
        _login(attacker, "director", "не-тот-пароль")
    assert _login(attacker, "director", PASSWORD).status_code == 429
    assert _login(Client(REMOTE_ADDR="198.51.100.7"), "director", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "address"),
    [
        (0, "", "10.0.0.2"),
        (0, "203.0.113.5", "10.0.0.2"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.7, 203.0.113.5", "203.0.113.5"),
        (2, "198.51.100.7, 203.0.113.5", "198.51.100.7"),
        (2, "203.0.113.5", "10.0.0.2"),  # fewer entries than trusted proxies: not through the proxies
        (1, "198.51.100.7, не-адрес", "10.0.0.2"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_the_client_address_is_read_through_exactly_the_trusted_proxies(
    settings, proxies, forwarded_for, address
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip_address(request) == address


def test_a_spoofed_forwarded_for_does_not_escape_the_lock_without_a_trusted_proxy(settings, director):
    settings.TRUSTED_PROXY_COUNT = 0
    client = Client()
    for n in range(5):
        _login(client, "director", "не-тот-пароль", x_forwarded_for=f"198.51.100.{n}")
    assert _login(client, "director", PASSWORD, x_forwarded_for="198.51.100.99").status_code == 429


def test_behind_one_trusted_proxy_the_lock_follows_the_address_the_proxy_saw(settings, director):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = Client(REMOTE_ADDR="172.18.0.5")  # every request arrives from the proxy's container
    for n in range(5):
        # The client wrote the left entry itself; the proxy appended the address it saw.
        _login(proxy, "director", "не-тот-пароль", x_forwarded_for=f"198.51.100.{n}, 203.0.113.5")
    assert _login(proxy, "director", PASSWORD, x_forwarded_for="1.2.3.4, 203.0.113.5").status_code == 429
    assert _login(proxy, "director", PASSWORD, x_forwarded_for="203.0.113.6").status_code == 302


def test_failures_from_one_address_are_slowed_by_a_doubling_delay_up_to_the_cap(settings):
    settings.LOGIN_FAILURES_FREE_PER_ADDRESS = 10
    settings.LOGIN_FAILURE_DELAY_SECONDS = 0.5
    settings.LOGIN_FAILURE_DELAY_MAX_SECONDS = 4.0
    assert [failure_delay_seconds(n) for n in (1, 10, 11, 12, 13, 14, 15, 100)] == [
        0.0,
        0.0,
        0.5,
        1.0,
        2.0,
        4.0,
        4.0,
        4.0,
    ]


def test_only_the_failing_address_waits(settings, director):
    settings.LOGIN_FAILURES_FREE_PER_ADDRESS = 2
    settings.LOGIN_FAILURE_DELAY_SECONDS = 1.5
    settings.LOGIN_FAILURE_DELAY_MAX_SECONDS = 1.5
    guesser = Client(REMOTE_ADDR="203.0.113.5")
    _login(guesser, "nobody1", "не-тот-пароль")
    _login(guesser, "nobody2", "не-тот-пароль")
    started = time.monotonic()
    assert _login(guesser, "nobody3", "не-тот-пароль").status_code == 200
    assert time.monotonic() - started >= 1.5
    started = time.monotonic()
    assert _login(Client(REMOTE_ADDR="198.51.100.7"), "nobody4", "не-тот-пароль").status_code == 200
    assert time.monotonic() - started < 1.0
    assert _login(guesser, "director", PASSWORD).status_code == 302


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


def test_token_endpoint_is_locked_out_like_the_login_page(settings, director):
    settings.AXES_FAILURE_LIMIT = 3
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
