#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # manage.py is the local tool: debug (and a generated secret key) unless the environment says otherwise.
    # Production sets DJANGO_DEBUG=0 and serves through gunicorn (config/wsgi.py), which never defaults to debug.
    os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
