import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from journal.models import Reminder, ShareLink
from tests.factories import PASSWORD, make_point, make_release, make_routine, make_session, make_user

URL = "/accounts/delete/"


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def give_data(user) -> None:
    """One row of every kind a user can own."""
    point = make_point(owner=user)
    routine = make_routine(owner=user, steps=3)
    session = make_session(user, routine=routine)
    make_release(session, 1)
    make_release(session, 2)
    ShareLink.objects.create(
        user=user,
        label="Physio",
        token_hash=f"{user.pk:064d}",
        expires_at=timezone.now() + timezone.timedelta(days=7),
    )
    Reminder.objects.create(
        user=user, routine=routine, weekdays=[0, 2], time_of_day="07:30", token_hash=f"r{user.pk:063d}"
    )
    assert point.pk


@pytest.mark.django_db
def test_delete_erases_every_row_of_the_user_and_nothing_else():
    other = make_user("other")
    give_data(other)
    before_owner = row_counts()

    owner = make_user("owner")
    give_data(owner)
    client = Client()
    client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    with_owner = row_counts()
    assert with_owner != before_owner

    response = client.post(URL, {"password": PASSWORD})
    assert response.status_code == 302

    after = row_counts()
    # Every model is back to exactly what it held before the owner existed; the other user's data is intact.
    assert after == before_owner
    assert get_user_model().objects.filter(username="other").exists()


@pytest.mark.django_db
def test_wrong_password_erases_nothing(owner_client, owner):
    give_data(owner)
    before = row_counts()
    response = owner_client.post(URL, {"password": "not-it"})
    assert response.status_code == 422
    assert "not right" in response.content.decode()
    assert row_counts() == before


def test_anonymous_is_sent_to_login(anonymous_client):
    response = anonymous_client.post(URL, {"password": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_wrong_method(owner_client):
    assert owner_client.put(URL).status_code == 405


@pytest.mark.django_db
def test_htmx_gets_partial(owner_client, htmx_headers):
    response = owner_client.post(URL, {"password": "nope"}, headers=htmx_headers)
    body = response.content.decode()
    assert response.status_code == 422 and 'id="delete-form"' in body and "<html" not in body
