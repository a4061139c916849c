# Keel — the two commands a newcomer needs are `make run` and `make test`.
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

WEB     := web
WEB_STAMP := $(WEB)/node_modules/.installed
WEB_DIST  := $(WEB)/dist/index.html
WEB_SOURCES := $(shell find $(WEB)/src $(WEB)/public -type f 2>/dev/null) \
	$(WEB)/index.html $(WEB)/vite.config.ts $(WEB)/package.json $(wildcard $(WEB)/tsconfig*.json)

TOOLS   := .venv-tools
TOOLS_STAMP := $(TOOLS)/.installed

.PHONY: run test install tools lint typecheck contracts security bench lock migration clean web web-check web-client

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==26.3
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

$(WEB_STAMP): $(WEB)/package.json $(WEB)/package-lock.json
	cd $(WEB) && npm ci --no-audit --no-fund
	touch $@

$(WEB_DIST): $(WEB_STAMP) $(WEB_SOURCES)
	cd $(WEB) && npm run build

## The web app, built into web/dist (once; again only when its sources change).
web: $(WEB_DIST)

# Tools whose pins clash with the app's (checkov, semgrep) in their own venv, and the offline
# schemas the deployment tests use (deploy/tools/package.json); installed here, never by a test.
$(TOOLS_STAMP): deploy/tools/requirements.txt deploy/tools/package-lock.json
	test -x $(TOOLS)/bin/python || $(PY) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --upgrade pip==26.3
	$(TOOLS)/bin/python -m pip install --quiet -r deploy/tools/requirements.txt
	cd deploy/tools && npm ci --no-audit --no-fund --silent
	touch $(TOOLS_STAMP)

tools: $(TOOLS_STAMP)

## Run the whole platform on embedded defaults (SQLite, in-process cache, replayed history).
run: install web
	$(BIN)/keel serve

## Regenerate the web app's API client from the server's OpenAPI document.
web-client: install $(WEB_STAMP)
	$(BIN)/keel openapi --out $(WEB)/openapi.json
	cd $(WEB) && npm run codegen

## The web app's checks: client up to date, strict types, component tests, build, size budget.
web-check: install $(WEB_STAMP)
	@$(BIN)/keel openapi --out $(WEB)/.openapi-now.json
	@cmp -s $(WEB)/.openapi-now.json $(WEB)/openapi.json || \
		{ rm -f $(WEB)/.openapi-now.json; echo "web/openapi.json is stale: run 'make web-client'"; exit 1; }
	@rm -f $(WEB)/.openapi-now.json
	cd $(WEB) && npm run codegen:check && npm run typecheck && npm test && npm run build && npm run size

## The whole test suite: lint, types, layer contracts, the web app's checks, unit + integration
## tests and the browser tests (which drive the web app just built).
test: install tools lint typecheck contracts security web-check
	$(BIN)/pytest -n 2 --dist loadgroup tests --ignore=tests/e2e
	$(BIN)/pytest -n 2 --dist loadfile tests/e2e

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy

contracts: install
	$(BIN)/lint-imports

## Security checks; any finding fails: bandit, semgrep with Keel's rules (deploy/security), and
## detect-secrets against the reviewed .secrets.baseline (tests/ holds only fake credentials).
security: install tools
	$(BIN)/bandit -q -c pyproject.toml -r src
	$(TOOLS)/bin/semgrep scan --test --config deploy/security/semgrep.yml deploy/security/semgrep.py \
		--metrics=off --disable-version-check --quiet
	$(TOOLS)/bin/semgrep scan --config deploy/security/semgrep.yml --metrics=off \
		--disable-version-check --error --quiet src
	deploy/security/check-secrets.sh

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
	rm -rf $(VENV) $(TOOLS) deploy/tools/node_modules var .pytest_cache .mypy_cache .ruff_cache $(WEB)/node_modules $(WEB)/dist
