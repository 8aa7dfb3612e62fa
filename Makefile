# Two entry points: `make demo` (install + run the sample) and `make test` (install + lint + types + layers + tests).
VENV ?= .venv
BIN := $(VENV)/bin

$(BIN)/consolidate: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

.PHONY: install demo test lint fix bench browser
install: $(BIN)/consolidate

demo: install
	$(BIN)/consolidate run configs/sample.yaml

lint: install
	$(BIN)/ruff check pipeline tests benchmarks data
	$(BIN)/ruff format --check pipeline tests benchmarks data
	$(BIN)/mypy
	$(BIN)/lint-imports

test: browser lint
	$(BIN)/python -m pytest

fix: install
	$(BIN)/ruff check --fix pipeline tests benchmarks data
	$(BIN)/ruff format pipeline tests benchmarks data

bench: install
	$(BIN)/python benchmarks/bench_open.py

# Debian's headless Chromium and its WebDriver, driven by tests/test_review_browser.py (part of `make test`). Without
# apt-get (not Debian/Ubuntu) it says so and the browser test skips, except under CI=1, where it fails.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then echo "chromium and chromedriver are installed"; \
	elif command -v apt-get >/dev/null; then $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver; \
	else echo "no apt-get: install Chromium and ChromeDriver yourself to run the browser test"; fi
