# Two commands do all the set-up: `make serve` and `make test`. Each (re)creates .venv when
# pyproject.toml is newer than the last install. Serving installs only what serving needs (the
# plugin, MkDocs, Material); the test tools come with the first `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

# Material prints a notice about MkDocs 2.0 on every build; the README's Engines section says
# what it means once, so our own commands leave it out.
export NO_MKDOCS_2_WARNING := 1

.PHONY: install serve build test test-tools bench bench-100k check lint clean

# The venv itself, with a current pip (the one Python ships took longer over the same install).
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# --no-compile: Python compiles each module when it is first imported; compiling all of them up
# front was a third of the install's time (57 s against 37 s for the test tools here).
$(STAMP): pyproject.toml | $(BIN)/python
	@echo "Setting up $(VENV): the plugin, MkDocs and Material (about half a minute the first time: pip fetching and unpacking them)..."
	$(BIN)/python -m pip install --progress-bar off --no-compile -e .
	touch $(STAMP)

# Everything in one pip run (the plugin is built once); it serves too, so both stamps are set.
$(TEST_STAMP): pyproject.toml package.json | $(BIN)/python
	@echo "Setting up $(VENV) with the test tools (pytest, Playwright, hypothesis, Zensical, ...)..."
	$(BIN)/python -m pip install --progress-bar off --no-compile -e '.[test]'
	@# Node tools for the workflow and page checks; the tests that need them say so if absent.
	if command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund; else echo "npm not found: node-based checks will not run (see make test-tools)"; fi
	touch $(STAMP) $(TEST_STAMP)

install: $(TEST_STAMP)  ## create or refresh .venv with everything, test tools included

serve: $(STAMP)  ## build and serve the example briefing with live reload (each edit rebuilds only what it changes)
	$(BIN)/mkdocs serve --livereload --dirty --dev-addr 127.0.0.1:8000

build: $(STAMP)  ## write the site to site/, failing on any content problem
	$(BIN)/mkdocs build --strict

test: $(TEST_STAMP)  ## the whole test suite, on every core (pytest-xdist)
	$(BIN)/python -m pytest -n 4 --dist worksteal

test-tools:  ## what the browser and page checks need beyond Python: Chromium, Java (Nu HTML Checker), fonts, Node
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium default-jre-headless fonts-noto-cjk fonts-noto-core nodejs npm

bench: $(TEST_STAMP)  ## the scale benchmark: 1,000, 3,000 and 10,000 entries (and a denser 10,000) with and without workers against the floor, `briefing check` and `diff`, git history, the live preview, and the export on Zensical (~15 min)
	$(BIN)/python tests/bench.py

bench-100k: $(TEST_STAMP)  ## make bench with a 100,000-entry row too: its builds, check, diff, live preview and memory (~1 hour)
	$(BIN)/python tests/bench.py --with-100k

check: $(STAMP)  ## check the content without building
	$(BIN)/briefing check

lint: $(TEST_STAMP)  ## style and import order
	$(BIN)/ruff check .

clean:
	rm -rf site build dist *.egg-info
