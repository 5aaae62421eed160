# HTX Nữ — the two commands a new developer needs are `make run` and `make test`.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

.PHONY: translations run test test-only lint check-migrations browser-deps pg-client prod-check loadtest plan-deps fonts serve worker setup messages clean bench

$(VENV)/bin/python:
	@py=$$(scripts/find-python) && echo "Creating $(VENV) with $$py" && "$$py" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python requirements.txt requirements-data.txt
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -r requirements-data.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# Migrate, load the real administrative units and the demo data. Idempotent.
translations: $(VENV)/.installed
	$(PY) scripts/compile-translations

setup: translations fonts
	$(MANAGE) migrate --noinput
	$(MANAGE) load_units
	$(MANAGE) demo_data --scale demo

run: setup plan-deps
	@echo "HTX Nữ on http://127.0.0.1:$(PORT)/ (background worker started too; Ctrl+C stops both)"
	@trap 'kill 0' EXIT INT TERM; \
	  $(MANAGE) db_worker --queue-name '*' >/dev/null 2>&1 & \
	  $(MANAGE) runserver 127.0.0.1:$(PORT)

# pg_dump and pg_restore for `manage.py backup` / `restore` on PostgreSQL (Debian's postgresql-client).
pg-client:
	@command -v pg_dump >/dev/null 2>&1 || { \
	  echo "Installing Debian's postgresql-client for backups"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql-client >/dev/null; }

# Debian's chromium for the browser tests; Playwright drives it (it never downloads a browser).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Debian tools the plan import calls: antiword (old Word .doc files), Tesseract with its
# Vietnamese model (scanned PDFs) and poppler-utils' pdftoppm (PDF pages to images for it).
plan-deps:
	@command -v antiword >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 \
	  && tesseract --list-langs 2>/dev/null | grep -qx vie || { \
	  echo "Installing Debian's antiword, tesseract-ocr, tesseract-ocr-vie and poppler-utils for the plan import"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    antiword tesseract-ocr tesseract-ocr-vie poppler-utils >/dev/null; }

# Liberation Serif 2 (Debian's fonts-liberation2): the widths of Times New Roman and every
# Vietnamese letter (version 1 lacks ơ, ư and most toned vowels), for the .pdf reports and
# for measuring the .docx rules.
fonts:
	@test -e /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf || { \
	  echo "Installing Debian's fonts-liberation2 for the official documents"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq fonts-liberation2 >/dev/null; }

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .

check-migrations: $(VENV)/.installed
	$(MANAGE) makemigrations --check --dry-run

test-only:
	$(MANAGE) test --noinput $(TEST_ARGS)

test: $(VENV)/.installed-dev translations browser-deps plan-deps fonts lint check-migrations
	$(MAKE) --no-print-directory test-only

# Regenerate the Vietnamese translation catalogue after changing strings (needs GNU gettext).
messages: $(VENV)/.installed
	PY=$(PY) scripts/make-messages

# The registry on the national data set (built once per database, then reused), on SQLite
# and PostgreSQL; writes docs/benchmarks.md. See bench/run.py for the variables. Then the
# reporting pages and documents on the same data, then the dashboards, then the cost of
# keeping the registry's facts (bench/reporting.py, bench/dashboard.py and bench/facts.py
# add their sections).
bench: $(VENV)/.installed-dev translations
	$(PY) bench/run.py
	$(PY) bench/reporting.py
	$(PY) bench/dashboard.py
	$(PY) bench/facts.py

# The production stack (gunicorn with deploy/gunicorn.conf.py, a worker, DEBUG=0, PostgreSQL on
# 127.0.0.1) started, checked (check --deploy, sign-in over HTTP behind the proxy header) and
# stopped. DATABASE_URL chooses the database (default: htxnu_prodcheck, created when missing).
prod-check: $(VENV)/.installed translations
	$(PY) deploy/prod_check.py

# A deadline day against that stack: LOADTEST_USERS commune officers (default 200) save twice and
# submit, 20 province approvers approve, for LOADTEST_SECONDS at most (default 600); then every
# success is checked in the database. See bench/loadtest.py; results in docs/benchmarks.md.
loadtest: $(VENV)/.installed translations
	$(PY) bench/loadtest.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
