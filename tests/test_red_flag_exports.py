"""Everything a practitioner receives shows every session, red-flagged ones included, with the signs reported:
the CSV, the PDF, the share page, the FHIR export and the JSON backup (round trip)."""

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from journal.backup.export import export_stream
from journal.backup.importer import ImportFileError, import_account
from journal.models import Release, SafetyAnswer, Session, SessionStatus, ShareLink
from journal.redflags import FOR_CLINICIAN, RedFlag, RedFlagTier
from journal.tokens import new_token
from tests.factories import make_log, make_session
from tests.test_pdf_report import pdf_of, text_of

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 3, 4, 9, tzinfo=UTC)
ITEMS = [RedFlag.BOTH_LEGS, RedFlag.FEVER]


def red_flag_only(user, **fields) -> Session:
    """A session stopped at the check: two signs reported, no releases."""
    return make_session(
        user,
        started_at=DAY,
        finished_at=DAY + timedelta(minutes=1),
        status=SessionStatus.STOPPED,
        safety_check=SafetyAnswer.YES,
        red_flag_items=[item.value for item in ITEMS],
        pain_before=8,
        **fields,
    )


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_a_row_for_a_red_flag_session_without_releases(owner, owner_client):
    make_log(owner, days=2, start=datetime(2026, 3, 1, 9, tzinfo=UTC))
    flagged = red_flag_only(owner)
    empty = make_session(owner, started_at=DAY + timedelta(hours=3), status=SessionStatus.ABANDONED)
    rows = csv_rows(owner_client.get(reverse("journal:export_csv")))
    releases = Release.objects.for_user(owner).count()
    assert len(rows) == releases + 2  # one per release of the log, one per session without releases
    row = next(r for r in rows if r["session_status"] == SessionStatus.STOPPED)
    assert row["safety_check"] == "yes" and row["red_flag_tier"] == RedFlagTier.EMERGENCY
    assert row["red_flag_items"] == f"{RedFlag.BOTH_LEGS.label}; {RedFlag.FEVER.label}"
    assert row["leg_pain_before_session"] == "8" and row["position"] == "" and row["point_name"] == ""
    assert row["session_started_at"] == flagged.started_at.isoformat(timespec="seconds")
    assert any(r["session_status"] == SessionStatus.ABANDONED and r["position"] == "" for r in rows)
    assert empty.releases.count() == 0
    assert [r["safety_check"] for r in rows if r["session_status"] == SessionStatus.COMPLETED] == [""] * releases


def test_pdf_names_the_signs_of_a_red_flag_only_session(owner, owner_client):
    red_flag_only(owner)
    pages = text_of(pdf_of(owner_client.get(reverse("journal:export_pdf"))))
    text = " ".join(pages)
    assert "1 session with a red flag reported" in text
    # In the report's neutral words (the clinician reads it), not the check's "you" and "your".
    assert FOR_CLINICIAN[RedFlag.BOTH_LEGS] in text
    assert FOR_CLINICIAN[RedFlag.FEVER] in text and "your back pain" not in text
    assert "2026-03-04" in pages[-1]  # the detailed log lists the session itself


def test_share_page_names_the_signs(owner, anonymous_client):
    red_flag_only(owner)
    token, token_hash = new_token()
    ShareLink.objects.create(
        user=owner, label="Physio", token_hash=token_hash, expires_at=datetime.now(UTC) + timedelta(days=7)
    )
    body = anonymous_client.get(reverse("journal:share_view", args=[token])).content.decode()
    assert "1 session with a red flag reported" in body
    assert FOR_CLINICIAN[RedFlag.BOTH_LEGS] in body and FOR_CLINICIAN[RedFlag.FEVER] in body
    assert "2026-03-04" in body
    assert "not yet reported as assessed" in body  # the follow-up is still open


def test_a_red_flag_the_person_followed_up_says_when_it_was_assessed(owner, anonymous_client):
    red_flag_only(owner, red_flag_assessed_at=DAY + timedelta(days=1))
    token, token_hash = new_token()
    ShareLink.objects.create(
        user=owner, label="Physio", token_hash=token_hash, expires_at=datetime.now(UTC) + timedelta(days=7)
    )
    body = anonymous_client.get(reverse("journal:share_view", args=[token])).content.decode()
    body = re.sub(r"<[^>]+>", "", body)  # the words as read
    assert "assessed by a clinician by 2026-03-05" in body and "not yet reported as assessed" not in body


def test_old_red_flags_beyond_the_log_are_still_listed(owner, owner_client):
    from journal.exports import report

    flagged = red_flag_only(owner)
    make_log(owner, days=4, start=DAY + timedelta(days=1))
    original = report.LOG_LIMIT
    report.LOG_LIMIT = 2
    try:
        context = report.report_context(owner, report.DateRange())
    finally:
        report.LOG_LIMIT = original
    assert flagged.pk not in [row["pk"] for row in context["log"]]
    assert [row["pk"] for row in context["earlier_red_flags"]] == [flagged.pk]
    assert FOR_CLINICIAN[RedFlag.FEVER] in context["earlier_red_flags"][0]["items"]


def test_fhir_has_a_flag_per_report_naming_the_signs(owner, owner_client):
    red_flag_only(owner)
    assessed = red_flag_only(owner, red_flag_assessed_at=DAY + timedelta(days=2), notes="")
    data = json.loads(b"".join(owner_client.get(reverse("journal:export_fhir")).streaming_content))
    Bundle.model_validate(data)
    flags = [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Flag"]
    assert len(flags) == 2
    assert {flag["status"] for flag in flags} == {"active", "inactive"}
    for flag in flags:
        assert RedFlag.BOTH_LEGS.label in flag["code"]["text"] and RedFlag.FEVER.label in flag["code"]["text"]
        assert flag["subject"]["reference"].startswith("urn:uuid:")
    inactive = next(flag for flag in flags if flag["status"] == "inactive")
    assert inactive["period"]["end"].startswith(assessed.red_flag_assessed_at.date().isoformat())


def export_json_bytes(user) -> bytes:
    return b"".join(export_stream(user))


def test_json_backup_round_trips_the_signs_and_their_assessment(owner, other_user):
    red_flag_only(owner, red_flag_assessed_at=DAY + timedelta(days=1))
    owner.profile.care_region = "ie"
    owner.profile.save()
    import_account(other_user, export_json_bytes(owner))
    copy = Session.objects.get(user=other_user)
    assert copy.red_flag_items == [item.value for item in ITEMS]
    assert copy.red_flag_tier == RedFlagTier.EMERGENCY
    assert copy.red_flag_assessed_at == DAY + timedelta(days=1)
    other_user.profile.refresh_from_db()
    assert other_user.profile.care_region == "ie"


def test_an_older_backup_with_a_plain_yes_imports_as_an_unspecified_sign(owner, other_user):
    red_flag_only(owner)
    data = json.loads(export_json_bytes(owner))
    for item in data["sessions"]:
        for key in ("red_flag_items", "red_flag_tier", "red_flag_assessed_at"):
            item.pop(key)
    data["profile"].pop("care_region")
    import_account(other_user, json.dumps(data).encode())
    copy = Session.objects.get(user=other_user)
    assert copy.red_flag_items == [RedFlag.UNSPECIFIED] and copy.red_flag_tier == RedFlagTier.EMERGENCY
    assert copy.red_flag_assessed_at is None  # never followed up: the follow-up question will ask


@pytest.mark.parametrize(
    "change",
    [
        {"red_flag_items": ["made_up"]},
        {"red_flag_items": "both_legs"},
        {"safety_check": "no"},  # signs without a "yes"
    ],
)
def test_bad_signs_in_a_backup_import_nothing(owner, other_user, change):
    red_flag_only(owner)
    data = json.loads(export_json_bytes(owner))
    data["sessions"][0].update(change)
    with pytest.raises(ImportFileError):
        import_account(other_user, json.dumps(data).encode())
    assert not Session.objects.filter(user=other_user).exists()


def test_the_tier_comes_from_the_signs_never_from_the_file(owner, other_user):
    red_flag_only(owner)
    data = json.loads(export_json_bytes(owner))
    data["sessions"][0].update(red_flag_items=["calf"], red_flag_tier="emergency")
    import_account(other_user, json.dumps(data).encode())
    assert Session.objects.get(user=other_user).red_flag_tier == RedFlagTier.TODAY
