# Two commands on a fresh machine: `make demo` and `make test`.
# Both create .venv when it is missing and install everything the project needs.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
DEMO   ?= issues/2024/017
JOBS   ?= auto

.PHONY: demo test lint typecheck preview goldens bench clean system

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

# Debian packages the tests use beyond Pango: poppler-utils (pdftotext reads the archive whole,
# pdfimages lists every photo), ghostscript and qpdf (every output is read and checked by both),
# chromium (the browser tests of `typeset serve`, marker `browser`, drive it with Playwright).
# Installed when missing and we are root with apt-get; the tests that need one skip without it
# and say why. Fonts are subset by the uharfbuzz wheel: no system library changes a build's bytes.
DEBS := poppler-utils ghostscript qpdf chromium
system:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ] && command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "apt-get install$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

demo: $(STAMP) system
	$(PY) -m typeset build $(DEMO)

test: $(STAMP) system lint typecheck
	$(PY) -m pytest -n $(JOBS) --dist loadgroup -q

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/lint-imports

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
