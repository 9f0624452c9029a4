# Two commands for a fresh clone: `make demo` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install lint typecheck check-pg serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# axe-core (pinned in package.json and package-lock.json) for the browser tests' accessibility checks.
# Without npm the check is skipped locally; CI installs npm and fails rather than skips.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $(AXE); \
	else echo "npm not found: the accessibility tests will be skipped (Debian: apt-get install npm)"; fi

install: $(STAMP) $(AXE)

# Embedded SQLite under var/, demo data, gunicorn on http://$(HOST):$(PORT), and beside it the local
# OpenID Connect provider of the demo families on http://127.0.0.1:$(IDP_PORT) (stopped with it).
IDP_PORT ?= 8001
DEMO_ENV := LAPE_ALLOW_INSECURE_KEY=1 LAPE_SECURE_COOKIES=0
DEMO_FAMILY_OIDC := LAPE_FAMILY_OIDC_ISSUER=http://127.0.0.1:$(IDP_PORT)/o LAPE_FAMILY_OIDC_CLIENT_ID=lape-demo \
	LAPE_FAMILY_OIDC_CLIENT_SECRET=lape-demo-family-client
demo: $(STAMP)
	mkdir -p var
	$(DEMO_ENV) $(BIN)/lape migrate --no-input
	$(DEMO_ENV) $(BIN)/lape demo
	$(DEMO_ENV) $(BIN)/lape demo-idp --port $(IDP_PORT) --lape-url http://$(HOST):$(PORT) & idp=$$!; \
	trap 'kill $$idp 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(DEMO_FAMILY_OIDC) $(BIN)/lape serve --host $(HOST) --port $(PORT)

# The whole suite: lint and types, then SQLite, then PostgreSQL (when reachable or CI=true).
test: $(STAMP) $(AXE)
	$(BIN)/ruff check src benchmarks
	$(BIN)/ruff format --check src benchmarks
	LAPE_ALLOW_INSECURE_KEY=1 $(BIN)/mypy src
	LAPE_ALLOW_INSECURE_KEY=1 $(BIN)/python -m lape.testrun

lint: $(STAMP)
	$(BIN)/ruff check src benchmarks
	$(BIN)/ruff format --check src benchmarks
	LAPE_ALLOW_INSECURE_KEY=1 $(BIN)/mypy src

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
