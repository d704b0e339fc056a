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

# constraints.txt pins every package to the version CI ran, so that a fresh install gets
# those versions (-c only pins: it installs nothing by itself). To refresh it, e.g. after
# changing a dependency: `make clean`, then `make install CONSTRAINTS=` (newest versions
# allowed by pyproject.toml), `make test`, and, once it passes,
# `.venv/bin/pip freeze --exclude-editable > constraints.txt`.
CONSTRAINTS ?= constraints.txt
PIN := $(if $(CONSTRAINTS),-c $(CONSTRAINTS))

$(STAMP): pyproject.toml $(CONSTRAINTS)
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet $(PIN) '$(TORCH)'
	$(BIN)/pip install --quiet $(PIN) -e '.[dev,spark,embeddings]'
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
