import re

import pytest
from django.core import mail

from tests.factories import make_user


@pytest.mark.django_db
def test_change_password(owner_client, owner, password):
    url = "/accounts/password/change/"
    bad = owner_client.post(url, {"old_password": "wrong", "new_password1": "x", "new_password2": "y"})
    assert bad.status_code == 200 and "incorrectly" in bad.content.decode()
    owner.refresh_from_db()
    assert owner.check_password(password)
    ok = owner_client.post(
        url,
        {
            "old_password": password,
            "new_password1": "brand-new-passphrase-7",
            "new_password2": "brand-new-passphrase-7",
        },
    )
    assert ok.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("brand-new-passphrase-7")


def test_change_password_needs_login(anonymous_client):
    response = anonymous_client.get("/accounts/password/change/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_reset_by_email_end_to_end(client):
    make_user("resetme", email="me@example.org")
    response = client.post("/accounts/password/reset/", {"email": "me@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "fresh-passphrase-42", "new_password2": "fresh-passphrase-42"})
    assert done.status_code == 302
    login = client.post("/accounts/login/", {"username": "resetme", "password": "fresh-passphrase-42"})
    assert login.status_code == 302


@pytest.mark.django_db
def test_reset_for_unknown_email_does_not_disclose(client):
    known = make_user("known", email="known@example.org")
    assert known
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    known_response = client.post("/accounts/password/reset/", {"email": "known@example.org"})
    assert unknown.status_code == known_response.status_code == 302
    assert unknown["Location"] == known_response["Location"]
    assert len(mail.outbox) == 1
