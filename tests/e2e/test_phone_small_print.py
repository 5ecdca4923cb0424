"""Small print on a phone (390 x 844 and 360 x 640): the 0-10 scales' end words are readable and whole, and a
stacked table shows no label without a value."""

import pytest

from journal.models import Session
from tests.factories import make_routine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONES = [(390, 844), (360, 640)]

# Each anchor's font size, and how many lines each of its words takes (a word on two lines was broken).
ANCHORS = """() => [...document.querySelectorAll(".scale-anchor")].map((el) => {
  const range = document.createRange();
  const text = el.firstChild;
  const broken = [];
  for (const m of text.data.matchAll(/\\S+/g)) {
    range.setStart(text, m.index);
    range.setEnd(text, m.index + m[0].length);
    const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    if (lines.size > 1) broken.push(m[0]);
  }
  return {text: text.data, size: parseFloat(getComputedStyle(el).fontSize), broken};
})"""


@pytest.mark.parametrize(("width", "height"), PHONES)
def test_scale_end_words_are_at_least_14_px_and_whole(signed_in_page, ready, width, height):
    page = signed_in_page
    Session.objects.mark_assessed(ready)
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/journal/log/")
    anchors = page.evaluate(ANCHORS)
    texts = {a["text"] for a in anchors}
    assert {"no pain", "worst pain imaginable"} <= texts, texts
    for anchor in anchors:
        assert anchor["size"] >= 14, anchor
        assert anchor["broken"] == [], anchor
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_scale_end_words_are_at_least_12_px_at_320(signed_in_page, ready):
    page = signed_in_page
    Session.objects.mark_assessed(ready)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/journal/log/")
    for anchor in page.evaluate(ANCHORS):
        assert anchor["size"] >= 12, anchor
        assert anchor["broken"] == [], anchor


@pytest.mark.parametrize(("width", "height"), PHONES)
def test_a_stacked_release_without_notes_shows_no_notes_label(signed_in_page, ready, width, height):
    page = signed_in_page
    session = Session.objects.start(ready, make_routine(owner=ready, steps=2, name="Evening"))
    session.answer_safety_check([], pain_before=5)
    session.log_release(1, held_seconds=40, tender=True, pressure=4, pain_now=4, notes="Eased off halfway.")
    session.log_release(2, held_seconds=40, tender=False, pressure=4, pain_now=4)
    session.finish(3, "")
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"/journal/sessions/{session.pk}/summary/")
    notes = page.locator("td[data-label=Notes]")
    assert notes.count() == 2
    assert notes.nth(0).is_visible() and "Eased off" in notes.nth(0).inner_text()
    assert not notes.nth(1).is_visible()
