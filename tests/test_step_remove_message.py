"""Removing a step says so once: the status message ("Removed step N: ..."), with an "Undo" button next to the
steps that does not repeat it (the page said "Removed ..." twice)."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_routine

pytestmark = pytest.mark.django_db


@pytest.fixture
def routine(ready):
    return make_routine(owner=ready, steps=3)


def remove_url(routine) -> str:
    step = routine.steps.get(position=2)
    return reverse("routines:step_remove", args=[routine.pk, step.pk])


def visible_text(html: str) -> str:
    """The page without the text kept for screen readers only (the Undo button's full name)."""
    return re.sub(r'<span class="visually-hidden">.*?</span>', "", html)


def test_a_plain_removal_says_removed_once(owner_client, routine):
    response = owner_client.post(remove_url(routine), follow=True)
    html = visible_text(response.content.decode())
    assert html.count("Removed") == 1
    assert "Undo" in html


def test_an_htmx_removal_says_removed_once(owner_client, routine, htmx_headers):
    response = owner_client.post(remove_url(routine), headers=htmx_headers)
    html = visible_text(response.content.decode())
    assert html.count("Removed") == 1
    assert "Undo" in html
