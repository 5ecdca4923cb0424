"""Sign-in abuse: the log-in lockout's per-address limit, throttles for sign-up and password reset, e-mail sent
off the request path, and what a password change or reset does to the account's private links."""

import logging
import threading
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import User
from django.core import signing
from django.core.mail import EmailMessage
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.models import ThrottleHit
from accounts.signals import private_links_revoked
from config.http import client_address

logger = logging.getLogger(__name__)


def login_failure_limit(request: HttpRequest, credentials: dict[str, object] | None) -> int:
    """AXES_FAILURE_LIMIT. Axes counts failures per address and username together (AXES_LOCKOUT_PARAMETERS), so
    that a stranger's guesses never lock the real user out from their own address. One address trying many
    usernames is stopped here: past TENDERSPOT_LOGIN_ADDRESS_LIMIT failures within the cool-off, the limit drops
    to 0 and log-ins from that address are refused until the failures age out, except from a known device.

    Known devices: many people can share one address (a household, an office, a mobile carrier's NAT), and one of
    them guessing must not lock the others out. A browser where a username signed in before (or completed a
    password reset) carries a signed cookie naming it (`remember_device`); for that username it keeps the usual
    limit per address and username, so the real user, entering the right password, still gets in. A new browser
    behind the busy address waits for the failures to age out (TENDERSPOT_LOGIN_ADDRESS_LIMIT failures in the
    cool-off: a person typing never gets there alone), or resets the password, which makes it a known device."""
    from axes.helpers import get_client_username
    from axes.models import AccessAttempt

    if known_device(request, get_client_username(request, credentials) or ""):
        return settings.TENDERSPOT_LOGIN_FAILURE_LIMIT
    address = client_address(request)
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = (
        AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
            n=Sum("failures_since_start")
        )["n"]
        or 0
    )
    return 0 if failures >= settings.TENDERSPOT_LOGIN_ADDRESS_LIMIT else settings.TENDERSPOT_LOGIN_FAILURE_LIMIT


DEVICE_COOKIE = "tenderspot_device"
DEVICE_SALT = "accounts.known-device"
DEVICE_NAMES = 5  # usernames one browser remembers (a shared family tablet)


def _device_names(request: HttpRequest) -> list[str]:
    value = request.COOKIES.get(DEVICE_COOKIE)
    if not value:
        return []
    try:
        names = signing.loads(value, salt=DEVICE_SALT, max_age=settings.TENDERSPOT_KNOWN_DEVICE_AGE)
    except signing.BadSignature:
        return []
    return [name for name in names if isinstance(name, str)] if isinstance(names, list) else []


def known_device(request: HttpRequest, username: str) -> bool:
    """Whether this browser's signed device cookie names `username` (case-insensitive)."""
    return bool(username) and username.lower() in _device_names(request)


def remember_device(request: HttpRequest, user: AbstractBaseUser) -> None:
    """Marks the response to `request` to carry the device cookie naming `user` (KnownDeviceMiddleware sets it)."""
    names = [user.get_username().lower(), *_device_names(request)]
    request.remembered_device_names = list(dict.fromkeys(names))[:DEVICE_NAMES]  # type: ignore[attr-defined]


def set_device_cookie(request: HttpRequest, response: HttpResponse) -> None:
    names = getattr(request, "remembered_device_names", None)
    if names:
        response.set_cookie(
            DEVICE_COOKIE,
            signing.dumps(names, salt=DEVICE_SALT),
            max_age=int(settings.TENDERSPOT_KNOWN_DEVICE_AGE.total_seconds()),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


def clear_login_lockout(user: AbstractBaseUser) -> None:
    """Forgets every failed log-in for `user`'s username (from any address): a password reset proves the owner."""
    from axes.utils import reset

    reset(username=user.get_username())


def throttled(request: HttpRequest, scope: str, *keys: tuple[str, int]) -> bool:
    """True when one of `keys` ((key, limit) pairs; the client's address is added) has used up its tries of
    `scope` within TENDERSPOT_THROTTLE_WINDOW. Each allowed try is recorded."""
    window = settings.TENDERSPOT_THROTTLE_WINDOW
    pairs = [(f"address:{client_address(request)}", settings.TENDERSPOT_THROTTLE_PER_ADDRESS), *keys]
    return not all(ThrottleHit.objects.allow(scope, key, limit, window) for key, limit in pairs)


def too_many_tries(request: HttpRequest, template: str, context: dict[str, object]) -> HttpResponse:
    from django.template.response import TemplateResponse

    response = TemplateResponse(request, template, {**context, "throttled": True}, status=429)
    response["Retry-After"] = str(int(settings.TENDERSPOT_THROTTLE_WINDOW.total_seconds()))
    return response


# Mail ------------------------------------------------------------------------------------------------------------

_deliveries: list[threading.Thread] = []


def deliver_later(messages: Iterable[EmailMessage]) -> None:
    """Sends `messages` on a thread of their own: the answer to the request never waits for the mail server, so
    its timing says nothing about whether a message was sent. (TENDERSPOT_MAIL_ON_THREAD = False sends them at
    once: the test suite reads them right after the request.)"""

    def send() -> None:
        for message in messages:
            try:
                message.send()
            except Exception:  # a mail server's failure must not reach the visitor; it is logged
                logger.exception("Could not send an account e-mail")

    messages = list(messages)
    if not settings.TENDERSPOT_MAIL_ON_THREAD:
        send()
        return
    thread = threading.Thread(target=send, name="account-mail", daemon=True)
    _deliveries[:] = [t for t in _deliveries if t.is_alive()]
    _deliveries.append(thread)
    thread.start()


def wait_for_deliveries(timeout: float = 10) -> None:
    """Waits for the mail threads started so far (tests and graceful shutdowns)."""
    for thread in list(_deliveries):
        thread.join(timeout)


# Private links ---------------------------------------------------------------------------------------------------


def revoke_private_links(user: User) -> int:
    """Revokes every secret address of `user` (share links and calendar feeds: someone who had the password may have
    made them), through the apps that own them (`private_links_revoked` receivers; accounts imports no app).
    Returns how many were revoked."""
    revoked = 0
    for _, count in private_links_revoked.send(sender=User, user=user):
        revoked += count if isinstance(count, int) else 0
    return revoked
