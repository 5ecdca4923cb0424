"""The exports page: reachable from the navigation, links every export with the chosen dates."""

import re

import pytest
from django.urls import reverse

from journal.lib.forms import DATE_ERRORS

URL = reverse("journal:exports")


def test_anonymous_is_sent_to_login_and_sees_no_nav_entry(anonymous_client):
    response = anonymous_client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert URL not in anonymous_client.get("/").content.decode()


@pytest.mark.django_db
def test_nav_entry_for_signed_in_users(owner_client):
    assert f'href="{URL}"' in owner_client.get("/").content.decode()


@pytest.mark.django_db
def test_wrong_method(owner_client):
    assert owner_client.post(URL).status_code == 405


@pytest.mark.django_db
def test_links_every_export_import_and_share(owner_client):
    body = owner_client.get(URL).content.decode()
    for name in (
        "journal:export_csv",
        "journal:export_json",
        "journal:export_pdf",
        "journal:export_fhir",
        "journal:import_json",
        "journal:share_list",
        "journal:reminder_list",
    ):
        assert reverse(name) in body, name


@pytest.mark.django_db
def test_chosen_dates_go_into_every_link(owner_client):
    body = owner_client.get(URL, {"start": "2026-03-01", "end": "2026-03-31"}).content.decode()
    assert f"{reverse('journal:export_csv')}?start=2026-03-01&amp;end=2026-03-31" in body
    pdf_form = body[body.index(f'action="{reverse("journal:export_pdf")}"') :]
    pdf_form = pdf_form[: pdf_form.index("</form>")]
    assert '<input type="hidden" name="start" value="2026-03-01">' in pdf_form
    assert '<input type="hidden" name="end" value="2026-03-31">' in pdf_form
    assert 'name="paper" value="letter"' in pdf_form and 'name="releases" value="all"' in pdf_form
    assert f"{reverse('journal:export_fhir')}?start=2026-03-01&amp;end=2026-03-31" in body


@pytest.mark.django_db
def test_bad_dates_show_an_error_and_no_range(owner_client):
    response = owner_client.get(URL, {"start": "2026-03-31", "end": "2026-03-01"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "The start date must be on or before the end date." in body
    assert "start=2026-03-31" not in body


@pytest.mark.django_db
def test_a_bad_date_is_tied_to_its_field(owner_client):
    response = owner_client.get(URL, {"start": "2026-02-30"})
    assert response.status_code == 422
    body = response.content.decode()
    start = re.search(r'<input [^>]*name="start"[^>]*>', body).group(0)
    assert 'aria-invalid="true"' in start and 'aria-describedby="id_start_error"' in start
    assert 'id="id_start_error"' in body
    # The same wording as the session list's filter.
    assert DATE_ERRORS["invalid"] in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "part"),
    [
        ("", "all"),
        ("?start=2026-01-01&end=2026-03-31", "2026-01-01_to_2026-03-31"),
        ("?start=2026-01-01", "from_2026-01-01"),
        ("?end=2026-03-31", "to_2026-03-31"),
    ],
)
@pytest.mark.parametrize("name", ["export_csv", "export_json", "export_fhir", "export_pdf"])
def test_file_names_name_the_dates_or_all(owner_client, name, query, part):
    response = owner_client.get(reverse(f"journal:{name}") + query)
    filename = re.search(r'filename="([^"]+)"', response["Content-Disposition"]).group(1)
    assert re.fullmatch(rf"tenderspot-[a-z]+_{re.escape(part)}(_[a-z0-9]+)?\.(csv|json|pdf)", filename), filename


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("pdf", ["To read or print", "browser", "PDF reader"]),
        ("csv", ["For spreadsheets", "LibreOffice Calc", "Excel"]),
        ("fhir", ["For clinical systems", "FHIR R4", "health record"]),
        ("json", ["For moving to another Tenderspot", "Only Tenderspot reads it back"]),
        ("ics", ["For calendars", "ICS", "Thunderbird"]),
    ],
)
def test_each_file_says_what_it_is_for_and_what_reads_it(owner_client, kind, words):
    body = owner_client.get(URL).content.decode()
    start = body.index(f'data-file-use="{kind}"')
    text = body[start : body.index("</div>", start)]
    for word in words:
        assert word in text, (kind, word)
