# The two commands a newcomer needs: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run start serve worker test test-sqlite test-postgres loadtest install system-deps run-deps messages lint format clean

run: .env run-deps install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Portal: http://127.0.0.1:8000  (accounts above; stop with Ctrl+C)"
	@echo "The background worker for long documents runs beside it and stops with it."
	PY=$(PY) bash scripts/run.sh 127.0.0.1:8000

# A department's own portal, without the demo (README, "Starting your own department"): asks
# for the first administrator and the department's identity, then serves it like `make run`.
# Refused once the portal has an administrator (or the demo): then `make serve`.
start: .env run-deps install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py start_department
	@echo "Portal: http://127.0.0.1:8000  (sign in as the administrator above; stop with Ctrl+C)"
	PY=$(PY) bash scripts/run.sh 127.0.0.1:8000

# Serve the portal's data as it is (no demo loaded), e.g. after `make start`.
serve: .env run-deps install
	$(PY) manage.py migrate --noinput
	@echo "Portal: http://127.0.0.1:8000  (stop with Ctrl+C)"
	PY=$(PY) bash scripts/run.sh 127.0.0.1:8000

# The background worker alone (production runs it as its own service; see README.md).
worker: .env install
	$(PY) manage.py db_worker

test: .env system-deps install
	bash scripts/test.sh

test-sqlite: .env install
	DATABASE_URL=sqlite:///:memory: $(VENV)/bin/pytest

test-postgres: .env install
	bash scripts/with-postgres.sh $(VENV)/bin/pytest

# Production settings under concurrent users while the app processes and the database restart,
# the dashboards reading from a streaming replica, then the requests/s held at p95 < 300 ms
# without and with the replica, then the database checked against what the users were told
# (docs/loadtest.md). About 4 min on a quiet machine; needs PostgreSQL (`make system-deps`).
LOADTEST_ARGS ?= --seconds 40 --clients 16 --replica --throughput
loadtest: install
	$(PY) deploy/loadtest.py $(LOADTEST_ARGS)

install: $(STAMP) locale/vi/LC_MESSAGES/django.mo

# setuptools below 81 and no build isolation: XStatic-Bootstrap ships only an sdist whose
# setup.py still imports pkg_resources.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q "setuptools>=64,<81" wheel
	$(PY) -m pip install -q --no-build-isolation -e ".[dev]"
	touch $(STAMP)

locale/vi/LC_MESSAGES/django.mo: locale/vi/LC_MESSAGES/django.po $(STAMP) .env
	$(PY) manage.py compilemessages --ignore=.venv -l vi -v 0

.env:
	cp .env.example .env

system-deps:
	bash scripts/system-deps.sh test

run-deps:
	bash scripts/system-deps.sh run

# Refresh the catalogue after changing user-facing strings, then translate the new entries.
messages:
	$(PY) manage.py makemessages -l vi --no-obsolete --ignore=.venv --ignore=staticfiles --add-location=file
	@echo "Now translate the new entries in locale/vi/LC_MESSAGES/django.po"

lint:
	$(VENV)/bin/ruff check .

format:
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
