"""WeasyPrint's part of the PDF report, free of Django so that it can run in a child process of its own:

    python pdf_render.py OUT_PATH CPU_SECONDS MEMORY_BYTES < job.json   (job: {"html": str, "css": [str, ...]})

The child first limits itself (RLIMIT_CPU, RLIMIT_AS, RLIMIT_FSIZE, a lower priority), then renders the job's HTML
with its stylesheets (journal.exports.pdf composes both) to OUT_PATH. Layout time grows with the text in a way
no size check predicts, so the limits, not the input, bound what one report may cost: the kernel stops the child
when it passes them (SIGXCPU, MemoryError, EFBIG) and the web worker answers "too large"
(journal.exports.pdf_bounded). Nothing is fetched: no network, no files.
"""

import json
import os
import resource
import sys
from typing import NoReturn

MAX_PDF_BYTES = 32 * 1024 * 1024  # the worker reads the file into memory
NICENESS = 10  # renders yield the CPU to the pages other people are waiting for


def write_pdf(html: str, css: list[str], target: str) -> None:
    """Renders `html` with the stylesheets `css` (their text) to `target` (a path)."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher, URLFetchingError

    class NoFetcher(URLFetcher):
        """Refuses every URL, so a hostile note can never make the server fetch anything. URLFetcher's __init__
        (urllib's handlers and an SSL context, about 50 ms) is not run: nothing is ever fetched."""

        def __init__(self) -> None:
            self._fail_on_errors = False  # read by weasyprint.urls.fetch when fetch() raises

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> NoReturn:
            raise URLFetchingError(f"External resources are disabled: {url[:80]}")

    fetcher = NoFetcher()
    stylesheets = [CSS(string=text, url_fetcher=fetcher) for text in css]
    HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(target, stylesheets=stylesheets)


def limit_self(cpu_seconds: int, memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_PDF_BYTES, MAX_PDF_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.nice(NICENESS)


def main(argv: list[str]) -> int:
    out_path, cpu_seconds, memory_bytes = argv
    limit_self(int(cpu_seconds), int(memory_bytes))
    job = json.loads(sys.stdin.buffer.read())
    write_pdf(job["html"], job["css"], out_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
