# Casefile. `make run` serves the app with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
PYTEST_ARGS ?=
# pytest-xdist workers for `make test`: one per core; TEST_WORKERS=0 runs the suite in one process
TEST_WORKERS ?= auto
export FLASK_APP := app

.PHONY: help run test lint clean

help:
	@echo "make run    create .venv, install, migrate, seed demo data, serve on http://127.0.0.1:$(PORT)"
	@echo "make test   create .venv with the test extra and run the whole suite (PostgreSQL too when TEST_DATABASE_URL is set)"
	@echo "make lint   ruff check, ruff format --check and mypy (dev extra); CI runs it before the tests"
	@echo "make clean  remove .venv and caches (instance/ with its database and evidence is kept)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit("Casefile needs Python 3.11 or newer; $(PYTHON) is " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

run: $(VENV)/.installed-app
	@fc-list : family 2>/dev/null | grep -q "Noto Color Emoji" || echo "Note: the Noto fonts are not installed (apt-get install fonts-noto-core fonts-noto-color-emoji): packets fall back to DejaVu, emoji print as boxes"
	@command -v ffprobe >/dev/null 2>&1 || echo "Note: ffmpeg is not installed (apt-get install ffmpeg): audio and video exhibits are kept and play, but their durations and a video's key frames are off"
	$(BIN)/flask db upgrade
	$(BIN)/flask seed --demo
	@echo "Casefile is serving on http://127.0.0.1:$(PORT) (Ctrl+C stops it)"
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
