"""The share page on a 390 px phone with the longest unbroken value in every user field: nothing runs past the
screen's edge (no horizontal scrolling, no element wider than the viewport)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from journal.models import ShareLink
from journal.tokens import new_token
from tests.clients.longest import LONGEST_LABEL, make_longest_log
from tests.e2e.test_page_width import PAST_THE_EDGE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_longest_values_wrap_on_a_phone(page, owner):
    make_longest_log(owner)
    token, token_hash = new_token()
    ShareLink.objects.create(
        user=owner, label=LONGEST_LABEL, token_hash=token_hash, expires_at=timezone.now() + timedelta(days=7)
    )
    page.goto(f"/journal/s/{token}/")
    assert page.evaluate("window.innerWidth") == 390
    assert page.get_by_role("heading", name="Log: one row per session").is_visible()
    offenders = page.evaluate(PAST_THE_EDGE)  # a wide table may scroll inside its box; the page must not
    assert offenders == [], "\n".join(offenders)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.console_errors == []
