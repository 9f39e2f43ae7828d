# Two commands on a fresh machine with only Python 3.11+ and make:
#   make run    install, migrate, load the curriculum and demo accounts, serve with jobs
#   make test   install and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run run-stack test test-integration bench bench-quick profile lint format setup clean system-deps

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[dev]"
	@touch $(STAMP)

# A real learning record store for the xAPI tests: Ralph's LRS with its file-system
# backend, in its own virtualenv (it pins its web framework's versions).
LRS_VENV := .venv-lrs
LRS_STAMP := $(LRS_VENV)/.installed
$(LRS_STAMP): tests/xapi/lrs-requirements.txt
	@test -x $(LRS_VENV)/bin/python || $(PYTHON) -m venv $(LRS_VENV)
	$(LRS_VENV)/bin/python -m pip install --quiet -r tests/xapi/lrs-requirements.txt
	@touch $(LRS_STAMP)

setup: $(STAMP)
	$(BIN)/python manage.py check_database
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_content
	$(BIN)/python manage.py seed_demo

run: setup
	@echo "Serving on http://127.0.0.1:8000 with a Celery worker and beat (Ctrl-C stops all)."
	@echo "E-mails the demo sends are written to var/mail/."
	$(BIN)/honcho -f Procfile.dev start

# The production shape: gunicorn + worker + beat on PostgreSQL and Redis.
# Needs DATABASE_URL, REDIS_URL and SECRET_KEY in the environment.
run-stack: $(STAMP)
	DJANGO_SETTINGS_MODULE=lms.settings.production $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=lms.settings.production $(BIN)/python manage.py collectstatic --noinput
	DJANGO_SETTINGS_MODULE=lms.settings.production $(BIN)/honcho -f Procfile start

# Debian packages some tests drive: Chromium (browser tests), poppler-utils (PDF pages
# to images), zbar-tools (reads the certificate's QR code back), xmlsec1 (the test SAML identity
# provider signs with it). Installed when missing
# and apt-get can run; otherwise those tests are skipped with the reason.
SYSTEM_PACKAGES := chromium:chromium chromedriver:chromium-driver pdftoppm:poppler-utils zbarimg:zbar-tools xmlsec1:xmlsec1

system-deps:
	@missing=""; for pair in $(SYSTEM_PACKAGES); do \
	  command -v "$${pair%%:*}" >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian packages:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) \
	      || echo "Could not install$$missing: the tests that need them will be skipped." >&2; \
	  else \
	    echo "Not installed:$$missing (needs root and apt-get): the tests that need them will be skipped." >&2; \
	  fi; \
	fi

test: $(STAMP) $(LRS_STAMP) system-deps
	$(BIN)/python -m pytest -n $${PYTEST_WORKERS:-2}

# A real Celery worker on Redis runs the tasks; the database must be PostgreSQL.
test-integration: $(STAMP) $(LRS_STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/lms} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/9} \
	LMS_CELERY_EAGER=0 $(BIN)/python -m pytest -m integration

# Load and speed benchmarks (see BENCHMARKS.md): gunicorn, a Celery worker, PostgreSQL
# databases lms_bench*, Redis DBs 11 and 12, ports 8150/8151 (BENCH_PORT overrides).
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet ".[dev,bench]"
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench.run

# Seconds, N = 50: proves the harness and that nothing is lost; timings not judged.
bench-quick: $(BENCH_STAMP)
	$(BIN)/python -m bench.run --quick

# Where each exam-day endpoint's time goes: CPU per request, SQL statements and a
# pyinstrument profile each, in var/bench/profiles/ (one process, no load).
profile: $(BENCH_STAMP)
	$(BIN)/python -m bench.profile

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf var/celery var/cache $(LRS_VENV)
