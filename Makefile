# foibot: two commands for a newcomer on Debian.
#   make run    create .venv, install, initialise state/, start foibot on config.toml
#   make test   install what the tests need (Debian packages too), lint, run the suite

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONFIG ?= config.toml
# Debian packages the test suite starts for real: IMAP server, PostgreSQL, the browser
# (Playwright drives Debian's chromium; never `playwright install`), systemd-analyze.
TEST_DEBS := dovecot-imapd postgresql chromium systemd

.PHONY: run test lint bench system-deps venv test-venv clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "foibot needs Python 3.11 or newer (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

venv: $(VENV)/.installed
test-venv: $(VENV)/.installed-test

run: venv
	BIN=$(BIN) CONFIG=$(CONFIG) sh demo/run.sh

system-deps:
	@missing=""; for p in $(TEST_DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "The test suite needs Debian packages:$$missing"; \
	    echo "Install them with:  sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

lint: test-venv
	$(BIN)/ruff check bot tests bench demo
	$(BIN)/ruff format --check bot tests bench demo
	$(BIN)/mypy bot

test: system-deps test-venv lint
	$(BIN)/pytest -q

bench: test-venv system-deps
	@for script in bench/*.py; do \
	  case $$script in */_*) continue;; esac; \
	  echo "== $$script"; $(BIN)/python $$script || exit 1; \
	done

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
