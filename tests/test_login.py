import pytest
from django.test import Client

URL = "/accounts/login/"


@pytest.mark.django_db
def test_login_starts_a_new_session_id(owner, password):
    from django.contrib.sessions.models import Session as StoredSession

    client = Client()
    anonymous = client.session  # an anonymous visitor's session, as a fixation attacker would plant it
    anonymous["probe"] = 1
    anonymous.save()
    client.cookies["sessionid"] = anonymous.session_key
    response = client.post(URL, {"username": "owner", "password": password})
    assert response.status_code == 302
    signed_in = client.cookies["sessionid"].value
    assert signed_in != anonymous.session_key
    assert not StoredSession.objects.filter(session_key=anonymous.session_key).exists()


@pytest.mark.django_db
def test_wrong_password_is_a_clear_error(client, owner):
    response = client.post(URL, {"username": "owner", "password": "wrong"})
    assert response.status_code == 200
    assert "do not match" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_five_failures_lock_the_account_for_fifteen_minutes(client, owner, password):
    for _ in range(4):
        assert client.post(URL, {"username": "owner", "password": "wrong"}).status_code == 200
    locked = client.post(URL, {"username": "owner", "password": "wrong"})
    assert locked.status_code == 429
    assert "5 failed log-in attempts" in locked.content.decode()
    # Even the right password is refused while locked, from the same address (other addresses: test_signin_abuse).
    again = Client().post(URL, {"username": "owner", "password": password})
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_is_per_account(client, owner, other_user, password):
    for _ in range(5):
        client.post(URL, {"username": "owner", "password": "wrong"})
    response = client.post(URL, {"username": "other", "password": password})
    assert response.status_code == 302


@pytest.mark.django_db
def test_lock_expires_after_the_cool_off(client, owner, password, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt

    for _ in range(5):
        client.post(URL, {"username": "owner", "password": "wrong"})
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=16))
    assert client.post(URL, {"username": "owner", "password": password}).status_code == 302


@pytest.mark.django_db
def test_logout_is_post_only(owner_client):
    assert owner_client.get("/accounts/logout/").status_code == 405
    assert owner_client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in owner_client.session
