"""Relations that an API client names by code accept only what the client may see (DESIGN §6): a school or
municipality outside the user's scope is «not found», exactly as if it did not exist."""

from rest_framework import serializers

from ..models import Municipality, School
from ..selectors import municipality_list_visible_to, school_list_visible_to


class VisibleMixin:
    """Choices of a relation field are `visible(user=request.user)`."""

    def __init__(self, *, visible, **kwargs):
        self.visible = visible
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:  # a serializer used outside a request (a command, a test of the serializer)
            return super().get_queryset()
        return self.visible(user=request.user)


class VisibleSlugRelatedField(VisibleMixin, serializers.SlugRelatedField):
    pass


class VisiblePrimaryKeyRelatedField(VisibleMixin, serializers.PrimaryKeyRelatedField):
    pass


def visible_school_field(**kwargs) -> VisibleSlugRelatedField:
    kwargs.setdefault("slug_field", "code")
    return VisibleSlugRelatedField(visible=school_list_visible_to, queryset=School.objects.all(), **kwargs)


def visible_municipality_field(**kwargs) -> VisibleSlugRelatedField:
    return VisibleSlugRelatedField(
        visible=municipality_list_visible_to, queryset=Municipality.objects.all(), **kwargs
    )
