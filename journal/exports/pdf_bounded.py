"""The PDF report rendered in a child process with limits, so that no report, whatever its data, holds a web
worker's CPU or memory: the worker renders the HTML (database reads, cheap), the child lays it out (WeasyPrint,
the costly part) under RLIMIT_CPU and RLIMIT_AS and a wall-clock timeout, and is killed when it passes them."""

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings

from journal.exports import pdf_render
from journal.exports.pdf import REPORT_CSS, page_css, report_html


class ReportTooLarge(Exception):
    """The report did not fit within the limits (TENDERSPOT_PDF_CPU_SECONDS, _MEMORY_MB, _WALL_SECONDS)."""


def render_report_pdf_bounded(context: dict[str, Any], paper: str = "a4") -> bytes:
    """The report's PDF, rendered from `context` (journal.exports.report) on `paper` ("a4" or "letter").
    Raises ReportTooLarge when the child passes its limits
    or fails in any other way (its error output is kept in the exception)."""
    html = report_html(context)
    job = json.dumps({"html": html, "css": [REPORT_CSS.read_text(encoding="utf-8"), page_css(paper)]})
    out = tempfile.NamedTemporaryFile(prefix="tenderspot-report-", suffix=".pdf", delete=False)  # noqa: SIM115
    out.close()
    command = [
        sys.executable,
        "-I",
        pdf_render.__file__,
        out.name,
        str(settings.TENDERSPOT_PDF_CPU_SECONDS),
        str(settings.TENDERSPOT_PDF_MEMORY_MB * 1024 * 1024),
    ]
    try:
        try:
            done = subprocess.run(  # noqa: S603 - our own interpreter and script, no shell
                command,
                input=job.encode("utf-8"),
                capture_output=True,
                timeout=settings.TENDERSPOT_PDF_WALL_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired as error:  # run() has killed the child
            raise ReportTooLarge("wall-clock timeout") from error
        if done.returncode != 0:
            raise ReportTooLarge(f"exit {done.returncode}: {done.stderr.decode(errors='replace')[-500:]}")
        return Path(out.name).read_bytes()
    finally:
        Path(out.name).unlink(missing_ok=True)
