# Two commands: `make run` (set up and serve) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run setup serve test lint bench clean-instance browser

run: setup serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.requirements: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.requirements-test: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

## Migrate the database in instance/, seed units, sync courses, demo accounts (new database only)
setup: $(VENV)/.requirements
	$(FLASK) db upgrade
	$(FLASK) setup

serve:
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(FLASK) run --host $(HOST) --port $(PORT)

lint: $(VENV)/.requirements-test
	$(BIN)/ruff check .

## Debian's Chromium for the browser tests (tests/e2e); never downloads a browser build
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y chromium)

test: $(VENV)/.requirements-test browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.requirements-test
	$(BIN)/python -m bench

clean-instance:
	rm -rf instance/app.db instance/app.db-wal instance/app.db-shm
