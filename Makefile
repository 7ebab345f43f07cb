# Two commands: `make run` (local demo on http://127.0.0.1:8000) and `make test` (whole suite).
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
MANAGE := $(UV) run --frozen python manage.py
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test lint bench install chromium clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

install: $(UV)
	@$(UV) sync --frozen --quiet
	@mkdir -p var

# Demo server and background task worker together; Ctrl-C stops both.
run: export DEBUG ?= 1
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_territories
	$(MANAGE) seed_demo
	@$(MANAGE) db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

# The browser journeys drive Debian's Chromium; install it when missing and allowed to.
chromium:
	@test -x $(CHROMIUM) || { test "$$(id -u)" = 0 && command -v apt-get >/dev/null && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	  { echo "Chromium est introuvable ($(CHROMIUM)) : installez le paquet Debian « chromium »."; exit 1; }

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

# The official validator of the places data standard (npm), run by the open-data tests.
tools/standard-check/node_modules: tools/standard-check/package-lock.json
	@cd tools/standard-check && npm ci --no-audit --no-fund --silent && touch node_modules

# pytest exits with 5 when it collects nothing: a suite that tests nothing is a failure too.
test: install chromium lint tools/standard-check/node_modules
	@$(UV) run --frozen pytest -n auto --dist loadscope -q $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "Aucun test n'a été collecté : échec."; exit 1; fi; exit $$rc

# Every benchmark at national scale, on the database DATABASE_URL names (SQLite by default); the
# 10x runs and their options are in bench/README.md.
BENCHES := territories journal matching recruitment allocation ledger training mandates partners places activity_import activity_http activity_entry stats stats_dashboards stats_public
bench: install chromium
	@for name in $(BENCHES); do echo "== bench/$$name.py"; \
	  $(UV) run --frozen python bench/$$name.py || exit 1; done

clean:
	rm -rf var .venv .tools
