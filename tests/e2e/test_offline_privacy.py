"""The service worker's caches on a shared phone: pages are kept per signed-in user, a page that needs the server
says so from the offline page, nothing of a user's pages is left after log-out, and user B on the same browser never
sees user A's pages, even when A's sign-in simply ended without a log-out."""

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import log_in, tap_log_out
from tests.factories import make_routine, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_CACHES = """async () => {
    const names = (await caches.keys()).filter((name) => name.startsWith("ts-pages-"));
    const out = {};
    for (const name of names) {
        out[name] = (await (await caches.open(name)).keys()).map((request) => new URL(request.url).pathname);
    }
    return out;
}"""


def controlled(page) -> None:
    """Waits until the service worker is active and controls the page. A page whose loading began while the worker
    was still installing is not claimed by it (the browser's rule for a first visit): it is loaded again."""
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    if not page.evaluate("() => navigator.serviceWorker.controller !== null"):
        page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def visit(page, path: str) -> None:
    """Opens `path` through the service worker and waits until it has kept the page (a listed one)."""
    page.goto(path)
    controlled(page)
    page.wait_for_function(
        """async (path) => {
            for (const name of await caches.keys()) {
                if (!name.startsWith("ts-pages-")) continue;
                const kept = await (await caches.open(name)).keys();
                if (kept.some((request) => new URL(request.url).pathname === path)) return true;
            }
            return false;
        }""",
        arg=path,
    )


def no_page_caches(page) -> None:
    page.wait_for_function(
        "async () => (await caches.keys()).filter((name) => name.startsWith('ts-pages-')).length === 0"
    )


@pytest.fixture
def alice(db):
    user = make_user("alice")
    user.profile.acknowledge_safety()
    return user


@pytest.fixture
def bob(db):
    user = make_user("bob")
    user.profile.acknowledge_safety()
    return user


def test_kept_pages_open_offline_and_server_pages_say_they_need_a_connection(app_page, alice):
    page = app_page
    routine = make_routine(alice, name="Alice's floor routine")
    log_in(page, alice)
    controlled(page)
    visit(page, f"/routines/{routine.pk}/")
    kept = page.evaluate(PAGE_CACHES)
    assert len(kept) == 1 and f"/routines/{routine.pk}/" in next(iter(kept.values())), kept
    page.context.set_offline(True)
    page.goto(f"/routines/{routine.pk}/")
    assert page.get_by_role("heading", name="Alice's floor routine").is_visible()
    page.goto("/journal/trends/")
    assert page.get_by_role("heading", name="This page needs a connection").is_visible()
    assert "alice" not in page.content().lower()
    page.context.set_offline(False)


def test_log_out_leaves_no_page_in_the_caches(app_page, alice):
    page = app_page
    routine = make_routine(alice, name="Alice's floor routine")
    log_in(page, alice)
    controlled(page)
    visit(page, f"/routines/{routine.pk}/")
    visit(page, "/routines/")
    assert sum(len(paths) for paths in page.evaluate(PAGE_CACHES).values()) >= 2
    tap_log_out(page)
    # Clearing the site's data (Clear-Site-Data) can hold the navigation for seconds on a loaded machine.
    page.get_by_role("link", name="Log in").first.wait_for(timeout=60_000)
    no_page_caches(page)
    assert page.evaluate(PAGE_CACHES) == {}
    page.context.set_offline(True)
    # Clear-Site-Data also unregistered the worker: offline, the page is either the browser's own error or the
    # offline page, never Alice's copy.
    try:
        page.goto(f"/routines/{routine.pk}/")
    except PlaywrightError as error:
        assert "ERR_INTERNET_DISCONNECTED" in str(error)
    page.wait_for_load_state()
    assert "Alice's floor routine" not in page.locator("html").inner_text()
    page.context.set_offline(False)


def test_user_b_never_sees_user_as_pages(app_page, alice, bob):
    page = app_page
    routine = make_routine(alice, name="Alice's floor routine")
    log_in(page, alice)
    controlled(page)
    visit(page, f"/routines/{routine.pk}/")
    visit(page, "/journal/log/")
    # Alice's sign-in ends without a log-out (expired, or the cookie cleared): no Clear-Site-Data arrives.
    page.context.clear_cookies()
    log_in(page, bob)
    visit(page, "/routines/")
    caches_now = page.evaluate(PAGE_CACHES)
    assert len(caches_now) == 1, caches_now
    assert f"/routines/{routine.pk}/" not in next(iter(caches_now.values()))
    page.context.set_offline(True)
    for path in (f"/routines/{routine.pk}/", "/journal/log/"):
        page.goto(path)
        assert "Alice's floor routine" not in page.content()
        assert page.get_by_role("heading", name="This page needs a connection").is_visible(), path
    page.context.set_offline(False)
