"""The PDF report as Firefox's engine (pdf.js) reads it: with the longest unbroken value in every user field, every
text item lies inside its page box, on A4 and Letter; page one is still the summary."""

import pytest
from django.urls import reverse

from tests.audit.tools import skip_unless_available
from tests.clients.judges import node
from tests.clients.longest import make_longest_log

SIZES = {"a4": (595.28, 841.89), "letter": (612, 792)}


@pytest.mark.django_db
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_glyph_stays_inside_the_page(owner, owner_client, tmp_path, paper):
    skip_unless_available("node", "pdfjs")
    make_longest_log(owner)
    response = owner_client.get(reverse("journal:export_pdf"), {"paper": paper})
    assert response.status_code == 200
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)

    result = node("pdf_text_boxes.mjs", str(path))

    assert result["outside"] == [], f"{len(result['outside'])} text items past the page edge: {result['outside'][:3]}"
    assert result["items"] > 100
    assert 2 <= result["pages"] <= 20  # three sessions of 1,000-character notes in a narrow column
    page1 = " ".join(result["page1"].split())
    assert "Trigger-point self-release log" in page1 and "Page 1 of" in page1
    assert "Log: one row per session" not in page1
    assert "MMMMMMMMMM" in page1  # the longest point name is on page one (most often tender), wrapped
