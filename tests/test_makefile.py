"""The two commands' set-up: a clear message without Python 3.12, and a second run that installs nothing."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-s", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_missing_python_gets_a_one_line_message():
    result = make("check-python", "PYTHON=")
    assert result.returncode != 0
    assert result.stdout.strip().splitlines() == [
        "Tenderspot needs Python 3.12 or newer: install python3.12 (e.g. apt install python3.12 python3.12-venv, "
        "or pyenv install 3.12)"
    ]


def test_set_up_is_done_once():
    assert make("setup").returncode == 0
    # Once set up, the install step is current: the next `make run` or `make test` goes straight to work.
    result = make("--question", ".venv/.installed")
    assert result.returncode == 0, "make would reinstall the dependencies although nothing changed"


def test_run_listens_on_this_computer_unless_told_otherwise():
    assert "runserver 127.0.0.1:8000" in make("-n", "run").stdout
    assert "runserver 0.0.0.0:8080" in make("-n", "run", "HOST=0.0.0.0", "PORT=8080").stdout
