"""No copy of a signed-in page survives logout: every signed-in answer says `Cache-Control: private, no-store`,
htmx keeps no history snapshots, and logging out tells the browser to clear the site's cache and storage."""

import pytest
from django.urls import reverse

from tests.factories import make_log

SIGNED_IN_PAGES = [
    "home",
    "journal:trends",
    "journal:session_list",
    "journal:exports",
    "journal:share_list",
    "journal:reminder_list",
    "accounts:settings",
    "accounts:password_change",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", SIGNED_IN_PAGES)
def test_every_signed_in_page_is_private_and_never_stored(owner, owner_client, htmx_headers, url_name):
    make_log(owner, days=3)
    for headers in ({}, htmx_headers):
        response = owner_client.get(reverse(url_name), headers=headers)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], response["Cache-Control"]
        assert "Cookie" in response["Vary"]


@pytest.mark.django_db
def test_signed_in_downloads_and_redirects_are_never_stored(owner, owner_client):
    make_log(owner, days=2)
    for url in (reverse("journal:export_csv"), reverse("journal:export_json")):
        assert "no-store" in owner_client.get(url)["Cache-Control"]
    saved = owner_client.post(reverse("accounts:settings"), {"time_zone": "UTC", "default_hold_seconds": 45})
    assert "no-store" in saved["Cache-Control"]


@pytest.mark.django_db
def test_public_pages_stay_cacheable(anonymous_client):
    response = anonymous_client.get(reverse("safety"))
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_logout_clears_the_sites_cache_and_storage(owner_client):
    response = owner_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_logout_spares_the_storage_only_when_the_page_says_another_persons_entries_wait(owner_client):
    """static/js/outbox.js sends `keep_others` after deleting the leaving user's own copies itself; the session
    ends all the same."""
    response = owner_client.post(reverse("accounts:logout"), {"keep_others": "1"})
    assert response.status_code == 302 and response["Clear-Site-Data"] == '"cache"'
    assert owner_client.get(reverse("journal:trends")).status_code == 302  # logged out


@pytest.mark.django_db
def test_htmx_keeps_no_history_snapshots(owner_client):
    body = owner_client.get(reverse("journal:trends")).content.decode()
    assert '"historyCacheSize":0' in body
    assert "js/theme.js" in body
    from django.conf import settings

    assert 'removeItem("htmx-history-cache")' in (settings.BASE_DIR / "static" / "js" / "theme.js").read_text()
