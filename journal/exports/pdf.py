"""PDF of the practitioner report with WeasyPrint. Nothing is fetched: no network, no files."""

from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetchingError

PAPER_SIZES = {"a4": "A4", "letter": "letter"}
REPORT_CSS = Path(settings.BASE_DIR) / "static" / "css" / "report.css"


class NoFetcher(URLFetcher):
    """Refuses every URL, so a hostile note can never make the server fetch anything."""

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> NoReturn:
        raise URLFetchingError(f"External resources are disabled: {url[:80]}")


# The body's family (static/css/report.css): the page's margin boxes do not inherit it and would print in serif.
REPORT_FONT = '"DejaVu Sans", "Liberation Sans", Arial, sans-serif'


def page_css(paper: str) -> str:
    size = PAPER_SIZES.get(paper, "A4")
    footer = f"font-family: {REPORT_FONT}; font-size: 8pt; color: #555;"
    return (
        f"@page {{ size: {size}; margin: 12mm 13mm 16mm;"
        f' @bottom-right {{ content: "Page " counter(page) " of " counter(pages); {footer} }}'
        f' @bottom-left {{ content: "Tenderspot self-care log, not a clinical record"; {footer} }} }}'
        f" body {{ font-family: {REPORT_FONT}; }}"
    )


def render_report_pdf(context: dict[str, Any], paper: str = "a4") -> bytes:
    html = render_to_string("journal/report_pdf.html", context)
    fetcher = NoFetcher()
    stylesheets = [
        CSS(string=REPORT_CSS.read_text(encoding="utf-8"), url_fetcher=fetcher),
        CSS(string=page_css(paper), url_fetcher=fetcher),
    ]
    pdf: bytes = HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(stylesheets=stylesheets)  # untyped
    return pdf
