# Two commands: `make run` (local demo on http://127.0.0.1:8000) and `make test` (whole suite).
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
MANAGE := $(UV) run --frozen python manage.py
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test test-fast check lint bench bench-summary install chromium clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

install: $(UV)
	@$(UV) sync --frozen --quiet
	@mkdir -p var

# Demo server, background task worker and periodic jobs' scheduler together; Ctrl-C stops all.
run: export DEBUG ?= 1
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_territories
	$(MANAGE) seed_demo
	@$(MANAGE) db_worker & worker=$$!; \
	$(MANAGE) run_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

# The browser journeys drive Debian's Chromium; install it when missing and allowed to.
chromium:
	@test -x $(CHROMIUM) || { test "$$(id -u)" = 0 && command -v apt-get >/dev/null && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	  { echo "Chromium est introuvable ($(CHROMIUM)) : installez le paquet Debian « chromium »."; exit 1; }

CHECK_TESTS := cnum/core/tests/test_layers.py cnum/core/tests/test_templates.py

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

# The official validator of the places data standard (npm), run by the open-data tests.
tools/standard-check/node_modules: tools/standard-check/package-lock.json
	@cd tools/standard-check && npm ci --no-audit --no-fund --silent && touch node_modules

# pytest exits with 5 when it collects nothing: a suite that tests nothing is a failure too.
# COVERAGE=1 measures coverage and prints it by app (tools/coverage_summary.py).
test: install chromium check tools/standard-check/node_modules
	@$(UV) run --frozen pytest -n auto --dist loadscope --no-loadscope-reorder -q -p no:cacheprovider \
	  $(if $(COVERAGE),--cov=cnum --cov-report=) $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "Aucun test n'a été collecté : échec."; exit 1; fi; \
	if [ -n "$(COVERAGE)" ]; then $(UV) run --frozen python tools/coverage_summary.py; fi; exit $$rc

# Seconds before a commit: lint, format, migrations, the layer check and every template compiled.
check: lint
	@DEBUG=1 $(MANAGE) makemigrations --check --dry-run >/dev/null || \
	  { echo "Des migrations manquent : manage.py makemigrations."; exit 1; }
	@$(UV) run --frozen pytest -q -n 0 -p no:randomly -p no:cacheprovider $(CHECK_TESTS)

# The suite without browser journeys, the apps changed in the work tree first, last failures
# first; `make test-fast PYTEST_ARGS=--lf` reruns only what failed last time.
test-fast: install tools/standard-check/node_modules
	@$(UV) run --frozen pytest -n auto --dist loadscope -q -m "not browser" --ff \
	  $$(tools/changed-apps) cnum $(PYTEST_ARGS)

# Every benchmark at national scale, on the database DATABASE_URL names (SQLite by default); the
# 10x runs and their options are in bench/README.md.
BENCHES := territories journal matching recruitment allocation ledger training mandates partners places activity_import activity_http activity_entry stats stats_dashboards stats_public documents partner_api
bench: install chromium
	@for name in $(BENCHES); do echo "== bench/$$name.py"; \
	  $(UV) run --frozen python bench/$$name.py || exit 1; done

# The national-scale benches side by side with their anchors, SQLite then PostgreSQL:
# bench/summary.md.
bench-summary: install
	$(UV) run --frozen python bench/summary.py

clean:
	rm -rf var .venv .tools
