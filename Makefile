# Two commands do all the set-up: `make serve` and `make test`. Each (re)creates .venv when
# pyproject.toml is newer than the last install.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install serve build test bench check lint clean

$(STAMP): pyproject.toml package.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@# Node tools for the workflow and page checks; the tests that need them say so if absent.
	if command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund; else echo "npm not found: node-based checks will be skipped"; fi
	touch $(STAMP)

install: $(STAMP)  ## create or refresh .venv

serve: $(STAMP)  ## build and serve the example briefing with live reload (each edit rebuilds only what it changes)
	$(BIN)/mkdocs serve --livereload --dirty --dev-addr 127.0.0.1:8000

build: $(STAMP)  ## write the site to site/, failing on any content problem
	$(BIN)/mkdocs build --strict

test: $(STAMP)  ## the whole test suite
	$(BIN)/python -m pytest

bench: $(STAMP)  ## the scale benchmark: 1,000, 3,000 and 10,000 entries (and a denser 10,000) with and without workers against the floor, `briefing check` and `diff`, the live preview, and the export on Zensical (~15 min)
	$(BIN)/python tests/bench.py

check: $(STAMP)  ## check the content without building
	$(BIN)/briefing check

lint: $(STAMP)  ## style and import order
	$(BIN)/ruff check .

clean:
	rm -rf site build dist *.egg-info
