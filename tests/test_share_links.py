"""Share links: creation shows the URL once, only the hash is stored, and the token page follows every rule."""

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from journal.exports.report import REPORT_CACHE
from journal.models import AccessMiss, ShareLink
from journal.tokens import hash_token, new_token
from tests.factories import form_key, make_log, make_release, make_session

LIST_URL = reverse("journal:share_list")
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
PRIVATE_HEADERS = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}


def make_link(user, days: int = 30, **fields) -> tuple[ShareLink, str]:
    token, token_hash = new_token()
    link = ShareLink.objects.create(
        user=user,
        label=fields.pop("label", "Physio"),
        token_hash=token_hash,
        expires_at=timezone.now() + timedelta(days=days),
        **fields,
    )
    return link, token


def view_url(token: str) -> str:
    return reverse("journal:share_view", args=[token])


# The owner's list -----------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(anonymous_client):
    for url in (LIST_URL, reverse("journal:share_revoke", args=[1])):
        response = anonymous_client.post(url) if "revoke" in url else anonymous_client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_wrong_methods(owner, owner_client):
    link, _ = make_link(owner)
    assert owner_client.put(LIST_URL).status_code == 405
    assert owner_client.get(reverse("journal:share_revoke", args=[link.pk])).status_code == 405


@pytest.mark.django_db
def test_create_shows_the_url_once_and_stores_only_its_hash(owner, owner_client):
    response = owner_client.post(
        LIST_URL,
        {
            "label": "Physio March",
            "start_date": "2026-03-01",
            "end_date": "2026-03-31",
            "key": form_key(),
            "expires_in_days": 7,
        },
    )
    assert response.status_code == 201
    body = response.content.decode()
    token = re.search(r"/journal/s/([A-Za-z0-9_-]+)/", body).group(1)
    assert len(token) >= 43  # 32 random bytes, URL-safe base64: 256 bits
    assert 'data-copy-target="new-share-url"' in body and "js/copy.js" in body
    link = ShareLink.objects.get(user=owner)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ShareLink.objects.values().get())
    assert (link.start_date.isoformat(), link.end_date.isoformat()) == ("2026-03-01", "2026-03-31")
    assert timedelta(days=6, hours=23) < link.expires_at - timezone.now() <= timedelta(days=7)
    # The list never shows it again.
    assert token not in owner_client.get(LIST_URL).content.decode()


@pytest.mark.django_db
def test_expiry_defaults_to_30_days_and_accepts_only_the_offered_ones(owner, owner_client):
    form_page = owner_client.get(LIST_URL).content.decode()
    assert re.search(r'<option value="30" selected>', form_page)
    for days in (1, 7, 30, 90):
        assert (
            owner_client.post(LIST_URL, {"label": f"L{days}", "key": form_key(), "expires_in_days": days}).status_code
            == 201
        )
    response = owner_client.post(LIST_URL, {"label": "Bad", "key": form_key(), "expires_in_days": 365})
    assert response.status_code == 422
    assert not ShareLink.objects.filter(label="Bad").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"label": "", "key": form_key(), "expires_in_days": 30},
        {"label": "x" * 101, "key": form_key(), "expires_in_days": 30},
        {
            "label": "Dates",
            "start_date": "2026-03-05",
            "end_date": "2026-03-01",
            "key": form_key(),
            "expires_in_days": 30,
        },
        {"label": "Dates", "start_date": "not a date", "key": form_key(), "expires_in_days": 30},
    ],
)
def test_bad_input_saves_nothing(owner_client, data):
    response = owner_client.post(LIST_URL, data)
    assert response.status_code == 422
    assert ShareLink.objects.count() == 0


@pytest.mark.django_db
def test_errors_are_announced_and_tied_to_their_fields(owner_client, htmx_headers):
    data = {"label": "", "start_date": "2026-03-05", "end_date": "2026-03-01", "key": form_key(), "expires_in_days": 30}
    for headers in ({}, htmx_headers):
        body = owner_client.post(LIST_URL, data, headers=headers).content.decode()
        alert = re.search(r'<div class="alert alert-danger" role="alert">([^<]*)</div>', body).group(1)
        assert "Nothing was saved." in alert and "The start date must be on or before the end date." in alert
        label_input = re.search(r'<input [^>]*name="label"[^>]*>', body).group(0)
        assert 'aria-invalid="true"' in label_input
        assert 'aria-describedby="id_label_helptext id_label_error"' in label_input
        assert re.search(r'id="id_label_error"[^>]*>\s*<p[^>]*><strong>This field is required.</strong>', body)
        assert 'id="id_label_helptext"' in body


@pytest.mark.django_db
def test_list_shows_label_range_expiry_and_opens(owner, owner_client):
    link, token = make_link(owner, label="Dr <b>Bold</b>", start_date=datetime(2026, 3, 1).date())
    owner_client.get(view_url(token), headers={"User-Agent": BROWSER})
    body = owner_client.get(LIST_URL).content.decode()
    assert "Dr &lt;b&gt;Bold&lt;/b&gt;" in body and "<b>Bold</b>" not in body
    assert "Sun 1 Mar 2026 to today" in body
    link.refresh_from_db()
    assert link.times_opened == 1 and link.last_opened_at is not None
    assert timezone.localtime(link.last_opened_at).strftime("%a %-d %b %Y, %H:%M") in body


@pytest.mark.django_db
def test_htmx_create_gets_the_partial(owner_client, htmx_headers):
    response = owner_client.post(
        LIST_URL, {"label": "P", "key": form_key(), "expires_in_days": 30}, headers=htmx_headers
    )
    body = response.content.decode()
    assert response.status_code == 201 and 'id="share-panel"' in body and "<html" not in body


@pytest.mark.django_db
def test_revoke_in_one_post(owner, owner_client, anonymous_client, htmx_headers):
    link, token = make_link(owner)
    assert anonymous_client.get(view_url(token)).status_code == 200
    response = owner_client.post(reverse("journal:share_revoke", args=[link.pk]))
    assert response.status_code == 302 and response["Location"] == LIST_URL
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert anonymous_client.get(view_url(token)).status_code == 404
    other, _ = make_link(owner, label="Other")
    response = owner_client.post(reverse("journal:share_revoke", args=[other.pk]), headers=htmx_headers)
    assert response.status_code == 200 and "<html" not in response.content.decode()


@pytest.mark.django_db
def test_panel_answers_are_never_cached_and_partial_only_for_htmx(owner, owner_client, htmx_headers):
    page = owner_client.get(LIST_URL)
    assert "no-store" in page["Cache-Control"] and "<html" in page.content.decode()
    link, _ = make_link(owner)
    response = owner_client.post(reverse("journal:share_revoke", args=[link.pk]), headers=htmx_headers)
    body = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert 'id="share-panel"' in body and "<html" not in body
    # A boosted request swaps the whole page, so it gets the whole page.
    other, _ = make_link(owner, label="Other")
    boosted = owner_client.post(
        reverse("journal:share_revoke", args=[other.pk]), headers={**htmx_headers, "HX-Boosted": "true"}
    )
    assert boosted.status_code == 200 and "<html" in boosted.content.decode()
    assert boosted["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_record_open_counts_each_opening(owner):
    link, _ = make_link(owner)
    link.record_open()
    link.record_open()
    link.refresh_from_db()
    assert link.times_opened == 2
    assert timezone.now() - link.last_opened_at < timedelta(minutes=1)


@pytest.mark.django_db
def test_another_users_link_is_a_404(owner, other_client):
    link, _ = make_link(owner, label="Dr Owner's physio")
    assert other_client.post(reverse("journal:share_revoke", args=[link.pk])).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None
    assert "Owner&#x27;s physio" not in other_client.get(LIST_URL).content.decode()


# The token pages ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_share_page_shows_the_report_of_the_range_only(owner, anonymous_client):
    make_log(owner, days=10, start=datetime(2026, 3, 1, 9, tzinfo=UTC))
    outside = make_session(owner, started_at=datetime(2026, 2, 1, 9, tzinfo=UTC), notes="February secret")
    make_release(outside, 1)
    _link, token = make_link(owner, start_date=datetime(2026, 3, 2).date(), end_date=datetime(2026, 3, 5).date())
    response = anonymous_client.get(view_url(token))
    assert response.status_code == 200
    for header, value in PRIVATE_HEADERS.items():
        assert response[header] == value
    body = response.content.decode()
    assert "2026-03-02 to 2026-03-05" in body
    assert 'data-figure="sessions">4<' in body
    assert "February secret" not in body and "2026-03-06" not in body
    assert owner.username not in body.replace("Tenderspot", "")  # no account details
    assert reverse("journal:share_csv", args=[token]) in body and reverse("journal:share_pdf", args=[token]) in body
    # The downloads hold the same range and carry the same headers.
    csv_response = anonymous_client.get(reverse("journal:share_csv", args=[token]))
    csv_text = b"".join(csv_response.streaming_content).decode()
    assert csv_response["Referrer-Policy"] == "no-referrer" and csv_response["X-Robots-Tag"].startswith("noindex")
    assert csv_text.count("\r\n") == 1 + 4 * 4 and "2026-02-01" not in csv_text
    pdf = anonymous_client.get(reverse("journal:share_pdf", args=[token]))
    assert pdf["Content-Type"] == "application/pdf" and pdf["Cache-Control"] == "no-store"
    # Nothing else of the account: the signed-in pages still need a sign-in.
    for name in ("journal:export_json", "journal:export_csv", "journal:share_list", "journal:exports"):
        assert anonymous_client.get(reverse(name)).status_code == 302


@pytest.mark.django_db
def test_expired_revoked_and_unknown_get_the_same_404(owner, anonymous_client):
    expired, expired_token = make_link(owner)
    ShareLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    revoked, revoked_token = make_link(owner, label="Revoked")
    ShareLink.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    unknown_token = new_token()[0]
    responses = [anonymous_client.get(view_url(t)) for t in (expired_token, revoked_token, unknown_token)]
    assert [r.status_code for r in responses] == [404, 404, 404]
    # Identical apart from the per-response CSP nonce and CSRF token.
    volatile = re.compile(rb'nonce="[^"]+"|"X-CSRFToken": "[^"]+"')
    assert len({volatile.sub(b"", r.content) for r in responses}) == 1
    for token in (expired_token, revoked_token):
        assert anonymous_client.get(reverse("journal:share_csv", args=[token])).status_code == 404
        assert anonymous_client.get(reverse("journal:share_pdf", args=[token])).status_code == 404
    # A stored hash used as the token opens nothing either.
    assert anonymous_client.get(view_url(revoked.token_hash)).status_code == 404


@pytest.mark.django_db
def test_share_page_wrong_method(owner, anonymous_client):
    _link, token = make_link(owner)
    assert anonymous_client.post(view_url(token)).status_code == 405


@pytest.mark.django_db
@override_settings(TENDERSPOT_SHARE_MISS_LIMIT=10)
def test_repeated_misses_are_rate_limited_in_the_database(owner, anonymous_client, client):
    _link, token = make_link(owner)
    for _ in range(10):
        assert anonymous_client.get(view_url(new_token()[0])).status_code == 404
    assert AccessMiss.objects.count() == 10
    assert "127.0.0.1" not in str(list(AccessMiss.objects.values_list("address_hash", flat=True)))
    limited = anonymous_client.get(view_url(new_token()[0]))
    assert limited.status_code == 429 and limited["Cache-Control"] == "no-store"
    # While limited, even a good token is refused from that address...
    assert anonymous_client.get(view_url(token)).status_code == 429
    # ...but another address is not affected.
    assert client.get(view_url(token), REMOTE_ADDR="10.0.0.7").status_code == 200
    # Misses age out after the window.
    AccessMiss.objects.update(created_at=timezone.now() - timedelta(minutes=11))
    assert anonymous_client.get(view_url(token)).status_code == 200


@pytest.mark.django_db
def test_old_misses_are_cleaned_up(anonymous_client):
    AccessMiss.objects.create(address_hash=hash_token("old"), created_at=timezone.now() - timedelta(hours=1))
    anonymous_client.get(view_url("nope"))
    assert AccessMiss.objects.count() == 1


@pytest.mark.django_db
def test_hostile_notes_are_inert_on_the_share_page(owner, anonymous_client):
    session = make_session(owner, notes="<script>alert('s')</script>", routine_name="<img src=x onerror=alert(1)>")
    make_release(session, 1, notes="<script>alert('r')</script>", point_name="<b>pt</b>", tender=True)
    _link, token = make_link(owner)
    body = anonymous_client.get(view_url(token)).content.decode()
    assert "<script>" not in body and "<img src=x" not in body and "<b>pt</b>" not in body
    assert "&lt;script&gt;alert(&#x27;s&#x27;)&lt;/script&gt;" in body
    assert "&lt;b&gt;pt&lt;/b&gt;" in body


@pytest.mark.django_db
def test_query_count_is_flat(owner, anonymous_client, django_assert_num_queries):
    make_log(owner, days=3)
    _link, token = make_link(owner)
    anonymous_client.get(view_url(token))
    # The opening is counted: one UPDATE; on PostgreSQL inside a savepoint with a short lock timeout (3 more). The
    # leg pain context (precaution profile) is one more; the adverse responses with their dates two, the log two,
    # the back pain for the chart one; the state of the period's sessions and releases (the cache's key) two.
    # (Figures read from the cache: tests/test_report_cache.py.)
    expected = 17 if connection.vendor == "sqlite" else 20
    for _ in range(2):
        caches[REPORT_CACHE].clear()
        with django_assert_num_queries(expected):
            anonymous_client.get(view_url(token), headers={"User-Agent": BROWSER})
        make_log(owner, days=12, start=timezone.now() - timedelta(days=100))


@pytest.mark.django_db
def test_share_page_takes_a_narrower_range_but_never_a_wider_one(owner, anonymous_client):
    make_log(owner, days=10, start=datetime(2026, 3, 1, 9, tzinfo=UTC))
    _link, token = make_link(owner, start_date=datetime(2026, 3, 2).date(), end_date=datetime(2026, 3, 8).date())
    body = anonymous_client.get(view_url(token), {"start": "2026-03-04", "end": "2026-03-05"}).content.decode()
    assert 'data-figure="sessions">2<' in body
    assert "log.csv?start=2026-03-04&amp;end=2026-03-05" in body
    wider = anonymous_client.get(view_url(token), {"start": "2026-01-01", "end": "2026-12-31"}).content.decode()
    assert 'data-figure="sessions">7<' in wider and "2026-03-02 to 2026-03-08" in wider
    csv_url = reverse("journal:share_csv", args=[token])
    csv_text = b"".join(anonymous_client.get(csv_url, {"start": "2026-01-01"}).streaming_content).decode()
    assert "2026-03-01" not in csv_text and "2026-03-09" not in csv_text
    outside = anonymous_client.get(view_url(token), {"start": "2026-04-01"})
    assert outside.status_code == 400 and "outside the dates shared" in outside.content.decode()
    assert anonymous_client.get(view_url(token), {"start": "bad"}).status_code == 400
    assert anonymous_client.get(reverse("journal:share_pdf", args=[token]), {"paper": "a0"}).status_code == 400


@pytest.mark.django_db
def test_a_date_given_twice_is_refused(owner, anonymous_client):
    """Which of two starts was meant cannot be told: the page says so rather than picking the last one."""
    make_log(owner, days=3)
    _link, token = make_link(owner)
    for query in ("start=2026-01-01&start=2026-11-01", "end=2026-11-01&end=2026-11-02"):
        response = anonymous_client.get(f"{view_url(token)}?{query}")
        assert response.status_code == 400
        assert "once" in response.content.decode()
