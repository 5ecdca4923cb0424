import re

import pytest

URL = "/accounts/settings/"


def test_anonymous_is_sent_to_login(anonymous_client):
    response = anonymous_client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_save_settings(owner_client, owner):
    response = owner_client.post(
        URL,
        {"time_zone": "America/New_York", "default_hold_seconds": 50, "lead_in_seconds": 3, "sound_on": ""},
    )
    assert response.status_code == 302
    owner.profile.refresh_from_db()
    assert (owner.profile.time_zone, owner.profile.default_hold_seconds) == ("America/New_York", 50)
    assert owner.profile.lead_in_seconds == 3 and owner.profile.sound_on is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad",
    [
        {"default_hold_seconds": 0},
        {"default_hold_seconds": 999},
        {"default_hold_seconds": "abc"},
        {"lead_in_seconds": -1},
        {"time_zone": "Nowhere/Atlantis"},
    ],
)
def test_bad_input_saves_nothing(owner_client, owner, bad):
    data = {"time_zone": "Europe/Paris", "default_hold_seconds": 40, "lead_in_seconds": 5, **bad}
    response = owner_client.post(URL, data)
    assert response.status_code == 422
    assert "invalid-feedback" in response.content.decode()
    owner.profile.refresh_from_db()
    assert owner.profile.time_zone == "UTC" and owner.profile.default_hold_seconds == 45


@pytest.mark.django_db
def test_htmx_gets_the_form_partial(owner_client, htmx_headers):
    response = owner_client.post(
        URL, {"time_zone": "UTC", "default_hold_seconds": 40, "lead_in_seconds": 5}, headers=htmx_headers
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="settings-form"' in body and "<html" not in body


@pytest.mark.django_db
def test_wrong_method(owner_client):
    assert owner_client.delete(URL).status_code == 405


@pytest.mark.django_db
def test_an_htmx_save_confirms_in_place_and_leaves_nothing_for_the_next_page(owner_client, htmx_headers):
    response = owner_client.post(
        URL, {"time_zone": "UTC", "default_hold_seconds": 40, "lead_in_seconds": 5}, headers=htmx_headers
    )
    assert 'role="status"' in response.content.decode() and "Settings saved." in response.content.decode()
    assert "Settings saved." not in owner_client.get("/").content.decode()


@pytest.mark.django_db
def test_a_plain_save_confirms_on_the_settings_page(owner_client):
    response = owner_client.post(
        URL, {"time_zone": "UTC", "default_hold_seconds": 40, "lead_in_seconds": 5}, follow=True
    )
    assert response.redirect_chain[-1][0] == URL and "Settings saved." in response.content.decode()


@pytest.mark.django_db
def test_the_zone_list_holds_real_current_zones_with_the_users_region_first(owner, owner_client):
    owner.profile.time_zone = "Europe/Berlin"
    owner.profile.save()
    body = owner_client.get(URL).content.decode()
    for stale in ("Factory", "localtime", "posixrules", "US/Eastern", "GB", "EST5EDT", "Etc/GMT+5"):
        assert f'value="{stale}"' not in body
    groups = re.findall(r'<optgroup label="([^"]+)"', body)
    assert groups[0] == "Europe" and {"America", "Asia", "Africa", "Australia"} <= set(groups)
    assert '<option value="Europe/Berlin" selected>Berlin</option>' in body


@pytest.mark.django_db
def test_an_older_zone_name_in_a_profile_is_kept_when_saving(owner, owner_client):
    owner.profile.time_zone = "US/Eastern"  # a link zoneinfo still knows, left out of the list
    owner.profile.save()
    body = owner_client.get(URL).content.decode()
    assert '<option value="US/Eastern" selected>' in body
    response = owner_client.post(URL, {"time_zone": "US/Eastern", "default_hold_seconds": 40, "lead_in_seconds": 5})
    assert response.status_code == 302


@pytest.mark.django_db
def test_hands_free_is_off_until_turned_on(owner, owner_client):
    assert (owner.profile.auto_start_next, owner.profile.spoken_cues) == (False, False)
    owner_client.post(
        URL,
        {
            "time_zone": "UTC",
            "default_hold_seconds": 40,
            "lead_in_seconds": 5,
            "sound_on": "on",
            "auto_start_next": "on",
            "spoken_cues": "on",
        },
    )
    owner.profile.refresh_from_db()
    assert (owner.profile.auto_start_next, owner.profile.spoken_cues) == (True, True)


def test_settings_point_to_the_name_on_the_report(owner_client):
    """The report's name and questions live on the export page; the settings say where."""
    html = owner_client.get("/accounts/settings/").text
    assert 'href="/journal/exports/#report-details">Your name and questions on the practitioner report</a>' in html
