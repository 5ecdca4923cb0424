"""The built-in catalogue outside migrations: the data migrations' own functions, run again (they are idempotent).

Useful after a test database flush (browser tests) and for tests of the migrations themselves.
"""

from importlib import import_module

from django.apps import apps

LOAD = import_module("routines.migrations.0002_builtin_catalogue")
RENAME = import_module("routines.migrations.0003_catalogue_names")
WORDING = import_module("routines.migrations.0006_catalogue_clinical_wording")


def ensure_builtin_catalogue() -> None:
    LOAD.load_catalogue(apps, None)
    RENAME.rename_forwards(apps, None)
    WORDING.reword_forwards(apps, None)


def remove_builtin_catalogue() -> None:
    WORDING.reword_backwards(apps, None)
    RENAME.rename_backwards(apps, None)
    LOAD.unload_catalogue(apps, None)
