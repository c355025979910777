# Two commands set everything up on a fresh Linux machine with Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: run test lint bench soak screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/countyhealth-desk $(ARGS)

test: $(STAMP_DEV)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q
	$(BIN)/ruff check .

lint: $(STAMP_DEV)
	$(BIN)/ruff check .

soak: $(STAMP_DEV)
	CRASH_KILLS=200 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -s tests/test_crash_safety.py

bench: $(STAMP_DEV)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.benchmarks

screenshots: $(STAMP_DEV)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.ui.screenshots build/screenshots

clean:
	rm -rf $(VENV) build *.egg-info
