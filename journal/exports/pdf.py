"""PDF of the practitioner report with WeasyPrint. Nothing is fetched: no network, no files."""

from functools import cache
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetchingError

from journal.exports.report import log_lines_html

PAPER_SIZES = {"a4": "A4", "letter": "letter"}
REPORT_CSS = Path(settings.BASE_DIR) / "static" / "css" / "report.css"


class NoFetcher(URLFetcher):
    """Refuses every URL, so a hostile note can never make the server fetch anything.

    URLFetcher's own __init__ is not run: it builds urllib's handlers and an SSL context (about 50 ms of CPU, a
    tenth of a report's render) for fetches this class never makes."""

    def __init__(self) -> None:
        self._fail_on_errors = False  # read by weasyprint.urls.fetch when fetch() raises

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


@cache
def _stylesheets(paper: str, mtime_ns: int) -> tuple[CSS, ...]:
    """The report's parsed stylesheets for `paper`, parsed once per process and per version of report.css (its
    modification time): they hold no user data."""
    fetcher = NoFetcher()
    return (
        CSS(string=REPORT_CSS.read_text(encoding="utf-8"), url_fetcher=fetcher),
        CSS(string=page_css(paper), url_fetcher=fetcher),
    )


def report_html(context: dict[str, Any]) -> str:
    """The report's HTML for print: report_body.html with the compact log as one line per session (the share
    page's table costs WeasyPrint about twice as much per session)."""
    return render_to_string("journal/report_pdf.html", {**context, "log_lines": log_lines_html(context["log"])})


def render_report_pdf(context: dict[str, Any], paper: str = "a4") -> bytes:
    """The report's PDF from `context` (journal.exports.report.report_context) on `paper` ("a4" or "letter")."""
    stylesheets = _stylesheets(paper if paper in PAPER_SIZES else "a4", REPORT_CSS.stat().st_mtime_ns)
    document = HTML(string=report_html(context), base_url=None, url_fetcher=NoFetcher())
    pdf: bytes = document.write_pdf(stylesheets=list(stylesheets))  # untyped
    return pdf
