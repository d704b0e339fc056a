# smartmoves — the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO ?= demo-workspace
DEMO_PEOPLE ?= 2000
DEMO_WEEKS ?= 26
PYTEST_ARGS ?=
# The embeddings extra needs torch; this pin is the CPU build kept on the project's machines
# (a plain pip install elsewhere may fetch a much larger CUDA build).
TORCH ?= torch==2.13.0

.PHONY: install demo demo-build test lint typecheck layers unit bench bench-full docs clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet '$(TORCH)'
	$(BIN)/pip install --quiet -e '.[dev,spark,embeddings]'
	touch $(STAMP)

install: $(STAMP)

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy

layers: install
	$(BIN)/lint-imports

unit: install
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

test: lint typecheck layers unit

demo-build: install
	$(BIN)/smartmoves demo build $(DEMO) --people $(DEMO_PEOPLE) --weeks $(DEMO_WEEKS)

demo: demo-build
	$(BIN)/smartmoves serve --workspace $(DEMO) --host 127.0.0.1 --port 8000

bench: install
	$(BIN)/python benchmarks/run.py

bench-full: install
	$(BIN)/python benchmarks/run.py --full

docs: install
	$(BIN)/python -m smartmoves.cli.reference > docs/cli.md

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache
