# Two entry points: `make demo` (install + run the sample) and `make test` (install + lint + types + tests).
VENV ?= .venv
BIN := $(VENV)/bin

$(BIN)/consolidate: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

.PHONY: install demo test lint fix bench
install: $(BIN)/consolidate

demo: install
	$(BIN)/consolidate run configs/sample.yaml

lint: install
	$(BIN)/ruff check pipeline tests benchmarks data
	$(BIN)/ruff format --check pipeline tests benchmarks data
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

fix: install
	$(BIN)/ruff check --fix pipeline tests benchmarks data
	$(BIN)/ruff format pipeline tests benchmarks data

bench: install
	$(BIN)/python benchmarks/bench_open.py
