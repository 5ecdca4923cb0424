"""Personas and shared fixtures. The owner owns the data under test, another user must never see it, and the
anonymous visitor is a fresh client with no session."""

import os
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.audit.tools import CHROME_FLAGS, chromium, skip_unless_available
from tests.factories import PASSWORD, make_user


def pytest_report_header(config) -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    return f"database: {db['ENGINE'].rsplit('.', 1)[-1]} ({db.get('HOST') or db['NAME']})"


@pytest.fixture(autouse=True)
def _empty_caches() -> Iterator[None]:
    """Every test starts with empty caches: primary keys come round again between tests (each test's rows are
    rolled back), and a cached report must never carry over from one test to the next."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture
def owner(db):
    return make_user("owner")


@pytest.fixture
def ready(owner):
    """The owner, having acknowledged the safety notice (so the safety gate lets them start and build routines)."""
    owner.profile.acknowledge_safety()
    return owner


@pytest.fixture
def other_user(db):
    return make_user("other")


@pytest.fixture
def anonymous_client(db) -> Client:
    return Client()


@pytest.fixture
def owner_client(owner) -> Client:
    client = Client()
    client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def other_client(other_user) -> Client:
    client = Client()
    client.force_login(other_user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def htmx_headers() -> dict[str, str]:
    """Headers an htmx request carries (the test client takes them as keyword `headers=`)."""
    return {"HX-Request": "true"}


@pytest.fixture
def password() -> str:
    return PASSWORD


# Browser tests -------------------------------------------------------------------------------------------------

# The audits' Chromium flags (tests/audit/tools.py) without the headless switch, which Playwright sets itself.
CHROMIUM_ARGS = [flag for flag in CHROME_FLAGS if flag != "--headless=new"] + ["--disable-quic"]


@pytest.fixture(scope="session")
def browser() -> Iterator:
    # Skips with the reason when Chromium is missing; fails instead when TENDERSPOT_AUDITS=require.
    skip_unless_available("chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; Django's async-safety check would refuse ORM calls.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _phone_page(browser, live_server, timeout_ms: int, **context_options) -> Iterator:
    """A fresh 390 x 844 page (own cookies) at the live server, collecting console errors in `console_errors`."""
    from routines.catalogue import ensure_builtin_catalogue

    ensure_builtin_catalogue()  # an earlier transactional test flushes the tables, catalogue included
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, **context_options)
    context.set_default_timeout(timeout_ms)
    page = context.new_page()
    page.base_url = live_server.url
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    """A fresh browser page pointed at the live server; `page.base_url` is its address. The service worker
    (config.pwa) is blocked here, so that no test sees pages or files from its caches."""
    yield from _phone_page(browser, live_server, 10_000, service_workers="block")


@pytest.fixture
def app_page(browser, live_server) -> Iterator:
    """Like `page`, with the service worker allowed: for the installable app's offline tests."""
    yield from _phone_page(browser, live_server, 15_000)


def log_in(page, user) -> None:
    """Log `user` in through the real log-in form (JavaScript on or off) and wait for the home page it leads to."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda address: urlsplit(address).path == "/")


def open_menu(page) -> None:
    """Opens the phone's menu and waits until it has finished opening: a tap during Bootstrap's 0.35 s slide can
    land on whatever the moving item uncovers (a "Log out" tap then did nothing, a flake on a loaded machine)."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="Show the menu").click()
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"(^|\s)collapse show(\s|$)"))


def tap_log_out(page) -> None:
    """Logs out through the phone's menu, as a person does."""
    open_menu(page)
    page.get_by_role("button", name="Log out").click()


@pytest.fixture
def signed_in_page(page, owner):
    """A browser page logged in as the owner through the real log-in form."""
    log_in(page, owner)
    return page
