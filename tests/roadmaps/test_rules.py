"""The roadmaps rules live in `roadmaps.rules` and the visibility of recommendations in the selector:
the progress form, the pages, the services and the API read them and repeat nothing."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from roadmaps.forms import ItemProgressForm
from roadmaps.models import Recommendation, RoadmapItem
from roadmaps.rules import (
    PRINCIPAL_ANSWER_FIELDS,
    PRINCIPAL_ITEM_FIELDS,
    VERSION,
    fields_beyond,
    is_answerable,
)
from tests.roadmaps.factories import (
    DecisionFactory,
    ProgrammeFactory,
    RecommendationFactory,
    RoadmapItemFactory,
)

R = Recommendation.Status


def test_the_progress_form_offers_exactly_the_fields_a_principal_may_change():
    principal_may_change = PRINCIPAL_ITEM_FIELDS
    assert principal_may_change == {"status", "evidence", "completed_on"}
    assert set(ItemProgressForm.base_fields) == principal_may_change | {VERSION}


def test_fields_beyond_what_a_principal_may_change():
    assert fields_beyond(
        {"status": "done", "title": "x", "due_date": "2026-01-01"}, PRINCIPAL_ITEM_FIELDS
    ) == [
        "due_date",
        "title",
    ]
    assert fields_beyond(["answer", "answer_evidence", "version"], PRINCIPAL_ANSWER_FIELDS) == []


@pytest.mark.parametrize(
    ("status", "to_school", "answerable"),
    [
        (R.SENT, True, True),
        (R.ANSWERED, True, True),  # the answer may be changed
        (R.DRAFT, True, False),
        (R.CANCELLED, True, False),
        (R.SENT, False, False),  # addressed to a group, not a school
    ],
)
def test_which_recommendations_a_school_answers(school_a, status, to_school, answerable):
    recommendation = Recommendation(status=status, school=school_a if to_school else None)
    assert is_answerable(recommendation) is answerable


def test_principal_patch_of_another_item_field_is_refused_and_changes_nothing(principal_a, school_a):
    item = RoadmapItemFactory(roadmap=ProgrammeFactory(school=school_a), title="Своё")
    client = APIClient()
    client.force_authenticate(principal_a)
    response = client.patch(
        f"/api/roadmap-items/{item.pk}/", {"status": "done", "title": "Чужое"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Руководитель ОО может изменять только статус, ссылки на подтверждения и дату выполнения."
    )
    assert (RoadmapItem.objects.get(pk=item.pk).title, RoadmapItem.objects.get(pk=item.pk).status) == (
        "Своё",
        item.status,
    )


def test_decision_page_shows_a_principal_only_the_recommendations_they_may_see(
    client_for, principal_a, inspector, school_a, school_b
):
    decision = DecisionFactory()
    decision.schools.set([school_a, school_b])
    decision.recommendations.set(
        [
            RecommendationFactory(school=school_a, problem_area="Своя направленная"),
            RecommendationFactory(school=school_a, problem_area="Свой черновик", status=R.DRAFT),
            RecommendationFactory(school=school_b, problem_area="Чужая направленная"),
        ]
    )
    url = reverse("roadmaps:decision-detail", args=[decision.pk])
    shown = [r.problem_area for r in client_for(principal_a).get(url).context["recommendations"]]
    assert shown == ["Своя направленная"]
    staff = sorted(r.problem_area for r in client_for(inspector).get(url).context["recommendations"])
    assert staff == ["Свой черновик", "Своя направленная", "Чужая направленная"]
