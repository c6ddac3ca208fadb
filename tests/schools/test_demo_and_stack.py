from pathlib import Path

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.management import call_command

from schools.models import Municipality, School, SchoolContext

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.django_db
def test_schools_demo_builds_a_region_of_three_municipalities_and_is_idempotent(settings):
    from schools import demo
    from schools.reference import seed

    settings.DEBUG = True
    seed()

    class Out:
        def write(self, text):
            pass

    demo.build(stdout=Out())
    demo.build(stdout=Out())

    # DESIGN §10: a region of at least 3 municipalities, the 40-school one first.
    municipalities = list(Municipality.objects.order_by("pk"))
    assert [m.code for m in municipalities] == ["berezovsky", "kedrovsky", "ozyorsk"]
    assert {m.region.name for m in municipalities} == {"Северная область"}
    assert School.objects.filter(municipality=municipalities[0]).count() == 40
    assert School.objects.count() == 40 + 12 + 10
    assert set(School.objects.values_list("settlement", flat=True)) == {"town", "village"}
    assert SchoolContext.objects.count() == 62 * 5
    users = get_user_model().objects
    assert [m.code for m in users.get(username="inspector").profile.municipalities.all()] == ["berezovsky"]
    assert [m.code for m in users.get(username="inspector2").profile.municipalities.all()] == ["kedrovsky"]
    assert [m.code for m in users.get(username="inspector3").profile.municipalities.all()] == ["ozyorsk"]
    assert users.get(username="regional").groups.get().name == "Региональный специалист"
    students = [c.students for c in SchoolContext.objects.filter(year=2025)]
    assert min(students) < 60 and max(students) > 1100
    principal = get_user_model().objects.get(username="principal1")
    assert principal.check_password("demo") and principal.profile.school.code == "0101"


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_creates_no_demo_users_without_debug(settings):
    from schools import demo
    from schools.reference import seed

    settings.DEBUG = False
    seed()
    demo.build(stdout=type("Out", (), {"write": lambda self, text: None})())

    assert not get_user_model().objects.filter(username__in=["admin", "inspector", "principal1"]).exists()


@pytest.mark.django_db
def test_seed_reference_is_idempotent():
    call_command("seed_reference")
    call_command("seed_reference")

    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Администратор",
        "Инспектор",
        "Руководитель ОО",
    }


def test_compose_file_parses_and_names_the_stack():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())

    assert set(compose["services"]) == {"proxy", "postgres", "redis", "web", "worker", "beat"}
    assert "gunicorn" in compose["services"]["web"]["command"]
    assert all("healthcheck" in service for service in compose["services"].values())
    assert "celery -A config worker" in compose["services"]["worker"]["command"]


def test_readme_starts_with_the_two_commands():
    head = (ROOT / "README.md").read_text().splitlines()[:6]

    assert any(line.startswith("make run") for line in head)
    assert any(line.startswith("make test") for line in head)
