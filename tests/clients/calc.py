"""LibreOffice Calc as a judge: imports a CSV the way a practitioner would (UTF-8, comma, "Evaluate formulas" and
"Trim spaces" on, special numbers detected) and reports each cell's kind and value from the saved flat ODS."""

import subprocess
from pathlib import Path
from xml.etree import ElementTree

from tests.audit.tools import soffice

NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
# The CSV import filter's tokens, in order: separator ",", text delimiter '"', UTF-8 (76), from line 1, standard
# column formats, English (US), quoted fields not forced to text, detect special numbers (dates), two export-only
# tokens, trim spaces, all sheets, evaluate formulas.
CSV_IMPORT = "44,34,76,1,,1033,false,true,false,false,true,-1,true"


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _text(element) -> str:
    """The text of an ODF paragraph, with its space, tab and line-break elements put back as characters."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == _q("text:s"):
            parts.append(" " * int(child.get(_q("text:c"), "1")))
        elif child.tag == _q("text:tab"):
            parts.append("\t")
        elif child.tag == _q("text:line-break"):
            parts.append("\n")
        else:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def calc_cells(csv_path: Path, workdir: Path) -> list[list[dict]]:
    """Rows of cells as Calc holds them after the import: {"type": float|date|string|..., "value", "text",
    "formula"} (formula None for a plain value)."""
    profile = workdir / "lo-profile"  # its own profile: parallel runs must not share one
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            f"--infilter=CSV:{CSV_IMPORT}",
            "--convert-to",
            "fods",
            "--outdir",
            str(workdir),
            str(csv_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    tree = ElementTree.parse(workdir / (csv_path.stem + ".fods"))  # noqa: S314 (our own file, written by Calc)
    rows = []
    for row in tree.iter(_q("table:table-row")):
        repeat_rows = int(row.get(_q("table:number-rows-repeated"), "1"))
        cells = []
        for cell in row.findall(_q("table:table-cell")):
            repeat = int(cell.get(_q("table:number-columns-repeated"), "1"))
            kind = cell.get(_q("office:value-type"))
            value = cell.get(_q("office:value")) or cell.get(_q("office:date-value"))
            text = "\n".join(_text(p) for p in cell.findall(_q("text:p")))
            info = {"type": kind, "value": value, "text": text, "formula": cell.get(_q("table:formula"))}
            cells.extend([info] * min(repeat, 64))
        if repeat_rows > 1000:  # the empty remainder of the sheet
            continue
        while cells and cells[-1]["type"] is None and not cells[-1]["text"]:
            cells.pop()
        rows.extend([cells] * repeat_rows)
    while rows and not rows[-1]:
        rows.pop()
    return rows
