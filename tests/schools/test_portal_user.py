"""One place creates a user with a role and scope: `portal_user` and the admin's one form.

Issue 17, item 11."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from schools.models import Municipality
from schools.roles import INSPECTOR, PRINCIPAL, principal_school_id, role_label

User = get_user_model()


def _run(*args) -> str:
    out = io.StringIO()
    call_command("portal_user", *args, stdout=out)
    return out.getvalue()


def test_command_creates_a_principal_of_a_school_and_updates_them_to_inspector(roles, school_a):
    out = _run("ivanova", "--role", "principal", "--school", "A001", "--password", "s3cret-Pass")
    assert out == "Пользователь ivanova создан: роль Руководитель ОО, школа A001 Школа А.\n"
    user = User.objects.get(username="ivanova")
    assert (role_label(user), principal_school_id(user), user.check_password("s3cret-Pass")) == (
        PRINCIPAL,
        school_a.pk,
        True,
    )
    school_a.municipality.code = "m-24-01"
    school_a.municipality.save()
    out = _run("ivanova", "--role", "inspector", "--municipality", "m-24-01")
    assert out == "Пользователь ivanova обновлён: роль Инспектор, муниципалитеты m-24-01.\n"
    user = User.objects.get(username="ivanova")
    assert (role_label(user), user.profile.school, user.check_password("s3cret-Pass")) == (
        INSPECTOR,
        None,
        True,
    )
    assert list(user.groups.values_list("name", flat=True)) == [INSPECTOR]
    assert [m.code for m in user.profile.municipalities.all()] == ["m-24-01"]


def test_command_makes_a_regional_specialist_who_sees_every_municipality(roles, school_a, school_b):
    from schools.selectors import municipality_list_visible_to, school_list_visible_to

    out = _run("sergeeva", "--role", "regional")
    assert out == "Пользователь sergeeva создан: роль Региональный специалист.\n"
    user = User.objects.get(username="sergeeva")
    assert set(school_list_visible_to(user=user)) == {school_a, school_b}
    assert municipality_list_visible_to(user=user).count() == Municipality.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "principal"], "Для руководителя ОО укажите школу (код ОО)."),
        (["--role", "principal", "--school", "Z999"], "Школы с кодом «Z999» нет в реестре."),
        (["--role", "inspector", "--school", "A001"], "Школу указывают только для роли «Руководитель ОО»."),
        (
            ["--role", "inspector", "--municipality", "nowhere"],
            "Муниципалитета с кодом «nowhere» нет (коды: {codes}).",
        ),
        (
            ["--role", "regional", "--municipality", "x"],
            "Муниципалитеты указывают только для роли «Инспектор».",
        ),
    ],
)
def test_command_refuses_a_wrong_scope_in_russian_and_creates_nobody(roles, school_a, args, message):
    with pytest.raises(CommandError) as error:
        _run("petrov", *args)
    assert str(error.value) == message.format(codes=school_a.municipality.code)
    assert not User.objects.filter(username="petrov").exists()


def test_invitation_mail_has_an_absolute_link_that_sets_the_password(roles, school_a, client, settings):
    settings.SITE_URL = "https://uko.example.ru"
    _run(
        "sidorov", "--role", "principal", "--school", "A001", "--email", "sidorov@school.example", "--invite"
    )
    user = User.objects.get(username="sidorov")
    assert not user.has_usable_password()
    (message,) = mail.outbox
    assert message.to == ["sidorov@school.example"]
    link = re.search(r"https://uko\.example\.ru(/accounts/password/set/\S+/)", message.body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "Nov-parol-2026", "new_password2": "Nov-parol-2026"})
    assert response.status_code == 302
    assert User.objects.get(username="sidorov").check_password("Nov-parol-2026")


def test_admin_creates_a_principal_in_one_form_and_the_list_shows_role_and_school(
    client, administrator, school_a
):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "kuznetsova",
            "last_name": "Кузнецова",
            "first_name": "Ольга",
            "email": "k@school.example",
            "role": "principal",
            "school": school_a.pk,
            "password": "",
            "send_invitation": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="kuznetsova")
    assert (role_label(user), principal_school_id(user)) == (PRINCIPAL, school_a.pk)
    assert len(mail.outbox) == 1
    listing = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert re.search(r"kuznetsova.*?Руководитель ОО.*?Школа А", listing, re.S)


def test_admin_form_refuses_a_principal_without_a_school(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:auth_user_add"),
        {"username": "nobody", "role": "principal", "email": "", "send_invitation": ""},
    )
    assert response.status_code == 200
    assert "Для руководителя ОО укажите школу (код ОО)." in response.content.decode()
    assert not User.objects.filter(username="nobody").exists()
