"""The draft save under load (issue 7 item 6): a fixed, small number of queries per save whatever is
changed, the answer equal to what a GET shows, and the optimistic lock refusing every stale save with
409 without losing or overwriting anything — also when the stale read happens between the view's read
and its write, and with real concurrent requests on PostgreSQL."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from monitoring import services
from monitoring.api.serializers import CardAnswerSerializer, ExpertCardSerializer
from monitoring.models import CardAnswer, CardChange, ExpertCard
from monitoring.services.cards import CARD_CONFLICT
from tests.monitoring.factories import BUILTIN_CRITERION_CODES as CODES
from tests.monitoring.factories import make_campaign

# Token + user, role groups, the principal's profile, the card (with campaign and school), its answers;
# then the conditional UPDATE of the card, one UPDATE of the changed answers, one INSERT of the history
# entries — and the transaction's two statements (BEGIN/COMMIT or, inside a test, SAVEPOINT/RELEASE).
MAX_QUERIES_PER_DRAFT_SAVE = 10


def _future(days):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def card(school_a):
    return make_campaign(schools=[school_a], due=(_future(30), _future(40), _future(50))).cards.get()


def _token_client(user):
    """A client that authenticates like the load test and real API users: an Authorization header."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def _patch(client, card, version, answers):
    return client.patch(f"/api/cards/{card.pk}/", {"version": version, "answers": answers}, format="json")


def _comment(card, code="2.3"):
    return CardAnswer.objects.get(card=card, criterion_code=code).comment


def test_a_draft_save_makes_the_same_few_queries_whether_one_or_every_criterion_changes(card, principal_a):
    client = _token_client(principal_a)
    assert _patch(client, card, 1, [{"criterion": "2.3", "comment": "начало"}]).status_code == 200
    with CaptureQueriesContext(connection) as one:
        one_response = _patch(client, card, 2, [{"criterion": "2.3", "comment": "одно поле"}])
    with CaptureQueriesContext(connection) as every:
        every_response = _patch(client, card, 3, [{"criterion": c, "comment": f"все {c}"} for c in CODES])
    assert (one_response.status_code, every_response.status_code) == (200, 200)
    assert len(one) <= MAX_QUERIES_PER_DRAFT_SAVE, [q["sql"][:120] for q in one]
    assert len(every) == len(one), [q["sql"][:120] for q in every]
    assert {a.criterion_code: a.comment for a in CardAnswer.objects.filter(card=card)} == {
        c: f"все {c}" for c in CODES
    }
    assert CardChange.objects.filter(card=card, action="saved", field="comment").count() == 2 + len(CODES)
    assert ExpertCard.objects.get(pk=card.pk).version == 4


def test_the_card_page_autosave_makes_a_fixed_number_of_queries_too(card, principal_a, client):
    client.force_login(principal_a)
    url = f"/monitoring/cards/{card.pk}/save/"
    assert (
        client.post(
            url,
            {"version": 1, "answers": [{"criterion": "2.3", "comment": "a"}]},
            content_type="application/json",
        ).status_code
        == 200
    )
    with CaptureQueriesContext(connection) as one:
        client.post(
            url,
            {"version": 2, "answers": [{"criterion": "2.3", "comment": "b"}]},
            content_type="application/json",
        )
    with CaptureQueriesContext(connection) as every:
        response = client.post(
            url,
            {"version": 3, "answers": [{"criterion": c, "comment": c} for c in CODES]},
            content_type="application/json",
        )
    assert response.json()["version"] == 4
    assert (
        len(every) == len(one) <= MAX_QUERIES_PER_DRAFT_SAVE + 4
    )  # + the session: read, then save in a transaction


def test_the_save_answers_the_card_exactly_as_a_get_then_shows_it(card, principal_a):
    client = _token_client(principal_a)
    saved = _patch(
        client,
        card,
        1,
        [
            {
                "criterion": "2.1",
                "numerator": 9,
                "denominator": 10,
                "evidence": ["https://a.example/1", "http://b.example/2"],
            },
            {"criterion": "3.1", "claimed": True, "comment": "  пары школ  "},
        ],
    )
    assert saved.status_code == 200
    assert saved.json() == client.get(f"/api/cards/{card.pk}/").json()
    body = saved.json()
    assert (body["version"], body["status"], body["status_display"]) == (2, "draft", "черновик")
    answers = {a["criterion"]: a for a in body["answers"]}
    assert answers["2.1"]["evidence"] == ["https://a.example/1", "http://b.example/2"]
    assert (answers["2.1"]["claimed"], answers["3.1"]["comment"]) == (True, "пары школ")
    assert [a["criterion"] for a in body["answers"]] == CODES


def test_written_out_serializers_give_what_the_generic_field_walk_gives(card):
    now = timezone.now()
    ExpertCard.objects.filter(pk=card.pk).update(
        status="evaluated",
        self_score=12,
        score=11,
        level="medium",
        reopened_until=_future(3),
        return_message="доработать 2.1",
        submitted_at=now - timedelta(days=3, microseconds=7),
        verified_at=now - timedelta(days=2),
        evaluated_at=now,
    )
    CardAnswer.objects.filter(card=card, criterion_code="2.1").update(
        numerator=9,
        denominator=10,
        value=Decimal("12.5"),
        claimed=True,
        verdict="rejected",
        verifier_comment="нет",
        evidence="https://a.example/1\nhttps://b.example/2",
    )
    CardAnswer.objects.filter(card=card, criterion_code="1.1").update(
        computed=True,
        computed_detail={"text": "доля снизилась", "current": "1,5"},
        verdict="confirmed",
        points=1,
    )
    card = ExpertCard.objects.select_related("campaign", "school").prefetch_related("answers").get(pk=card.pk)
    fast = ExpertCardSerializer(card).data
    generic = serializers.ModelSerializer.to_representation(ExpertCardSerializer(card), card)
    assert list(fast) == list(generic)
    assert fast == generic
    for answer in card.answers.all():
        expected = serializers.ModelSerializer.to_representation(CardAnswerSerializer(answer), answer)
        assert CardAnswerSerializer(answer).data == expected
        assert list(CardAnswerSerializer(answer).data) == list(expected)
    assert fast["answers"][CODES.index("2.1")]["value"] == "12.50"
    assert fast["reopened_until"] == _future(3).isoformat() and fast["level"] == "medium"


def test_a_save_whose_card_changed_after_the_views_read_is_refused_with_409_and_loses_nothing(
    card, principal_a, monkeypatch
):
    """Another tab saves between the view's read of the card (version 2) and the view's write."""
    client = _token_client(principal_a)
    assert _patch(client, card, 1, [{"criterion": "2.3", "comment": "первая"}]).status_code == 200
    real_save = services.card_save

    def other_tab_saves_first(**kwargs):
        monkeypatch.setattr(services, "card_save", real_save)
        real_save(
            card_id=kwargs["card_id"],
            user=principal_a,
            version=2,
            answers=[{"criterion": "2.3", "comment": "другая вкладка"}],
        )
        return real_save(**kwargs)  # the view's card, read at version 2, is now stale

    monkeypatch.setattr(services, "card_save", other_tab_saves_first)
    refused = _patch(
        client,
        card,
        2,
        [{"criterion": "2.3", "comment": "эта вкладка"}, {"criterion": "3.1", "claimed": True}],
    )
    assert refused.status_code == 409
    assert refused.json()["detail"] == CARD_CONFLICT
    assert _comment(card) == "другая вкладка"
    assert CardAnswer.objects.get(card=card, criterion_code="3.1").claimed is False
    assert ExpertCard.objects.get(pk=card.pk).version == 3
    assert list(
        CardChange.objects.filter(card=card, action="saved")
        .order_by("pk")
        .values_list("new_value", flat=True)
    ) == ["первая", "другая вкладка"]
    again = _patch(client, card, 2, [{"criterion": "2.3", "comment": "эта вкладка"}])
    assert (again.status_code, again.json()["detail"]) == (409, CARD_CONFLICT)


def test_first_save_after_a_template_change_rebuilds_the_answers_and_answers_with_them(card, principal_a):
    import json

    from monitoring.reference import BUILTIN_TEMPLATE
    from monitoring.services import template_import

    edited = json.loads(json.dumps(BUILTIN_TEMPLATE))
    edited["sections"][2]["criteria"][0]["text"] = "Новая формулировка"
    assert template_import(data=edited).version == 2
    response = _patch(
        _token_client(principal_a), card, 1, [{"criterion": "3.1", "comment": "по новой версии"}]
    )
    assert response.status_code == 200
    assert (response.json()["template_version"], response.json()["version"]) == (2, 2)
    assert {a["criterion"]: a["comment"] for a in response.json()["answers"]}["3.1"] == "по новой версии"
    assert _comment(card, "3.1") == "по новой версии"


def test_a_refused_save_writes_nothing_and_opens_no_transaction(card, principal_a):
    client = _token_client(principal_a)
    with CaptureQueriesContext(connection) as queries:
        response = _patch(client, card, 1, [{"criterion": "2.3", "evidence": "ftp://a.example/x"}])
    assert response.status_code == 400
    assert not any(q["sql"].startswith(("UPDATE", "INSERT", "SAVEPOINT", "BEGIN")) for q in queries)
    assert ExpertCard.objects.get(pk=card.pk).version == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_one_card_on_postgresql_lose_nothing(school_a, principal_a):
    """Real concurrent requests, each thread with its own database connection: of the saves sent with
    the same version exactly one wins, the others get 409; retrying with the new version, every
    acknowledged save is counted by the card's version and logged once, and the last one is kept."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the row lock race needs PostgreSQL")
    card = make_campaign(schools=[school_a], due=(_future(30), _future(40), _future(50))).cards.get()
    token = Token.objects.create(user=principal_a).key
    threads_count, saves_each = 6, 5
    start = threading.Barrier(threads_count)
    first_round, acknowledged, unexpected, lock = [], [], [], threading.Lock()

    def principal_tab(n):
        from django.db import connection as thread_connection

        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            version, done, first = 1, 0, True
            start.wait()
            while done < saves_each:
                text = f"вкладка {n}, сохранение {done}"
                response = _patch(client, card, version, [{"criterion": "2.3", "comment": text}])
                if first:
                    with lock:
                        first_round.append(response.status_code)
                    first = False
                if response.status_code == 200:
                    version, done = response.json()["version"], done + 1
                    with lock:
                        acknowledged.append((version, text))
                elif response.status_code == 409 and response.json()["detail"] == CARD_CONFLICT:
                    version = client.get(f"/api/cards/{card.pk}/").json()["version"]
                else:
                    with lock:
                        unexpected.append((response.status_code, response.content[:200]))
                    return
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=principal_tab, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not unexpected
    assert sorted(first_round) == [200] + [409] * (threads_count - 1)
    assert len(acknowledged) == threads_count * saves_each
    versions = sorted(v for v, _ in acknowledged)
    assert versions == list(
        range(2, 2 + threads_count * saves_each)
    )  # every acknowledged save has its own version
    card.refresh_from_db()
    assert card.version == 1 + threads_count * saves_each
    assert _comment(card) == max(acknowledged)[1]
    logged = list(
        CardChange.objects.filter(card=card, action="saved", field="comment").values_list(
            "new_value", flat=True
        )
    )
    assert sorted(logged) == sorted(text for _, text in acknowledged)
