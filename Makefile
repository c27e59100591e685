# safehaven: two commands for a newcomer: `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
# pyenv's 3.12.1 (selected by .python-version), else python3.12 on PATH.
PYTHON312 := $(shell PYENV_VERSION=3.12.1 pyenv which python3.12 2>/dev/null || command -v python3.12 2>/dev/null)
MANAGE_DEMO := SAFEHAVEN_MODE=demo $(PY) manage.py
MANAGE_TEST := SAFEHAVEN_MODE=test DJANGO_SETTINGS_MODULE=safehaven.test_settings $(PY) manage.py

.PHONY: help demo test lint types pytest pytest-db totp bench lock clean

help:
	@echo "make demo   set up and run the app with demo data on http://localhost:$(PORT)"
	@echo "make test   set up and run the whole test suite (lint, import contracts, types, migrations, pytest)"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@if [ -z "$(PYTHON312)" ]; then echo "Python 3.12 is needed: install it with pyenv (pyenv install 3.12) or your package manager." >&2; exit 1; fi
	@if [ ! -x $(PY) ]; then $(PYTHON312) -m venv $(VENV); fi
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.txt -r requirements-dev.txt
	@touch $@

demo: $(VENV)/.installed
	@mkdir -p var
	$(MANAGE_DEMO) migrate --no-input --verbosity 0
	$(MANAGE_DEMO) createcachetable
	PORT=$(PORT) $(MANAGE_DEMO) load_demo
	$(MANAGE_DEMO) runserver localhost:$(PORT) --skip-checks

test: $(VENV)/.installed lint types
	$(MANAGE_TEST) makemigrations --check --dry-run
	$(MAKE) --no-print-directory pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

types: $(VENV)/.installed
	SAFEHAVEN_MODE=test $(VENV)/bin/mypy safehaven bench

pytest: $(VENV)/.installed
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The database-dependent tests, e.g. on PostgreSQL: SAFEHAVEN_DATABASE_URL=postgres://... make pytest-db
pytest-db: $(VENV)/.installed
	$(VENV)/bin/pytest -m "not sqlite_only" --database-dependent-only $(PYTEST_ARGS)

totp: $(VENV)/.installed
	@$(MANAGE_DEMO) demo_totp $(USER)

# Every benchmark in bench/, then a table of their figures (long: 20 minutes or more).
# BENCH_ARGS=--quick runs each the quickest way; BENCH_ARGS="--only surge" one of them.
bench: $(VENV)/.installed
	$(PY) bench/run_all.py $(BENCH_ARGS)

# Re-pin dependencies after editing requirements*.in (needs network access to PyPI).
lock:
	python3 -m pip install --quiet uv
	UV_PYTHON_DOWNLOADS=never uv pip compile --python $(PYTHON312) --generate-hashes requirements.in -o requirements.txt
	UV_PYTHON_DOWNLOADS=never uv pip compile --python $(PYTHON312) --generate-hashes requirements-dev.in -o requirements-dev.txt

clean:
	rm -rf $(VENV) var staticfiles
