# Hearth: `make run` and `make test` do all set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.8
UV := $(PYTHON) -m uv
RUN := $(UV) run --frozen
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: system-libraries run test ui-sweep test-postgres lint format typecheck bench bench-scale env messages migrations-check deploy-check clean

env: .venv/.synced system-libraries

# WeasyPrint (printed care plans) needs Pango and a font from the system; the
# browser tests drive Debian's Chromium (never a downloaded browser). Debian
# names; skipped when they are already there (no root needed then).
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
system-libraries:
	@ldconfig -p | grep -q libpango-1.0 && ldconfig -p | grep -q libharfbuzz-subset \
	  || (apt-get update -qq && apt-get install -y -qq --no-install-recommends $(PDF_PACKAGES))
	@command -v chromium >/dev/null \
	  || (apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium)

.venv/.synced: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==$(UV_VERSION)"
	$(UV) sync --frozen
	@touch $@

messages: env
	$(RUN) python manage.py compilemessages --ignore=.venv -v 0

## Serve the app on http://127.0.0.1:8000 with SQLite and the demo data.
run: env messages
	$(RUN) python manage.py migrate --noinput
	$(RUN) python manage.py seed_demo
	$(RUN) python manage.py generate_vapid_keys --directory var
	HOST=$(HOST) PORT=$(PORT) \
	  HEARTH_VAPID_PRIVATE_KEY_FILE=$${HEARTH_VAPID_PRIVATE_KEY_FILE:-var/vapid-private-key} \
	  HEARTH_VAPID_PUBLIC_KEY_FILE=$${HEARTH_VAPID_PUBLIC_KEY_FILE:-var/vapid-public-key} \
	  $(RUN) honcho start -f Procfile

## The whole test suite (SQLite unless DATABASE_URL says otherwise).
## SQLite runs on a database file in memory-backed storage (/dev/shm where the
## machine has it): as fast as an in-memory database, and the threads of the
## race tests open real connections to it, which SQLite serializes only
## between connections to a file, so they run in the same pass.
test: env messages
	@if [ -z "$$DATABASE_URL" ]; then \
	  dir=$$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d) && trap 'rm -rf "$$dir"' EXIT && \
	  HEARTH_ENV=test HEARTH_TEST_SQLITE_NAME="$$dir/hearth-test.sqlite3" \
	    $(RUN) pytest -p no:cacheprovider -n 2 $(PYTEST_ARGS); \
	else \
	  HEARTH_ENV=test $(RUN) pytest -p no:cacheprovider -n 2 $(PYTEST_ARGS); \
	fi

## Only the UI sweep: every page as every role, phone and laptop, English and
## Russian; screenshots and the list of problems land in build/ui-sweep/.
ui-sweep: env messages
	@dir=$$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d) && trap 'rm -rf "$$dir"' EXIT && \
	  HEARTH_ENV=test HEARTH_TEST_SQLITE_NAME="$$dir/hearth-test.sqlite3" \
	  HEARTH_UI_SWEEP_SHOTS=$${HEARTH_UI_SWEEP_SHOTS:-phone} \
	    $(RUN) pytest -p no:cacheprovider -n 2 hearth/demo/tests/test_ui_sweep.py $(PYTEST_ARGS)

lint: env
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy hearth
	$(RUN) lint-imports
	$(RUN) bandit --quiet --configfile pyproject.toml --recursive hearth
	@mkdir -p var && $(UV) export --frozen --format requirements-txt --no-emit-project \
	  --all-groups --quiet > var/locked-requirements.txt
	$(RUN) python scripts/audit_dependencies.py var/locked-requirements.txt

format: env
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

migrations-check: env
	$(RUN) python manage.py makemigrations --check --dry-run

deploy-check: env
	HEARTH_ENV=production SECRET_KEY=ci-only-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=') \
	ALLOWED_HOSTS=hearth.example.org EMAIL_URL=smtp://mail.example.org:587/?tls=True DATABASE_URL=sqlite:///$$(mktemp -d)/deploy-check.sqlite3 \
	$(RUN) python manage.py check --deploy --fail-level WARNING

bench: env
	@if [ -d bench ] && ls bench/*.py >/dev/null 2>&1; then \
		for script in bench/*.py; do [ "$$script" = bench/scale.py ] && continue; \
		  echo "== $$script"; $(RUN) python $$script || exit 1; done; \
	else echo "No benchmarks yet."; fi

## The 10,000-patient service (bench/scale.py): builds hearth_bench_scale once
## (minutes; reused while its size matches), then times every page. Not in
## `make bench` because of the build. SCALE_ARGS="--small" for a quick try.
bench-scale: env messages
	$(RUN) python bench/scale.py $(SCALE_ARGS)

clean:
	rm -rf var staticfiles .pytest_cache
