# Keel — the two commands a newcomer needs are `make run` and `make test`.
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: run test install lint typecheck contracts bench lock migration clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==26.3
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Run the whole platform on embedded defaults (SQLite, in-process cache, replayed history).
run: install
	$(BIN)/keel serve

## The whole test suite: lint, types, layer contracts, unit + integration tests.
test: install lint typecheck contracts
	$(BIN)/pytest -n 2 --dist loadgroup tests

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy

contracts: install
	$(BIN)/lint-imports

bench: install
	$(BIN)/python benchmarks/run_all.py

## Autogenerate an Alembic migration from the models (review it before committing).
migration: install
	rm -rf var/migration-scratch && mkdir -p var/migration-scratch
	KEEL_DATABASE_URL=sqlite+aiosqlite:///var/migration-scratch/db.sqlite $(BIN)/keel db upgrade
	$(BIN)/python -c "from keel.server.migrate import revision; revision('sqlite+aiosqlite:///var/migration-scratch/db.sqlite', '$(MSG)')"

## Re-pin every dependency after changing pyproject.toml.
lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
