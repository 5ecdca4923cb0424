"""The security baseline: headers, CSP, no CDN, CSRF on htmx, production settings."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_csp_and_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert re.search(r"'nonce-[A-Za-z0-9_\-]+'", directives["script-src"])
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_every_script_carries_the_nonce_and_nothing_comes_from_a_cdn(client):
    response = client.get("/")
    body = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script[^>]*>", body)
    assert scripts
    for tag in scripts:
        src = re.search(r'src="([^"]+)"', tag)
        assert src and src.group(1).startswith("/static/"), tag
        assert f'nonce="{nonce}"' in tag or "/static/js/theme.js" in tag or "bootstrap" in tag
    assert not re.search(r'(src|href)="(https?:)?//', body)
    assert " style=" not in body and "<style" not in body


@pytest.mark.django_db
def test_htmx_is_configured_without_eval_and_sends_csrf(client):
    body = client.get("/").content.decode()
    assert '"allowEval":false' in body
    assert '"includeIndicatorStyles":false' in body
    assert '"attributesToSettle":["class","width","height"]' in body  # never `style`: setAttribute is refused
    assert re.search(r'<body hx-headers=\'\{"X-CSRFToken": "[^"]+"\}\'', body)


def test_no_template_or_static_file_references_a_cdn():
    offenders = []
    for path in [*ROOT.joinpath("templates").rglob("*.html"), *ROOT.joinpath("static", "js").rglob("*.js")]:
        if re.search(r"https?://(cdn|unpkg|cdnjs|jsdelivr)", path.read_text()):
            offenders.append(str(path))
    assert offenders == []


def test_bootstrap_is_vendored_with_its_licence():
    vendor = ROOT / "static" / "vendor" / "bootstrap"
    assert (vendor / "bootstrap.min.css").stat().st_size > 100_000
    assert "MIT" in (vendor / "LICENSE").read_text()


def _manage(args: list[str], env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env.update(env_overrides)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-production-secret-key-with-plenty-of-entropy-4f9c2e7b1a6d8e3f5c0b",
    "DJANGO_ALLOWED_HOSTS": "tenderspot.example.org",
}


def test_check_deploy_is_clean_under_production_settings():
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_a_secret_key_is_a_clear_start_up_error():
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": ""}
    result = _manage(["check"], env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
