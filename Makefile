# Everyday commands. `make run` serves the guide; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint format messages check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed-run

# Debian packages as command:package pairs, installed only when the command is missing
# (as root, or with sudo).
define install-debian-packages
	@missing=""; \
	for pair in $(1); do \
		command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
		sudo=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		echo "installing$$missing"; \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

## run: install, migrate, load the shipped content and serve http://127.0.0.1:$(PORT)
run: export DJANGO_DEBUG ?= 1
run: $(VENV)/.installed-run
	$(call install-debian-packages,msgfmt:gettext)
	$(MANAGE) compilemessages --ignore=$(VENV) --ignore=.lighthouse -v0
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) load_content
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# The browser tests drive Debian's Chromium; compilemessages needs GNU gettext.
TEST_PACKAGES := chromium:chromium msgfmt:gettext

## test: install the test extras (and Chromium), lint, check, and run the test suite
test: export DJANGO_SECRET_KEY ?= insecure-key-for-tests-only
# The suite's cache: in-process (fast) unless CACHE_URL names another, as .ci/run does.
test: export CACHE_URL ?= locmem://
test: $(VENV)/.installed-test
	$(call install-debian-packages,$(TEST_PACKAGES))
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) compilemessages --ignore=$(VENV) --ignore=.lighthouse -v0
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: collect French interface strings into locale/fr/LC_MESSAGES/django.po
messages: export DJANGO_DEBUG ?= 1
messages: $(VENV)/.installed-run
	$(MANAGE) makemessages -l fr --ignore=$(VENV) --ignore=content --ignore=.lighthouse --no-obsolete
	$(MANAGE) compilemessages --ignore=$(VENV) --ignore=.lighthouse

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles

# Benchmark tools from Debian, installed only when missing.
BENCH_PACKAGES := wrk:wrk nginx:nginx-light redis-server:redis-server openssl:openssl

.PHONY: bench loadtest

## bench: a treatment page (cached, uncached, through nginx) against a constant view and a static file
bench: $(VENV)/.installed-run
	$(call install-debian-packages,$(BENCH_PACKAGES))
	$(BIN)/python bench/bench.py

## loadtest: 60 s at 64 connections over every public page through nginx, with an admin edit
loadtest: $(VENV)/.installed-run
	$(call install-debian-packages,$(BENCH_PACKAGES))
	$(BIN)/python bench/loadtest.py

# Lighthouse comes from npm into .lighthouse/ (ignored by git), Chromium and npm from
# Debian, each only when missing. A manual check, not part of `make test`.
LIGHTHOUSE_PACKAGES := chromium:chromium npm:npm
LIGHTHOUSE_VERSION ?= 12

.PHONY: lighthouse

## lighthouse: Lighthouse scores (mobile and desktop, all four categories) of five pages served as in production
lighthouse: $(VENV)/.installed-run
	$(call install-debian-packages,$(LIGHTHOUSE_PACKAGES))
	@[ -x .lighthouse/node_modules/.bin/lighthouse ] || \
		npm install --prefix .lighthouse --no-audit --no-fund --loglevel=error \
			lighthouse@$(LIGHTHOUSE_VERSION)
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python bench/lighthouse.py
