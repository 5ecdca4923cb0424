"""The app's button hierarchy: the main action of a form is the filled accent button (.btn-accent), everything
else an outlined secondary or danger button. Bootstrap's stock blue (.btn-primary, .btn-outline-primary) is a third,
unrelated colour ("Make the link", "Make the reminder", "Use these dates" and "Undo" stood out in plain blue)."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
STOCK_BLUE = re.compile(r"\bbtn-(outline-)?primary\b")


def test_no_template_uses_bootstrap_blue_buttons():
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()[:80]}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if STOCK_BLUE.search(line)
    ]
    assert found == []


def test_the_main_actions_are_accent_buttons(owner_client):
    for path, name in (("/journal/share/", "Make the link"), ("/journal/reminders/", "Make the reminder")):
        html = owner_client.get(path).content.decode()
        assert re.search(rf'class="btn btn-accent"[^>]*>{name}<', html), path
