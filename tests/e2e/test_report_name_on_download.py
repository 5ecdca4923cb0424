"""The name typed on the export page is on the PDF without a tap on "Save for my report": downloading saves the
changed details first; details the server refuses are shown with their error and nothing is downloaded."""

import subprocess

import pytest

from tests.factories import make_log

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_typed_name_reaches_the_pdf_without_saving_it_first(signed_in_page, owner, tmp_path):
    page = signed_in_page
    make_log(owner, days=2)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/journal/exports/")
    page.get_by_label("Name on your report").fill("Sam Example")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF (A4)").click()
    path = tmp_path / "report.pdf"
    download.value.save_as(path)
    owner.profile.refresh_from_db()
    assert owner.profile.report_name == "Sam Example"
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Sam Example" in text
    page.get_by_role("status").filter(has_text="Saved.").wait_for()


def test_refused_details_stop_the_download_and_say_why(signed_in_page, owner):
    page = signed_in_page
    page.goto("/journal/exports/")
    field = page.get_by_label("Name on your report")
    field.evaluate("(el) => el.removeAttribute('maxlength')")
    field.fill("N" * 101)
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    page.get_by_role("button", name="Download PDF (A4)").click()
    page.locator("#report-details .invalid-feedback").first.wait_for()
    page.wait_for_timeout(300)
    assert downloads == []
    owner.profile.refresh_from_db()
    assert owner.profile.report_name == ""
