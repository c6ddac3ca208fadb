"""The version for the visually impaired (ГОСТ Р 52872, the education authorities' site rules).

Three text sizes, white/black/blue colour schemes, normal or wide letter spacing, images on or off. The
choice lives in one cookie (no account needed) and is applied on the server as classes of <body>, so it
works without JavaScript: every switch is a plain link to `quality:accessibility`, which stores the choice
and sends the visitor back. Cached public pages are keyed by the normalized choice (`cache_key`).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

COOKIE = "a11y"
COOKIE_MAX_AGE = 365 * 24 * 3600
SIZES = {"1": "обычный", "2": "крупный", "3": "очень крупный"}
SCHEMES = {"white": "чёрным по белому", "black": "белым по чёрному", "blue": "тёмно-синим по голубому"}
SPACINGS = {"normal": "обычный", "wide": "увеличенный"}
IMAGES = {"on": "показывать", "off": "не показывать"}
CHOICES = {"size": SIZES, "scheme": SCHEMES, "spacing": SPACINGS, "images": IMAGES}
DEFAULTS = {"size": "2", "scheme": "white", "spacing": "normal", "images": "on"}


@dataclass(frozen=True)
class Settings:
    enabled: bool = False
    size: str = "2"
    scheme: str = "white"
    spacing: str = "normal"
    images: str = "on"

    @property
    def body_classes(self) -> str:
        if not self.enabled:
            return ""
        return (
            f"a11y a11y-size-{self.size} a11y-scheme-{self.scheme} a11y-spacing-{self.spacing} "
            f"a11y-images-{self.images}"
        )

    @property
    def cache_key(self) -> str:
        """Part of a cached page's key: the normalized choice, or «off»."""
        if not self.enabled:
            return "off"
        return f"{self.size}.{self.scheme}.{self.spacing}.{self.images}"

    def cookie_value(self) -> str:
        return f"on.{self.cache_key}" if self.enabled else "off"


def settings_from(request: HttpRequest) -> Settings:
    """The visitor's choice from the cookie; anything unknown falls back to the defaults."""
    parts = (request.COOKIES.get(COOKIE) or "").split(".")
    if not parts or parts[0] != "on":
        return Settings()
    values = dict(DEFAULTS)
    for name, value in zip(("size", "scheme", "spacing", "images"), parts[1:], strict=False):
        if value in CHOICES[name]:
            values[name] = value
    return Settings(enabled=True, **values)


def settings_changed(current: Settings, query) -> Settings:
    """The choice after a switch link: `mode=on|off` and any of size, scheme, spacing, images."""
    values = {name: getattr(current, name) for name in CHOICES}
    for name, allowed in CHOICES.items():
        if query.get(name) in allowed:
            values[name] = query[name]
    mode = query.get("mode")
    enabled = mode == "on" or (mode != "off" and (current.enabled or any(n in query for n in CHOICES)))
    return Settings(enabled=enabled, **values)


def safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next") or reverse("quality:index")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return reverse("quality:index")
    return target


def switch_url(back_to: str, **params: str) -> str:
    return f"{reverse('quality:accessibility')}?{urlencode({**params, 'next': back_to})}"


def panel(request: HttpRequest) -> dict:
    """What the panel shows: the current choice and a link for every option (current ones marked)."""
    current = settings_from(request)
    back_to = request.path
    groups = []
    for name, title in (("size", "Размер шрифта"), ("scheme", "Цвет"), ("spacing", "Интервал между буквами")):
        groups.append(
            {
                "title": title,
                "options": [
                    {
                        "label": label,
                        "url": switch_url(back_to, **{name: value}),
                        "current": getattr(current, name) == value,
                        "value": value,
                    }
                    for value, label in CHOICES[name].items()
                ],
            }
        )
    groups.append(
        {
            "title": "Изображения",
            "options": [
                {
                    "label": label,
                    "url": switch_url(back_to, images=value),
                    "current": current.images == value,
                    "value": value,
                }
                for value, label in IMAGES.items()
            ],
        }
    )
    return {
        "settings": current,
        "groups": groups,
        "on_url": switch_url(back_to, mode="on"),
        "off_url": switch_url(back_to, mode="off"),
    }


def context(request: HttpRequest) -> dict:
    """Context processor: `a11y` (the panel) for base.html on every page."""
    return {"a11y": panel(request)}
