"""Who is signing in and how fast they may fail.

django-axes locks the pair (user name, client address) after AXES_FAILURE_LIMIT failures, so made-up names
cannot lock real users out and a guessed password for one account cannot lock it everywhere. Guessing across
many names from one address is slowed instead: after LOGIN_FAILURES_FREE_PER_ADDRESS failures counted in the
cache, every further failure from that address is answered after a delay that doubles up to a cap, while a
right password from the same address is answered at once.
"""

import ipaddress
import time

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.core.cache import cache


def client_ip_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the X-Forwarded-For entry added by the outermost of
    TRUSTED_PROXY_COUNT proxies. Entries to the left of it were written by the client and are ignored."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:  # the request did not come through every trusted proxy
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


def failure_delay_seconds(failures: int) -> float:
    """How long the answer to the n-th failed login from one address waits: nothing for the first
    LOGIN_FAILURES_FREE_PER_ADDRESS, then LOGIN_FAILURE_DELAY_SECONDS doubling up to the maximum."""
    over = failures - settings.LOGIN_FAILURES_FREE_PER_ADDRESS
    if over <= 0:
        return 0.0
    return min(
        settings.LOGIN_FAILURE_DELAY_MAX_SECONDS, settings.LOGIN_FAILURE_DELAY_SECONDS * 2 ** (over - 1)
    )


def address_failures_count(address: str) -> int:
    """One more failed login from this address within the cool-off window; returns the new count."""
    key = f"login-failures:{address}"
    window = int(settings.AXES_COOLOFF_TIME * 3600)
    cache.add(key, 0, window)
    try:
        failures = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        failures = 1
    cache.touch(key, window)  # a continued attack keeps its count
    return failures


class PortalAxesHandler(AxesDatabaseHandler):
    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        address = getattr(request, "axes_ip_address", None)
        if address:
            time.sleep(failure_delay_seconds(address_failures_count(address)))
