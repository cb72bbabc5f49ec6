# The README's two commands are the contract: `make run` and `make test` from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test lint format setup migrate demo check-chromium bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed

migrate: setup
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo_data

# Web server, task worker and (without LINE credentials) the local LINE stand-in together;
# Ctrl-C stops them all. The stand-in keeps its state in memory, so the rich menus are
# created again at every start.
run: demo
	@echo "Serving on http://127.0.0.1:$(PORT)/  (LINE phone simulator: http://127.0.0.1:$(PORT)/dev/line/)"
	@trap 'kill 0' INT TERM EXIT; \
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

test: setup check-chromium
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Benchmarks (bench/README.md): a throwaway database, the site under gunicorn, task
# workers and the LINE stand-in on loopback; prints one line of figures per measurement.
bench: setup
	$(BIN)/python -m bench.line_webhook
	$(BIN)/python -m bench.line_fanout
	$(BIN)/python -m bench.complaint_filing

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles .pytest_cache
