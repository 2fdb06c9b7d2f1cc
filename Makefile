# Lianxin: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never

.PHONY: run serve test install install-test lock migrate seed check lint clean services-check manual

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==0.13.9

$(VENV)/.installed: requirements/base.txt $(VENV)/bin/activate
	$(UV) pip install --quiet --python $(PY) -r requirements/base.txt
	touch $@

$(VENV)/.installed-test: requirements/test.txt $(VENV)/.installed
	$(UV) pip install --quiet --python $(PY) -r requirements/test.txt
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# `make run` serves with DEBUG off (the portal's own error pages, static files through
# WhiteNoise, straight from the apps' folders) on plain HTTP at 127.0.0.1: a secret key made on first start and kept in
# var/secret_key, no HTTPS redirect, no Secure-only cookies. `DEBUG=1 make run` for development.
RUN_ENV = DEBUG=$${DEBUG:-0} SECRET_KEY_FILE=$${SECRET_KEY_FILE:-$(CURDIR)/var/secret_key} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} \
	SERVER_BASE_URL=$${SERVER_BASE_URL:-http://127.0.0.1:$(PORT)} \
	SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-0} SESSION_COOKIE_SECURE=$${SESSION_COOKIE_SECURE:-0} \
	CSRF_COOKIE_SECURE=$${CSRF_COOKIE_SECURE:-0} SECURE_HSTS_SECONDS=$${SECURE_HSTS_SECONDS:-0} \
	STATIC_FROM_APPS=$${STATIC_FROM_APPS:-1} LOG_JSON=$${LOG_JSON:-0}

## make run: install, migrate the SQLite database, load the demo county, serve on :$(PORT)
## (SERVER_BASE_URL tells commands and tasks where it serves: links and QR codes follow the port)
run: install
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py seed_demo
	$(MAKE) --no-print-directory serve

## make serve: just the serving step of `make run` (the database as it is)
serve:
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

## make test: install what the tests need and run the whole suite
## (PostgreSQL when DATABASE_URL is set, SQLite otherwise): tests/suite.sh runs most of it on
## every core and, beside it, one at a time what shares something machine-wide (browsers, the
## Celery worker, Redis, faults, security). PYTEST_ARGS="..." runs just those arguments instead.
test: install-test
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run --settings=tests.settings
ifeq ($(strip $(PYTEST_ARGS)),)
	PY=$(PY) bash tests/suite.sh
else
	$(PY) -m pytest $(PYTEST_ARGS); code=$$?; if [ $$code -eq 5 ]; then code=0; fi; exit $$code
endif

## make manual: regenerate the user manual's screenshots (docs/manual/img/*.png): the manual's
## end-to-end steps run on the demo county in Chromium and photograph each step. Run it on
## PostgreSQL (DATABASE_URL=postgres://... make manual): under the live server's threads SQLite's
## single writer locks.
manual: install-test
	rm -f docs/manual/img/*.png
	MANUAL_SCREENSHOTS=docs/manual/img $(PY) -m pytest tests/e2e/test_manual.py -q -p no:cacheprovider
	@du -ch docs/manual/img/*.png | tail -n1

## make lock: recompile requirements/*.txt from pyproject.toml
lock: $(VENV)/bin/activate
	$(UV) pip compile --quiet pyproject.toml -o requirements/base.txt
	$(UV) pip compile --quiet pyproject.toml --extra test -o requirements/test.txt

migrate: install
	$(RUN_ENV) $(PY) manage.py migrate --noinput

seed: migrate
	$(RUN_ENV) $(PY) manage.py seed_demo

clean:
	rm -rf $(VENV) var/lianxin.sqlite3 var/test-media
