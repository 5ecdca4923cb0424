"""The JavaScript units (tests/js/*.test.js: the timer's state machine) under Node's own test runner, so `make test`
runs them (skipped with the reason when Node is missing; CI requires them)."""

import shutil
import subprocess
from pathlib import Path

from tests.audit.tools import skip_unless_available

ROOT = Path(__file__).resolve().parent.parent


def test_node_unit_tests_pass():
    skip_unless_available("node")
    # The files by name: Node 21 and later read a directory argument as a glob pattern that matches nothing.
    files = sorted(str(path.relative_to(ROOT)) for path in ROOT.glob("tests/js/*.test.js"))
    assert files
    result = subprocess.run(
        [shutil.which("node"), "--test", *files], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout and "# pass 0" not in result.stdout
