"""The house conventions (../shared/CONVENTIONS.md) as tests, each failure saying how to fix it."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from essays import colab, toc
from essays.book import PLOTLY_MIME
from essays.data import data_dir, descriptor

BOOK = toc.BOOK
ALLOWED_TAGS = {"hide-input", "hide-cell", "remove-cell", "hide-output", "raises-exception"}
SETUP = "from essays import load, charts, glue"
MAX_BYTES = 400_000
NOTEBOOKS = toc.notebooks()
IDS = [str(p.relative_to(BOOK)) for p in NOTEBOOKS]
ESSAYS = [p for p in NOTEBOOKS if 0 < int(p.name[:2]) < 90]


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_every_chapter_file_is_in_the_toc():
    listed = {p.resolve() for p in NOTEBOOKS}
    for path in sorted((BOOK / "chapters").glob("[0-9]*.ipynb")):
        assert path.resolve() in listed, (
            f"{path.relative_to(BOOK)} is not in _toc.yml: add '- file: chapters/{path.stem}' "
            "to _toc.yml (or delete the file)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_only_agreed_cell_tags(path):
    for i, cell in enumerate(cells(path)):
        unknown = set(cell.get("metadata", {}).get("tags", [])) - ALLOWED_TAGS
        assert not unknown, f"{path.name} cell {i}: tags {sorted(unknown)} are not agreed; use {sorted(ALLOWED_TAGS)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_chart_is_labelled_captioned_and_described(path):
    for i, cell in enumerate(cells(path)):
        if not any(PLOTLY_MIME in o.get("data", {}) for o in cell.get("outputs", [])):
            continue
        figure = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
        where = f"{path.name} cell {i}"
        fix = 'set cell metadata {"mystnb": {"figure": {"name": "fig-<slug>-<what>", "caption": "... Source: ...", "alt": "..."}}}'
        assert re.fullmatch(r"fig-[a-z0-9-]+", figure.get("name", "")), f"{where}: chart has no label fig-...; {fix}"
        caption = figure.get("caption", "")
        assert re.search(r"Source[s]?:\s*\S.*$", caption), f"{where}: caption must end with 'Source: ...'; {fix}"
        assert len(figure.get("alt", "")) >= 40, f"{where}: chart needs a text alternative ('alt') of a sentence or more; {fix}"
        assert "hide-input" in cell.get("metadata", {}).get("tags", []), f"{where}: tag chart cells 'hide-input'"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_small(path):
    size = path.stat().st_size
    assert size <= MAX_BYTES, (f"{path.name} is {size:,} bytes (limit {MAX_BYTES:,}): an output probably "
                               "carries a JS bundle, widget state or a too-large figure; clear or shrink it")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_chapter_opens_with_label_title_and_the_shared_setup_cell(path):
    all_cells = cells(path)
    first = source(all_cells[0])
    assert re.match(r"^\([a-z0-9-]+\)=\n# \S", first), f"{path.name}: first cell must start with '(label)=' then '# Title'"
    h1 = [c for c in all_cells if c["cell_type"] == "markdown" and re.search(r"^# ", source(c), re.M)]
    assert len(h1) == 1, f"{path.name}: exactly one '# ' title expected, found {len(h1)}"
    code = [c for c in all_cells if c["cell_type"] == "code"]
    if code:
        fix = "run `make notebooks` (it writes the Colab cell from _config.yml's repository setting)"
        assert code[0].get("id") == colab.CELL_ID, f"{path.name}: the first code cell must be the Colab cell; {fix}"
        assert source(code[0]) == colab.bootstrap_source(), f"{path.name}: the Colab cell is out of date; {fix}"
        assert "remove-cell" in code[0]["metadata"].get("tags", []), f"{path.name}: tag the Colab cell 'remove-cell'"
    if len(code) > 1 and not path.stem.startswith("9"):
        assert source(code[1]).strip() == SETUP, f"{path.name}: the cell after the Colab cell must be exactly '{SETUP}'"
        assert "hide-cell" in code[1]["metadata"].get("tags", []), f"{path.name}: tag the setup cell 'hide-cell'"


@pytest.mark.parametrize("path", ESSAYS, ids=[p.name for p in ESSAYS])
def test_essay_ends_with_what_we_learned_and_sources(path):
    text = "\n".join(source(c) for c in cells(path) if c["cell_type"] == "markdown")
    for heading in ("## What we learned", "## Sources"):
        assert re.search(rf"^{heading}\s*$", text, re.M), f"{path.name}: add a '{heading}' section"


def glued_numbers(path: Path) -> dict[str, str]:
    """name -> text/plain of every glued number in the stored outputs."""
    found = {}
    for cell in cells(path):
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = output.get("data", {}).get("text/plain", "")
            text = "".join(text) if isinstance(text, list) else text
            if name and re.fullmatch(r"-?\d+(\.\d+)?", text.strip()):
                found[name] = text.strip()
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_number_typed_where_a_glued_value_exists(path):
    """As far as can be checked: a glued number of 3+ digits must not also appear typed in the prose."""
    prose = "\n".join(source(c) for c in cells(path) if c["cell_type"] == "markdown")
    prose = re.sub(r"\{glue(:\w+)?\}`[^`]*`", " ", prose)  # the glue roles themselves
    prose = re.sub(r"\([a-z0-9-]+\)=", " ", prose)
    for name, value in glued_numbers(path).items():
        number = value.split(".")[0] if value.endswith(".0") else value
        if len(number.lstrip("-").replace(".", "")) < 3:
            continue
        variants = {number, f"{float(number):,.0f}" if "." not in number else number}
        for variant in variants:
            assert not re.search(rf"(?<![\w.,]){re.escape(variant)}(?![\w]|[.,]\d)", prose), (
                f"{path.name}: the prose types {variant}, which is glued as '{name}'; write {{glue:text}}`{name}` instead")


def test_every_data_file_is_described_in_the_schema():
    described = {r["path"] for r in descriptor()["resources"]}
    for path in sorted(data_dir().glob("*.csv")):
        assert path.name in described, f"data/{path.name} has no resource in data/datapackage.json: describe it there"
    for resource in descriptor()["resources"]:
        for field in resource["schema"]["fields"]:
            assert field.get("description"), f"{resource['path']}: column '{field['name']}' needs a description"


def test_every_source_is_cited():
    """A source row no table cites (by id, or by id in a note) is dead weight: cite it or delete it."""
    cited, notes = set(), []
    for path in data_dir().glob("*.csv"):
        if path.name == "sources.csv":
            continue
        for row in csv.DictReader(path.open(encoding="utf-8")):
            cited |= {v for k, v in row.items() if k.endswith("source_id") and v}
            notes.append(row.get("note") or "")
    text = " ".join(notes)
    ids = [row["source_id"] for row in csv.DictReader((data_dir() / "sources.csv").open(encoding="utf-8"))]
    uncited = [i for i in ids if i not in cited and i not in text]
    assert uncited == [], f"data/sources.csv: sources cited by no row: {uncited}"
