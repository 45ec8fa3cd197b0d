# One place for every command the README and CI use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
PROD_ENV := DJANGO_PRODUCTION=true REDIS_URL=redis://127.0.0.1:6379/0 DJANGO_SECRET_KEY=check-deploy-only-$(shell printf '%064d' 0 | tr 0 x)-a1b2c3d4e5 \
	DJANGO_ALLOWED_HOSTS=tracker.example.org EMAIL_HOST=smtp.example.org DJANGO_SUPPORT_ADMIN_ALLOWED_NETWORKS=192.0.2.0/24
## The port `make demo` and `make serve` listen on: make demo PORT=8001
PORT ?= 8000

.PHONY: venv demo serve test lint format deploy-check check assets

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

venv: $(STAMP)

## The server and, beside it, the worker that runs background jobs (PDFs, exports, reminders: jobs/), stopped with it;
## the worker at a lower priority, so pages come first on the same machine
SERVE_WITH_WORKER = nice -n 10 $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## Set everything up, load the demo partnership and serve it on http://127.0.0.1:$(PORT) (PORT=8000 unless given)
demo: venv
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(SERVE_WITH_WORKER)

serve: venv
	$(SERVE_WITH_WORKER)

## Run the whole test suite (SQLite unless DATABASE_URL says otherwise), one pytest-xdist worker per CPU;
## TEST_WORKERS=0 runs it in one process, PYTEST_ARGS adds pytest options
TEST_WORKERS ?= auto
test: venv
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py quadrant_css --check

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## The production settings must pass Django's deployment checklist
deploy-check: venv
	$(PROD_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

check: lint deploy-check test

## Rebuild the committed GOV.UK Frontend CSS/JS from package.json (needs Node)
assets:
	npm ci
	npm run build
