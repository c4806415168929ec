# clusterobs: make demo (install, ingest the mirror, compute, load example registry records, serve on :8000) · make test (install + run the suite)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test fuzz lint bench lock clean ingest info vendor-plotly spark-cluster screenshots

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev,spark]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/clusterobs ingest
	$(BIN)/clusterobs compute
	$(BIN)/clusterobs info
	# three fictitious cluster organisations, badged "Example" on every page (remove: clusterobs registry remove-examples)
	$(BIN)/clusterobs registry load-examples
	$(BIN)/clusterobs serve

ingest: install
	$(BIN)/clusterobs ingest

info: install
	$(BIN)/clusterobs info

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/deptry src
	$(BIN)/lint-imports --no-cache

# The suite on TEST_WORKERS processes (pytest-xdist; docs/testing.md): the real store is built once per run and shared,
# the Spark tests' modules share one worker, as do the tests of a module with a module-scoped fixture (--dist loadgroup)
TEST_WORKERS ?= 2
PYTEST_N := $(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadgroup

# the real store the tests read is built once and kept in $(TEST_SHARED) for both passes (tests/conftest.py)
TEST_SHARED := $(CURDIR)/.test-shared

test: install lint
	# axe-core for the accessibility browser tests: npm's package, fetched once into .venv/share/axe-core and checked
	# by sha256 (no Python package ships this version; a no-op once there)
	$(BIN)/python scripts/fetch_axe_core.py
	rm -rf $(TEST_SHARED)
	CLUSTEROBS_TEST_SHARED=$(TEST_SHARED) $(PYTEST_N)
	# the tests that reach the portal database (the portal_db mark, tests/conftest.py: pytest-django's django_db mark
	# or a fixture needing the test database; no other test can reach it) again on PostgreSQL (pytest-django makes
	# one test database per worker: test_<name>_gw0, test_<name>_gw1)
	CLUSTEROBS_TEST_SHARED=$(TEST_SHARED) DATABASE_URL=$${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(PYTEST_N) -m portal_db tests/web
	rm -rf $(TEST_SHARED)

# API fuzzing with fresh random examples (make test runs the same fuzzing derandomized, with a fixed seed per test);
# FUZZ_EXAMPLES per operation (default 200); a failure prints the seed: pytest --hypothesis-seed=N to replay it
fuzz: install
	CLUSTEROBS_FUZZ=1 CLUSTEROBS_FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-200} $(BIN)/pytest -q tests/web/test_schemathesis.py
	CLUSTEROBS_FUZZ=1 CLUSTEROBS_FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-200} DATABASE_URL=$${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest -q tests/web/test_schemathesis.py

# Every benchmarks/*.py in turn; one table of their figures, with the machine described, in benchmarks/RESULTS.md.
bench: install
	$(BIN)/python benchmarks/results.py

# Every module at 1366 and 390 px, English and French, into screenshots/ (not committed), from the store in
# CLUSTEROBS_HOME (a computed one: make demo's); also retakes the README's screenshot (docs/img/map-module.png).
screenshots: install
	$(BIN)/python scripts/screenshots.py

# Plotly's partial plotly.js bundles for the installed plotly package's version, from npm (after upgrading plotly)
vendor-plotly: install
	$(BIN)/python -m clusterobs.charts.plotlyjs_vendor

# A Spark standalone cluster on 127.0.0.1 from the installed pyspark: one master, two workers (1 core, 1 GB each,
# own work directories); prints the master URL and the commands for it; Ctrl-C (or kill) stops and removes it
spark-cluster: install
	$(BIN)/python -m clusterobs.spark_cluster

# Re-resolve the lock file from pyproject.toml's ranges (run after changing dependencies).
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet -e '.[dev,spark]'
	.lockenv/bin/pip freeze --exclude-editable | grep -v '^clusterobs' > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
