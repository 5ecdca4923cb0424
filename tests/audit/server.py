"""A real Tenderspot server for Lighthouse and the concurrency benchmark: gunicorn with production settings
(DJANGO_DEBUG=0, collected and compressed static files, whitenoise) on a temporary SQLite database, on 127.0.0.1
and a free port. Nothing leaves the machine.

    with AppServer(workers=2, threads=4) as server:
        data = server.call("tests.audit.lighthouse:prepare_pages")   # runs in a process on the server's database
        server.start()
        ... requests to server.url ...

`call("module:function", *json_args)` runs the function in a fresh process configured like the server (same
database) and returns its JSON result: that is how pages' data, users and session cookies are made.
"""

import importlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    def __init__(self, workers: int = 2, threads: int = 4) -> None:
        self.workers = workers
        self.threads = threads
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log_path: Path | None = None

    def __enter__(self) -> "AppServer":
        self.dir = Path(tempfile.mkdtemp(prefix="tenderspot-audit-"))
        self.db_path = self.dir / "db.sqlite3"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="tests.audit.server_settings",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_HSTS_SECONDS="0",
            DJANGO_LOG_LEVEL="WARNING",
            TENDERSPOT_AUDIT_DB=str(self.db_path),
            TENDERSPOT_AUDIT_STATIC=str(self.dir / "static"),
            PYTHONPATH=str(ROOT),
        )
        self.env = env
        try:
            self.call("tests.audit.server:prepare")
        except BaseException:
            shutil.rmtree(self.dir, ignore_errors=True)
            raise
        return self

    def call(self, target: str, *args):
        result = subprocess.run(
            [sys.executable, "-m", "tests.audit.server", target, json.dumps(args)],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{target} failed:\n{result.stdout}\n{result.stderr}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def start(self) -> None:
        self.log_path = self.dir / "gunicorn.log"
        log = self.log_path.open("w")
        command = [
            sys.executable, "-m", "gunicorn", "config.wsgi",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers), "--threads", str(self.threads),
            "--error-logfile", "-", "--log-level", "warning", "--graceful-timeout", "5",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_path.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/robots.txt", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within 30 s:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def __exit__(self, *exc) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


# Run inside the server's configuration ------------------------------------------------------------------------


def prepare() -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    return {"ok": True}


def session_cookie(user) -> dict:
    """A real signed-in session for `user`: {"name": ..., "value": ...}."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}


def main() -> None:
    import django

    target, raw_args = sys.argv[1], sys.argv[2]
    django.setup()
    module_name, function_name = target.split(":")
    function = getattr(importlib.import_module(module_name), function_name)
    result = function(*json.loads(raw_args))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
