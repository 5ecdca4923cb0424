"""Running the real clients (Node scripts in this folder, LibreOffice Calc) that judge our exports."""

import json
import subprocess
from pathlib import Path

from tests.audit.tools import ROOT

HERE = Path(__file__).resolve().parent


def node(script: str, *args: str, timeout: int = 120) -> object:
    """Runs `tests/clients/<script>` with Node from the project root (so it finds node_modules) and returns its JSON
    output; a failing script fails the test with its stderr."""
    result = subprocess.run(
        ["node", str(HERE / script), *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{script} failed:\n{result.stderr}"
    return json.loads(result.stdout)
