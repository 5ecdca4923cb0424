"""A release corrected in place on the session page (htmx) looks as it does when the page is loaded afresh: the
same card, the same rows and buttons, only the "Release saved." status added."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_release, make_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CARD = """(card) => {
  const copy = card.cloneNode(true);
  copy.querySelectorAll("[role=status]").forEach((el) => el.remove());
  copy.querySelectorAll("[autofocus]").forEach((el) => el.removeAttribute("autofocus"));
  copy.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach((el) => el.removeAttribute("value"));
  return copy.outerHTML;
}"""


def normalised(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


@pytest.mark.parametrize(("width", "height"), [(390, 844), (360, 640)])
def test_a_corrected_card_matches_a_freshly_loaded_one(signed_in_page, owner, width, height):
    page = signed_in_page
    session = make_session(owner)
    release = make_release(session, 1, tender=True, pressure=6, pain_now=4)
    make_release(session, 2, tender=False, pressure=3, pain_now=3, notes="Lighter on this side.")
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"/journal/sessions/{session.pk}/")
    card = page.locator(f"#release-{release.pk}")
    card.get_by_role("link", name="Edit step 1").click()
    form = page.locator(f"#release-{release.pk} form")
    form.get_by_label("Pressure (0-10)").fill("5")
    form.get_by_label("Notes").fill("Eased off.")
    form.get_by_role("button", name="Save step 1").click()
    page.locator(f"#release-{release.pk} [role=status]").wait_for()
    corrected = page.locator(f"#release-{release.pk}")
    after_save = corrected.evaluate(CARD)
    saved_box = corrected.bounding_box()
    page.goto(f"/journal/sessions/{session.pk}/")
    fresh = page.locator(f"#release-{release.pk}")
    assert normalised(after_save) == normalised(fresh.evaluate(CARD))
    assert "5 / 10" in fresh.inner_text() and "Eased off." in fresh.inner_text()
    fresh_box = fresh.bounding_box()
    assert saved_box and fresh_box and abs(saved_box["width"] - fresh_box["width"]) < 1


@pytest.mark.parametrize(("width", "height"), [(390, 844), (360, 640)])
def test_a_step_corrected_in_the_runner_keeps_the_runner_list_shape(signed_in_page, owner, width, height):
    """From the runner's "Logged so far" list: the corrected step comes back as a line of that list (as the page
    shows it when loaded afresh), not as the session page's card, and Cancel stays in the session."""
    from journal.models import Session
    from tests.factories import make_routine

    page = signed_in_page
    owner.profile.acknowledge_safety()
    session = Session.objects.start(owner, make_routine(owner=owner, steps=3, hold_seconds=60, name="Evening"))
    session.answer_safety_check([], pain_before=5)
    session.log_release(1, held_seconds=60, tender=True, pressure=6, pain_now=4)
    release = session.releases.get(position=1)
    run = f"/journal/sessions/{session.pk}/run/"
    page.set_viewport_size({"width": width, "height": height})
    page.goto(run)
    page.get_by_text("Logged so far").click()
    page.get_by_role("link", name="Correct step 1").click()
    form = page.locator(f"#release-{release.pk} form")
    assert form.get_by_role("link", name="Cancel").get_attribute("href") == run
    form.get_by_label("Pressure (0-10)").fill("4")
    form.get_by_role("button", name="Save step 1").click()
    page.locator(f"#release-{release.pk} [role=status]").wait_for(state="attached")
    item = page.locator(f"#release-{release.pk}")
    after_save = item.evaluate(CARD)
    assert "pressure 4" in item.inner_text()
    page.goto(run)
    page.get_by_text("Logged so far").click()
    assert normalised(after_save) == normalised(page.locator(f"#release-{release.pk}").evaluate(CARD))


def test_a_correction_past_the_sessions_length_is_refused_in_place(signed_in_page, owner):
    """A session begun moments ago cannot hold 600 s in a step: the runner's in-place form says the most it may
    hold, and the step keeps its figure."""
    from journal.models import Session
    from tests.factories import make_routine

    page = signed_in_page
    owner.profile.acknowledge_safety()
    session = Session.objects.start(owner, make_routine(owner=owner, steps=3, hold_seconds=60, name="Evening"))
    session.answer_safety_check([], pain_before=5)
    session.skip(1)
    release = session.releases.get(position=1)
    page.goto(f"/journal/sessions/{session.pk}/run/")
    page.get_by_text("Logged so far").click()
    page.get_by_role("link", name="Correct step 1").click()
    form = page.locator(f"#release-{release.pk} form")
    form.get_by_label("Skipped").uncheck()
    form.get_by_label("Held (seconds)").fill("600")
    form.get_by_role("button", name="Save step 1").click()
    expect(form.get_by_text(re.compile(r"At most \d+ seconds"))).to_be_visible()
    release.refresh_from_db()
    assert (release.skipped, release.held_seconds) == (True, 0)
