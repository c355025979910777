# Two commands set everything up on a fresh Linux machine with Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev
# The bundle is built in its own venv with the newest PySide6 whose Linux wheel installs on glibc 2.28
# (UOS V20, Kylin V10): 6.9.x. Its --self-test in CI keeps the code working on it.
PACKAGE_VENV := .venv-package
STAMP_PACKAGE := $(PACKAGE_VENV)/.installed
PACKAGE_PYSIDE := PySide6-Essentials==6.9.*

.PHONY: run test test-postgres lint bench soak screenshots package deb clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(STAMP_RUN)

$(STAMP_PACKAGE): pyproject.toml
	$(PYTHON) -m venv $(PACKAGE_VENV)
	$(PACKAGE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(PACKAGE_VENV)/bin/pip install --quiet -e '.[package]' '$(PACKAGE_PYSIDE)'
	touch $@

run: $(STAMP_RUN)
	$(BIN)/countyhealth-desk $(ARGS)

# Two workers or more (pytest-xdist, one per core): each has its own test home, databases and Qt application.
test: $(STAMP_DEV)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -n auto --dist worksteal $(ARGS)
	$(MAKE) --no-print-directory lint

# The whole suite against a throwaway PostgreSQL (Debian's postgresql package; tests/postgres.py).
test-postgres: $(STAMP_DEV)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.postgres -q $(ARGS)

# ruff, and mypy on its scope (pyproject.toml: db/ strictly, the rest but the modules not yet typed).
lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/mypy

soak: $(STAMP_DEV)
	CRASH_KILLS=200 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -s tests/test_crash_safety.py

bench: $(STAMP_DEV)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.benchmarks

screenshots: $(STAMP_DEV)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.ui.screenshots build/screenshots

# The frozen app (PyInstaller, one folder): dist/countyhealth-desk/countyhealth-desk
package: $(STAMP_PACKAGE)
	$(PACKAGE_VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller packaging/countyhealth-desk.spec
	QT_QPA_PLATFORM=offscreen dist/countyhealth-desk/countyhealth-desk --save-manual dist/countyhealth-desk/使用说明.pdf
	du -sh dist/countyhealth-desk

# The Linux installer: dist/cn.countyhealth.desk_<version>_amd64.deb (UOS app-store layout), from the bundle.
deb: package
	$(PACKAGE_VENV)/bin/python packaging/build_deb.py dist/countyhealth-desk dist

clean:
	rm -rf $(VENV) $(PACKAGE_VENV) build dist *.egg-info
