"""One URL answers a page or, to htmx, its partial: history restores get the page, and caches are told apart."""

import pytest
from django.urls import reverse

from tests.factories import make_log

pytestmark = pytest.mark.django_db
URL = reverse("journal:session_list")
HTMX = {"HX-Request": "true"}


def test_htmx_gets_the_partial_and_a_plain_load_the_page(owner, owner_client):
    make_log(owner, days=2)
    partial = owner_client.get(URL, headers=HTMX)
    page = owner_client.get(URL)
    assert "<html" not in partial.text and 'id="session-results"' in partial.text
    assert "<html" in page.text


def test_a_history_restore_gets_the_whole_page(owner, owner_client):
    """htmx asks for the whole page when the page pushed by the filter is no longer in its history cache."""
    make_log(owner, days=2)
    response = owner_client.get(URL + "?page=1", headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert "<html" in response.text and "<main" in response.text


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_responses_vary_on_the_htmx_header(owner_client, headers):
    vary = owner_client.get(URL, headers=headers)["Vary"]
    assert "HX-Request" in [v.strip() for v in vary.split(",")]
