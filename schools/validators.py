"""Validators shared by every app.

`validate_http_url` is THE check for links users type (evidence of an expert-card answer, a document link,
a school website): only http:// and https:// addresses with a host, no javascript:, data:, file: or
credentials in the address. Use it on model fields (`validators=[validate_http_url]`), forms and
serializers.
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from . import formatting

HTTP_URL_ONLY = (
    "Укажите ссылку, которая начинается с http:// или https://, например https://school.edu.ru/otchet.pdf."
)
URL_WITH_CREDENTIALS = "Ссылка не должна содержать имя пользователя или пароль."
URL_TOO_LONG = "Ссылка слишком длинная (не более 2000 символов)."
MAX_URL_LENGTH = 2000

_url_syntax = URLValidator(schemes=["http", "https"], message=HTTP_URL_ONLY)


def validate_http_url(value: str) -> None:
    """Raise ValidationError (Russian) unless `value` is an absolute http(s) URL without credentials."""
    text = (value or "").strip()
    if len(text) > MAX_URL_LENGTH:
        raise ValidationError(URL_TOO_LONG, code="url_too_long")
    if text != value or any(ch in text for ch in "\r\n\t\\"):
        raise ValidationError(HTTP_URL_ONLY, code="http_url")
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValidationError(HTTP_URL_ONLY, code="http_url")
    if parts.username or parts.password:
        raise ValidationError(URL_WITH_CREDENTIALS, code="url_credentials")
    _url_syntax(text)


SCHOOL_CODE_CHARS = "допускаются только буквы, цифры, дефис, подчёркивание и точка"
SCHOOL_CODE_INVALID = "Код ОО «{value}» не подходит: " + SCHOOL_CODE_CHARS + "."


def school_code_problem(value: str) -> str | None:
    """THE rule for a school code (it is part of page addresses): letters, digits, «-», «_», «.» only.
    Returns the Russian reason for the import's row report, or None when the code is fine."""
    if re.fullmatch(r"[\w.-]+", value or "") and value not in (".", ".."):
        return None
    return SCHOOL_CODE_CHARS


def validate_school_code(value: str) -> None:
    """The same rule for model fields, forms and serializers."""
    if school_code_problem(value):
        raise ValidationError(SCHOOL_CODE_INVALID.format(value=value), code="invalid_school_code")


MUNICIPALITY_CODE_INVALID = (
    "Код муниципалитета «{value}» не подходит: допускаются латинские буквы, цифры, дефис и подчёркивание."
)


def municipality_code_problem(value: str) -> str | None:
    """THE rule for a municipality code (part of /quality/m/<code>/ and of --municipality CODE)."""
    if re.fullmatch(r"[A-Za-z0-9_-]{1,32}", value or ""):
        return None
    return MUNICIPALITY_CODE_INVALID.format(value=value)


def validate_municipality_code(value: str) -> None:
    problem = municipality_code_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_municipality_code")


def municipality_code_from_name(name: str) -> str:
    """A readable Latin code for a municipality that came without one (an import names it by its name):
    «г. Лесосибирск» → «g-lesosibirsk». Callers make it unique."""
    letters = "".join(formatting.TRANSLIT.get(ch, ch) if ch.isalpha() else "-" for ch in name.lower())
    letters = letters.replace("-", " ")
    code = "-".join(re.findall(r"[a-z0-9]+", letters))[:28]
    return code or "m"
