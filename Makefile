# The two commands a reader or maintainer needs: `make book` and `make test` (see README).
# Both create .venv with the pinned requirements on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.installed
HTML   := _build/html

.PHONY: book pdf test check claims glued lint format serve notebooks chapter data-check data-refresh linkcheck lock clean

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
	@# The execution cache is keyed by code cells only: a data or package edit must re-run the chapters.
	$(BIN)/python -m essays.run guard-cache
	$(BIN)/jupyter-book build . --builder html --warningiserror --nitpick --keep-going
	$(BIN)/python -m essays.toc --check $(HTML)
	@echo "Built. Open $(HTML)/index.html in a browser, or run 'make serve' for http://127.0.0.1:8000"

## pdf: the whole book as one PDF (_build/pdf, and at the site's root for the download menus):
## the single-page build printed by chromium through the print stylesheet; no LaTeX
pdf: book
	$(BIN)/jupyter-book build . --builder singlehtml --keep-going
	$(BIN)/python -m essays.sphinx.pdf _build/singlehtml $(HTML)

## check: the fast loop, no browser: lint, data, unit and conventions tests, and every chapter run
## by nbval (a cell error or a failed claim fails it), two chapters at a time
check: $(READY)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .
	$(BIN)/python -m pytest -m "not site" --nbval-lax -n 2 --dist loadfile -q

## test: everything check runs, then the book and its PDF, and the site, PDF, link, browser and accessibility tests
test: check pdf
	$(BIN)/python -m pytest -m site -q -n 2

## claims: run every chapter and list its checked claims with their status (exit 1 if one fails)
claims: $(READY)
	$(BIN)/python -m essays.run claims

## glued: accept the glued values of the current build as the snapshot chapters/_glued.json
glued: book
	$(BIN)/python -m essays.run glued

## lint: ruff over the package, tests, benchmarks and the chapters' paired notebooks (as pre-commit does)
lint: $(READY)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

## serve: serve the built site on http://127.0.0.1:8000
serve:
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory $(HTML) 8000

## format: ruff format the package, tests and benchmarks, and the code cells of every chapter's text
## (through jupytext), then rewrite the paired notebooks
format: $(READY)
	$(BIN)/ruff format .
	for f in chapters/[0-9]*.md; do $(BIN)/jupytext --quiet --pipe "$(CURDIR)/$(BIN)/ruff format -" "$$f"; done
	$(BIN)/python -m essays.publish

## notebooks: write each chapter's paired .ipynb (no outputs; Colab cell from _config.yml) from its .md
notebooks: $(READY)
	$(BIN)/python -m essays.publish $(NB)

## chapter: scaffold chapters/NN-SLUG.md (and its .ipynb) from the template and list it in _toc.yml
chapter: $(READY)
	$(BIN)/python -m essays.scaffold "$(SLUG)" "$(TITLE)"

## data-check: validate data/ against data/datapackage.json
data-check: $(READY)
	@$(BIN)/python -c "import sys; from essays.data import main; sys.exit(main())"

## data-refresh: compare a newer Epoch AI notable_ai_models.csv with data/ and write a review report
## (_build/data-refresh.md): rows the inclusion rule takes that are missing, fields that differ.
## It never edits data/: make data-refresh UPSTREAM=path/to/notable_ai_models.csv
data-refresh: $(READY)
	@test -n "$(UPSTREAM)" || { echo "usage: make data-refresh UPSTREAM=path/to/notable_ai_models.csv"; exit 2; }
	$(BIN)/python -m essays.upstream "$(UPSTREAM)" _build/data-refresh.md

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
