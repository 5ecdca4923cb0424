"""Where the pinned npm tools live and whether this machine can run them.

The tools come from `package.json`/`package-lock.json` (`npm ci --ignore-scripts`); nothing is fetched at run
time. On a machine without them the audits skip with the reason, unless `TENDERSPOT_AUDITS=require` (CI and
`make audit`), where a missing tool is a failure.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE_CLI = NODE_MODULES / "lighthouse" / "cli" / "index.js"
# The real clients that judge our exports (tests/clients/): Mozilla's calendar engine, HL7's FHIRPath engine with
# its R4 model, Firefox's PDF engine, and LibreOffice Calc (from the system, not npm).
ICAL_JS = NODE_MODULES / "ical.js" / "dist" / "ical.js"
FHIRPATH_JS = NODE_MODULES / "fhirpath" / "fhir-context" / "r4" / "index.js"
PDFJS = NODE_MODULES / "pdfjs-dist" / "legacy" / "build" / "pdf.mjs"

# The accessibility rules we hold every page to.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def audits_required() -> bool:
    return os.environ.get("TENDERSPOT_AUDITS", "") == "require"


def chromium() -> str | None:
    candidate = os.environ.get("CHROME_PATH") or os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if os.path.exists(candidate):
        return candidate
    return shutil.which("chromium")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def emoji_font() -> str | None:
    """The colour emoji font the PDF report falls back to for emoji in notes and names (Debian's
    fonts-noto-color-emoji), or None when this machine has none."""
    return next((path for path in EMOJI_FONTS if os.path.exists(path)), None)


EMOJI_FONTS = ("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf",)


def missing(*needs: str) -> list[str]:
    """Reasons this machine cannot run an audit needing `needs` (any of: chromium, node, java, soffice, emoji, axe,
    vnu, lighthouse, icaljs, fhirpath, pdfjs); an empty list means it can."""
    reasons = []
    if "chromium" in needs and not chromium():
        reasons.append("no Chromium at $CHROME_PATH, $CHROMIUM_PATH or /usr/bin/chromium, nor on the PATH")
    if "node" in needs and not shutil.which("node"):
        reasons.append("no node on the PATH")
    if "java" in needs and not shutil.which("java"):
        reasons.append("no java on the PATH (apt install default-jre-headless)")
    if "soffice" in needs and not soffice():
        reasons.append("no soffice on the PATH (apt install libreoffice-calc-nogui)")
    if "emoji" in needs and not emoji_font():
        reasons.append("no colour emoji font (apt install fonts-noto-color-emoji)")
    tools = (
        ("axe", AXE_JS),
        ("vnu", VNU_JAR),
        ("lighthouse", LIGHTHOUSE_CLI),
        ("icaljs", ICAL_JS),
        ("fhirpath", FHIRPATH_JS),
        ("pdfjs", PDFJS),
    )
    for need, path in tools:
        if need in needs and not path.exists():
            reasons.append(f"{path.relative_to(ROOT)} is missing (run `npm ci --ignore-scripts`)")
    return reasons


def skip_unless_available(*needs: str) -> None:
    """Skip the calling test with a printed reason when a tool is missing (fail instead when audits are
    required)."""
    reasons = missing(*needs)
    if not reasons:
        return
    message = "Audit skipped: " + "; ".join(reasons)
    if audits_required():
        pytest.fail(message.replace("skipped", "required but cannot run"))
    pytest.skip(message)


# htmx's attributes (hx-get, hx-post, hx-target, ...) are deliberate: the HTML standard does not know them, so the
# checker's "attribute not allowed" for exactly these names is the one message we do not count. Every other
# message about them (a bad value, a duplicate) still counts.
HTMX_ATTRIBUTE = re.compile(r"^Attribute “hx-[\w:-]+” not allowed on element “[\w-]+” at this point\.$")


def vnu_check(documents: dict[str, str], workdir: Path) -> dict[str, list[dict]]:
    """Run the Nu HTML Checker once over several documents (name -> HTML) and return name -> error messages.

    vnu refuses loopback URLs, so each page is written to a file; one Java start checks them all.
    """
    paths = {}
    for index, (name, html) in enumerate(documents.items()):
        path = workdir / f"page-{index:03d}.html"
        path.write_text(html, encoding="utf-8")
        paths[str(path)] = name
    result = subprocess.run(
        ["java", "-Xss4m", "-jar", str(VNU_JAR), "--stdout", "--format", "json", "--exit-zero-always", *paths],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    report = json.loads(result.stdout)
    errors: dict[str, list[dict]] = {name: [] for name in documents}
    for message in report["messages"]:
        if message.get("type") != "error" and message.get("subType") != "fatal":
            continue
        if HTMX_ATTRIBUTE.match(message.get("message", "")):
            continue
        url = message.get("url", "")
        file_path = url.removeprefix("file:")
        name = paths.get(file_path) or next((n for p, n in paths.items() if url.endswith(p)), url)
        errors.setdefault(name, []).append(message)
    return errors
