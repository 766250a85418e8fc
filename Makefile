# The two commands a reader or maintainer needs: `make book` and `make test` (see README).
# Both create .venv with the pinned requirements on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.installed
HTML   := _build/html

.PHONY: book test serve notebooks chapter data-check linkcheck lock clean

$(READY): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

NPM_READY := node_modules/.package-lock.json

# npm brings axe-core (tests) and plotly.js's 1.2 MB basic bundle (served instead of the 4.8 MB full
# one). Without npm the book still builds, with the full bundle from the plotly Python package.
$(NPM_READY): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund && touch $@; \
	else echo "npm not found: the book will serve plotly's full bundle; make test needs npm"; fi

## book: execute every chapter and write the static site to _build/html (strict: any warning fails)
book: $(READY) $(NPM_READY)
	@# -W only reports pages Sphinx re-reads, so start from a clean site; the execution cache stays.
	rm -rf $(HTML) _build/.doctrees
	$(BIN)/jupyter-book build . --builder html --warningiserror --nitpick --keep-going
	$(BIN)/python -m essays.toc --check $(HTML)
	@echo "Built. Open $(HTML)/index.html in a browser, or run 'make serve' for http://127.0.0.1:8000"

## test: build the book, then run data, notebook (nbval), build, link, browser and accessibility tests
test: book
	$(BIN)/python -m pytest

## serve: serve the built site on http://127.0.0.1:8000
serve:
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory $(HTML) 8000

## notebooks: re-run every chapter (or NB=chapters/x.ipynb) and store its outputs for nbval
notebooks: $(READY)
	$(BIN)/python -m essays.notebooks $(NB)

## chapter: scaffold chapters/NN-SLUG.ipynb from the template and list it in _toc.yml
chapter: $(READY)
	$(BIN)/python -m essays.scaffold "$(SLUG)" "$(TITLE)"

## data-check: validate data/ against data/datapackage.json
data-check: $(READY)
	$(BIN)/python -c "from essays.data import validate; validate(); print('data/ is valid')"

## linkcheck: check the external links of the built book (needs internet; not part of make test)
linkcheck: $(READY)
	$(BIN)/jupyter-book build . --builder linkcheck

## lock: re-pin requirements.txt from requirements.in in a throwaway environment
lock:
	rm -rf _build/lockenv && $(PYTHON) -m venv _build/lockenv
	_build/lockenv/bin/python -m pip install --quiet -r requirements.in
	{ sed -n '1,2p' requirements.txt; _build/lockenv/bin/python -m pip freeze --exclude-editable; echo "-e ."; } > requirements.lock
	mv requirements.lock requirements.txt && rm -rf _build/lockenv

clean:
	rm -rf _build
