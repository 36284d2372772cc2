# Comptoir: `make run` serves the demo site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast test-browser install install-dev messages makemessages migrate seed lint format clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Reinstall only when the dependencies change, so a second `make run` starts in seconds.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PIP) install --quiet -e ".[dev]"
	touch $@

# axe-core for the accessibility test (tests/browser/test_accessibility.py), from the npm
# registry at the version package-lock.json pins; never served to visitors.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js and npm"; exit 1; }
	npm ci --no-audit --no-fund --silent

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev node_modules/.package-lock.json

# Compiled catalogues (.mo) are built from the committed .po files.
messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || { echo "msgfmt is missing: install gettext (apt-get install gettext)"; exit 1; }
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0

makemessages: $(VENV)/.installed
	$(PY) manage.py makemessages --locale fr --locale en --ignore=.venv --ignore=var --ignore=tests --ignore=node_modules --no-obsolete

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --no-input --verbosity 0

seed: migrate
	$(PY) manage.py seed_demo

run: install messages seed
	@echo "Comptoir: http://$(HOST):$(PORT)/ (HTTP and WebSocket). Ctrl-C to stop."
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) comptoir.asgi:application

# The fast suite, then the browser journeys in their own pytest run (see STACK_NOTES: an
# asyncio test after a Playwright test in the same process fails).
test: install-dev messages test-fast test-browser

test-fast: install-dev
	$(VENV)/bin/pytest -m "not browser" $(PYTEST_ARGS)

test-browser: install-dev
	$(VENV)/bin/pytest -m browser tests/browser $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf var/comptoir.sqlite3 var/static node_modules
