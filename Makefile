# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint init serve messages clean bench-hs

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

init: $(STAMP)
	$(BIN)/tradewind init

run: init
	$(BIN)/tradewind serve

serve: $(STAMP)
	$(BIN)/tradewind serve

# axe-core (from npm) powers the accessibility checks; without npm those tests skip.
node_modules/axe-core/axe.min.js:
	-command -v npm >/dev/null 2>&1 && npm install --no-save --no-package-lock --silent axe-core

test: $(STAMP) node_modules/axe-core/axe.min.js
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/mypy

messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k ngettext:1,2 -k lazy_noop -o src/tradewind/i18n/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i src/tradewind/i18n/messages.pot -d src/tradewind/i18n/locales --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
