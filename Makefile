# Two commands set everything up on a fresh Linux machine with Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev
STAMP_PACKAGE := $(VENV)/.installed-package

.PHONY: run test lint bench soak screenshots package clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(STAMP_RUN)

$(STAMP_PACKAGE): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[package]'
	touch $@

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

# The frozen app (PyInstaller, one folder): dist/countyhealth-desk/countyhealth-desk
package: $(STAMP_PACKAGE)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller packaging/countyhealth-desk.spec
	du -sh dist/countyhealth-desk

clean:
	rm -rf $(VENV) build dist *.egg-info
