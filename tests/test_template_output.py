"""No template code ever reaches a user: every page and every htmx partial the app serves is rendered (signed out,
signed in, with data, after a successful and a refused form) and the output must hold no `{#`, `#}`, `{%`, `%}`
or `{{`. Django prints a `{# ... #}` comment that spans lines, and an unclosed tag, as plain text.

The URLs come from tests/audit/access_map.py, which tests/test_access_control.py keeps complete: a new view is
covered here without being listed.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from routines.models import Routine
from tests.audit.access_map import OWNER, PUBLIC, ROUTES, SIGNED_IN, TOKEN
from tests.factories import form_key, make_log

TEMPLATE_CODE = re.compile(r"\{#|#\}|\{%|%\}|\{\{")
HTMX = {"HX-Request": "true"}


def leaked(body: str) -> list[str]:
    """Each piece of template code in `body`, with a little context."""
    return [body[max(0, m.start() - 60) : m.end() + 60] for m in TEMPLATE_CODE.finditer(body)]


def test_no_template_comment_spans_lines():
    """The source rule behind the leak: Django's `{# #}` is one line only; a longer comment needs {% comment %}."""
    found = []
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in Path(directory).rglob("*.html"):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                for opening in re.finditer(r"\{#", line):
                    if "#}" not in line[opening.end() :]:
                        found.append(f"{path}:{number}")
    assert not found, f"multi-line {{# #}} comments (use {{% comment %}}): {found}"


@pytest.fixture
def people(owner, other_user):
    owner.profile.acknowledge_safety()
    make_log(owner, days=10)
    return owner


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


GET_ROUTES = sorted(name for name, route in ROUTES.items() if "GET" in route.methods)


@pytest.mark.django_db
@pytest.mark.parametrize("name", GET_ROUTES)
def test_no_template_code_on_any_page_or_partial(name, people):
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(people))
    visitors = [signed_in(people)]
    if route.kind in (PUBLIC, TOKEN):
        visitors.append(Client())
    for client in visitors:
        for headers in ({}, HTMX):
            response = client.get(url, headers=headers)
            if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
                assert not leaked(response.content.decode()), (name, headers, leaked(response.content.decode()))


POST_ROUTES = sorted(name for name, route in ROUTES.items() if "POST" in route.methods and route.kind != TOKEN)


@pytest.mark.django_db
@pytest.mark.parametrize("name", POST_ROUTES)
def test_no_template_code_after_a_refused_post(name, people):
    """An empty POST: every form's error partial (or whatever the view answers) is checked too."""
    route = ROUTES[name]
    assert route.kind in (PUBLIC, SIGNED_IN, OWNER)
    url = reverse(name, kwargs=route.kwargs(people))
    for headers in ({}, HTMX):
        response = signed_in(people).post(url, {}, headers=headers)
        if response.get("Content-Type", "").startswith("text/html"):
            assert not leaked(response.content.decode()), (name, headers, leaked(response.content.decode()))


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_no_template_code_after_making_a_link_or_a_reminder(people, headers):
    """The panels that show a new secret address once ("Make the link", "Make the reminder")."""
    client = signed_in(people)
    made = [
        client.post(
            reverse("journal:share_list"), {"label": "Physio", "key": form_key(), "expires_in_days": 7}, headers=headers
        ),
        client.post(
            reverse("journal:reminder_list"),
            {
                "routine": Routine.objects.builtin().get(slug="glutes-only").pk,
                "weekdays": [0, 2],
                "time_of_day": "07:30",
                "duration_minutes": 15,
                "key": form_key(),
            },
            headers=headers,
        ),
    ]
    for response in made:
        assert response.status_code == 201, response.content.decode()[:500]
        assert not leaked(response.content.decode()), leaked(response.content.decode())
