import re
from urllib.parse import urlencode

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from accounts.decorators import safety_acknowledged
from journal.models import Session
from routines.models import Routine


@safety_acknowledged
def start_something(request):
    return HttpResponse("started")


def call(user, method="get", path="/start/", headers=None):
    request = getattr(RequestFactory(), method)(path, headers=headers or {})
    request.user = user
    request.htmx = HtmxDetails(request)
    return start_something(request)


@pytest.mark.django_db
def test_unacknowledged_user_is_sent_to_the_notice_and_back(owner):
    response = call(owner)
    assert response.status_code == 302
    assert response["Location"] == "/safety/?next=%2Fstart%2F"


@pytest.mark.django_db
def test_post_returns_to_the_referring_page(owner):
    response = call(owner, "post", headers={"Referer": "/routines/1/"})
    assert response["Location"] == "/safety/?next=%2Froutines%2F1%2F"  # a form with fields is not replayed


@pytest.mark.django_db
def test_htmx_gets_a_client_redirect(owner):
    response = call(owner, "post", headers={"HX-Request": "true", "Referer": "/routines/1/"})
    assert response.status_code == 200 and response["HX-Redirect"].startswith("/safety/")


@pytest.mark.django_db
def test_acknowledged_user_goes_through(owner):
    owner.profile.acknowledge_safety()
    assert call(owner).content == b"started"


# The notice continues what the person asked for ---------------------------------------------------------------


def acknowledge(client, gate_response):
    """Follows the gate to the notice and presses its button, as a browser would (a 307 repeats the POST)."""
    notice = client.get(gate_response["Location"])
    fields = dict(re.findall(r'<input type="hidden" name="(next|then)" value="([^"]*)"', notice.content.decode()))
    return client.post("/safety/", fields)


@pytest.mark.django_db
def test_starting_a_session_goes_ahead_after_the_notice(owner, owner_client):
    routine = Routine.objects.builtin().get(slug="glutes-only")
    gate = owner_client.post(f"/journal/routines/{routine.pk}/start/", headers={"Referer": f"/routines/{routine.pk}/"})
    assert gate.status_code == 302 and gate["Location"].startswith("/safety/")
    assert not Session.objects.filter(user=owner).exists()
    replay = acknowledge(owner_client, gate)
    assert replay.status_code == 307 and replay["Location"] == f"/journal/routines/{routine.pk}/start/"
    started = owner_client.post(replay["Location"])  # the browser repeats the POST with the notice form's token
    session = Session.objects.get(user=owner)
    assert started.status_code == 302 and started["Location"] == f"/journal/sessions/{session.pk}/run/"


@pytest.mark.django_db
def test_copying_a_routine_goes_ahead_after_the_notice(owner, owner_client):
    routine = Routine.objects.builtin().get(slug="glutes-only")
    gate = owner_client.post(f"/routines/{routine.pk}/copy/", headers={"Referer": f"/routines/{routine.pk}/"})
    replay = acknowledge(owner_client, gate)
    owner_client.post(replay["Location"])
    assert Routine.objects.filter(owner=owner, copied_from=routine).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "then", ["/accounts/delete/", "/journal/share/1/revoke/", "https://evil.example/x", "//evil.example/", "/nowhere/"]
)
def test_the_notice_replays_only_gated_actions(owner, owner_client, then):
    response = owner_client.post("/safety/", {"next": "/routines/", "then": then})
    assert response.status_code == 302 and response["Location"] == "/routines/"
    assert f'value="{then}"' not in owner_client.get("/safety/?" + urlencode({"then": then})).content.decode()


@pytest.mark.django_db
def test_a_htmx_start_reaches_the_notice_with_its_action(owner, owner_client):
    routine = Routine.objects.builtin().get(slug="glutes-only")
    gate = owner_client.post(
        f"/journal/routines/{routine.pk}/start/", headers={"HX-Request": "true", "Referer": f"/routines/{routine.pk}/"}
    )
    assert "then=%2Fjournal%2Froutines%2F" in gate["HX-Redirect"]
