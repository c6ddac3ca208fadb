import factory
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from schools.models import Municipality, Profile, School, SchoolContext


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["name"]

    name = "Тестовый муниципальный округ"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"S{n:04d}")
    name = factory.LazyAttribute(lambda o: f"МБОУ «{o.short_name}»")
    short_name = factory.Sequence(lambda n: f"Школа {n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    settlement = School.Settlement.TOWN


class SchoolContextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolContext

    school = factory.SubFactory(SchoolFactory)
    year = 2024
    students = 200
    teachers = 20


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@edu.example")
    password = factory.PostGenerationMethodCall("set_password", "пароль-для-тестов-123")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*extracted)

    @factory.post_generation
    def school(self, create, extracted, **kwargs):
        if create and extracted:
            Profile.objects.update_or_create(user=self, defaults={"school": extracted})
        self.save()


def api_client(user) -> APIClient:
    """A DRF test client authenticated as `user` (None: anonymous)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
