# Two commands do all the set-up on a fresh machine:
#   make chat   installs the bot and starts a terminal chat in basic mode
#   make test   installs the dev tools and runs lint, the layer contract and every test
# make test-fast runs lint, the layer contract and the unit, contract and PostgreSQL integration
# tests: no end-to-end, AI or load runs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: chat serve test test-fast lint install install-dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

chat: install
	$(BIN)/python -m app chat

serve: install
	$(BIN)/gunicorn 'app.entrypoints.web.app:create_app()' --bind 127.0.0.1:8000 --workers 1 --threads 8

lint: install-dev
	$(BIN)/ruff check app tests bench scripts
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

# Four test processes on two cores: these tests mostly wait (servers, retries, timeouts), and
# each process starts its own PostgreSQL server.
test-fast: lint
	$(BIN)/pytest -n 4 tests/unit tests/contract tests/integration
