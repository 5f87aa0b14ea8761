# The two commands of the README: `make run` and `make test`. Everything else is a helper of those.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
MTX    := $(BIN)/mtx
HOST   ?= 127.0.0.1:8000

.PHONY: run install dev test lint typecheck lock bench bench-indicators bench-evaluation bench-load clean

# A stamp per lock file: reinstall only when a lock file (or the package metadata) changes.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.base: $(BIN)/python requirements/base.lock pyproject.toml
	$(BIN)/pip install -q -r requirements/base.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.dev: $(VENV)/.base requirements/dev.lock
	$(BIN)/pip install -q -r requirements/dev.lock
	touch $@

install: $(VENV)/.base

dev: $(VENV)/.dev

# Local development server on the embedded SQLite database; secrets are generated once into var/.
run: export MTX_DEBUG ?= 1
run: install
	$(MTX) migrate --noinput
	$(MTX) demo --scale small --if-empty
	$(MTX) demo_accounts
	$(MTX) runserver $(HOST)

test: dev
	$(BIN)/pytest

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: export MTX_DEBUG ?= 1
typecheck: dev
	$(BIN)/mypy mantianxing/lib mantianxing/*/services.py

# Import speed and memory at the scale of a city (DOMAIN §7), on a throwaway database under var/bench/
# (or DATABASE_URL); then the monitoring indicators' recompute on a SQLite file of its own (the
# imports have filled DATABASE_URL's database by then) and, with BENCH_POSTGRES_URL, the dashboard
# under concurrent clients. Takes ten minutes or so. See bench/README.md.
bench: install
	MTX_DEBUG=1 $(BIN)/python bench/ledgers.py
	MTX_DEBUG=1 DATABASE_URL= $(BIN)/python bench/indicators.py
	$(BIN)/python bench/evaluation.py

# The indicators part alone (on DATABASE_URL's database when set, which must hold no enterprises).
bench-indicators: install
	MTX_DEBUG=1 $(BIN)/python bench/indicators.py

# An evaluation's scoring and Monte Carlo for a city's 41 units, at 1,000 and 10,000 draws (no database).
bench-evaluation: install
	$(BIN)/python bench/evaluation.py

# Month-end load: 30 users and 20 districts submitting reports for 60 s, on a PostgreSQL database it
# creates and drops (BENCH_POSTGRES_URL, default mtx_bench_load on 127.0.0.1) behind gunicorn, on
# 127.0.0.1 only; takes ~3 minutes. See bench/README.md.
bench-load: install
	$(BIN)/python bench/load.py

# Regenerate the pinned lock files from the ranges in pyproject.toml.
lock: $(BIN)/python
	$(BIN)/pip install -q pip-tools
	$(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links -o requirements/base.lock pyproject.toml
	$(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links --extra dev -o requirements/dev.lock pyproject.toml

clean:
	rm -rf $(VENV) staticfiles
