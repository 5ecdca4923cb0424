"""A whole session run offline through the outbox (static/js/outbox.js, the runner in static/js/timer.js, the service
worker's per-user page cache): every log is saved on the phone at once, sent in order when the network returns,
never lost, never doubled, even across a reload offline, an expired sign-in, two tabs, a sync cut off halfway or a
replayed request; and sign-out leaves no entry nor page on the phone."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import F
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from journal.models import ADVERSE_FOLLOW_UP, ADVERSE_PRESSURE_MESSAGE, Release, Session
from routines.models import Point
from tests.conftest import log_in, tap_log_out
from tests.e2e.test_offline_privacy import PAGE_CACHES, controlled, no_page_caches, visit
from tests.factories import ensure_catalogue, make_routine, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOLD = 30

OUTBOX_ENTRIES = """async () => {
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes("tenderspot-outbox")) return [];
    const db = await new Promise((ok, ko) => {
        const r = indexedDB.open("tenderspot-outbox");
        r.onsuccess = () => ok(r.result);
        r.onerror = () => ko(r.error);
    });
    if (!db.objectStoreNames.contains("entries")) { db.close(); return []; }
    const all = await new Promise((ok) => {
        const r = db.transaction("entries").objectStore("entries").getAll();
        r.onsuccess = () => ok(r.result);
    });
    db.close();
    return all.map((e) => [e.id, e.status]);
}"""


@pytest.fixture
def alice(db):
    ensure_catalogue()
    user = make_user("alice")
    user.profile.acknowledge_safety()
    user.profile.lead_in_seconds = 0
    user.profile.save(update_fields=["lead_in_seconds"])
    return user


def started_session(user, steps: int = 4) -> Session:
    session = Session.objects.start(user, make_routine(user, steps=steps, hold_seconds=HOLD))
    session.answer_safety_check([], 6)
    # Begun ten minutes ago: an offline log's held seconds are bounded by the phone's time since the session began,
    # and these tests type the seconds instead of running the timer.
    Session.objects.filter(pk=session.pk).update(started_at=F("started_at") - timedelta(minutes=10))
    session.refresh_from_db()
    return session


def run_url(session) -> str:
    return f"/journal/sessions/{session.pk}/run/"


def open_runner(page, user, session) -> None:
    """Signs in, opens the runner online and waits until the service worker has kept it for offline use."""
    log_in(page, user)
    controlled(page)
    visit(page, run_url(session))
    page.get_by_text(f"Step 1 of {session.step_count}").wait_for()


def answer(page, position: int, pressure: int, pain: int) -> None:
    page.get_by_text(f"Step {position} of").wait_for()
    page.locator("label[for=id_tender_0]").click()
    page.locator(f"label[for=id_pressure_{pressure}]").click()
    page.locator(f"label[for=id_pain_now_{pain}]").click()
    page.get_by_role("button", name="Save and go on").click()


def first_step_logged_offline(page, user, steps: int, held: int = 25, pressure: int = 4) -> Session:
    """A new session of `steps` steps opened online, then its first step logged with the network off: the page is
    at step 2."""
    session = started_session(user, steps=steps)
    open_runner(page, user, session)
    page.context.set_offline(True)
    log_without_timer(page, held=held)
    answer(page, 1, pressure=pressure, pain=3)
    page.get_by_text(f"Step 2 of {steps}").wait_for()
    return session


def hold_with_the_timer(page) -> None:
    """Runs the whole hold on the fake clock; the log form opens with the seconds held."""
    page.locator("[data-timer]").wait_for(state="visible")
    page.get_by_role("button", name="Start hold").click()
    page.clock.run_for((HOLD + 1) * 1000)
    expect(page.locator("#runner-log")).to_be_visible()
    expect(page.locator("#id_held_seconds")).to_have_value(str(HOLD))


def log_without_timer(page, held: int) -> None:
    page.get_by_role("button", name="Log without the timer").click()
    page.locator("#id_held_seconds").fill(str(held))


def waiting(page, count: int, text: str = "saved on this phone, will sync") -> None:
    status = page.locator("[data-outbox-status]")
    expect(status.locator("[data-outbox-count]")).to_have_attribute("data-outbox-count", str(count))
    expect(status).to_contain_text(text)


def rows(session) -> list[tuple]:
    return list(
        Release.objects.filter(session=session)
        .order_by("pk")
        .values_list("position", "held_seconds", "pressure", "pain_now", "tender")
    )


def until(page, script: str, timeout_s: float = 20) -> None:
    """Polls an async page expression until it is true (evaluate awaits its promise; wait_for_function may not)."""
    deadline = time.monotonic() + timeout_s
    while not holds(page, script):
        assert time.monotonic() < deadline, script
        page.wait_for_timeout(100)


def holds(page, script: str) -> bool:
    """`script`'s answer; False while the page is between two documents (a quick log goes on to its summary once
    sent, which can destroy the context the script runs in, and the next page may not have its outbox yet)."""
    try:
        return bool(page.evaluate(script))
    except PlaywrightError as error:
        said = str(error)
        if "context was destroyed" in said or "navigat" in said or "TenderspotOutbox" in said:
            return False
        raise


ALL_SAVED = "async () => (await window.TenderspotOutbox.all()).every((e) => e.status === 'saved')"


def wait_for_rows(page, session, count: int) -> None:
    until(
        page,
        "async () => { await window.TenderspotOutbox.sync(); "
        "return (await window.TenderspotOutbox.all()).every((e) => e.status === 'saved'); }",
    )
    assert Release.objects.filter(session=session).count() == count


def run_three_offline_reload_and_a_fourth(page, session) -> None:
    page.context.set_offline(True)
    for position in (1, 2, 3):
        hold_with_the_timer(page)
        answer(page, position, pressure=position + 2, pain=position)
    page.get_by_text("Step 4 of 4").wait_for()  # the phone went on with no request
    waiting(page, 3)
    page.reload()  # offline: the service worker's copy of the runner, then the phone's own progress
    page.get_by_text("Step 4 of 4").wait_for()
    log_without_timer(page, held=20)
    answer(page, 4, pressure=5, pain=2)
    page.get_by_role("heading", name="Finish the session").wait_for()
    waiting(page, 4)
    assert Release.objects.filter(session=session).count() == 0


EXPECTED = [
    (1, HOLD, 3, 1, True),
    (2, HOLD, 4, 2, True),
    (3, HOLD, 5, 3, True),
    (4, 20, 5, 2, True),
]


def test_a_session_run_offline_syncs_four_releases_in_order_when_back_online(app_page, alice):
    page = app_page
    page.clock.install()
    session = started_session(alice)
    open_runner(page, alice, session)
    run_three_offline_reload_and_a_fourth(page, session)
    page.context.set_offline(False)  # the "online" event sends them
    until(page, ALL_SAVED)
    assert rows(session) == EXPECTED
    # The server never saw these holds start: the phone's own start came with each log and was kept.
    spans = list(Release.objects.filter(session=session).order_by("position").values_list("started_at", "ended_at"))
    for started, ended in spans[:3]:
        assert started is not None and HOLD <= (ended - started).total_seconds() <= HOLD + 5, (started, ended)
    assert spans[3][0] is None  # logged without the timer: no hold start to tell
    expect(page.locator("[data-outbox-status] [data-outbox-saved]")).to_have_text("4 entries saved in your journal.")
    expect(page.locator("[data-outbox-status] [data-outbox-count]")).to_have_count(0)


def test_a_sign_in_that_expired_offline_keeps_the_entries_until_the_user_signs_in(app_page, alice):
    page = app_page
    page.clock.install()
    session = started_session(alice)
    open_runner(page, alice, session)
    run_three_offline_reload_and_a_fourth(page, session)
    page.context.clear_cookies()  # the sign-in ended while the phone was offline
    page.context.set_offline(False)
    page.locator("[data-outbox-status]").get_by_role("button", name="Sync now").click()
    waiting(page, 4, "4 entries waiting — log in to send them.")
    assert Release.objects.filter(session=session).count() == 0
    assert len(page.evaluate(OUTBOX_ENTRIES)) == 4
    log_in(page, alice)  # the home page's outbox sends them under the new sign-in
    until(page, ALL_SAVED)
    assert rows(session) == EXPECTED


def test_two_tabs_offline_logging_the_same_step_make_one_row(app_page, alice):
    page = app_page
    session = started_session(alice, steps=2)
    open_runner(page, alice, session)
    other = page.context.new_page()
    other.goto(run_url(session))
    other.get_by_text("Step 1 of 2").wait_for()
    page.context.set_offline(True)
    log_without_timer(page, held=25)
    answer(page, 1, pressure=4, pain=3)
    page.get_by_text("Step 2 of 2").wait_for()
    log_without_timer(other, held=10)
    answer(other, 1, pressure=6, pain=7)
    other.get_by_text("Step 2 of 2").wait_for()
    page.context.set_offline(False)
    wait_for_rows(page, session, 1)
    wait_for_rows(other, session, 1)
    assert rows(session) == [(1, 25, 4, 3, True)]  # the first log of the step, once


def test_a_sync_cut_off_after_its_first_request_loses_nothing_and_doubles_nothing(app_page, alice):
    page = app_page
    # The phone's clock three minutes behind, then half a minute on for each hold: a hold logged without the timer
    # counts no more than the session has lasted at its log, less what its other steps hold.
    page.clock.install(time=datetime.now(UTC) - timedelta(minutes=3))
    session = started_session(alice, steps=3)
    open_runner(page, alice, session)
    page.context.set_offline(True)
    for position in (1, 2, 3):
        page.clock.fast_forward(30_000)
        log_without_timer(page, held=20 + position)
        answer(page, position, pressure=4, pain=position)
    waiting(page, 3)
    served: list[int] = []

    def cut_off(route):
        if not served:
            served.append(route.fetch().status)  # the server stores the first entry; its answer is lost
        route.abort()

    page.route("**/log/", cut_off)
    page.context.set_offline(False)
    page.locator("[data-outbox-status]").get_by_role("button", name="Sync now").click()
    page.wait_for_function("() => window.TenderspotOutbox.problem() === 'offline'")
    assert served == [201]
    assert rows(session) == [(1, 21, 4, 1, True)]
    waiting(page, 3)  # the phone never heard back: it keeps all three
    page.unroute("**/log/")
    wait_for_rows(page, session, 3)
    assert rows(session) == [(1, 21, 4, 1, True), (2, 22, 4, 2, True), (3, 23, 4, 3, True)]


def test_a_quick_log_offline_makes_one_row_even_when_its_sync_is_replayed(app_page, alice):
    page = app_page
    log_in(page, alice)
    controlled(page)
    page.goto("/journal/log/")
    point = Point.objects.builtin().order_by("order", "name").first()
    page.context.set_offline(True)
    page.get_by_label("Point").select_option(str(point.pk))
    page.locator("label[for=id_side_0]").click()
    page.locator("label[for=id_pressure_5]").click()
    page.locator("label[for=id_pain_now_3]").click()
    page.locator("label[for=id_none_apply]").click()
    page.get_by_role("button", name="Save to my journal").click()
    expect(page.get_by_text("Saved on this phone, will sync.", exact=False)).to_be_visible()
    waiting(page, 1)
    statuses: list[int] = []

    def replayed(route):
        first = route.fetch()  # the request reaches the server twice (a replay on the way)
        statuses.append(first.status)
        again = route.fetch()
        statuses.append(again.status)
        route.fulfill(response=again)

    page.route("**/journal/log/", replayed)
    page.context.set_offline(False)
    until(page, ALL_SAVED)
    assert statuses == [201, 200]
    assert Session.objects.filter(user=alice).count() == 1
    assert Release.objects.filter(session__user=alice).count() == 1


def log_out_with_an_entry_waiting(page, alice) -> Session:
    """Alice logs a step offline; back online, it cannot be sent yet (its post is cut off) and she taps Log out."""
    session = started_session(alice, steps=2)
    open_runner(page, alice, session)
    page.context.set_offline(True)
    log_without_timer(page, held=20)
    answer(page, 1, pressure=4, pain=3)
    waiting(page, 1)
    cut_off: list[str] = []

    def refuse(route) -> None:
        cut_off.append(route.request.url)
        route.abort()

    page.route("**/log/", refuse)  # the entry cannot be sent yet
    page.context.set_offline(False)
    # The sync that the connection's return starts has tried and failed before the log-out is tapped.
    deadline = time.monotonic() + 20
    while not cut_off:
        assert time.monotonic() < deadline, "the outbox never tried to send"
        page.wait_for_timeout(50)
    waiting(page, 1)
    tap_log_out(page)
    return session


def test_sign_out_asks_about_unsent_entries_and_leaves_nothing_on_the_phone(app_page, alice):
    page = app_page
    session = log_out_with_an_entry_waiting(page, alice)
    dialog = page.get_by_role("dialog", name="Send your entry before you log out?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("1 entry is saved only on this phone")
    backdrop = dialog.evaluate("(d) => getComputedStyle(d, '::backdrop').backgroundColor")
    assert backdrop == "rgba(0, 0, 0, 0.55)"  # the page behind is dimmed: the question is the one thing to answer
    dialog.get_by_role("button", name="Send it now, then log out").click()
    expect(dialog).to_contain_text("could not be sent now")
    page.unroute("**/log/")
    dialog.get_by_role("button", name="Send it now, then log out").click()
    page.get_by_role("link", name="Log in").first.wait_for(timeout=60_000)
    assert rows(session) == [(1, 20, 4, 3, True)]
    no_page_caches(page)
    assert page.evaluate(PAGE_CACHES) == {}
    assert page.evaluate(OUTBOX_ENTRIES) == []


def test_sign_out_can_discard_unsent_entries_after_a_confirm(app_page, alice):
    page = app_page
    session = log_out_with_an_entry_waiting(page, alice)
    asked: list[str] = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.get_by_role("button", name="Log out and discard it").click()
    assert asked and "Discard 1 entry for good? It was never sent." in asked[0]
    assert len(page.evaluate(OUTBOX_ENTRIES)) == 1  # cancelled: nothing discarded, still signed in
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Log out and discard it").click()
    page.get_by_role("link", name="Log in").first.wait_for(timeout=60_000)
    assert page.evaluate(OUTBOX_ENTRIES) == []
    no_page_caches(page)
    assert Release.objects.filter(session=session).count() == 0


def test_another_person_signing_in_on_the_phone_never_sees_sends_or_discards_the_first_ones_entries(app_page, alice):
    """Alice's sign-in expired with an entry waiting; Bob signs in on the same browser: his pages say nothing of it,
    his sync leaves it alone and his sign-out has nothing to ask about. It waits for Alice and goes when she is back."""
    page = app_page
    session = first_step_logged_offline(page, alice, steps=2)
    waiting(page, 1)
    step_label = page.locator("[data-outbox-status] [data-outbox-entry]").first.text_content().split(":")[0]
    page.context.clear_cookies()  # Alice's sign-in ends; she never signed out
    page.context.set_offline(False)
    bob = make_user("bob")
    bob.profile.acknowledge_safety()
    log_in(page, bob)
    status = page.locator("[data-outbox-status]")
    page.wait_for_timeout(500)  # the home page's outbox has read the phone's entries and synced
    page.evaluate("async () => { await window.TenderspotOutbox.sync(); window.TenderspotOutbox.render(); }")
    expect(status.locator("[data-outbox-count]")).to_have_count(0)
    expect(status.locator("[data-outbox-entry]")).to_have_count(0)
    expect(page.get_by_text("waiting")).to_have_count(0)
    expect(page.get_by_text(step_label)).to_have_count(0)
    assert page.evaluate("async () => (await window.TenderspotOutbox.all()).length") == 0
    assert page.evaluate(OUTBOX_ENTRIES) == [[f"release:{session.pk}:1", "waiting"]]  # kept for Alice
    assert Release.objects.filter(session=session).count() == 0
    # Bob logs out: nothing of his to ask about, and Alice's entry survives the log-out's clearing of the site's
    # data (it had deleted the whole outbox); the pages the phone kept go all the same.
    tap_log_out(page)
    page.get_by_role("link", name="Log in").first.wait_for(timeout=60_000)
    expect(page.get_by_role("dialog")).to_have_count(0)
    no_page_caches(page)
    assert page.evaluate(OUTBOX_ENTRIES) == [[f"release:{session.pk}:1", "waiting"]]
    log_in(page, alice)
    until(page, ALL_SAVED)
    assert Release.objects.filter(session=session).count() == 1


def test_a_session_begun_at_its_red_flag_check_reloads_offline_at_its_step(app_page, alice):
    """The runner is loaded once, at the red-flag check (never kept offline); the steps come in place. The phone
    keeps the runner all the same once they are on: offline, a reload opens the session, not "needs a connection"."""
    page = app_page
    session = Session.objects.start(alice, make_routine(alice, steps=2, hold_seconds=HOLD))
    log_in(page, alice)
    controlled(page)
    page.goto(run_url(session))
    page.get_by_text("None of these apply").click()
    page.locator("label[for=id_pain_before_5]").click()
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("Step 1 of 2").wait_for()
    until(page, f"async () => JSON.stringify(await ({PAGE_CACHES})()).includes('{run_url(session)}')")
    page.context.set_offline(True)
    page.reload()
    page.get_by_text("Step 1 of 2").wait_for()
    expect(page.get_by_role("button", name="Start hold")).to_be_visible()


def test_a_pressure_above_seven_logged_offline_is_answered_at_once(app_page, alice):
    """Online, a pressure above 7 is answered at once ("ease off"); offline it went unanswered, even after the sync."""
    page = app_page
    first_step_logged_offline(page, alice, steps=3, pressure=8)
    warning = page.locator("[data-adverse-response]")
    expect(warning).to_contain_text(ADVERSE_PRESSURE_MESSAGE)
    expect(warning).to_contain_text(ADVERSE_FOLLOW_UP)
    log_without_timer(page, held=20)
    answer(page, 2, pressure=4, pain=3)
    page.get_by_text("Step 3 of 3").wait_for()
    expect(warning).to_have_count(0)  # answered once, for the step it belongs to


def test_a_log_out_tapped_as_an_entry_is_queued_still_asks(app_page, alice):
    """The log-out trusts a kept count of unsent entries (0: no question, the server then deletes the phone's
    database). An entry being queued makes that count out of date at once, before the database is written."""
    page = app_page
    session = started_session(alice, steps=2)
    open_runner(page, alice, session)
    page.context.set_offline(True)
    log_without_timer(page, held=20)
    page.locator("label[for=id_tender_0]").click()
    page.locator("label[for=id_pressure_4]").click()
    page.locator("label[for=id_pain_now_3]").click()
    kept = page.evaluate(
        """() => {
            localStorage.setItem("tenderspot-outbox-unsent", "0");  // as drawn before this entry
            document.querySelector("#runner-log button[type=submit]").click();  // queued in this very turn
            return localStorage.getItem("tenderspot-outbox-unsent");
        }"""
    )
    assert kept is None  # unknown: a log-out now looks in the database and asks
    waiting(page, 1)
