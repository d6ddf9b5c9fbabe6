# RETA: `make run` to try it out, `make test` for the whole suite. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON_SYS ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# Debian 12 packages the project needs (README "System packages").
DEB_PACKAGES := python3-venv python3-dev gcc pkg-config libmariadb-dev mariadb-client libpango-1.0-0 libpangoft2-1.0-0 \
	libharfbuzz-subset0 chromium gettext fonts-dejavu-core poppler-utils zbar-tools

.PHONY: run test setup system-packages venv env messages compilemessages db lint otp clean help bench load replica replica-stop test-replica

help:
	@echo "make run    - install what is missing, migrate, load reference and demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   - the same setup, then the whole suite (browser tests included)"
	@echo "              RETA_TEST_CLOCK=2026-12-31T23:59:30-05:00 make test: the same with the clock moved"
	@echo "make otp    - the current second-factor code of the demo account admin.nacional"
	@echo "make lint   - ruff"
	@echo "make replica      - start a MariaDB primary (127.0.0.1:3316) and its read replica (:3317) under .replica/"
	@echo "make test-replica - the read-replica tests (tests/replica) against that pair; make replica-stop removes it"
	@echo "make load   - load test of a national day: population in MariaDB reta_load, gunicorn, Locust (bench/load.md)"
	@echo "make bench  - statistics (100,000 then 1,000,000 synthetic complaints) and cross-case matching benchmarks in MariaDB (bench/results.md)"

system-packages:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing system packages:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "Missing system packages. Run as root:"; echo "  sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON_SYS) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	@touch $@

venv: system-packages $(VENV)/.installed

# A try-out configuration: DEBUG on, SQLite, a random secret key. Never used in production.
.env:
	@sed "s/^SECRET_KEY=.*/SECRET_KEY=$$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n' | head -c 50)/" .env.example > .env
	@echo "Wrote .env for a try-out (DEBUG=True, SQLite). Edit it for production."

env: .env

# Catalogue work needs no configuration: the test settings stand in when there is no .env.
compilemessages: venv
	@DJANGO_SETTINGS_MODULE=reta.settings_test $(MANAGE) compilemessages --ignore=.venv -v 0

messages: venv
	DJANGO_SETTINGS_MODULE=reta.settings_test $(MANAGE) makemessages -l es -l en \
		--ignore=.venv --ignore=tests --ignore=tools --ignore=bench --no-obsolete

db: venv env compilemessages
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) createcachetable
	$(MANAGE) load_reference_data
	$(MANAGE) load_demo_data

setup: db

run: setup
	@echo ""
	@echo "RETA: http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	$(MANAGE) runserver $(HOST):$(PORT)

# The suite runs on as many processes as the machine has cores (pytest-xdist; each its own test
# database), a module's tests in one process. PYTEST_WORKERS=0 runs it in this process only.
PYTEST_WORKERS ?= auto
test: venv compilemessages
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

# A real primary and read replica of MariaDB (tools/replica.sh, README "Read replica"), and the tests
# that read the second server (tests/replica; skipped unless RETA_REPLICA_TEST=1 points them at a pair).
replica:
	tools/replica.sh start

# Stops the pair and removes its data (a throwaway pair; `tools/replica.sh stop` keeps it).
replica-stop:
	tools/replica.sh remove

test-replica: venv compilemessages replica
	eval "$$(tools/replica.sh env)" && DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest -q -p no:cacheprovider tests/replica $(PYTEST_ARGS)

otp: venv env
	@$(MANAGE) demo_otp_code

# Not part of `make test` nor of CI: loads MariaDB database reta_bench (dropped and recreated) with
# synthetic complaints and times the statistics pages against hand-written SQL. Options go in
# BENCH_ARGS, e.g. make bench BENCH_ARGS="--sizes 100000" or BENCH_ARGS="--reuse", or one section:
# BENCH_ARGS="--sections matching --match-sizes 1000000" (cross-case candidate search, bench/bench_matching.py).
bench: venv
	$(PY) bench/run.py $(BENCH_ARGS)

# Not part of `make test` nor of CI: the load test of a national day (bench/load/run.py): MariaDB
# database reta_load dropped and recreated with a national population, gunicorn on 127.0.0.1:8765,
# Locust headless; writes bench/load.md. About 8 minutes on 2 cores. Options go in LOAD_ARGS, e.g.
# make load LOAD_ARGS=--reuse (keep the population) or LOAD_ARGS="--users 100 --steady 240".
load: venv
	$(PY) bench/load/run.py $(LOAD_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles tests/artifacts .pytest_cache .coverage htmlcov
