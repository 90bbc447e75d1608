# Rooyesh Market: `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
FONT := static/fonts/rooyesh-sans.woff2
TRANSLATIONS := marketplace/translations
MO_FILES := $(TRANSLATIONS)/fa/LC_MESSAGES/messages.mo $(TRANSLATIONS)/en/LC_MESSAGES/messages.mo
TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test venv assets migrate demo lint test-sqlite test-postgres messages serve-gunicorn bench clean

## run: install, build assets, migrate, load demo data when empty, then serve on http://127.0.0.1:5000
## and run the outbox worker beside it (Procfile, started by honcho; Ctrl-C stops both)
run: assets migrate
	$(FLASK) demo load --if-empty
	$(FLASK) media variants  # photos and logos stored before a variant width was added get it
	$(FLASK) search sync  # a missing or unreadable index is rebuilt here, never by a request
	PATH="$(CURDIR)/$(BIN):$$PATH" HOST=$(HOST) $(BIN)/honcho start --procfile Procfile --port $(PORT)

## test: ruff, import-linter and mypy, then the whole suite on SQLite (with browser journeys), then again on PostgreSQL
test: assets lint test-sqlite test-postgres

venv: $(BIN)/.installed
$(BIN)/.installed: requirements.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# CSS and JS are minified, hashed and compressed in memory when the app starts (core/assets.py): no build step
assets: venv $(FONT) $(MO_FILES)

$(FONT): $(BIN)/.installed marketplace/core/fonts.py
	$(BIN)/python -m marketplace.core.fonts $@

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po $(BIN)/.installed
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS) -l $*

migrate: assets
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo load
	$(FLASK) media variants

lint: venv
	$(BIN)/ruff check marketplace tests bench wsgi.py
	$(BIN)/ruff format --check marketplace tests bench wsgi.py
	$(BIN)/lint-imports --no-logo
	$(BIN)/mypy

test-sqlite: assets
	$(BIN)/python -m pytest

test-postgres: assets
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/python -m pytest -m "not browser"

## messages: re-extract strings and update both catalogues (then translate the new Persian ones)
messages: venv
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs '.*' --no-location \
		--sort-output --project "Rooyesh Market" -o $(TRANSLATIONS)/messages.pot marketplace templates
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching
	$(BIN)/python -m marketplace.translations.english

serve-gunicorn: assets migrate
	$(FLASK) search sync
	$(BIN)/gunicorn --workers 2 --bind $(HOST):$(PORT) wsgi:app

bench: assets
	$(BIN)/python bench/pages.py --db both
	$(BIN)/python bench/assets.py
	$(BIN)/python bench/branding.py
	$(BIN)/python bench/producer_actions.py
	$(BIN)/python bench/images.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/outbox.py
	$(BIN)/python bench/checkout.py
	$(BIN)/python bench/dashboard.py --db both

clean:
	rm -rf $(VENV) $(FONT) $(MO_FILES) .pytest_cache .ruff_cache .mypy_cache .import_linter_cache
