"""Production settings (DJANGO_DEBUG=0) for a throw-away audit or benchmark server: its own SQLite file (WAL,
IMMEDIATE transactions, busy timeout: the same options as config/settings.py) and its own collected static files.
Used only through tests/audit/server.py."""

import os
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import DATABASES

DATABASES["default"]["NAME"] = os.environ["TENDERSPOT_AUDIT_DB"]
STATIC_ROOT = Path(os.environ["TENDERSPOT_AUDIT_STATIC"])
