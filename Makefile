# clusterobs: make demo (install, ingest the mirror, compute the cluster mapping) · make test (install + run the suite)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench lock clean ingest info

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

ingest: install
	$(BIN)/clusterobs ingest

info: install
	$(BIN)/clusterobs info

lint: install
	$(BIN)/ruff check src tests benchmarks

test: install lint
	$(BIN)/pytest -q

bench: install
	for f in benchmarks/*.py; do $(BIN)/python $$f || exit 1; done

# Re-resolve the lock file from pyproject.toml's ranges (run after changing dependencies).
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet -e '.[dev,spark]'
	.lockenv/bin/pip freeze --exclude-editable | grep -v '^clusterobs' > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
