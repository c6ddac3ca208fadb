"""Writes of the schools app: imports of the schools and context files (DESIGN §4.2), principals."""

from collections.abc import Iterable

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from .errors import ValidationFailed
from .importing import ImportSummary, ImportUpload, require_no_errors, rows_save_with_history
from .models import Municipality, Region, School, SchoolContext, unique_municipality_codes
from .provenance import context_sources
from .roles import ADMINISTRATOR, INSPECTOR, PRINCIPAL, REGIONAL
from .tabular import Column, RowError, parse_academic_year, parse_bool, parse_count, parse_flag, read_table
from .validators import school_code_problem

SETTLEMENT_WORDS = {
    "город": School.Settlement.TOWN,
    "село": School.Settlement.VILLAGE,
    "г": School.Settlement.TOWN,
    "с": School.Settlement.VILLAGE,
    "городская": School.Settlement.TOWN,
    "сельская": School.Settlement.VILLAGE,
}

SCHOOL_COLUMNS = [
    Column("code", "Код ОО", required=True),
    Column("name", "Наименование", required=True),
    Column("short_name", "Краткое наименование"),
    Column("municipality", "Муниципалитет", required=True),
    Column("settlement", "Тип поселения (город/село)", required=True, aliases=("Тип поселения",)),
    Column("address", "Адрес"),
    Column("website", "Сайт"),
    Column("is_small", "Малокомплектная", parse_flag),
    Column("is_remote", "Удалённая", parse_flag),
    Column("infrastructure_deficit", "Дефицит инфраструктуры", parse_flag),
    Column("staff_shortage", "Некомплект кадров", parse_flag),
]

CONTEXT_COUNT_COLUMNS = [
    ("students", "Обучающихся"),
    ("teachers", "Педагогов"),
    ("police_registered", "На учёте ОДН/КДН"),
    ("migrants", "Мигранты или низкое владение русским"),
    ("not_attested", "Неаттестованные"),
    ("absentees", "Систематические пропуски"),
    ("special_needs", "ЗПР/ОВЗ (ПМПК)"),
    ("teachers_diagnosed", "Учителей прошли диагностику дефицитов"),
    ("teachers_pd_request", "Учителей прошли КПК по запросу"),
    ("teachers_pd_risk", "Учителей прошли КПК по работе с детьми с риском неуспешности"),
]
STUDENT_PARTS = ("police_registered", "migrants", "not_attested", "absentees", "special_needs")
TEACHER_PARTS = ("teachers_diagnosed", "teachers_pd_request", "teachers_pd_risk")

CONTEXT_COLUMNS = [
    Column("code", "Код ОО", required=True),
    Column("year", "Учебный год", parse_academic_year, required=True),
    *[Column(key, header, parse_count) for key, header in CONTEXT_COUNT_COLUMNS],
    Column("accreditation_suspended", "Лишение или приостановление аккредитации", parse_bool),
    # Optional (DESIGN §8): absent columns and empty cells are "no data".
    Column("medal_candidates", "Претендентов на медаль", parse_count),
    Column("medal_candidates_unconfirmed", "Претендентов на медаль, не выполнивших условия ЕГЭ", parse_count),
]
MEDAL_FIELDS = ("medal_candidates", "medal_candidates_unconfirmed")
HEADERS = {c.key: c.header for c in SCHOOL_COLUMNS + CONTEXT_COLUMNS}

UNKNOWN_SCHOOL = "нет школы с таким кодом в реестре ОО: сначала импортируйте файл школ"
DUPLICATE_KEY = "повторяет строку {row} этого файла"
REQUIRED_VALUE = "обязательное значение не заполнено"
BAD_SETTLEMENT = "ожидается «город» или «село»"
PART_TOO_LARGE = "больше, чем «{whole}» ({total})"
BAD_WEBSITE = "адрес сайта должен начинаться с http:// или https://"


def _unreadable_cells(table) -> set[tuple[int, str]]:
    """(row, column) of cells that already have a parse error, so they are not also reported as empty."""
    return {(e.row, e.column) for e in table.errors}


def _require(errors, row, values, *keys, unreadable=frozenset()) -> None:
    for key in keys:
        if values.get(key) in (None, "") and (row, HEADERS[key]) not in unreadable:
            errors.append(RowError(row, HEADERS[key], REQUIRED_VALUE))


def _clean_school_row(row: int, values: dict, errors: list[RowError], unreadable) -> None:
    _require(errors, row, values, "code", "name", "municipality", "settlement", unreadable=unreadable)
    if values.get("code") and (problem := school_code_problem(values["code"])):
        errors.append(RowError(row, HEADERS["code"], problem, values["code"]))
    settlement = (values.get("settlement") or "").strip().casefold().rstrip(".")
    if values.get("settlement"):
        if settlement not in SETTLEMENT_WORDS:
            errors.append(RowError(row, HEADERS["settlement"], BAD_SETTLEMENT, values["settlement"]))
        values["settlement"] = SETTLEMENT_WORDS.get(settlement)
    website = values.get("website") or ""
    if website and not website.lower().startswith(("http://", "https://")):
        if "." in website and " " not in website:
            values["website"] = "https://" + website
        else:
            errors.append(RowError(row, HEADERS["website"], BAD_WEBSITE, website))


def _first_rows_by_key(rows, key_of, errors, header):
    seen: dict = {}
    for row, values in rows:
        key = key_of(values)
        if key is None or None in (key if isinstance(key, tuple) else (key,)):
            continue
        if key in seen:
            errors.append(
                RowError(
                    row,
                    header,
                    DUPLICATE_KEY.format(row=seen[key]),
                    str(key[0] if isinstance(key, tuple) else key),
                )
            )
        else:
            seen[key] = row
    return seen


@transaction.atomic
def schools_import(*, upload: ImportUpload) -> ImportSummary:
    table = read_table(upload.file, SCHOOL_COLUMNS)
    errors = list(table.errors)
    unreadable = _unreadable_cells(table)
    for row, values in table.rows:
        _clean_school_row(row, values, errors, unreadable)
    _first_rows_by_key(table.rows, lambda v: v.get("code"), errors, "Код ОО")
    require_no_errors(errors)

    existing = School.objects.in_bulk([v["code"] for _, v in table.rows], field_name="code")
    summary = upload.summary_counted(
        rows=len(table.rows),
        updated=sum(1 for _, v in table.rows if v["code"] in existing),
    )
    if upload.dry_run:
        return summary

    batch = upload.batch_create(rows=summary.rows)
    municipalities = _municipalities_by_name({v["municipality"] for _, v in table.rows})
    fields = [c.key for c in SCHOOL_COLUMNS if c.key not in ("code", "municipality")]
    records: list[School] = []
    for _, values in table.rows:
        school = existing.get(values["code"]) or School(code=values["code"])
        for name in fields:
            setattr(
                school,
                name,
                values.get(name)
                or ("" if name in ("short_name", "address", "website") else values.get(name)),
            )
        school.municipality = municipalities[values["municipality"]]
        school.import_batch = batch
        records.append(school)
    rows_save_with_history(
        model=School,
        records=records,
        fields=[*fields, "municipality", "import_batch"],
        batch=batch,
        summary=summary,
    )
    return summary


def _municipalities_by_name(names: set[str]) -> dict[str, Municipality]:
    known = {m.name: m for m in Municipality.objects.filter(name__in=names)}
    new_names = sorted(names - set(known))
    codes = unique_municipality_codes(new_names)
    region = Region.objects.first()  # one region per installation (DESIGN §6); None for a single municipality
    missing = [Municipality(name=name, code=codes[name], region=region) for name in new_names]
    if missing:
        bulk_create_with_history(missing, Municipality)
        known.update({m.name: m for m in Municipality.objects.filter(name__in=[m.name for m in missing])})
    return known


def _clean_context_row(row: int, values: dict, school_ids: dict, errors: list[RowError], unreadable) -> None:
    _require(errors, row, values, "code", "year", unreadable=unreadable)
    if values.get("code") and values["code"] not in school_ids:
        errors.append(RowError(row, HEADERS["code"], UNKNOWN_SCHOOL, values["code"]))
    for whole, parts in (
        ("students", STUDENT_PARTS),
        ("teachers", TEACHER_PARTS),
        ("medal_candidates", ("medal_candidates_unconfirmed",)),
    ):
        total = values.get(whole)
        if total is None:
            continue
        for part in parts:
            if values.get(part) is not None and values[part] > total:
                errors.append(
                    RowError(
                        row,
                        HEADERS[part],
                        PART_TOO_LARGE.format(whole=HEADERS[whole], total=total),
                        str(values[part]),
                    )
                )


@transaction.atomic
def contexts_import(*, upload: ImportUpload) -> ImportSummary:
    table = read_table(upload.file, CONTEXT_COLUMNS)
    errors = list(table.errors)
    codes = {v["code"] for _, v in table.rows if v.get("code")}
    school_ids = dict(School.objects.filter(code__in=codes).values_list("code", "pk"))
    unreadable = _unreadable_cells(table)
    for row, values in table.rows:
        _clean_context_row(row, values, school_ids, errors, unreadable)
    _first_rows_by_key(table.rows, lambda v: (v.get("code"), v.get("year")), errors, "Код ОО")
    require_no_errors(errors)

    existing = {
        (c.school_id, c.year): c
        for c in SchoolContext.objects.filter(
            school_id__in=school_ids.values(), year__in={v["year"] for _, v in table.rows}
        )
    }
    keys = [(school_ids[v["code"]], v["year"]) for _, v in table.rows]
    summary = upload.summary_counted(
        rows=len(table.rows),
        updated=sum(1 for k in keys if k in existing),
    )
    differences = _keep_verified_values(table.rows, keys, existing)
    if differences:
        summary.extra["differences"] = differences
    if upload.dry_run:
        return summary

    batch = upload.batch_create(rows=summary.rows)
    fields = [key for key, _ in CONTEXT_COUNT_COLUMNS] + ["accreditation_suspended", *MEDAL_FIELDS]
    records: list[SchoolContext] = []
    for key, (_, values) in zip(keys, table.rows, strict=True):
        context = existing.get(key) or SchoolContext(school_id=key[0], year=key[1])
        for name in fields:
            setattr(context, name, values.get(name))
        context.import_batch = batch
        records.append(context)
    rows_save_with_history(
        model=SchoolContext,
        records=records,
        fields=[*fields, "import_batch"],
        batch=batch,
        summary=summary,
    )
    return summary


def _shown(value) -> str:
    return ("да" if value else "нет") if isinstance(value, bool) else str(value)


def _keep_verified_values(rows, keys, existing) -> list[dict]:
    """Values another source established (a verified social-monitoring card, schools.provenance) win over
    the file: such a field keeps its value, and every place where the file differs is listed."""
    sources = context_sources(key for key in keys if key in existing)
    differences = []
    for key, (row, values) in zip(keys, rows, strict=True):
        source = sources.get(key)
        if source is None:
            continue
        context = existing[key]
        for name, kept in source["values"].items():
            if getattr(context, name) != kept:
                continue  # changed since by hand or by a later import: the file may change it
            if values.get(name) is not None and values[name] != kept:
                differences.append(
                    {
                        "row": row,
                        "code": values["code"],
                        "column": HEADERS[name],
                        "file": _shown(values[name]),
                        "kept": _shown(kept),
                        "source": source["label"],
                    }
                )
            values[name] = kept
    return differences


# --- users: one place for creating a user with a role and scope (admin form and `portal_user`) ---------

ROLE_GROUPS = {"admin": ADMINISTRATOR, "regional": REGIONAL, "inspector": INSPECTOR, "principal": PRINCIPAL}
ROLE_CHOICES = [
    ("principal", PRINCIPAL),
    ("inspector", INSPECTOR),
    ("regional", REGIONAL),
    ("admin", ADMINISTRATOR),
]
ROLE_UNKNOWN = "Роль «{role}» неизвестна: admin, regional, inspector или principal."
MUNICIPALITY_UNKNOWN = "Муниципалитета с кодом «{code}» нет (коды: {known})."
MUNICIPALITY_ONLY_FOR_INSPECTOR = "Муниципалитеты указывают только для роли «Инспектор»."
MUNICIPALITY_REQUIRED = (
    "Для инспектора укажите муниципалитеты (--municipality КОД …): в портале их несколько, "
    "а инспектор видит только свои."
)
SCHOOL_REQUIRED = "Для руководителя ОО укажите школу (код ОО)."
SCHOOL_UNKNOWN = "Школы с кодом «{code}» нет в реестре."
SCHOOL_ONLY_FOR_PRINCIPAL = "Школу указывают только для роли «Руководитель ОО»."
USERNAME_EMPTY = "Укажите имя пользователя."
INVITE_NEEDS_EMAIL = "Чтобы отправить приглашение, укажите адрес электронной почты."
INVITE_SUBJECT = "Приглашение в портал управления качеством образования"


class UserError(ValidationFailed):
    """A refused user change; `field` names the form field the Russian message belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message, field=field)


def user_scope_clean(
    *, role: str, school_code: str | None, municipality_codes: Iterable[str] = ()
) -> tuple[str, School | None, list[Municipality]]:
    """The group of `role`, the school of a principal and the municipalities of an inspector (DESIGN §6);
    UserError in Russian otherwise. Reads only."""
    if role not in ROLE_GROUPS:
        raise UserError(ROLE_UNKNOWN.format(role=role), "role")
    school_code = (school_code or "").strip()
    codes = [code.strip() for code in municipality_codes if code and code.strip()]
    if codes and role != "inspector":
        raise UserError(MUNICIPALITY_ONLY_FOR_INSPECTOR, "municipalities")
    municipalities = list(Municipality.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {m.code for m in municipalities})
    if unknown:
        known = ", ".join(Municipality.objects.order_by("code").values_list("code", flat=True)) or "нет"
        raise UserError(MUNICIPALITY_UNKNOWN.format(code=", ".join(unknown), known=known), "municipalities")
    if role == "inspector" and not codes and Municipality.objects.count() > 1:
        raise UserError(MUNICIPALITY_REQUIRED, "municipalities")
    if role != "principal":
        if school_code:
            raise UserError(SCHOOL_ONLY_FOR_PRINCIPAL, "school")
        return ROLE_GROUPS[role], None, municipalities
    if not school_code:
        raise UserError(SCHOOL_REQUIRED, "school")
    school = School.objects.filter(code=school_code).first()
    if school is None:
        raise UserError(SCHOOL_UNKNOWN.format(code=school_code), "school")
    return ROLE_GROUPS[role], school, []


@transaction.atomic
def user_create_or_update(
    *,
    username: str,
    role: str,
    school_code: str | None = None,
    municipality_codes: Iterable[str] = (),
    password: str | None = None,
    email: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
):
    """Create or update a user with exactly one portal role and its scope (a principal's school, an
    inspector's municipalities).
    Returns (user, created). A new user without a password cannot log in until they set one
    (see `user_invite`). An administrator is a Django superuser (the admin site needs it)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from .models import Profile

    username = (username or "").strip()
    if not username:
        raise UserError(USERNAME_EMPTY, "username")
    group_name, school, municipalities = user_scope_clean(
        role=role, school_code=school_code, municipality_codes=municipality_codes
    )
    user, created = get_user_model().objects.get_or_create(username=username)
    for field, value in (("email", email), ("first_name", first_name), ("last_name", last_name)):
        if value is not None:
            setattr(user, field, value.strip())
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.is_staff = user.is_superuser = role == "admin"
    user.save()
    user.groups.remove(*Group.objects.filter(name__in=ROLE_GROUPS.values()))
    user.groups.add(Group.objects.get_or_create(name=group_name)[0])
    profile, _ = Profile.objects.update_or_create(user=user, defaults={"school": school})
    profile.municipalities.set(municipalities)
    user.__dict__.pop("_portal_groups", None)
    return user, created


def user_invite(*, user) -> int:
    """E-mail the user a link to set their password (valid as long as Django's reset tokens are)."""
    from django.conf import settings
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    if not user.email:
        raise UserError(INVITE_NEEDS_EMAIL, "email")
    path = reverse(
        "password-set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    body = (
        f"Здравствуйте!\n\nДля вас создана учётная запись в портале «{settings.PORTAL_TITLE}».\n"
        f"Имя пользователя: {user.get_username()}\n\nЗадайте пароль по ссылке: {settings.SITE_URL}{path}\n"
    )
    return send_mail(INVITE_SUBJECT, body, settings.DEFAULT_FROM_EMAIL, [user.email])
