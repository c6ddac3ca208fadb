"""The template editor in the browser (DESIGN §7): settings, sections and criteria edited one change at a
time on the template's data (the same dict as its JSON file), validated by `template_validate`.

Every change raises the template's `version` with a conditional UPDATE on the version the editor saw, so two
people editing at once never overwrite each other (TemplateConflict, 409). Cards keep the snapshot of the
version they were filled with; a card nobody has started follows the newest version.
"""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F

from schools.errors import Conflict, ValidationFailed

from ..defaults import DEFAULT_LEVELS
from ..models import CardTemplate, Criterion
from ..selectors import template_as_dict
from .templates import _section_create, template_validate

TEMPLATE_CONFLICT = (
    "Шаблон уже изменил другой пользователь (сейчас версия {current}, вы редактировали версию {seen}). "
    "Ваши изменения не сохранены, чужие не перезаписаны: сверьте значения и внесите изменение снова."
)
TEMPLATE_INVALID = "Изменение не сохранено: {errors}"
SLUG_TAKEN = "Шаблон с кодом «{slug}» уже есть."
CRITERION_MISSING = "Критерия «{code}» в шаблоне нет (его мог удалить другой пользователь)."
SECTION_MISSING = "Раздела {number} в шаблоне нет."
SECTION_NOT_EMPTY = "Раздел {number} не пуст: сначала удалите или перенесите его критерии."


class TemplateEditError(ValidationFailed):
    def __init__(self, message: str, errors: list[str] | None = None):
        super().__init__(message)
        self.errors = errors or []


class TemplateConflict(Conflict):
    """Somebody saved the template in between; `current` is the stored data to show beside the user's."""

    def __init__(self, message: str, current: dict):
        super().__init__(message)
        self.current = current


def _write(*, template: CardTemplate, data: dict, version: int) -> CardTemplate:
    """Validate `data` and store it as the template's next version, if nobody saved since `version`."""
    errors = template_validate(data, draft=True)
    if errors:
        raise TemplateEditError(TEMPLATE_INVALID.format(errors=" ".join(errors)), errors)
    with transaction.atomic():
        updated = CardTemplate.objects.filter(pk=template.pk, version=version).update(
            version=F("version") + 1,
            title=data["title"].strip(),
            description=(data.get("description") or "").strip(),
            subject=data["subject"],
            participants=data["participants"],
            high_share=Decimal(str(data["levels"]["high"])),
            medium_share=Decimal(str(data["levels"]["medium"])),
        )
        if not updated:
            template.refresh_from_db()
            raise TemplateConflict(
                TEMPLATE_CONFLICT.format(current=template.version, seen=version), template_as_dict(template)
            )
        template.refresh_from_db()
        template._change_reason = f"редактор шаблона: версия {template.version}"  # type: ignore[attr-defined]
        template.save(update_fields=["updated_at"])  # the template's own history row (who, when, what)
        template.sections.all().delete()
        for section in data["sections"]:
            _section_create(template, section)
    return template


def _data(template: CardTemplate) -> dict:
    return template_as_dict(template)


def _points(criterion: dict) -> int:
    if criterion.get("kind") == Criterion.Kind.CHOICE:
        return max(
            (int(o.get("points") or 0) for o in criterion.get("options") or [] if isinstance(o, dict)),
            default=0,
        )
    return int(criterion.get("points") or 0)


def _total(section: dict) -> int:
    return sum(_points(c) for c in section["criteria"])


def _refit_maximum(section: dict, old_total: int) -> None:
    """A section whose maximum was its full total keeps being its full total; otherwise it is clamped."""
    total = _total(section)
    if section["maximum"] == old_total or section["maximum"] > total:
        section["maximum"] = total
    section["maximum"] = max(section["maximum"], min(total, 1))


def _find(data: dict, code: str) -> tuple[dict, int]:
    for section in data["sections"]:
        for index, criterion in enumerate(section["criteria"]):
            if criterion["code"] == code:
                return section, index
    raise TemplateEditError(CRITERION_MISSING.format(code=code))


def _section(data: dict, number: int) -> dict:
    for section in data["sections"]:
        if section["number"] == number:
            return section
    raise TemplateEditError(SECTION_MISSING.format(number=number))


def template_create(*, slug: str, title: str, subject: str) -> CardTemplate:
    """A new empty template (version 1) to fill in the editor."""
    data: dict[str, Any] = {
        "slug": slug.strip(),
        "title": title,
        "subject": subject,
        "participants": "",
        "levels": dict(DEFAULT_LEVELS),
        "sections": [],
    }
    errors = template_validate(data, draft=True)
    if errors:
        raise TemplateEditError(TEMPLATE_INVALID.format(errors=" ".join(errors)), errors)
    if CardTemplate.objects.filter(slug=data["slug"]).exists():
        raise TemplateEditError(SLUG_TAKEN.format(slug=data["slug"]))
    return CardTemplate.objects.create(
        slug=data["slug"], title=title.strip(), subject=subject, participants=data["participants"]
    )


def template_settings_update(*, template: CardTemplate, version: int, **settings) -> CardTemplate:
    """Title, description, subject, default participants, level shares (`high`, `medium`)."""
    data = _data(template)
    for name in ("title", "description", "subject", "participants"):
        if name in settings:
            data[name] = settings[name]
    for level in ("high", "medium"):
        if level in settings:
            data["levels"][level] = str(settings[level])
    return _write(template=template, data=data, version=version)


def template_section_save(
    *, template: CardTemplate, version: int, number: int | None, title: str, maximum: int | None = None
) -> CardTemplate:
    """Add a section (`number` None: after the last) or rename one / set its maximum."""
    data = _data(template)
    if number is None:
        number = max((s["number"] for s in data["sections"]), default=0) + 1
        data["sections"].append({"number": number, "title": title, "maximum": 0, "criteria": []})
    else:
        section = _section(data, number)
        section["title"] = title
        if maximum is not None:
            section["maximum"] = maximum
    return _write(template=template, data=data, version=version)


def template_section_remove(*, template: CardTemplate, version: int, number: int) -> CardTemplate:
    data = _data(template)
    section = _section(data, number)
    if section["criteria"]:
        raise TemplateEditError(SECTION_NOT_EMPTY.format(number=number))
    data["sections"].remove(section)
    return _write(template=template, data=data, version=version)


def template_criterion_save(
    *, template: CardTemplate, version: int, section_number: int, code: str | None, criterion: dict
) -> CardTemplate:
    """Add a criterion at the end of a section (`code` None) or replace the criterion `code` (it may move
    to another section and get a new code)."""
    data = _data(template)
    target = _section(data, section_number)
    criterion = {**criterion, "code": str(criterion.get("code") or "").strip()}
    if criterion["kind"] != Criterion.Kind.COMPUTED:
        criterion["rule"] = {}
    if code is None:
        old_total = _total(target)
        target["criteria"].append(criterion)
        _refit_maximum(target, old_total)
    else:
        section, index = _find(data, code)
        old_totals = {id(section): _total(section), id(target): _total(target)}
        if section is target:
            section["criteria"][index] = criterion
        else:
            del section["criteria"][index]
            target["criteria"].append(criterion)
        for changed in {id(section): section, id(target): target}.values():
            _refit_maximum(changed, old_totals[id(changed)])
    return _write(template=template, data=data, version=version)


def template_criterion_move(*, template: CardTemplate, version: int, code: str, step: int) -> CardTemplate:
    """Move a criterion one place up (`step` -1) or down (+1) within its section."""
    data = _data(template)
    section, index = _find(data, code)
    other = index + step
    if 0 <= other < len(section["criteria"]):
        items = section["criteria"]
        items[index], items[other] = items[other], items[index]
    return _write(template=template, data=data, version=version)


def template_criterion_remove(*, template: CardTemplate, version: int, code: str) -> CardTemplate:
    data = _data(template)
    section, index = _find(data, code)
    old_total = _total(section)
    del section["criteria"][index]
    _refit_maximum(section, old_total)
    return _write(template=template, data=data, version=version)
