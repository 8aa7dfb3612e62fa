# Two entry points: `make demo` (install + run the sample) and `make test` (install + lint + types + layers + tests).
# Both install Chromium, poppler-utils and the Noto fonts with apt-get when missing (`make browser`): the sample's
# report includes a PDF.
VENV ?= .venv
BIN := $(VENV)/bin

$(BIN)/consolidate: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

.PHONY: install demo test lint fix bench browser messages
install: $(BIN)/consolidate

demo: install browser
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

# The report's catalogues (pipeline/messages/locale): re-extract the English texts of pipeline/messages/texts.py into
# consolidate.pot, merge it into every language's .po, compile the .mo files and list what is untranslated per
# language (exits non-zero while anything is). Translate the listed entries in the .po files, then run it again.
messages: install
	$(BIN)/python -m pipeline.messages.tool all

bench: install
	$(BIN)/python benchmarks/bench_open.py

# Debian's headless Chromium and its WebDriver (tests/test_review_browser.py), poppler-utils (pdftoppm: the PDF test,
# tests/test_report_pdf.py) and the Noto fonts that print the six UN languages in the PDF report (`report.formats:
# [..., pdf]`, as in the sample). Without apt-get (not Debian/Ubuntu) it says so and those tests skip, except under
# CI=1, where they fail.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BROWSER_PACKAGES := chromium chromium-driver poppler-utils fonts-noto-core fonts-noto-cjk
browser:
	@if command -v dpkg-query >/dev/null && [ "$$(dpkg-query -W -f='$${Status}\n' $(BROWSER_PACKAGES) 2>/dev/null | \
	  grep -c 'ok installed')" = "$(words $(BROWSER_PACKAGES))" ]; then echo "$(BROWSER_PACKAGES) are installed"; \
	elif command -v apt-get >/dev/null; then $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(BROWSER_PACKAGES); \
	else echo "no apt-get: install Chromium, ChromeDriver, poppler-utils and Noto fonts (Sans, Arabic, CJK) yourself"; fi
