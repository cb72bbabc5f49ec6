# The README's two commands are the contract: `make run` and `make test` from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Links in LINE messages and rich menus follow PORT unless SITE_URL is set.
SITE_URL ?= http://127.0.0.1:$(PORT)
CHROMIUM ?= /usr/bin/chromium
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test lint format setup setup-test migrate demo check-chromium bench loadtest faulttest deploy-check fuzz requirements clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# What running needs (requirements.txt, as production installs it) ...
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# ... and, for tests, lint, benchmarks and load runs, the test set on top of it.
$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt requirements-deploy-test.txt
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-test.txt \
	  -r requirements-deploy-test.txt
	touch $@

setup: $(VENV)/.installed

setup-test: $(VENV)/.installed-test

migrate: setup
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo_data

# Web server, task worker and (without LINE credentials) the local LINE stand-in together;
# Ctrl-C stops them all. The stand-in keeps its state in memory, so the rich menus are
# created again at every start.
run: demo
	@echo "Serving on http://127.0.0.1:$(PORT)/  (LINE phone simulator: http://127.0.0.1:$(PORT)/dev/line/)"
	@echo "Links in LINE messages and rich menus: $(SITE_URL)"
	@trap 'kill 0' INT TERM EXIT; export SITE_URL='$(SITE_URL)'; \
	if [ -z "$$LINE_CHANNEL_ACCESS_TOKEN" ]; then \
	  $(BIN)/python manage.py line_standin --webhook-url http://127.0.0.1:$(PORT)/line/webhook/ & \
	fi; \
	$(BIN)/python manage.py db_worker --queue-name '*' --interval 0.5 & \
	( $(BIN)/python manage.py line_richmenu --wait 30 || echo "Rich menus not set up (see above)." ) & \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

check-chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  echo "Browser tests need Debian's Chromium at $(CHROMIUM)."; \
	  echo "Install it with:  sudo apt-get update && sudo apt-get install -y chromium"; \
	  exit 1; \
	fi

test: setup-test check-chromium
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

# The bad-input sweep (tests/fuzz/, issue 9) with thousands of inputs and a fresh seed each
# run; `make test` runs a small repeatable sample of it. Ends with "fuzz inputs tried: N".
fuzz: setup-test
	HYPOTHESIS_PROFILE=full $(BIN)/pytest tests/fuzz -n 2 -p no:cacheprovider $(PYTEST_ARGS)

# ruff (its rules, unused noqa included, in ruff.toml) and djhtml's indentation of the Django
# templates (whitespace only): `make format` applies both.
lint: setup-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates

format: setup-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates

# Benchmarks (bench/README.md): a throwaway database, the site under gunicorn, task
# workers and the LINE stand-in on loopback; prints one line of figures per measurement.
bench: setup-test
	$(BIN)/python -m bench.line_webhook
	$(BIN)/python -m bench.line_fanout
	$(BIN)/python -m bench.complaint_filing
	$(BIN)/python -m bench.dashboard
	$(BIN)/python -m bench.complaint_search
	$(BIN)/python -m bench.nearby
	$(BIN)/python -m bench.chat_latency
	$(BIN)/python -m bench.page_budget
	$(BIN)/python -m bench.altcha_solve
	$(BIN)/python -m bench.page_throughput

# Load and fault runs (loadtest/README.md): a PostgreSQL cluster of their own (pg_createcluster,
# as root), gunicorn, a task worker and the LINE stand-in on loopback; bounded, self-stopping.
# Full form by default (200 citizens for 300 s; LINE down 300 s); CI runs a short form.
loadtest: setup-test
	$(BIN)/python -m loadtest.load

faulttest: setup-test
	$(BIN)/python -m loadtest.faults

# The production files in deploy/: gunicorn --check-config, nginx -t (self-signed certificate),
# systemd-analyze verify; a tool that is not installed is skipped with a note.
deploy-check: setup
	bash deploy/check.sh

# After editing requirements*.in (README "Requirements"): compile the pinned files again, in
# order, each constrained by the ones before. pip-tools has a venv of its own, so neither
# production nor the test set carries it. Upgrades: make requirements COMPILE_ARGS=--upgrade
# (or --upgrade-package NAME).
TOOLS := .venv-tools
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make requirements" $(TOOLS)/bin/pip-compile --quiet \
  --strip-extras --no-emit-index-url --no-emit-find-links --no-emit-trusted-host --newline=lf \
  $(COMPILE_ARGS)

$(TOOLS)/bin/pip-compile:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet pip-tools==7.6.2

requirements: $(TOOLS)/bin/pip-compile
	$(PIP_COMPILE) requirements.in
	$(PIP_COMPILE) requirements-test.in
	$(PIP_COMPILE) requirements-deploy-test.in

clean:
	rm -rf $(VENV) $(TOOLS) db.sqlite3 db.sqlite3-* staticfiles .pytest_cache
