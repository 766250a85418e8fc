"""The house conventions (../shared/CONVENTIONS.md) as tests on the chapters' text, each failure
saying how to fix it. They read the MyST text notebooks only: no build, no kernel."""

from __future__ import annotations

import ast
import csv
import json
import re
import statistics
from pathlib import Path

import jupytext
import pytest

from essays import toc
from essays.data import data_dir, descriptor

BOOK = toc.BOOK
ALLOWED_TAGS = {"hide-input", "hide-cell", "remove-cell", "hide-output", "raises-exception"}
SETUP = "from essays import access, charts, claim, costs, glue, lags, load, table"
CHAPTERS = toc.sources()
IDS = [p.name for p in CHAPTERS]
ESSAYS = [p for p in CHAPTERS if 0 < int(p.name[:2]) < 90]
MIN_CLAIMS = 15


def cells(path: Path) -> list:
    return jupytext.read(path).cells


def code_cells(path: Path) -> list:
    return [c for c in cells(path) if c.cell_type == "code"]


def tags(cell) -> list[str]:
    return cell.metadata.get("tags", [])


def prose(path: Path) -> list[str]:
    """Each markdown cell as one line of plain words: whitespace collapsed, emphasis marks dropped."""
    return [
        re.sub(r"\s+", " ", re.sub(r"[*_]{1,2}(?=\S)|(?<=\S)[*_]{1,2}", "", c.source)).lower()
        for c in cells(path)
        if c.cell_type == "markdown"
    ]


def claims(path: Path) -> list[tuple[str, str]]:
    """(name, sentence) of every claim(...) call in the chapter's code, read with Python's parser."""
    found = []
    for cell in code_cells(path):
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "claim":
                name, sentence = (node.args[0], node.args[2]) if len(node.args) >= 3 else (None, None)
                assert isinstance(name, ast.Constant) and isinstance(sentence, ast.Constant), (
                    f'{path.name}: write claim("name", condition, "the sentence\'s words") with literal texts'
                )
                found.append((name.value, sentence.value))
    return found


def test_every_chapter_file_is_in_the_toc():
    listed = {p.resolve() for p in CHAPTERS}
    for path in sorted((BOOK / "chapters").glob("[0-9]*.md")):
        assert path.resolve() in listed, (
            f"{path.relative_to(BOOK)} is not in _toc.yml: add '- file: chapters/{path.stem}' "
            "to _toc.yml (or delete the file)"
        )


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_only_agreed_cell_tags(path):
    for i, cell in enumerate(cells(path)):
        unknown = set(tags(cell)) - ALLOWED_TAGS
        assert not unknown, (
            f"{path.name} cell {i}: tags {sorted(unknown)} are not agreed; use {sorted(ALLOWED_TAGS)}"
        )


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_every_figure_is_labelled_captioned_and_described(path):
    for i, cell in enumerate(code_cells(path)):
        figure = cell.metadata.get("mystnb", {}).get("figure")
        if figure is None:
            continue
        where = f"{path.name} code cell {i}"
        fix = "give the cell a mystnb.figure block with name: fig-<slug>-<what>, caption: '... Source: ...', alt: '...'"
        assert re.fullmatch(r"fig-[a-z0-9-]+", figure.get("name", "")), (
            f"{where}: chart has no label fig-...; {fix}"
        )
        assert re.search(r"Source[s]?:\s*\S.*$", figure.get("caption", "")), (
            f"{where}: caption must end with 'Source: ...'"
        )
        assert len(figure.get("alt", "")) >= 40, (
            f"{where}: chart needs a text alternative ('alt') of a sentence or more"
        )
        assert "hide-input" in tags(cell), f"{where}: tag chart cells 'hide-input'"


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_chapter_opens_with_label_title_and_the_shared_setup_cell(path):
    all_cells = cells(path)
    assert re.match(r"^\([a-z0-9-]+\)=\n# \S", all_cells[0].source), (
        f"{path.name}: start with '(label)=' then '# Title'"
    )
    h1 = [c for c in all_cells if c.cell_type == "markdown" and re.search(r"^# ", c.source, re.M)]
    assert len(h1) == 1, f"{path.name}: exactly one '# ' title expected, found {len(h1)}"
    code = code_cells(path)
    if code:
        assert code[0].source.strip() == SETUP, f"{path.name}: the first code cell must be exactly '{SETUP}'"
        assert "hide-cell" in tags(code[0]), f"{path.name}: tag the setup cell 'hide-cell'"
        assert all("google.colab" not in c.source for c in code), (
            f"{path.name}: the Colab cell belongs to the paired notebook only (make notebooks writes it)"
        )


@pytest.mark.parametrize("path", ESSAYS, ids=[p.name for p in ESSAYS])
def test_essay_ends_with_what_we_learned_and_sources(path):
    text = "\n".join(c.source for c in cells(path) if c.cell_type == "markdown")
    for heading in ("## What we learned", "## Sources"):
        assert re.search(rf"^{heading}\s*$", text, re.M), f"{path.name}: add a '{heading}' section"


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_glue_is_one_value_per_line_never_packed(path):
    for i, cell in enumerate(code_cells(path)):
        for line in cell.source.splitlines():
            assert not re.search(r";\s*(glue|claim)\(", line), (
                f"{path.name} code cell {i}: one glue or claim per line, no semicolons: {line.strip()[:80]}"
            )
            assert not re.match(r"\s*for .*:\s*glue\(", line), (
                f"{path.name} code cell {i}: glue each value the prose cites by name, not in a loop"
            )


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_visible_cells_are_short(path):
    """A learner follows the analysis from the visible cells: most are at most about 7 lines."""
    visible = [c for c in code_cells(path) if not {"hide-input", "remove-cell", "hide-cell"} & set(tags(c))]
    lengths = [len(c.source.strip().splitlines()) for c in visible]
    if lengths:
        assert statistics.median(lengths) <= 7, (
            f"{path.name}: visible cells have a median of {statistics.median(lengths)} lines"
        )
        assert max(lengths) <= 20, (
            f"{path.name}: a visible cell has {max(lengths)} lines; split it or move it into a function"
        )


@pytest.mark.parametrize("path", ESSAYS, ids=[p.name for p in ESSAYS])
def test_essay_checks_its_claims(path):
    found = claims(path)
    names = [n for n, _ in found]
    assert len(found) >= MIN_CLAIMS, (
        f"{path.name}: {len(found)} checked claims; every comparative sentence needs one (at least {MIN_CLAIMS})"
    )
    assert len(names) == len(set(names)), (
        f"{path.name}: claim names repeat: {sorted({n for n in names if names.count(n) > 1})}"
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_every_claim_quotes_its_sentence(path):
    """A claim's sentence is words of the chapter's prose ('…' skips a glued value), so the check and
    the sentence it stands behind cannot drift apart."""
    cells_text = prose(path)
    for name, sentence in claims(path):
        parts = [re.sub(r"\s+", " ", p).strip().lower() for p in re.split(r"…|\.\.\.", sentence)]
        parts = [p for p in parts if p]

        def in_order(text, parts=parts):
            at = 0
            for part in parts:
                at = text.find(part, at)
                if at < 0:
                    return False
                at += len(part)
            return True

        assert any(in_order(text) for text in cells_text), (
            f"{path.name}: claim '{name}' quotes \"{sentence}\", which is not in the chapter's prose; "
            "quote the sentence's own words (use … where a glued value stands)"
        )


def test_no_number_typed_where_a_glued_value_exists():
    """As far as can be checked: a glued number of 3+ digits must not also appear typed in the prose."""
    snapshot = json.loads((BOOK / "chapters" / "_glued.json").read_text(encoding="utf-8"))
    for path in CHAPTERS:
        text = "\n".join(c.source for c in cells(path) if c.cell_type == "markdown")
        text = re.sub(r"\{glue(:\w+)?\}`[^`]*`", " ", text)
        text = re.sub(r"\([a-z0-9-]+\)=", " ", text)
        for name, value in snapshot.get(path.stem, {}).items():
            number = value.strip()
            if not re.fullmatch(r"-?\d+(\.\d+)?", number):
                continue
            number = number[:-2] if number.endswith(".0") else number
            if len(number.lstrip("-").replace(".", "")) < 3 or re.fullmatch(r"(19|20)\d\d", number):
                continue
            variants = {number, f"{float(number):,.0f}" if "." not in number else number}
            for variant in variants:
                assert not re.search(rf"(?<![\w.,]){re.escape(variant)}(?![\w]|[.,]\d)", text), (
                    f"{path.name}: the prose types {variant}, which is glued as '{name}'; write {{glue:text}}`{name}`"
                )


def test_every_data_file_is_described_in_the_schema():
    described = {r["path"] for r in descriptor()["resources"]}
    for path in sorted(data_dir().glob("*.csv")):
        assert path.name in described, (
            f"data/{path.name} has no resource in data/datapackage.json: describe it there"
        )
    for resource in descriptor()["resources"]:
        for field in resource["schema"]["fields"]:
            assert field.get("description"), (
                f"{resource['path']}: column '{field['name']}' needs a description"
            )


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
