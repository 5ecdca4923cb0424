"""The session list on a 320 px phone: each session's date stays on one line ("Mon 2 Mar 2026", not broken across
lines), and the page does not scroll sideways."""

import pytest

from tests.factories import make_log

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dates_stay_on_one_line_at_320(signed_in_page, owner):
    page = signed_in_page
    make_log(owner, days=3)
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto("/journal/sessions/")
    links = page.locator("tbody th[scope=row] a")
    assert links.count() == 3
    for link in links.all():
        rects = link.evaluate("(a) => new Set([...a.getClientRects()].map((r) => Math.round(r.top))).size")
        assert rects == 1, link.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
