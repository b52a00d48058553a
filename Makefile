# The book's commands. `make book` builds the executed book into _build/html; `make test`
# runs the unit tests and executes every chapter in the CI profile. Both create the
# virtual environment (.venv) from requirements.txt when it is missing or out of date.

PYTHON  ?= $(shell command -v python3.11 || command -v python3)
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
PROFILE ?= default
JB_FLAGS := --warningiserror --keep-going
# the IBM token the chapters see: the reader's, else a canary that no output may contain
# (exported, never on a command line, so make does not echo it)
TOKEN   := $(or $(QISKIT_IBM_TOKEN),qmlhep-canary-token-must-never-be-printed)

.PHONY: book test unit chapters bench notebooks lock clean

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --only-binary=:all: -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

## book: the published book (QMLHEP_PROFILE=default unless PROFILE=...) into _build/html
book: export QISKIT_IBM_TOKEN := $(TOKEN)
book: $(STAMP)
	QMLHEP_BUILD_DIR=$(CURDIR)/_build $(BIN)/python -m qmlhep.bench
	QMLHEP_PROFILE=$(PROFILE) TQDM_DISABLE=1 QMLHEP_BUILD_DIR=$(CURDIR)/_build \
	  $(BIN)/jupyter-book build . $(JB_FLAGS)
	$(BIN)/python -m qmlhep.output_scan _build/jupyter_execute

## test: unit tests, then every chapter executed afresh in the CI profile, strictly
test: unit chapters

unit: $(STAMP)
	$(BIN)/python -m pytest

chapters: export QISKIT_IBM_TOKEN := $(TOKEN)
chapters: $(STAMP)
	rm -rf _build/ci
	QMLHEP_BUILD_DIR=$(CURDIR)/_build/ci/_build $(BIN)/python -m qmlhep.bench
	QMLHEP_PROFILE=ci QMLHEP_STRICT_WARNINGS=1 TQDM_DISABLE=1 \
	  QMLHEP_BUILD_DIR=$(CURDIR)/_build/ci/_build \
	  $(BIN)/jupyter-book build . --path-output _build/ci $(JB_FLAGS)
	$(BIN)/python -m qmlhep.output_scan _build/ci

## bench: speed benchmarks (not tests) into _build/bench.json (the book build runs them
## first, so chapters show this machine's ratios)
bench: $(STAMP)
	QMLHEP_BUILD_DIR=$(CURDIR)/_build $(BIN)/python -m qmlhep.bench

## notebooks: regenerate the Colab .ipynb files from the MyST sources
notebooks: $(STAMP)
	$(BIN)/python -m qmlhep.notebooks sync

## lock: re-resolve pyproject's dependencies in a clean venv and rewrite requirements.txt
lock:
	rm -rf _build/lockenv && $(PYTHON) -m venv _build/lockenv
	_build/lockenv/bin/pip install --quiet --only-binary=:all: -e ".[book,test]"
	$(BIN)/python -m qmlhep.environment --freeze _build/lockenv

clean:
	rm -rf _build
