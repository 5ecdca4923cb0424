"""Emergency and urgent numbers follow where the person lives; another country's numbers are never shown."""

import re

import pytest
from django.urls import reverse

from accounts.care import CareRegion, care_for, region_for_zone
from journal.models import SafetyAnswer, SessionStatus
from journal.redflags import RedFlag
from tests.factories import make_user, on_day

pytestmark = pytest.mark.django_db

UK_NUMBERS = re.compile(r"\b(999|111)\b|A&amp;E|A&E|NHS|\bGP\b")


def uk_only(html: str) -> re.Match[str] | None:
    """A UK number or service in what `html` says or links to, never in its random CSP nonces or hashed file
    names (a nonce once held "NHS")."""
    said = re.sub(r"<[^>]*>", " ", html)
    links = " ".join(re.findall(r'href="(tel:[^"]*)"', html))
    return UK_NUMBERS.search(f"{said} {links}")


@pytest.mark.parametrize(
    ("zone", "region"),
    [
        ("Europe/London", CareRegion.UK),
        ("Europe/Dublin", CareRegion.IRELAND),
        ("Europe/Berlin", CareRegion.EU),
        ("Europe/Paris", CareRegion.EU),
        ("America/New_York", CareRegion.US),
        ("America/Toronto", CareRegion.CANADA),
        ("Australia/Sydney", CareRegion.AUSTRALIA),
        ("Pacific/Auckland", CareRegion.NEW_ZEALAND),
        ("Asia/Tokyo", CareRegion.OTHER),
        ("America/Mexico_City", CareRegion.OTHER),
        ("UTC", CareRegion.OTHER),
    ],
)
def test_region_from_time_zone_only_where_unambiguous(zone, region):
    assert region_for_zone(zone) == region


@pytest.mark.parametrize(
    ("region", "emergency"),
    [
        (CareRegion.UK, ["999"]),
        (CareRegion.IRELAND, ["112", "999"]),
        (CareRegion.EU, ["112"]),
        (CareRegion.US, ["911"]),
        (CareRegion.CANADA, ["911"]),
        (CareRegion.AUSTRALIA, ["000"]),
        (CareRegion.NEW_ZEALAND, ["111"]),
        (CareRegion.OTHER, []),
    ],
)
def test_each_country_has_its_own_emergency_numbers(region, emergency):
    assert [n.digits for n in care_for(region).emergency] == emergency


def client_for(client, user):
    user.profile.acknowledge_safety()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def pages_with_numbers(client, user) -> list[str]:
    """The safety page, the dashboard with an open report, the follow-up question and a stopped session's summary."""
    flagged = on_day(
        user, 0, status=SessionStatus.STOPPED, safety_check=SafetyAnswer.YES, red_flag_items=[RedFlag.FEVER]
    )
    return [
        client.get(reverse("safety")).content.decode(),
        client.get(reverse("home")).content.decode(),
        client.get(reverse("journal:red_flag_follow_up")).content.decode(),
        client.get(reverse("journal:session_summary", args=[flagged.pk])).content.decode(),
        client.get(reverse("journal:session_detail", args=[flagged.pk])).content.decode(),
    ]


def test_a_user_in_berlin_never_sees_uk_numbers(client):
    user = make_user("berlin", time_zone="Europe/Berlin")
    for html in pages_with_numbers(client_for(client, user), user):
        assert not uk_only(html), uk_only(html)
        assert 'href="tel:112"' in html


def test_a_user_in_the_uk_gets_tap_to_call_999_and_111(client):
    user = make_user("london", time_zone="Europe/London")
    for html in pages_with_numbers(client_for(client, user), user):
        assert 'href="tel:999"' in html and 'href="tel:111"' in html and "A&amp;E" in html


def test_a_user_elsewhere_gets_their_local_emergency_number_in_words(client):
    user = make_user("tokyo", time_zone="Asia/Tokyo")
    for html in pages_with_numbers(client_for(client, user), user):
        assert "your local emergency number" in html
        # Examples, each named by where it applies, and the way to show their own country's number.
        assert "112 anywhere in the European Union, 911 in the United States and Canada" in html
        assert f'Choose your country in <a href="{reverse("accounts:settings")}">Settings</a>' in html
        assert 'href="tel:' not in html
        assert not uk_only(html)


def test_the_chosen_country_wins_over_the_time_zone(client):
    user = make_user("expat", time_zone="Europe/London")
    user.profile.care_region = CareRegion.US
    user.profile.save()
    for html in pages_with_numbers(client_for(client, user), user):
        assert 'href="tel:911"' in html and not uk_only(html)


def test_anonymous_visitors_see_no_countrys_numbers(client):
    for url in ("/", "/safety/"):
        assert not uk_only(client.get(url).content.decode())
    safety = client.get("/safety/").content.decode()
    assert "your local emergency number (for example 112" in safety and "Choose your country" not in safety


def test_settings_preselect_the_region_from_the_time_zone_and_save_a_choice(client):
    user = make_user("lisbon", time_zone="Europe/Lisbon")
    client = client_for(client, user)
    html = client.get(reverse("accounts:settings")).content.decode()
    assert re.search(r'<option value="eu" selected>', html)
    data = {"time_zone": "Europe/Lisbon", "care_region": "au", "default_hold_seconds": 45, "lead_in_seconds": 5}
    assert client.post(reverse("accounts:settings"), data).status_code == 302
    user.profile.refresh_from_db()
    assert user.profile.care_region == CareRegion.AUSTRALIA
    bad = client.post(reverse("accounts:settings"), {**data, "care_region": "atlantis"})
    assert bad.status_code == 422
    user.profile.refresh_from_db()
    assert user.profile.care_region == CareRegion.AUSTRALIA


def test_the_runner_stop_panel_uses_the_users_numbers(client, htmx_headers):
    from journal.runner.forms import red_flag_field_name
    from tests.factories import make_routine, make_session, session_url

    user = make_user("madrid", time_zone="Europe/Madrid")
    client = client_for(client, user)
    session = make_session(user, make_routine(user))
    html = client.post(
        session_url("session_check", session), {red_flag_field_name(RedFlag.BOTH_LEGS): "yes"}, headers=htmx_headers
    ).content.decode()
    assert 'href="tel:112"' in html and not uk_only(html)
