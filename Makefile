# Everyday commands. `make run` serves the guide; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint format messages check clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Dependencies come from the lock files only, every file checked against its hash, so
# every machine installs the same tree; then the project itself, without dependencies.
# requirements/run.txt is what the site needs; requirements/test.txt adds the test tools.
LOCK_RUN := requirements/run.txt
LOCK_TEST := requirements/test.txt

$(VENV)/.installed-run: $(LOCK_RUN) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK_RUN)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(LOCK_TEST) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK_TEST)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed-run

# uv resolves, for every Python that requires-python allows and every platform, the
# exact versions with the hashes of all their files. An existing pin is kept while it
# still fits pyproject.toml; `make lock UPGRADE=1` moves every pin to the newest allowed.
# The run set is resolved inside the test set, so both pin the same versions.
UV_VERSION ?= >=0.13,<0.14
LOCK_FLAGS = --quiet --universal --python-version 3.11 --generate-hashes \
	$(if $(UPGRADE),--upgrade)

## lock: pin every dependency of pyproject.toml, with hashes, into requirements/
lock: | $(BIN)/python
	@[ -x $(BIN)/uv ] || $(BIN)/pip install --quiet 'uv$(UV_VERSION)'
	mkdir -p requirements
	UV_CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/uv pip compile $(LOCK_FLAGS) \
		--extra test pyproject.toml -o $(LOCK_TEST)
	UV_CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/uv pip compile $(LOCK_FLAGS) \
		--constraint $(LOCK_TEST) pyproject.toml -o $(LOCK_RUN)

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
TEST_PACKAGES := chromium:chromium msgfmt:gettext pg_ctlcluster:postgresql redis-server:redis-server

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

## bench: a treatment page (cached, uncached, through nginx) against bare Django, a constant view
## and a static file; then the scale run (admin saves, load_content, search) at 0 and 1,000 extra pages
bench: $(VENV)/.installed-run
	$(call install-debian-packages,$(BENCH_PACKAGES) pg_ctlcluster:postgresql)
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/scale_run.py 0 1000
	$(BIN)/python bench/search_bench.py

## loadtest: 60 s at 64 connections over every public page through nginx, with an admin edit
loadtest: $(VENV)/.installed-run
	$(call install-debian-packages,$(BENCH_PACKAGES))
	$(BIN)/python bench/loadtest.py

# Lighthouse comes from npm into .lighthouse/ (ignored by git), Chromium and npm from
# Debian, each only when missing. A manual check, not part of `make test`.
LIGHTHOUSE_PACKAGES := chromium:chromium npm:npm
LIGHTHOUSE_VERSION ?= 12

.PHONY: lighthouse

## lighthouse: Lighthouse scores (mobile and desktop, all four categories) of seven kinds of page in both languages, served as in production
lighthouse: $(VENV)/.installed-run
	$(call install-debian-packages,$(LIGHTHOUSE_PACKAGES))
	@[ -x .lighthouse/node_modules/.bin/lighthouse ] || \
		npm install --prefix .lighthouse --no-audit --no-fund --loglevel=error \
			lighthouse@$(LIGHTHOUSE_VERSION)
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python bench/lighthouse.py
