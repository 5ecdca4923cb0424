"""One way of writing a date on every page: "Mon 30 Nov 2026" (journal.templatetags.dates), with a time
"Mon 30 Nov 2026, 14:05" in the user's time zone. Exports (CSV, FHIR, JSON) keep ISO dates."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

from django.urls import reverse
from django.utils import timezone

from journal.templatetags.dates import day, day_time
from tests.factories import make_session

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Templates that may still format a date themselves: a form's hidden ISO value, and pages other engineers hold in
# this round (the PDF report's body, and the runner's session summary, to switch to `day` at merge).
OWN_FORMAT_ALLOWED = {"journal/exports.html", "journal/report_body.html"}
OTHER_STYLES = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2} (January|February|March|April|June|July|August|September"
    r"|October|November|December) \d{4}\b|\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday"
    r"|Sunday)\b"
)


def test_the_filters_write_the_one_format():
    assert day(date(2026, 11, 30)) == "Mon 30 Nov 2026"
    assert day(None) == ""
    with timezone.override("Europe/Berlin"):
        assert day_time(datetime(2026, 11, 30, 13, 5, tzinfo=UTC)) == "Mon 30 Nov 2026, 14:05"


def test_no_page_template_formats_a_date_its_own_way():
    found = []
    for path in TEMPLATES.rglob("*.html"):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in OWN_FORMAT_ALLOWED:
            continue
        found += [f"{name}: {m.group(0)}" for m in re.finditer(r'\|date:["\'][^"\']*["\']', path.read_text())]
    assert found == []


def test_the_session_pages_write_dates_one_way(owner, owner_client):
    owner.profile.time_zone = "Europe/Berlin"
    owner.profile.save(update_fields=["time_zone"])
    session = make_session(owner, started_at=datetime(2026, 11, 30, 13, 5, tzinfo=UTC))
    detail = owner_client.get(reverse("journal:session_detail", args=[session.pk])).text
    assert "Mon 30 Nov 2026" in detail and "Mon 30 Nov 2026, 14:05" in detail
    listing = owner_client.get(reverse("journal:session_list"), {"start": "2026-11-01", "end": "2026-12-31"}).text
    assert "Mon 30 Nov 2026" in listing
    edit = owner_client.get(reverse("journal:session_edit", args=[session.pk])).text
    for html in (detail, listing, edit):
        text = re.sub(r"<[^>]+>", " ", html)  # the words on the page, not attribute values (form inputs are ISO)
        assert OTHER_STYLES.findall(text) == [], OTHER_STYLES.findall(text)
