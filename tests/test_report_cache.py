"""The share page's cached figures: every kind of write to a session or release changes the state they are keyed
on (the database draws a new `rev` in a trigger), so the page never shows figures older than the journal, and
never another person's. Both databases (the triggers differ)."""

import re
import threading
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from journal.exports.report import REPORT_CACHE, cached_report_context, report_context
from journal.lib.daterange import DateRange
from journal.models import Release, Session, SessionStatus
from tests.factories import ensure_catalogue, make_log, make_release, make_session, make_user, on_day
from tests.test_share_links import BROWSER, make_link, view_url

pytestmark = pytest.mark.django_db


def state(user) -> tuple[tuple[int, int], tuple[int, int]]:
    return Session.objects.for_user(user).state(), Release.objects.for_user(user).state()


def figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}"[^>]*>(.*?)</', html, re.S)
    assert match, name
    return " ".join(match.group(1).split())


def share_page(client, token: str) -> str:
    response = client.get(view_url(token), headers={"User-Agent": BROWSER})
    assert response.status_code == 200
    return response.content.decode()


# The state ------------------------------------------------------------------------------------------------------


def test_every_kind_of_write_changes_the_state(owner):
    session = make_session(owner, pain_before=5, pain_after=4)
    release = make_release(session, pressure=5)
    seen = [state(owner)]

    def changed() -> None:
        now = state(owner)
        assert now not in seen
        seen.append(now)

    session.pain_after = 3
    session.save()  # the instance still holds the rev it was created with (0): the database draws a new one anyway
    changed()
    release.pressure = 6
    release.save(update_fields=["pressure"])
    changed()
    Release.objects.filter(pk=release.pk).update(pressure=7)
    changed()
    Session.objects.filter(pk=session.pk).update(notes="Walked after")
    changed()
    Release.objects.bulk_create([Release(**_release_fields(release, position=9))])
    changed()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE journal_release SET notes = 'raw' WHERE id = %s", [release.pk])
    changed()
    Release.objects.filter(pk=release.pk).delete()
    changed()
    session.delete()  # and its releases
    changed()
    assert state(owner) == ((0, 0), (0, 0))


def _release_fields(release: Release, **changes) -> dict:
    fields = {
        f.attname: getattr(release, f.attname)
        for f in Release._meta.concrete_fields
        if f.attname not in {"id", "rev", "local_date"}
    }
    return fields | changes


def test_an_update_that_writes_the_same_values_still_changes_the_state(owner):
    session = make_session(owner, pain_before=5)
    before = state(owner)
    Session.objects.filter(pk=session.pk).update(pain_before=5)
    assert state(owner) != before


def test_the_triggers_leave_the_row_count_of_a_conditional_update_alone(owner):
    """The runner's finish is one conditional UPDATE whose row count says who won: the trigger's own update of the
    row must not be counted."""
    session = make_session(owner, status=SessionStatus.IN_PROGRESS)
    won = Session.objects.filter(pk=session.pk, status=SessionStatus.IN_PROGRESS).update(status=SessionStatus.COMPLETED)
    lost = Session.objects.filter(pk=session.pk, status=SessionStatus.IN_PROGRESS).update(
        status=SessionStatus.COMPLETED
    )
    assert (won, lost) == (1, 0)


def test_other_users_rows_leave_the_state_alone(owner, other_user):
    make_log(owner, days=3)
    before = state(owner)
    make_log(other_user, days=3)
    Session.objects.filter(user=other_user).update(notes="theirs")
    assert state(owner) == before


# The cache ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("every_release", [False, True])
def test_the_cached_figures_are_the_figures(owner, every_release):
    make_log(owner, days=20)
    whole = DateRange(None, None)
    options = {"for_screen": True, "every_release": every_release}
    fresh = report_context(owner, whole, **options)
    first = cached_report_context(owner, whole, **options)  # made and stored
    second = cached_report_context(owner, whole, **options)  # read back (unpickled)
    for context in (first, second):
        assert context.keys() == fresh.keys()
        for key in fresh.keys() - {"made_at"}:
            assert str(context[key]) == str(fresh[key]), key
    if every_release:
        assert [list(s.releases.all()) for s in second["release_detail"]] == [
            list(s.releases.all()) for s in fresh["release_detail"]
        ]


@pytest.mark.django_db(transaction=True)
def test_a_second_opening_reads_the_figures_from_the_cache(owner, client):
    """As in production, with no transaction around the request (inside one, PostgreSQL's reads are not one
    snapshot, and nothing is stored)."""
    ensure_catalogue()
    make_log(owner, days=30)
    _, token = make_link(owner)
    first = share_page(client, token)
    with CaptureQueriesContext(connection) as queries:
        second = share_page(client, token)
    cached = len(queries)
    caches[REPORT_CACHE].clear()
    with CaptureQueriesContext(connection) as queries:
        share_page(client, token)
    assert cached < len(queries) - 5
    assert re.sub(r"Made [^<]*", "", first) == re.sub(r"Made [^<]*", "", second)


def test_a_change_shows_at_once(owner, client):
    sessions = make_log(owner, days=10)
    Session.objects.filter(user=owner).update(pain_before=6)
    _, token = make_link(owner)
    assert figure(share_page(client, token), "recent") == "6.0"
    Session.objects.filter(pk__in=[s.pk for s in sessions]).update(pain_before=2)
    assert figure(share_page(client, token), "recent") == "2.0"
    Session.objects.filter(pk=sessions[0].pk).delete()
    html = share_page(client, token)
    assert figure(html, "sessions") == "9"
    on_day(owner, 0, pain_before=8, pain_after=7)
    assert figure(share_page(client, token), "sessions") == "10"


def test_the_owners_own_details_are_never_cached(owner, client):
    make_log(owner, days=5)
    _, token = make_link(owner)
    share_page(client, token)
    owner.profile.report_name = "R. Example"
    owner.profile.save()
    assert figure(share_page(client, token), "display-name") == "R. Example"


def test_another_persons_page_never_gets_these_figures(owner, client):
    """Two people with the same dates and the same number of sessions: each page shows its own person's figures."""
    other = make_user("twin")
    make_log(owner, days=16)
    make_log(other, days=16)
    Session.objects.filter(user=owner).update(pain_before=7)
    Session.objects.filter(user=other).update(pain_before=3)
    _, mine = make_link(owner)
    _, theirs = make_link(other)
    assert figure(share_page(client, mine), "recent") == "7.0"
    assert figure(share_page(client, theirs), "recent") == "3.0"
    assert figure(share_page(client, mine), "recent") == "7.0"


def test_a_link_for_other_dates_has_its_own_figures(owner, client):
    make_log(owner, days=40)
    _, whole = make_link(owner)
    _, week = make_link(owner, start_date=owner.profile.local_date() - timedelta(days=6))
    assert figure(share_page(client, whole), "sessions") == "40"
    assert figure(share_page(client, week), "sessions") in {"6", "7"}
    assert figure(share_page(client, whole), "sessions") == "40"


def test_a_revoked_link_is_not_served_from_the_cache(owner, client):
    make_log(owner, days=5)
    link, token = make_link(owner)
    share_page(client, token)
    link.revoke()
    assert client.get(view_url(token), headers={"User-Agent": BROWSER}).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_save_made_while_the_figures_are_read_never_comes_back_once_undone(owner, client, monkeypatch):
    """A release saved (by another request) while the page reads its figures, then deleted: the page must not go on
    showing it. Read outside one snapshot, the figures held it under the key of the state before it, which the
    delete brings back."""
    from journal.exports import report

    ensure_catalogue()
    make_log(owner, days=3)
    _, token = make_link(owner)
    session = Session.objects.for_user(owner).first()
    made: list[int] = []
    real_figures = report._figures

    def saved_meanwhile(*args, **kwargs):
        def save() -> None:
            made.append(make_release(session, position=50, pressure=9).pk)
            connection.close()

        worker = threading.Thread(target=save)
        worker.start()
        worker.join()
        return real_figures(*args, **kwargs)

    monkeypatch.setattr(report, "_figures", saved_meanwhile)
    first = share_page(client, token)
    monkeypatch.setattr(report, "_figures", real_figures)
    Release.objects.filter(pk__in=made).delete()
    again = share_page(client, token)
    assert made and adverse(first) == adverse(again)
    caches[REPORT_CACHE].clear()
    assert adverse(again) == adverse(share_page(client, token))
    assert "Pressure above 7" not in adverse(again)


def adverse(html: str) -> str:
    match = re.search(r'data-figure="adverse">(.*?)</(ul|p)>', html, re.S)
    assert match
    return match.group(1)
