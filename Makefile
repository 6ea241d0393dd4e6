# Two commands: `make run` (set up and serve) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run setup serve serve-prod test lint bench bench-rush clean-instance browser mutate translations wrk

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
	$(FLASK) demo showcase

serve:
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	FLASK_PUBLIC_BASE_URL=$${FLASK_PUBLIC_BASE_URL:-http://$(HOST):$(PORT)} $(FLASK) run --host $(HOST) --port $(PORT)

## Production-style: gunicorn with gunicorn.conf.py (GUNICORN_WORKERS, GUNICORN_BIND, ...)
serve-prod: setup
	$(BIN)/gunicorn -c gunicorn.conf.py

## Extract the messages and merge them into translations/nn (new ones come in empty);
## then translate the empty msgstr in translations/nn/LC_MESSAGES/messages.po (README.md)
translations: $(VENV)/.requirements
	$(BIN)/python -m modules.core.translations update

lint: $(VENV)/.requirements-test
	$(BIN)/ruff check .

## Debian's Chromium for the browser tests (tests/e2e); never downloads a browser build
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y chromium)

## Tests on SQLite (default) or PostgreSQL: `make test DB=postgres`
## (TEST_DATABASE_URL overrides the PostgreSQL URL; each run uses its own schema).
## The suite runs in TEST_WORKERS processes (pytest-xdist; `auto` = one per CPU, 0 = in-process).
DB ?= sqlite
TEST_WORKERS ?= auto
TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

test: $(VENV)/.requirements-test browser
	$(BIN)/ruff check .
ifeq ($(DB),postgres)
	TEST_DATABASE_URL='$(TEST_DATABASE_URL)' $(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)
else
	TEST_DATABASE_URL= $(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)
endif

## Debian's wrk (a compiled HTTP load generator) for `make bench`
wrk:
	@command -v wrk >/dev/null 2>&1 || (apt-get update && apt-get install -y wrk)

## Benchmarks (never in `make test`): `make bench`, `make bench-rush` (docs/performance.md);
## a quick run on a small data set: `make bench BENCH_ARGS="--users 2000 --seconds 4"`
bench: $(VENV)/.requirements-test wrk
	$(BIN)/python -m bench $(BENCH_ARGS)

bench-rush: $(VENV)/.requirements-test
	$(BIN)/python -m bench rush $(BENCH_ARGS)

## Mutation testing of the rule modules (never in `make test`; hours on 2 CPUs):
## `make mutate`, or one module: `make mutate MUTANTS='modules.quizzes.grading*'`
mutate: $(VENV)/.requirements-test
	-$(BIN)/mutmut run $(MUTANTS)
	$(BIN)/python -m tests.mutation.summary

clean-instance:
	rm -rf instance/app.db instance/app.db-wal instance/app.db-shm
