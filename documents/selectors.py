"""Reads of the documents app: the orders a user may see, the order that approved a year's lists, and how
the lists computed now differ from the approved ones."""

from django.contrib.auth.models import User
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from indicators import selectors as indicator_selectors
from schools import formatting
from schools.models import Municipality, School
from schools.panels import ApprovalSummary, ListApproval
from schools.roles import is_staff_member
from schools.selectors import municipality_list_visible_to

from .contexts import list_grounds
from .models import ApprovedSchool, CalendarEvent, DocumentKind, DocumentTemplate, Order

LISTS = {"low_results": "ШНОР", "unfavourable": "ШНСУ"}


def _municipality_scope(user: User, orders: QuerySet[Order]) -> QuerySet[Order]:
    """Orders of the user's municipalities and the ones bound to none (the whole installation)."""
    visible = municipality_list_visible_to(user=user).values("pk")
    return orders.filter(Q(municipality__isnull=True) | Q(municipality__in=visible))


def order_list_visible_to(*, user: User) -> QuerySet[Order]:
    """Staff see the orders of their municipalities; nobody else sees drafts or the register."""
    if not is_staff_member(user):
        return Order.objects.none()
    orders = Order.objects.select_related(
        "municipality", "related_order", "campaign", "roadmap", "created_by"
    )
    return _municipality_scope(user, orders)


def order_get_visible(*, user: User, pk: int) -> Order:
    try:
        return order_list_visible_to(user=user).get(pk=pk)
    except Order.DoesNotExist:
        raise Http404("Приказ не найден")


def order_list_filtered(
    *, user: User, search: str = "", kind: str = "", status: str = "", year: int | None = None
) -> QuerySet[Order]:
    orders = order_list_visible_to(user=user)
    if search:
        orders = orders.filter(Q(number__icontains=search) | Q(title__icontains=search))
    if kind in DocumentKind.values:
        orders = orders.filter(document_kind=kind)
    if status in Order.Status.values:
        orders = orders.filter(status=status)
    if year:
        orders = orders.filter(year=year)
    return orders


def order_years() -> list[int]:
    return sorted(set(Order.objects.values_list("year", flat=True)), reverse=True)


def template_list() -> QuerySet[DocumentTemplate]:
    return DocumentTemplate.objects.defer("content").select_related("uploaded_by")


def _withdrawn() -> Exists:
    return Exists(
        Order.objects.filter(
            related_order=OuterRef("pk"), relation=Order.Relation.WITHDRAWS, status=Order.Status.SIGNED
        )
    )


def orders_in_force(orders: QuerySet[Order]) -> QuerySet[Order]:
    return orders.filter(status=Order.Status.SIGNED).exclude(_withdrawn())


def approving_order(*, year: int, municipality_id: int | None = None) -> Order | None:
    """The signed `lists` order in force for `year` and one municipality (None: an order for the whole
    installation): the latest one (a correction supersedes the order it amends) not withdrawn."""
    orders = Order.objects.filter(
        document_kind=DocumentKind.LISTS, year=year, municipality_id=municipality_id
    ).exclude(relation=Order.Relation.WITHDRAWS)
    return orders_in_force(orders).order_by("-date", "-signed_at", "-pk").first()


def approved_members(*, order: Order) -> dict[str, set[int]]:
    members: dict[str, set[int]] = {kind: set() for kind in LISTS}
    for list_kind, school_id in order.approved.values_list("list_kind", "school_id"):
        members[list_kind].add(school_id)
    return members


def approval_text(order: Order) -> str:
    return f"Списки утверждены приказом {order.reference} «{order.title}»"


def list_approval(year: int, municipality: str = "") -> ListApproval | None:
    """The registered source of schools.panels.list_approval (municipality: its code, "" for none)."""
    municipality_id = None
    if municipality:
        municipality_id = Municipality.objects.filter(code=municipality).values_list("pk", flat=True).first()
        if municipality_id is None:
            return None
    order = approving_order(year=year, municipality_id=municipality_id)
    if order is None and municipality_id is not None:
        order = approving_order(year=year)  # an order for the whole installation covers it too
    if order is None:
        return None
    return ListApproval(
        text=approval_text(order),
        url=reverse("documents:order-detail", args=[order.pk]),
        members=approved_members(order=order),
    )


def approval_summaries() -> list[ApprovalSummary]:
    """The registered summary source of schools.panels: for each year and place (a municipality or the
    whole installation) the signed `lists` order in force (as approving_order picks it) with the counts
    of schools it approved — one query whatever the number of years and municipalities."""
    orders = (
        orders_in_force(
            Order.objects.filter(document_kind=DocumentKind.LISTS).exclude(relation=Order.Relation.WITHDRAWS)
        )
        .select_related("municipality")
        .annotate(
            low_results=Count("approved", filter=Q(approved__list_kind=ApprovedSchool.List.LOW_RESULTS)),
            unfavourable=Count("approved", filter=Q(approved__list_kind=ApprovedSchool.List.UNFAVOURABLE)),
        )
        .order_by("year", "municipality_id", "-date", "-signed_at", "-pk")
    )
    latest: dict[tuple[int, int | None], ApprovalSummary] = {}
    for order in orders:
        key = (order.year, order.municipality_id)
        if key not in latest:
            latest[key] = ApprovalSummary(
                year=order.year,
                municipality=order.municipality.name if order.municipality_id else "",
                text=approval_text(order),
                low_results=order.low_results,
                unfavourable=order.unfavourable,
            )
    return list(latest.values())


def list_difference(*, year: int, municipality_id: int | None = None) -> dict | None:
    """How the lists computed now differ from the approved ones: per list, the schools that would enter
    (with the grounds) and those that would leave (with why). None when no signed order approved the
    year. Reading only: the approved lists never change."""
    order = approving_order(year=year, municipality_id=municipality_id)
    if order is None:
        return None
    code = order.municipality.code if order.municipality_id else ""
    approved = {(row.list_kind, row.school_id): row for row in ApprovedSchool.objects.filter(order=order)}
    current = indicator_selectors.effective_members(year=year, municipality=code)
    statuses = {s.school_id: s for s in indicator_selectors.status_list(year=year, municipality=code)}
    run = indicator_selectors.latest_run(year=year)
    years_needed = int((run.rules_snapshot or {}).get("n", 2)) if run else 2
    ids = set().union(*current.values()) | {school_id for _, school_id in approved}
    schools = {s.pk: s for s in School.objects.filter(pk__in=ids)}
    lists: dict[str, dict] = {}
    for kind, title in LISTS.items():
        approved_ids = {school_id for list_kind, school_id in approved if list_kind == kind}
        entered = sorted(current[kind] - approved_ids, key=lambda pk: schools[pk].code)
        left = sorted(approved_ids - current[kind], key=lambda pk: schools[pk].code)
        lists[kind] = {
            "title": title,
            "approved": len(approved_ids),
            "computed": len(current[kind]),
            "entered": [
                {"school": schools[pk], "why": list_grounds(statuses.get(pk), kind, years_needed)}
                for pk in entered
            ],
            "left": [{"school": schools[pk], "why": _left_reason(statuses.get(pk), kind)} for pk in left],
        }
    changed = any(block["entered"] or block["left"] for block in lists.values())
    return {"order": order, "lists": lists, "changed": changed}


def _left_reason(status, kind: str) -> str:
    if status is None:
        return "нет расчёта за год (нет контекста школы)"
    override = getattr(status, f"{kind}_override", None)
    if override is not None and override.effective is False:
        return f"исключена решением инспектора: {override.reason}"
    if kind == "low_results":
        if status.rank_in_cluster is None:
            return "нет места в кластере (нет индекса результатов или кластер из одной школы)"
        return (
            f"по расчёту не входит: место {status.rank_in_cluster} из {status.cluster_size} в кластере, "
            f"индекс результатов {formatting.number(status.results_index, 1)}"
        )
    if status.social_rank is None:
        return "нет индекса социального благополучия"
    return (
        f"по расчёту не входит: место {status.social_rank} из {status.social_population} по индексу "
        f"социального благополучия {formatting.number(status.social_index, 1)}"
    )


def document_years() -> list[int]:
    """Years a document can be drawn for: computed, with results, or with a campaign."""
    from monitoring.models import Campaign

    years = set(indicator_selectors.computed_years()) | set(indicator_selectors.result_years())
    years |= set(Campaign.objects.values_list("year", flat=True))
    return sorted(years, reverse=True)


def calendar_event_list(*, year: int | None = None) -> QuerySet[CalendarEvent]:
    events = CalendarEvent.objects.all()
    return events.filter(year=year) if year else events
