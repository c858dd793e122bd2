# Two commands do all the set-up: `make serve` and `make test`. Each (re)creates .venv when
# pyproject.toml is newer than the last install.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve build test lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)  ## build and serve the example briefing with live reload
	$(BIN)/mkdocs serve --livereload --dev-addr 127.0.0.1:8000

build: $(STAMP)  ## write the site to site/, failing on any content problem
	$(BIN)/mkdocs build --strict

test: $(STAMP)  ## the whole test suite
	$(BIN)/python -m pytest

lint: $(STAMP)  ## style and import order
	$(BIN)/ruff check .

clean:
	rm -rf site build dist *.egg-info
