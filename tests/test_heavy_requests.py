"""No request holds a worker's CPU or memory: the PDF is laid out in a child process under CPU, memory and
wall-clock limits (past them: a clear 503 page, never a 500), and heavy downloads are limited per user, per share
link and (PDF) per instance by leases in the database (a clear 429 with Retry-After), which hold across threads,
processes and hosts on both databases."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from journal.lib.heavy import scopes_for
from journal.models import HeavyLease
from tests.factories import make_release, make_running_session
from tests.test_share_links import BROWSER, make_link

PDF = reverse("journal:export_pdf")


def heavy_session(user, releases: int = 14, note_length: int = 1000):
    """The report that took 24-28 s in one request: one session of 14 releases with 1,000-character notes. The
    report now lists releases only when asked (`HEAVY_QUERY`) and cuts their notes: the tests that need a heavy
    layout ask for every release and patch the cut away (`whole_release_notes`)."""
    session = make_running_session(user, steps=releases)
    for position in range(1, releases + 1):
        make_release(session, position, notes=("Tender along the band, eased after a while. " * 30)[:note_length])
    return session


HEAVY_QUERY = {"releases": "all"}
# With whole notes, about 2 s of layout on a quiet machine: well past the 1 s limits below (28 took 0.95 s once the
# every-release notes had a third of the width).
HEAVY_RELEASES = 60


@pytest.fixture
def whole_release_notes(monkeypatch):
    from journal.exports import report
    from journal.models import NOTES_MAX_LENGTH

    monkeypatch.setattr(report, "RELEASE_NOTE_CHARS", NOTES_MAX_LENGTH)


@pytest.mark.django_db
@pytest.mark.usefixtures("whole_release_notes")
@pytest.mark.parametrize(
    "limits",
    [
        {"TENDERSPOT_PDF_CPU_SECONDS": 1},
        {"TENDERSPOT_PDF_WALL_SECONDS": 1},
        {"TENDERSPOT_PDF_MEMORY_MB": 64},
    ],
    ids=["cpu", "wall", "memory"],
)
def test_a_report_past_its_limits_is_a_clear_page_not_a_500(owner, owner_client, settings, limits):
    heavy_session(owner, releases=HEAVY_RELEASES)
    for name, value in limits.items():
        setattr(settings, name, value)
    response = owner_client.get(PDF, HEAVY_QUERY)
    assert response.status_code == 503
    assert response["Retry-After"] and "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "too large" in body and "shorter period" in body
    assert not HeavyLease.objects.exists()  # the slots are given back


@pytest.mark.django_db
@pytest.mark.usefixtures("whole_release_notes")
def test_the_same_through_a_share_link(owner, anonymous_client, settings):
    heavy_session(owner, releases=HEAVY_RELEASES)
    link, token = make_link(owner)
    settings.TENDERSPOT_PDF_CPU_SECONDS = 1
    url = reverse("journal:share_pdf", args=[token])
    response = anonymous_client.get(url, HEAVY_QUERY, headers={"User-Agent": BROWSER})
    assert response.status_code == 503 and "shorter period" in response.content.decode()
    link.refresh_from_db()
    assert link.times_opened == 0  # nothing was delivered


@pytest.mark.django_db
def test_the_worker_itself_spends_little_cpu_on_a_heavy_report(owner, owner_client):
    import resource

    heavy_session(owner)
    before = resource.getrusage(resource.RUSAGE_SELF)
    response = owner_client.get(PDF)
    after = resource.getrusage(resource.RUSAGE_SELF)
    assert response.status_code in (200, 503)
    assert after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime < 2.0


@pytest.mark.django_db
def test_a_share_link_gets_one_pdf_at_a_time(owner, anonymous_client):
    link, token = make_link(owner)
    held = HeavyLease.objects.take({f"link:{link.pk}": 1}, seconds=60)
    url = reverse("journal:share_pdf", args=[token])
    busy = anonymous_client.get(url)
    assert busy.status_code == 429 and int(busy["Retry-After"]) > 0
    assert "being prepared" in busy.content.decode()
    assert anonymous_client.get(reverse("journal:share_csv", args=[token])).status_code == 429
    HeavyLease.objects.give_back(held)
    assert anonymous_client.get(url).status_code == 200
    assert not HeavyLease.objects.exists()


@pytest.mark.django_db
def test_a_user_gets_a_few_heavy_downloads_at_a_time(owner, owner_client, other_client, settings):
    held = HeavyLease.objects.take({f"user:{owner.pk}": settings.TENDERSPOT_HEAVY_PER_USER}, seconds=60)
    held += HeavyLease.objects.take({f"user:{owner.pk}": settings.TENDERSPOT_HEAVY_PER_USER}, seconds=60)
    assert owner_client.get(PDF).status_code == 429
    for name in ("journal:export_csv", "journal:export_json", "journal:export_fhir"):
        assert owner_client.get(reverse(name)).status_code == 429
    assert other_client.get(PDF).status_code == 200  # another user is not held up
    _, token = make_link(owner)
    assert owner_client.get(reverse("journal:share_pdf", args=[token])).status_code == 429  # same owner's data
    HeavyLease.objects.give_back(held)
    assert owner_client.get(PDF).status_code == 200


@pytest.mark.django_db
def test_the_instance_renders_few_pdfs_at_once(owner_client, settings):
    held = [HeavyLease.objects.take({"pdf": settings.TENDERSPOT_PDF_CONCURRENCY}, seconds=60)]
    held += [HeavyLease.objects.take({"pdf": settings.TENDERSPOT_PDF_CONCURRENCY}, seconds=60)]
    assert owner_client.get(PDF).status_code == 429
    assert owner_client.get(reverse("journal:export_csv")).status_code == 200  # a CSV is not a PDF render
    for leases in held:
        HeavyLease.objects.give_back(leases)


@pytest.mark.django_db
def test_a_streamed_csv_keeps_its_slot_until_it_is_sent(owner, owner_client):
    response = owner_client.get(reverse("journal:export_csv"))
    assert HeavyLease.objects.filter(scope=f"user:{owner.pk}").count() == 1
    b"".join(response.streaming_content)
    assert not HeavyLease.objects.exists()


@pytest.mark.django_db
def test_a_lease_left_by_a_dead_worker_expires(owner, owner_client):
    scopes = scopes_for(owner, kind="pdf")
    for _ in range(3):
        HeavyLease.objects.take(scopes, seconds=60)
    HeavyLease.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert owner_client.get(PDF).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_never_share_a_slot():
    """Eight threads (eight connections) ask for the one slot of a share link at once: exactly one gets it."""
    barrier = threading.Barrier(8)
    results: list[bool] = []

    def ask() -> None:
        try:
            barrier.wait(10)
            results.append(HeavyLease.objects.take({"link:1": 1, "pdf": 2}, seconds=60) is not None)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [False] * 7 + [True]
    assert HeavyLease.objects.filter(scope="link:1").count() == 1
    assert HeavyLease.objects.filter(scope="pdf").count() == 1  # the losers gave back what they had taken


@pytest.mark.django_db
def test_a_download_closed_before_its_first_chunk_gives_its_slot_back(owner):
    """A client that goes away at once: the server closes the response before any chunk, and the slot must not
    wait for its expiry (a generator closed before it starts never runs its `finally`)."""
    from journal.lib.heavy import limited

    def download():
        return StreamingHttpResponse(iter([b"a", b"b"]))

    response = limited(scopes_for(owner), download)
    assert HeavyLease.objects.count() == 1
    for close in response._resource_closers:  # what HttpResponse.close() runs, without the request_finished signal
        close()
    assert not HeavyLease.objects.exists()
