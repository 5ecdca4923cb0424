"""The client's address: one reading (config.http.client_address) for the log-in lockout, the sign-up and reset
throttles and the share-link miss limiter; behind DJANGO_PROXY_COUNT proxies the address the outermost trusted proxy
saw, and with no proxy X-Forwarded-For is ignored (the client wrote it)."""

import hashlib

import pytest
from axes.helpers import get_client_ip_address
from django.test import Client, RequestFactory

from config.http import client_address
from journal.tokens import client_address_hash
from tests.factories import PASSWORD

LOGIN = "/accounts/login/"
PROXY = "10.0.0.2"


def request_with(forwarded: str | None, remote: str = PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def fail_logins(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        client.post(LOGIN, {"username": username, "password": "not-the-password"})


@pytest.mark.parametrize("proxies", [0, 1, 2])
@pytest.mark.parametrize("forwarded", [None, "198.51.100.7", "203.0.113.66, 198.51.100.7", "1.2.3.4, 5.6.7.8, 9.9.9.9"])
def test_the_lockout_the_throttles_and_the_link_limiter_read_the_same_address(settings, proxies, forwarded):
    settings.TENDERSPOT_PROXY_COUNT = proxies
    request = request_with(forwarded)
    address = client_address(request)
    assert get_client_ip_address(request) == address
    assert client_address_hash(request) == hashlib.sha256(address.encode()).hexdigest()


def test_behind_proxies_the_address_the_outermost_trusted_proxy_saw_is_used(settings):
    settings.TENDERSPOT_PROXY_COUNT = 1
    assert client_address(request_with("6.6.6.6, 198.51.100.7")) == "198.51.100.7"
    settings.TENDERSPOT_PROXY_COUNT = 2
    assert client_address(request_with("6.6.6.6, 198.51.100.7, 10.0.0.1")) == "198.51.100.7"
    # Fewer hops than proxies: the request did not come through them.
    assert client_address(request_with("198.51.100.7")) == PROXY


def test_without_a_proxy_x_forwarded_for_is_ignored(settings):
    settings.TENDERSPOT_PROXY_COUNT = 0
    assert client_address(request_with("198.51.100.7", remote="203.0.113.66")) == "203.0.113.66"


@pytest.mark.django_db
def test_behind_one_proxy_two_clients_are_locked_out_separately(owner, settings):
    settings.TENDERSPOT_PROXY_COUNT = 1
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
    owner_home = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    fail_logins(attacker, "owner", settings.TENDERSPOT_LOGIN_FAILURE_LIMIT)
    assert attacker.post(LOGIN, {"username": "owner", "password": PASSWORD}).status_code == 429
    assert owner_home.post(LOGIN, {"username": "owner", "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
def test_without_a_proxy_a_forged_x_forwarded_for_does_not_escape_the_lockout(owner, settings):
    settings.TENDERSPOT_PROXY_COUNT = 0
    for n in range(settings.TENDERSPOT_LOGIN_FAILURE_LIMIT):
        forged = Client(REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        fail_logins(forged, "owner", 1)
    forged = Client(REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert forged.post(LOGIN, {"username": "owner", "password": PASSWORD}).status_code == 429
