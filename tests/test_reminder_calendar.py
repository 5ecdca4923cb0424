"""Reminder calendar: a private, revocable RFC 5545 feed with a weekly rule, an alarm and the user's time zone."""

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from django.urls import reverse
from icalendar import Calendar

from journal.models import REMINDER_MAX_MINUTES, AccessMiss, Reminder
from journal.reminders.ics import ALARM_LEAD_MINUTES
from journal.tokens import hash_token
from routines.models import Routine
from tests.factories import form_key, make_routine

LIST_URL = reverse("journal:reminder_list")


def create(client, **data):
    routine = data.pop("routine", None) or Routine.objects.builtin().get(slug="glutes-only")
    payload = {
        "routine": routine.pk,
        "weekdays": [0, 2, 4],
        "time_of_day": "07:30",
        "duration_minutes": 15,
        "key": form_key(),
        **data,
    }
    return client.post(LIST_URL, payload)


def feed_url_of(response) -> str:
    return re.search(r'value="http://testserver(/journal/calendar/[^"]+\.ics)"', response.content.decode()).group(1)


def test_anonymous_is_sent_to_login(anonymous_client):
    response = anonymous_client.get(LIST_URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = anonymous_client.post(reverse("journal:reminder_revoke", args=[1]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_wrong_methods(owner_client, anonymous_client):
    assert owner_client.delete(LIST_URL).status_code == 405
    assert owner_client.get(reverse("journal:reminder_revoke", args=[1])).status_code == 405
    assert owner_client.get(reverse("journal:reminder_renew", args=[1])).status_code == 405
    assert anonymous_client.post(reverse("journal:reminder_feed", args=["x"])).status_code == 405


@pytest.mark.django_db
def test_feed_parses_with_weekly_rule_alarm_and_zone(owner, owner_client, anonymous_client):
    owner.profile.time_zone = "Europe/London"
    owner.profile.save()
    response = create(owner_client)
    assert response.status_code == 201
    url = feed_url_of(response)
    token = url.split("/")[-1].removesuffix(".ics")
    assert len(token) >= 43
    reminder = Reminder.objects.get(user=owner)
    assert reminder.token_hash == hash_token(token) and reminder.weekdays == [0, 2, 4]

    feed = anonymous_client.get(url)
    assert feed.status_code == 200
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    assert feed["Cache-Control"] == "no-store" and feed["Referrer-Policy"] == "no-referrer"
    cal = Calendar.from_ical(feed.content)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    event = cal.walk("VEVENT")[0]
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["MO", "WE", "FR"]
    start = event.decoded("DTSTART")
    assert start.tzinfo.key == "Europe/London" and start.time() == time(7, 30)
    assert "TZID=Europe/London" in feed.content.decode()
    assert start.weekday() in (0, 2, 4)
    alarm = event.walk("VALARM")[0]
    assert alarm["ACTION"] == "DISPLAY" and alarm.decoded("TRIGGER") == timedelta(minutes=-ALARM_LEAD_MINUTES)
    assert event.decoded("DURATION") == timedelta(minutes=15)
    assert "Glutes only" in str(event["SUMMARY"])


@pytest.mark.django_db
def test_local_time_holds_across_daylight_saving(owner, owner_client, anonymous_client):
    owner.profile.time_zone = "America/New_York"
    owner.profile.save()
    url = feed_url_of(create(owner_client, weekdays=[6], time_of_day="08:00"))
    Reminder.objects.update(created_at=datetime(2026, 2, 20, 12, tzinfo=UTC))  # winter (EST)
    event = Calendar.from_ical(anonymous_client.get(url).content).walk("VEVENT")[0]
    start = event.decoded("DTSTART")
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
    occurrences = rule.between(start, start + timedelta(days=60), inc=True)
    offsets = {o.utcoffset() for o in occurrences}
    assert offsets == {timedelta(hours=-5), timedelta(hours=-4)}  # both sides of the March change
    assert {o.astimezone(ZoneInfo("America/New_York")).time() for o in occurrences} == {time(8, 0)}
    assert {o.astimezone(UTC).hour for o in occurrences} == {12, 13}


@pytest.mark.django_db
def test_the_page_states_the_feeds_alarm_lead(owner, owner_client, anonymous_client, monkeypatch):
    monkeypatch.setattr("journal.reminders.ics.ALARM_LEAD_MINUTES", 10)
    monkeypatch.setattr("journal.reminders.views.ALARM_LEAD_MINUTES", 10)
    response = create(owner_client)
    assert "it reminds you 10 minutes before" in response.content.decode()
    event = Calendar.from_ical(anonymous_client.get(feed_url_of(response)).content).walk("VEVENT")[0]
    assert event.walk("VALARM")[0].decoded("TRIGGER") == timedelta(minutes=-10)


@pytest.mark.django_db
def test_revoke_and_renew(owner, owner_client, anonymous_client, htmx_headers):
    url = feed_url_of(create(owner_client))
    reminder = Reminder.objects.get(user=owner)
    response = owner_client.post(reverse("journal:reminder_revoke", args=[reminder.pk]))
    assert response.status_code == 302
    assert anonymous_client.get(url).status_code == 404
    renewed = owner_client.post(reverse("journal:reminder_renew", args=[reminder.pk]), headers=htmx_headers)
    assert renewed.status_code == 200 and "<html" not in renewed.content.decode()
    new_url = feed_url_of(renewed)
    assert new_url != url
    assert anonymous_client.get(new_url).status_code == 200
    assert anonymous_client.get(url).status_code == 404
    assert AccessMiss.objects.count() == 2


@pytest.mark.django_db
def test_plain_posts_get_the_page_and_htmx_the_panel_never_cached(owner, owner_client, htmx_headers):
    create(owner_client)
    reminder = Reminder.objects.get(user=owner)
    renewed = owner_client.post(reverse("journal:reminder_renew", args=[reminder.pk]))
    assert renewed.status_code == 200 and "<html" in renewed.content.decode()
    assert renewed["Cache-Control"] == "no-store"
    reminder.refresh_from_db()
    assert reminder.token_hash == hash_token(feed_url_of(renewed).split("/")[-1].removesuffix(".ics"))
    revoked = owner_client.post(reverse("journal:reminder_revoke", args=[reminder.pk]), headers=htmx_headers)
    body = revoked.content.decode()
    assert revoked.status_code == 200 and 'id="reminder-panel"' in body and "<html" not in body
    assert revoked["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_renew_gives_a_new_token_stores_its_hash_and_revives(owner):
    reminder = Reminder.objects.create(user=owner, weekdays=[0], time_of_day=time(7, 30), token_hash="old")
    reminder.revoke()
    token = reminder.renew()
    reminder.refresh_from_db()
    assert len(token) >= 43 and reminder.token_hash == hash_token(token) and reminder.revoked_at is None
    assert reminder.renew() != token


@pytest.mark.django_db
def test_another_users_reminder_is_a_404(owner, owner_client, other_client):
    create(owner_client)
    reminder = Reminder.objects.get(user=owner)
    for name in ("journal:reminder_revoke", "journal:reminder_renew"):
        assert other_client.post(reverse(name, args=[reminder.pk])).status_code == 404
    reminder.refresh_from_db()
    assert reminder.revoked_at is None
    assert "Glutes only" not in other_client.get(LIST_URL).content.decode().split("Your reminders")[1]


@pytest.mark.django_db
def test_only_routines_the_user_may_run(owner_client, other_user):
    theirs = make_routine(owner=other_user, name="Their routine")
    response = create(owner_client, routine=theirs)
    assert response.status_code == 422 and Reminder.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad",
    [{"weekdays": []}, {"weekdays": [7]}, {"time_of_day": "25:00"}, {"duration_minutes": 0}, {"duration_minutes": 999}],
)
def test_bad_input_saves_nothing(owner_client, bad):
    response = create(owner_client, **bad)
    assert response.status_code == 422 and Reminder.objects.count() == 0


@pytest.mark.django_db
def test_the_length_limit_is_one_to_the_maximum(owner_client):
    assert create(owner_client, duration_minutes=REMINDER_MAX_MINUTES + 1).status_code == 422
    assert create(owner_client, duration_minutes=REMINDER_MAX_MINUTES).status_code == 201
    assert create(owner_client, duration_minutes=1).status_code == 201
    assert sorted(Reminder.objects.values_list("duration_minutes", flat=True)) == [1, REMINDER_MAX_MINUTES]


@pytest.mark.django_db
def test_errors_are_announced_and_tied_to_their_fields(owner_client):
    body = create(owner_client, weekdays=[], duration_minutes=999).content.decode()
    assert '<div class="alert alert-danger" role="alert">Nothing was saved. Correct the fields marked below.' in body
    # The days are one group: its legend names it and the group is described by its error.
    days = re.search(r"<fieldset([^>]*)>\s*<legend[^>]*>\s*Days", body)
    assert days and 'aria-describedby="id_weekdays_error"' in days.group(1)
    assert re.search(r'id="id_weekdays_error"[^>]*>\s*<p[^>]*><strong>This field is required.</strong>', body)
    duration = re.search(r'<input [^>]*name="duration_minutes"[^>]*>', body).group(0)
    assert 'aria-invalid="true"' in duration and 'aria-describedby="id_duration_minutes_error"' in duration
    assert 'id="id_duration_minutes_error"' in body
    for day in ("Monday", "Sunday"):
        assert re.search(rf'<label for="id_weekdays_\d" class="form-check-label">\s*{day}\s*</label>', body)


@pytest.mark.django_db
def test_htmx_create_gets_the_partial(owner_client, htmx_headers):
    routine = Routine.objects.builtin().get(slug="glutes-only")
    response = owner_client.post(
        LIST_URL,
        {"routine": routine.pk, "weekdays": [1], "time_of_day": "19:00", "duration_minutes": 10, "key": form_key()},
        headers=htmx_headers,
    )
    body = response.content.decode()
    assert response.status_code == 201 and 'id="reminder-panel"' in body and "<html" not in body


@pytest.mark.django_db
def test_hostile_routine_name_is_escaped_in_the_feed_and_page(owner, owner_client, anonymous_client):
    routine = make_routine(owner=owner, name="<script>x</script>\r\nBEGIN:VEVENT")
    url = feed_url_of(create(owner_client, routine=routine))
    body = owner_client.get(LIST_URL).content.decode()
    assert "<script>x</script>" not in body and "&lt;script&gt;" in body
    feed = anonymous_client.get(url).content
    cal = Calendar.from_ical(feed)
    assert len(cal.walk("VEVENT")) == 1  # the name could not start a second event
    assert str(cal.walk("VEVENT")[0]["SUMMARY"]).startswith("Tenderspot: <script>")


def test_a_new_reminder_offers_a_one_tap_subscription(owner_client):
    response = create(owner_client)
    assert response.status_code == 201
    feed = feed_url_of(response)
    assert f'href="webcal://testserver{feed}"' in response.content.decode()


def test_the_routine_list_has_no_blank_choice_and_starts_at_the_last_routine(owner, owner_client):
    from tests.factories import make_log

    routine = make_routine(owner=owner, steps=1, name="Evening glutes")
    make_log(owner, days=2, routine=routine)
    body = owner_client.get(LIST_URL).content.decode()
    assert "Select an option" not in body and "---------" not in body
    assert f'<option value="{routine.pk}" selected>' in body


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Asia/Kolkata"])
def test_the_time_zone_section_has_one_date_per_line_for_twenty_years(zone):
    from journal.reminders.vtimezone import vtimezone

    now = datetime(2026, 11, 30, tzinfo=UTC)
    text = vtimezone(zone, datetime(2026, 12, 1, 7, 30), now).to_ical().decode()
    rdates = [line for line in text.splitlines() if line.startswith("RDATE")]
    assert all("," not in line for line in rdates)  # ical.js reads only the first date of a list
    if zone == "Asia/Kolkata":
        assert rdates == [] and "TZOFFSETTO:+0530" in text
    else:
        years = {int(line.split(":")[1][:4]) for line in rdates}
        assert min(years) <= 2026 and max(years) >= 2046  # twenty years ahead, not stopping in 2037
        assert len(rdates) >= 2 * 21
