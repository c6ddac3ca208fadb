# Two commands for a fresh machine: `make run` (portal with demo data) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast install system-deps lint migrate demo worker beat backup restore browser-deps benchmark clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

run: install system-deps
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py demo --if-empty
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: install system-deps
	bash scripts/test.sh $(PYTEST_ARGS)

# The inner loop: everything not marked slow (PDF builds, demo, fuzzing, browser), on SQLite, on every
# core, with the test database made from the models instead of replaying the migrations (CI's `make
# test` replays them).
test-fast: install
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest -n auto --dist loadgroup -m "not slow" --no-migrations $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 $(VENV)/bin/mypy  # the django-stubs plugin imports the (development) settings

migrate: install
	$(PY) manage.py migrate --noinput

worker: install
	$(VENV)/bin/celery -A config worker -Q celery,reports -l info --concurrency 2

beat: install
	$(VENV)/bin/celery -A config beat -l info

backup: install
	bash scripts/backup.sh backup $(FILE)

restore: install
	bash scripts/backup.sh restore $(FILE)

browser-deps:
	bash scripts/browser-deps.sh

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
