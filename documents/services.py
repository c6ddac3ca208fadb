"""Writes of the documents app: drafts from data, edits of drafts, signing (which freezes what the order
approves), corrections and withdrawals, and uploaded templates."""

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from monitoring.models import Campaign
from monitoring.selectors import campaign_list_visible_to
from reports.public_cache import public_cache_bump
from roadmaps.models import ManagementDecision, Roadmap
from roadmaps.selectors import roadmap_list_visible_to
from schools import formatting
from schools.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from schools.models import Municipality, School
from schools.roles import is_staff_member
from schools.selectors import municipality_list_visible_to, scope_municipality_ids
from schools.versioning import version_claim

from . import rendering
from .contexts import document_context, draft_content, order_kind_for, related_item
from .docx_templates import builtin_template_bytes, template_check
from .models import SIGNED_IMMUTABLE, ApprovedSchool, CalendarEvent, DocumentKind, DocumentTemplate, Order

STAFF_ONLY = "Приказы готовят и подписывают сотрудники управления образования."
NUMBER_REQUIRED = "Укажите номер приказа: подписанный приказ без номера не регистрируется."
NOT_SIGNED_ORIGINAL = (
    "Изменить или признать утратившим силу можно только подписанный приказ; приказ {reference} — проект, "
    "его можно исправить напрямую."
)
ALREADY_WITHDRAWN = "Приказ {reference} уже признан утратившим силу приказом {by}."
WITHDRAWAL_EMPTY = "Приказ о признании утратившим силу не утверждает списков."
DECISION_LINE = "Решение {n}: {problem}."
REQUISITE_DEFAULTS = (
    "place",
    "signatory_position",
    "signatory_name",
    "control_person",
    "executor_name",
    "executor_phone",
)
EDITABLE_FIELDS = ("number", "date", "title", "preamble", *REQUISITE_DEFAULTS)


def _require_staff(user: User | None) -> None:
    if user is not None and not is_staff_member(user):
        raise NotAllowed(STAFF_ONLY)


def _refuse_signed(order: Order) -> None:
    if order.is_signed:
        raise Conflict(SIGNED_IMMUTABLE.format(number=order.number, date=formatting.date(order.date)))


# --- templates -------------------------------------------------------------------------------------


def builtin_template(kind: str) -> DocumentTemplate:
    """The built-in template of a kind, drawn and stored the first time it is needed (or at seed)."""
    template = DocumentTemplate.objects.filter(kind=kind, is_builtin=True).first()
    if template is None:
        template = DocumentTemplate.objects.create(
            kind=kind,
            title=f"Встроенный шаблон: {DocumentKind(kind).label}",
            content=builtin_template_bytes(kind),
            file_name=f"{kind}.docx",
            is_builtin=True,
        )
    return template


def template_active(kind: str) -> DocumentTemplate:
    """The template a new draft of `kind` uses: the latest uploaded active one, else the built-in."""
    uploaded = DocumentTemplate.objects.filter(kind=kind, is_builtin=False, is_active=True)
    return uploaded.order_by("-created_at", "-pk").first() or builtin_template(kind)


@transaction.atomic
def template_upload(
    *, kind: str, content: bytes, file_name: str, title: str, user: User | None
) -> DocumentTemplate:
    """Check and store a staff template; it replaces the previous uploaded one of its kind for new drafts."""
    _require_staff(user)
    template_check(kind=kind, content=content, file_name=file_name)
    DocumentTemplate.objects.filter(kind=kind, is_builtin=False, is_active=True).update(is_active=False)
    return DocumentTemplate.objects.create(
        kind=kind, title=title or file_name, content=content, file_name=file_name, uploaded_by=user
    )


# --- drafts ----------------------------------------------------------------------------------------


def _requisite_defaults() -> dict[str, str]:
    """Place, signatory, executor as on the department's last order: typed once, then offered again."""
    last = Order.objects.order_by("-created_at", "-pk").values(*REQUISITE_DEFAULTS).first()
    return last or {}


MUNICIPALITY_NOT_FOUND = "Муниципалитет не найден."
MUNICIPALITY_REQUIRED = (
    "Выберите муниципалитет: документ составляется по школам одного из ваших муниципалитетов."
)
NOT_VISIBLE = "{what} не найден(а) среди доступных вам."


def _municipality_for(user: User | None, municipality: Municipality | None) -> Municipality | None:
    """The municipality a new document is about: one the user sees; a user who does not see every
    municipality must have one (their only one is taken by itself)."""
    if user is None:
        return municipality
    visible = municipality_list_visible_to(user=user)
    if municipality is not None:
        if not visible.filter(pk=municipality.pk).exists():
            raise NotFound(MUNICIPALITY_NOT_FOUND, field="municipality")
        return municipality
    ids = scope_municipality_ids(user)
    if ids is None:
        return None  # sees them all: a document for the whole installation
    if len(ids) == 1:
        return Municipality.objects.get(pk=ids[0])
    raise ValidationFailed(MUNICIPALITY_REQUIRED, field="municipality")


def _sources_check(user: User | None, campaign: Campaign | None, roadmap: Roadmap | None) -> None:
    if user is None:
        return
    if campaign is not None and not campaign_list_visible_to(user=user).filter(pk=campaign.pk).exists():
        raise NotFound(NOT_VISIBLE.format(what="Мониторинг"), field="campaign")
    if roadmap is not None and not roadmap_list_visible_to(user=user).filter(pk=roadmap.pk).exists():
        raise NotFound(NOT_VISIBLE.format(what="Дорожная карта"), field="roadmap")


def _render_docx(order: Order) -> None:
    content = rendering.render_docx(template=order.template, context=document_context(order))
    order.docx.save(f"{order.document_kind}.docx", ContentFile(content), save=False)


@transaction.atomic
def order_draft_create(
    *,
    user: User | None,
    document_kind: str,
    year: int,
    date: datetime.date | None = None,
    campaign: Campaign | None = None,
    roadmap: Roadmap | None = None,
    procedure: str = "",
    params: dict | None = None,
    number: str = "",
    municipality: Municipality | None = None,
    **requisites: Any,
) -> Order:
    """A draft of `document_kind` drawn from the data as it is now (its DOCX is rendered at once)."""
    _require_staff(user)
    municipality = _municipality_for(user, municipality)
    _sources_check(user, campaign, roadmap)
    order = Order(
        document_kind=document_kind,
        kind=order_kind_for(document_kind),
        year=year,
        date=date or timezone.localdate(),
        number=number,
        campaign=campaign,
        roadmap=roadmap,
        procedure=procedure,
        params=params or {},
        municipality=municipality,
        template=template_active(document_kind),
        created_by=user,
        **{**_requisite_defaults(), **{k: v for k, v in requisites.items() if v}},
    )
    order.data = _content_now(order)
    order.title, order.preamble = order.data["title"], order.data.get("preamble", "")
    order.full_clean(exclude=["docx", "pdf", "version"])
    _render_docx(order)
    order.save()
    return order


@transaction.atomic
def order_update(*, order: Order, user: User | None, version: int | None = None, **fields: Any) -> Order:
    """Change the requisites of a draft (number, date, title, preamble, signatory…); signed: refused."""
    _require_staff(user)
    _refuse_signed(order)
    version_claim(order, version=version)
    for name, value in fields.items():
        if name in EDITABLE_FIELDS:
            setattr(order, name, value)
    order.full_clean(exclude=["docx", "pdf", "version"])
    _render_docx(order)
    order.save()
    return order


def _content_now(order: Order) -> dict:
    """The content of `order` drawn again, with its own kind and parameters, from the data as it is now."""
    return draft_content(
        order.document_kind,
        year=order.year,
        campaign=order.campaign,
        roadmap=order.roadmap,
        procedure=order.procedure,
        params=order.params,
        municipality=order.municipality,
    )


@transaction.atomic
def order_refresh(*, order: Order, user: User | None, version: int | None = None) -> Order:
    """Draw a draft's content again from the data as it is now (after a new computation, say)."""
    _require_staff(user)
    _refuse_signed(order)
    version_claim(order, version=version)
    if order.relation == Order.Relation.WITHDRAWS:
        return order
    order.data = _with_relation_item(order, _content_now(order))
    _render_docx(order)
    order.save()
    return order


def _with_relation_item(order: Order, content: dict) -> dict:
    item = related_item(order)
    if item is None:
        return content
    items = [item] + [{**i, "number": str(n)} for n, i in enumerate(content.get("items", []), start=2)]
    return {**content, "items": items}


# --- signing ---------------------------------------------------------------------------------------


def _freeze_lists(order: Order) -> int:
    """The approved ШНОР/ШНСУ lists are the rows of the signed document, kept as they are."""
    rows = [
        (appendix["list_kind"], row)
        for appendix in order.data.get("appendices", [])
        if appendix.get("list_kind")
        for row in appendix["rows"]
    ]
    existing = set(
        School.objects.filter(pk__in={row["school_id"] for _, row in rows}).values_list("pk", flat=True)
    )
    approved = [
        ApprovedSchool(
            order=order,
            list_kind=kind,
            school_id=row["school_id"],
            school_name=row["school"],
            grounds=row["grounds"],
        )
        for kind, row in rows
        if row["school_id"] in existing
    ]
    ApprovedSchool.objects.bulk_create(approved)
    return len(approved)


def _protocol_decisions(order: Order, user: User | None) -> int:
    """A signed protocol's decisions become management decisions with responsible and terms."""
    decisions = [
        ManagementDecision(
            kind=decision.get("kind") or ManagementDecision.Kind.OTHER,
            title=decision["text"][:500],
            year=order.year,
            document_number=f"протокол № {order.number}",
            document_date=order.date,
            responsible=decision.get("responsible", "")[:255],
            deadline=datetime.date.fromisoformat(decision["deadline"]) if decision.get("deadline") else None,
            notes=f"Решение {n} протокола {order.reference}.",
            created_by=user,
        )
        for n, decision in enumerate(order.params.get("decisions", []), start=1)
    ]
    ManagementDecision.objects.bulk_create(decisions)
    return len(decisions)


@transaction.atomic
def order_sign(
    *,
    order: Order,
    user: User | None,
    number: str = "",
    date: datetime.date | None = None,
    version: int | None = None,
) -> Order:
    """Register the order as signed: its number and date are final, its DOCX and PDF are kept, a `lists`
    order freezes the approved lists, a protocol's decisions become management decisions. Afterwards
    the order never changes."""
    _require_staff(user)
    _refuse_signed(order)
    version_claim(order, version=version)
    order.number = (number or order.number).strip()
    order.date = date or order.date
    if not order.number:
        raise ValidationFailed(NUMBER_REQUIRED, field="number")
    order.status = Order.Status.SIGNED
    order.signed_at = timezone.now()
    order.signed_by = user
    context = document_context(order)
    order.docx.save(
        f"{order.document_kind}.docx",
        ContentFile(rendering.render_docx(template=order.template, context=context)),
        save=False,
    )
    order.pdf.save(
        f"{order.document_kind}.pdf",
        ContentFile(rendering.render_pdf_bytes(kind=order.document_kind, context=context)),
        save=False,
    )
    order.save()
    if order.document_kind == DocumentKind.LISTS and order.relation != Order.Relation.WITHDRAWS:
        _freeze_lists(order)
    if order.document_kind == DocumentKind.PROTOCOL:
        _protocol_decisions(order, user)
    if order.document_kind == DocumentKind.LISTS:
        public_cache_bump()  # the public tab names the order that approved the lists
    return order


# --- corrections and withdrawals -------------------------------------------------------------------


def _follow_up_check(original: Order) -> None:
    if not original.is_signed:
        raise ValidationFailed(NOT_SIGNED_ORIGINAL.format(reference=original.reference))
    withdrawal = original.followers.filter(
        relation=Order.Relation.WITHDRAWS, status=Order.Status.SIGNED
    ).first()
    if withdrawal is not None:
        raise ValidationFailed(
            ALREADY_WITHDRAWN.format(reference=original.reference, by=withdrawal.reference)
        )


@transaction.atomic
def order_correction_create(*, original: Order, user: User | None) -> Order:
    """A draft «О внесении изменений в приказ …» of the same kind, drawn from the data as it is now."""
    _require_staff(user)
    _follow_up_check(original)
    content = _content_now(original)
    order = Order(
        document_kind=original.document_kind,
        kind=original.kind,
        year=original.year,
        date=timezone.localdate(),
        title=f"О внесении изменений в приказ {original.reference}",
        preamble=content.get("preamble", ""),
        campaign=original.campaign,
        roadmap=original.roadmap,
        procedure=original.procedure,
        params=original.params,
        municipality=original.municipality,
        relation=Order.Relation.AMENDS,
        related_order=original,
        template=template_active(original.document_kind),
        created_by=user,
        **{name: getattr(original, name) for name in REQUISITE_DEFAULTS},
    )
    order.data = _with_relation_item(order, content)
    _render_docx(order)
    order.save()
    return order


@transaction.atomic
def order_withdrawal_create(*, original: Order, user: User | None) -> Order:
    """A draft «О признании утратившим силу приказа …»: one item, no appendices."""
    _require_staff(user)
    _follow_up_check(original)
    order = Order(
        document_kind=original.document_kind,
        kind=Order.Kind.OTHER,
        year=original.year,
        date=timezone.localdate(),
        title=f"О признании утратившим силу приказа {original.reference}",
        preamble="В связи с изменением обстоятельств, послуживших основанием для издания приказа,",
        municipality=original.municipality,
        relation=Order.Relation.WITHDRAWS,
        related_order=original,
        template=template_active(DocumentKind.LISTS),
        created_by=user,
        **{name: getattr(original, name) for name in REQUISITE_DEFAULTS},
    )
    order.data = {
        "heading": "ПРИКАЗ",
        "title": order.title,
        "items": [related_item(order)],
        "appendices": [],
        "summary": [],
        "year_label": formatting.school_year(original.year),
    }
    _render_docx(order)
    order.save()
    return order


# --- protocol input --------------------------------------------------------------------------------


def protocol_decisions_parse(text: str) -> list[dict]:
    """Lines «решение; ответственный; срок дд.мм.гггг» into decisions; a bad line is named."""
    decisions = []
    for n, line in enumerate((line.strip() for line in text.splitlines() if line.strip()), start=1):
        parts = [part.strip() for part in line.split(";")]
        if len(parts) != 3 or not parts[0]:
            raise ValidationFailed(
                DECISION_LINE.format(
                    n=n, problem=f"«{line}» — нужно «решение; ответственный; срок дд.мм.гггг»"
                ),
                field="decisions",
            )
        try:
            day, month, year = parts[2].split(".") if parts[2] else ("", "", "")
            deadline = datetime.date(int(year), int(month), int(day)) if parts[2] else None
        except ValueError:
            raise ValidationFailed(
                DECISION_LINE.format(n=n, problem=f"срок «{parts[2]}» не дата дд.мм.гггг"), field="decisions"
            )
        decisions.append(
            {"text": parts[0], "responsible": parts[1], "deadline": deadline.isoformat() if deadline else ""}
        )
    return decisions


def protocol_params(
    *,
    meeting: str,
    chair: str,
    secretary: str,
    attendees: str,
    agenda: str,
    decisions: str,
    decision_kind: str,
) -> dict:
    """The protocol's own input, checked: at least one decision; each line of the decisions parsed."""
    parsed = protocol_decisions_parse(decisions)
    if not parsed:
        raise ValidationFailed(
            "В протоколе нет ни одного решения: впишите решения по строкам.", field="decisions"
        )
    kind = decision_kind or ManagementDecision.Kind.OTHER
    return {
        "meeting": meeting,
        "chair": chair,
        "secretary": secretary,
        "attendees": attendees,
        "agenda": [line.strip() for line in agenda.splitlines() if line.strip()],
        "decisions": [{**decision, "kind": kind} for decision in parsed],
    }


@transaction.atomic
def calendar_event_create(*, user: User | None, **fields: Any) -> CalendarEvent:
    """A dated event of the circulogram (a procedure's dates, a meeting); staff only, checked by the model."""
    _require_staff(user)
    event = CalendarEvent(**fields)
    event.full_clean()
    event.save()
    return event
