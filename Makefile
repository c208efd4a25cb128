# Two commands for a newcomer: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench lint format install messages translations lock clean-db

$(BIN)/activate:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Нужен Python 3.11 или новее: $(PYTHON) — " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock $(BIN)/activate
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	@touch $@

install: $(VENV)/.installed

translations: install
	@$(MANAGE) compile_translations

run: install translations
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	$(MANAGE) search_reindex
	@$(MANAGE) ensure_admin --url http://$(HOST):$(PORT)
	$(MANAGE) runserver $(HOST):$(PORT)

test: install translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install translations
	$(BIN)/python -m pytest tests/benchmarks -o python_files='bench_*.py' -o python_functions='bench_*' -p no:cacheprovider -q -s $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Needs GNU gettext (xgettext); run after changing interface strings, then commit the .po files.
messages: install
	$(MANAGE) makemessages --locale ru --locale en --ignore '.venv/*' --ignore 'static/*'

# Regenerates requirements.lock from pyproject.toml.
lock: install
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

clean-db:
	rm -f db.sqlite3 .admin-login.txt
