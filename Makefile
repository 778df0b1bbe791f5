# Two commands on a fresh machine: `make demo` and `make test`.
# Both create .venv when it is missing and install everything the project needs.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
DEMO   ?= issues/2024/016
JOBS   ?= auto

.PHONY: demo test lint typecheck preview goldens bench clean system

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

# Debian packages the tests use beyond Pango (present on the machines): none are required;
# poppler-utils is installed when apt-get is available so that a test can compare with pdftotext.
system:
	@if ! command -v pdftotext >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 \
	    && [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; \
	fi

demo: $(STAMP)
	$(PY) -m typeset build $(DEMO)

test: $(STAMP) system
	$(PY) -m pytest -n $(JOBS) -q

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks

typecheck: $(STAMP)
	$(VENV)/bin/mypy

preview: $(STAMP)
	$(PY) -m typeset preview $(DEMO)

# Re-render the golden page images after an intended change of the layout.
goldens: $(STAMP)
	TYPESET_UPDATE_GOLDENS=1 $(PY) -m pytest -q tests/test_goldens.py

bench: $(STAMP)
	$(PY) benchmarks/build.py

clean:
	rm -rf build .pytest_cache
