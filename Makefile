# Tenderspot: `make run` serves the app, `make test` runs the whole suite. Both set everything up first.
SHELL := /bin/bash
PORT ?= 8000
# 127.0.0.1: only this computer. HOST=0.0.0.0 (with DJANGO_ALLOWED_HOSTS) lets a phone on the same network in.
HOST ?= 127.0.0.1
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The interpreter that builds the venv: python3.12 or newer (pyenv resolves .python-version).
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { echo $$p; break; }; done)

.PHONY: run test bench audit setup migrate lint check-python clean

NO_PYTHON := Tenderspot needs Python 3.12 or newer: install python3.12 (e.g. apt install python3.12 python3.12-venv, or pyenv install 3.12)

check-python:
	@if [ -z "$(PYTHON)" ]; then echo "$(NO_PYTHON)"; exit 1; fi

$(STAMP): pyproject.toml constraints.txt
	@if [ -z "$(PYTHON)" ]; then echo "$(NO_PYTHON)"; exit 1; fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet -c constraints.txt --group dev
	@touch $(STAMP)

setup: $(STAMP)

migrate: setup
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py migrate --noinput

run: migrate
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

bench: setup
	$(PY) -m pytest tests/bench -p no:randomly -q -s $(PYTEST_ARGS)

# The pinned audit tools (axe-core, vnu-jar, lighthouse) from package-lock.json; no install scripts run (vnu-jar's
# would download a Java: we use the system's), and nothing is fetched when the audits run.
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

# axe-core and the Nu HTML Checker over every audited page, then Lighthouse on a real server (tests/audit/).
# AUDIT_SKIP_BROWSER=1 runs Lighthouse only: CI sets it, its `make test` has just run axe-core and the checker.
audit: setup $(NODE_STAMP)
	@if [ -n "$(AUDIT_SKIP_BROWSER)" ]; then echo "axe-core and the Nu HTML Checker: already run by make test (AUDIT_SKIP_BROWSER)"; \
	else TENDERSPOT_AUDITS=require $(PY) -m pytest tests/e2e/test_audit_axe.py tests/e2e/test_audit_html.py -q -p no:randomly $(PYTEST_ARGS); fi
	TENDERSPOT_AUDITS=require $(PY) -m tests.audit.lighthouse

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) staticfiles
