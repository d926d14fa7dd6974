# The two commands of README.md. Everything they need is installed or started here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint requirements

# The virtual environment is brought up to date only when a lock file changes. It gets the
# development lock (the runtime's packages plus tests, lint and types), every file hash-checked.
$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.txt
	touch $@

# After editing requirements/base.in or requirements/dev.in: lock both files again (README,
# "Dependencies"). The runtime's lock comes first: the development one is constrained by it.
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make requirements" ../$(BIN)/pip-compile --quiet --generate-hashes \
	--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
requirements: $(BIN)/.installed
	cd requirements && $(PIP_COMPILE) --output-file=../requirements.txt base.in
	cd requirements && $(PIP_COMPILE) --output-file=../requirements-dev.txt dev.in

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Embedded mode: SQLite, Celery tasks run eagerly, demo data, a printed staff login.
run: $(BIN)/.installed node_modules/.installed
	env -u DATABASE_URL -u REDIS_URL $(BIN)/python manage.py migrate --no-input
	env -u DATABASE_URL -u REDIS_URL $(BIN)/python manage.py load_demo_data
	env -u DATABASE_URL -u REDIS_URL $(BIN)/python manage.py demo_staff_login --port $(PORT)
	env -u DATABASE_URL -u REDIS_URL $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The whole suite against real PostgreSQL, Redis and Chromium, in two processes (CI has two
# cores), each with its own test database and Redis databases (conftest.py); the browser
# tests stay together in one of them (tests/browser/conftest.py).
test: $(BIN)/.installed node_modules/.installed
	bash scripts/ensure_test_services.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest --create-db --numprocesses=2 --dist=loadgroup

lint: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
