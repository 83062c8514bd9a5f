# GameFactory: `make run` starts the whole platform, `make test` passes every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP_PY := $(VENV)/.installed
STAMP_NPM := node_modules/.installed
export PYTHONDONTWRITEBYTECODE := 1

# `make run` (and the demo data it loads) asks for DEBUG only when serving on a loopback address;
# an explicit DEBUG in the environment wins (settings refuse DEBUG on any other address).
WEB_HOST ?= 127.0.0.1
LOOPBACK := $(filter 127.% localhost ::1 [::1],$(WEB_HOST))
run demo: export DEBUG ?= $(if $(LOOPBACK),1,0)

.PHONY: help setup run test lint format migrate demo clean e2e bench-help fuzz

help: ## list the commands
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP_PY): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "GameFactory needs Python 3.11 (found %d.%d); set PYTHON=/path/to/python3.11" % sys.version_info[:2])'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

$(STAMP_NPM): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(STAMP_PY) $(STAMP_NPM) ## create the virtualenv, install Python and npm packages

migrate: setup ## apply database migrations and sync the mechanics library into the database
	$(PY) manage.py migrate --noinput
	$(PY) manage.py sync_mechanics
	$(PY) manage.py cast_index

demo: migrate ## load the demo data and print the logins
	$(PY) manage.py seed_demo

run: demo ## set up, migrate, collect static files, seed demo data, start web + websockets + worker + beat
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Starting web (http://127.0.0.1:$${WEB_PORT:-8000}), worker and beat. Ctrl-C stops all of them."
	$(PY) scripts/run_all.py

test: setup ## the whole test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set), the API fuzz, the linters
	$(PY) manage.py cast_index
	$(BIN)/pytest
	$(MAKE) --no-print-directory fuzz
	$(MAKE) --no-print-directory lint

fuzz: setup ## schemathesis on every API operation of a live server: fails on any 5xx or schema violation
	$(PY) scripts/fuzz_api.py

lint: setup ## ruff, the architecture contracts (import-linter) and types (mypy on services and selectors)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: setup ## fix what ruff can fix
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean: ## remove the virtualenv, npm packages and local data (var/)
	rm -rf $(VENV) node_modules var
