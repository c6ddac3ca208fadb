"""State transitions of an expert card by role and by deadline, scoring, the optimistic lock, history."""

from datetime import date

import pytest
from django.core import mail

from monitoring.demo import RESULT_ROWS
from monitoring.models import CardAnswer, CardChange, ExpertCard
from monitoring.services import (
    CardConflict,
    CardError,
    card_evaluate,
    card_reopen,
    card_return,
    card_save,
    card_save_valid_fields,
    card_submit,
    card_verdicts_set,
    card_verify,
)
from monitoring.services.cards import (
    CARD_CONFLICT,
    COMPUTED_NO_DATA,
    EVIDENCE_INVALID,
    EVIDENCE_REQUIRED,
    NOT_YOUR_CARD,
    REJECT_NEEDS_COMMENT,
    STAFF_ONLY,
)
from tests.indicators.factories import result
from tests.monitoring.factories import BUILTIN_CRITERION_CODES, make_campaign, save_new_card

S = ExpertCard.Status
BEFORE = date(2026, 9, 1)  # before the self-assessment deadline 30.09.2026
AFTER = date(2026, 10, 1)  # after it
LINK = "https://docs.example/plan.pdf"
FACTS = ["2.3", "2.4", "3.1"]


@pytest.fixture
def card(school_a):
    return make_campaign(schools=[school_a]).cards.get()


def _fresh(card):
    return ExpertCard.objects.get(pk=card.pk)


def _claim(card, user, codes, today=BEFORE):
    return card_save(
        card_id=card.pk,
        user=user,
        version=_fresh(card).version,
        today=today,
        answers=[{"criterion": c, "claimed": True, "evidence": LINK} for c in codes],
    )


def _set_verdicts(card, user, verdicts):
    return card_verdicts_set(card_id=card.pk, user=user, version=_fresh(card).version, verdicts=verdicts)


def _submitted(card, principal, codes=FACTS):
    _claim(card, principal, codes)
    return card_submit(card_id=card.pk, user=principal, version=_fresh(card).version, today=BEFORE)


def test_new_card_is_not_started_with_all_17_answers(card):
    assert card.status == S.NOT_STARTED
    assert card.max_score == 17
    assert card.template_version == 1
    assert list(card.answers.values_list("criterion_code", flat=True)) == BUILTIN_CRITERION_CODES


def test_principal_saves_a_draft_and_every_change_is_in_history(card, principal_a):
    saved = save_new_card(
        card,
        principal_a,
        today=BEFORE,
        answers=[
            {"criterion": "2.3", "claimed": True, "evidence": LINK, "comment": "диагностика пройдена"},
            {"criterion": "2.1", "numerator": "4", "denominator": "5"},
        ],
    )
    assert (saved.status, saved.version) == (S.DRAFT, 2)
    share = CardAnswer.objects.get(card=card, criterion_code="2.1")
    assert (share.numerator, share.denominator, share.claimed) == (4, 5, True)  # 80 % ≥ 80 %
    entries = {
        (c.criterion_code, c.field): (c.old_value, c.new_value, c.user_id)
        for c in CardChange.objects.filter(card=card, action=CardChange.Action.SAVED)
    }
    assert entries == {
        ("2.3", "claimed"): ("нет", "да", principal_a.pk),
        ("2.3", "evidence"): ("", LINK, principal_a.pk),
        ("2.3", "comment"): ("", "диагностика пройдена", principal_a.pk),
        ("2.1", "numerator"): ("", "4", principal_a.pk),
        ("2.1", "denominator"): ("", "5", principal_a.pk),
        ("2.1", "claimed"): ("нет", "да", principal_a.pk),
    }


def test_share_below_threshold_is_not_claimed(card, principal_a):
    save_new_card(
        card, principal_a, today=BEFORE, answers=[{"criterion": "2.2", "numerator": 3, "denominator": 4}]
    )
    assert CardAnswer.objects.get(card=card, criterion_code="2.2").claimed is False


def test_invalid_evidence_link_is_refused_and_nothing_changes(card, principal_a):
    with pytest.raises(CardError) as error:
        save_new_card(
            card,
            principal_a,
            today=BEFORE,
            answers=[
                {"criterion": "2.3", "claimed": True, "evidence": "план.docx"},
                {"criterion": "2.4", "claimed": True},
            ],
        )
    assert "не ссылка http(s)" in error.value.errors["2.3"]["evidence"]
    assert _fresh(card).version == 1 and _fresh(card).status == S.NOT_STARTED
    assert not CardAnswer.objects.filter(card=card, claimed=True).exists()
    assert not CardChange.objects.filter(card=card, action=CardChange.Action.SAVED).exists()


def test_concurrent_save_is_refused_and_nothing_is_overwritten(card, principal_a):
    save_new_card(
        card, principal_a, today=BEFORE, answers=[{"criterion": "2.3", "comment": "первая вкладка"}]
    )
    with pytest.raises(CardConflict) as error:  # the second tab still holds version 1
        save_new_card(
            card, principal_a, today=BEFORE, answers=[{"criterion": "2.3", "comment": "вторая вкладка"}]
        )
    assert error.value.message == CARD_CONFLICT
    assert CardAnswer.objects.get(card=card, criterion_code="2.3").comment == "первая вкладка"
    assert _fresh(card).version == 2


def test_submit_requires_evidence_for_every_claimed_point(card, principal_a):
    save_new_card(card, principal_a, today=BEFORE, answers=[{"criterion": "3.1", "claimed": True}])
    with pytest.raises(CardError) as error:
        card_submit(card_id=card.pk, user=principal_a, version=2, today=BEFORE)
    assert error.value.errors == {"3.1": {"evidence": EVIDENCE_REQUIRED}}
    assert _fresh(card).status == S.DRAFT


def test_submit_records_self_score_and_closes_the_card(card, principal_a):
    submitted = _submitted(card, principal_a)
    assert (submitted.status, submitted.self_score, submitted.score) == (S.SUBMITTED, 3, None)
    with pytest.raises(CardError, match="отправлена"):
        _claim(card, principal_a, ["2.4"])


@pytest.mark.parametrize("today", [date(2026, 9, 30), date(2026, 10, 1)])
def test_deadline_closes_the_card_to_the_principal(card, principal_a, today):
    if today > date(2026, 9, 30):
        with pytest.raises(CardError, match="Срок самооценки истёк 30.09.2026"):
            _claim(card, principal_a, ["2.3"], today=today)
        with pytest.raises(CardError, match="Срок самооценки истёк"):
            card_submit(card_id=card.pk, user=principal_a, version=1, today=today)
    else:  # the deadline day itself is still open
        assert _claim(card, principal_a, ["2.3"], today=today).status == S.DRAFT


def test_staff_reopen_extends_the_deadline_for_one_school(card, principal_a, inspector):
    card_reopen(card_id=card.pk, user=inspector, version=1, until=date(2026, 10, 10), today=AFTER)
    assert _claim(card, principal_a, ["2.3"], today=AFTER).status == S.DRAFT
    assert CardChange.objects.get(card=card, action=CardChange.Action.REOPENED).new_value == "10.10.2026"


def test_other_principal_and_staff_cannot_fill_the_card(card, principal_b, inspector):
    for user in (principal_b, inspector):
        with pytest.raises(CardError) as error:
            _claim(card, user, ["2.3"])
        assert error.value.message == NOT_YOUR_CARD


def test_principal_cannot_verify(card, principal_a):
    _submitted(card, principal_a)
    for action in (
        lambda v: card_verdicts_set(card_id=card.pk, user=principal_a, version=v, verdicts={}),
        lambda v: card_verify(card_id=card.pk, user=principal_a, version=v),
        lambda v: card_return(card_id=card.pk, user=principal_a, version=v, message="x"),
        lambda v: card_reopen(card_id=card.pk, user=principal_a, version=v, until=AFTER, today=BEFORE),
    ):
        with pytest.raises(CardError) as error:
            action(_fresh(card).version)
        assert error.value.message == STAFF_ONLY
    assert _fresh(card).status == S.SUBMITTED


def test_verification_cannot_start_before_submission(card, inspector):
    with pytest.raises(CardError, match="не начата"):
        card_verify(card_id=card.pk, user=inspector, version=1)
    with pytest.raises(CardError, match="не начата"):
        card_evaluate(card_id=card.pk, user=inspector, version=1)


def test_verification_score_counts_confirmed_points_only(card, principal_a, inspector):
    _submitted(card, principal_a)
    with pytest.raises(CardError) as error:
        _set_verdicts(card, inspector, {"2.4": {"verdict": "rejected"}})
    assert error.value.errors == {"2.4": {"verifier_comment": REJECT_NEEDS_COMMENT}}
    with pytest.raises(CardError, match="Не проверены заявленные баллы по критериям: 2.3, 2.4, 3.1"):
        card_verify(card_id=card.pk, user=inspector, version=_fresh(card).version)
    _set_verdicts(
        card,
        inspector,
        {
            "2.3": {"verdict": "confirmed"},
            "2.4": {"verdict": "rejected", "comment": "план не утверждён"},
            "3.1": {"verdict": "confirmed"},
        },
    )
    verified = card_verify(card_id=card.pk, user=inspector, version=_fresh(card).version)
    assert (verified.status, verified.self_score, verified.score, verified.level) == (S.VERIFIED, 3, 2, "low")
    assert CardAnswer.objects.get(card=card, criterion_code="2.4").points == 0
    assert CardAnswer.objects.get(card=card, criterion_code="3.1").points == 1
    evaluated = card_evaluate(card_id=card.pk, user=inspector, version=verified.version)
    assert evaluated.status == S.EVALUATED
    verdict_log = CardChange.objects.get(card=card, criterion_code="2.4", field="verdict")
    assert (verdict_log.old_value, verdict_log.new_value, verdict_log.user_id) == (
        "не проверено",
        "отклонено",
        inspector.pk,
    )


def test_computed_criterion_without_data_cannot_be_confirmed(card, principal_a, inspector):
    _submitted(card, principal_a, codes=["1.1"])
    with pytest.raises(CardError) as error:
        _set_verdicts(card, inspector, {"1.1": {"verdict": "confirmed"}})
    assert error.value.errors == {"1.1": {"verdict": COMPUTED_NO_DATA}}


def test_return_for_revision_reopens_mails_the_principal_and_resets_changed_verdicts(
    card, principal_a, inspector, django_capture_on_commit_callbacks
):
    principal_a.email = "director@school.example"
    principal_a.save()
    _submitted(card, principal_a)
    _set_verdicts(card, inspector, {"2.3": {"verdict": "confirmed"}, "3.1": {"verdict": "confirmed"}})
    with pytest.raises(CardError):
        card_return(card_id=card.pk, user=inspector, version=_fresh(card).version, message="  ")
    with pytest.raises(CardConflict):
        card_return(card_id=card.pk, user=inspector, version=1, message="старая вкладка")
    with django_capture_on_commit_callbacks(execute=True):
        returned = card_return(
            card_id=card.pk,
            user=inspector,
            version=_fresh(card).version,
            message="Приложите соглашение по 3.1",
            today=date(2026, 9, 28),
        )
    assert (returned.status, returned.reopened_until) == (S.RETURNED, date(2026, 10, 5))
    assert len(mail.outbox) == 1 and "Приложите соглашение по 3.1" in mail.outbox[0].body
    assert mail.outbox[0].to == ["director@school.example"]
    card_save(
        card_id=card.pk,
        user=principal_a,
        version=returned.version,
        today=date(2026, 10, 3),
        answers=[{"criterion": "3.1", "evidence": "https://docs.example/agreement.pdf"}],
    )
    answers = {a.criterion_code: a for a in CardAnswer.objects.filter(card=card)}
    assert (answers["3.1"].verdict, answers["2.3"].verdict) == ("pending", "confirmed")
    resubmitted = card_submit(
        card_id=card.pk, user=principal_a, version=_fresh(card).version, today=date(2026, 10, 5)
    )
    assert resubmitted.status == S.SUBMITTED


@pytest.mark.parametrize(
    ("confirmed", "level"),
    [(0, "low"), (10, "low"), (11, "medium"), (13, "medium"), (14, "high"), (17, "high")],
)
def test_verified_score_and_level(school_a, principal_a, inspector, confirmed, level):
    for year, mark2 in ((2024, 5), (2025, 4)):  # section 1 needs data in both years to be confirmable
        for procedure, subject, grade in RESULT_ROWS:
            result(
                school_a,
                year,
                procedure,
                subject,
                grade,
                20,
                below_min=mark2,
                mark2=mark2,
                high=mark2,
                mark5=mark2,
            )
    card = make_campaign(schools=[school_a]).cards.get()
    codes = [a.criterion_code for a in card.answers.order_by("order")]
    save_new_card(
        card,
        principal_a,
        today=BEFORE,
        answers=[
            {"criterion": c, "claimed": True, "numerator": 5, "denominator": 5, "evidence": LINK}
            for c in codes
        ],
    )
    card_submit(card_id=card.pk, user=principal_a, version=2, today=BEFORE)
    card_verdicts_set(
        card_id=card.pk,
        user=inspector,
        version=3,
        verdicts={
            c: {"verdict": "confirmed"}
            if i < confirmed
            else {"verdict": "rejected", "comment": "нет подтверждения"}
            for i, c in enumerate(codes)
        },
    )
    verified = card_verify(card_id=card.pk, user=inspector, version=4)
    assert (verified.self_score, verified.score, verified.level) == (17, confirmed, level)


def _page_save(card, user, answers):
    """The card page's save at version 1 before the deadline: keeps the valid fields, reports the others."""
    return card_save_valid_fields(card_id=card.pk, user=user, version=1, today=BEFORE, answers=answers)


def test_page_save_keeps_every_valid_field_and_reports_the_invalid_one(card, principal_a):
    saved, errors = _page_save(
        card,
        principal_a,
        [
            {"criterion": "2.3", "claimed": True, "evidence": "план.docx", "comment": "план есть"},
            {"criterion": "2.1", "numerator": "9", "denominator": "сто"},
            {"criterion": "2.4", "claimed": True, "evidence": LINK},
        ],
    )
    assert (saved.version, _fresh(card).version, _fresh(card).status) == (2, 2, S.DRAFT)
    assert errors == {
        "2.3": {"evidence": EVIDENCE_INVALID.format(link="план.docx")},
        "2.1": {"denominator": "«сто» — не целое неотрицательное число."},
    }
    answers = {a.criterion_code: a for a in CardAnswer.objects.filter(card=card)}
    assert (answers["2.3"].claimed, answers["2.3"].evidence, answers["2.3"].comment) == (
        True,
        "",
        "план есть",
    )
    assert (answers["2.1"].numerator, answers["2.1"].denominator, answers["2.1"].claimed) == (
        None,
        None,
        False,
    )
    assert (answers["2.4"].claimed, answers["2.4"].evidence) == (True, LINK)


def test_page_save_with_only_invalid_fields_writes_nothing(card, principal_a):
    answers = [{"criterion": "2.2", "numerator": "5", "denominator": "4"}]
    saved, errors = _page_save(card, principal_a, answers)
    assert errors == {"2.2": {"numerator": "Числитель (5) больше знаменателя (4)."}}
    assert (_fresh(card).version, _fresh(card).status) == (1, S.NOT_STARTED)
    assert not CardChange.objects.filter(card=card, action=CardChange.Action.SAVED).exists()


def test_page_save_of_a_stale_version_is_a_conflict_and_writes_nothing(card, principal_a):
    _claim(card, principal_a, ["2.4"])
    with pytest.raises(CardConflict):
        _page_save(card, principal_a, [{"criterion": "2.3", "comment": "вторая вкладка"}])
    assert CardAnswer.objects.get(card=card, criterion_code="2.3").comment == ""
    assert _fresh(card).version == 2
