"""data/ is valid, loads typed, and every kind of maintainer mistake gets one error naming its place."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from essays import charts
from essays.data import DataError, data_dir, load, table_names, validate

DATA = data_dir()


def test_the_data_package_is_valid():
    validate(DATA)


@pytest.mark.parametrize("name", table_names(DATA))
def test_every_table_loads_with_the_types_its_schema_declares(name):
    frame = load(name)
    assert len(frame) > 0
    assert frame.attrs["table"] == name


def test_loader_gives_typed_columns():
    models = load("models")
    assert str(models["released"].dtype).startswith("datetime64")
    assert str(models["parameters"].dtype) == "Float64"
    assert str(models["access"].dtype) == "string"


def test_sources_join_gives_every_row_a_url():
    models = load("models", sources=True)
    assert models["source_url"].notna().all()


def test_loading_never_changes_data():
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in DATA.iterdir()}
    for name in table_names(DATA):
        load(name, sources=False)
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in DATA.iterdir()}
    assert before == after


# --- bad input: each case edits a scratch copy of data/ and names what the message must say ------


def _row(text: str, model_id: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(model_id + ","))


def _replace_in_row(model_id: str, old: str, new: str):
    def edit(text):
        row = _row(text, model_id)
        assert old in row, f"test setup: {old!r} not in row {model_id}"
        return text.replace(row, row.replace(old, new, 1))
    return edit


def _line_of(model_id: str) -> int:
    lines = (DATA / "models.csv").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(model_id + ","))


def _drop_column(name):
    def edit(text):
        rows = [line.split(",") for line in text.splitlines()]
        i = rows[0].index(name)
        return "\n".join(",".join(r[:i] + r[i + 1:]) for r in rows) + "\n"
    return edit


MISTRAL = "mistral-7b"
CASES = {
    # kind: (edit of models.csv text, or bytes edit; fragments the message must contain)
    "missing column": (_drop_column("country"), ["models.csv", "column 'country' is missing"]),
    "unknown extra column": (lambda t: t.replace(",note\n", ",note,colour\n", 1).replace("\n", ",\n").replace(",note,colour,\n", ",note,colour\n", 1),
                             ["models.csv", "column 'colour' is not in the schema"]),
    "wrong type": (_replace_in_row(MISTRAL, "7.3e+09", "seven billion"),
                   ["line {line}", "column 'parameters'", "'seven billion'", "a number"]),
    "impossible date": (_replace_in_row(MISTRAL, "2023-09-27", "2023-02-30"),
                        ["line {line}", "column 'released'", "YYYY-MM-DD that exists"]),
    "unparseable date": (_replace_in_row(MISTRAL, "2023-09-27", "27/09/2023"),
                         ["line {line}", "column 'released'", "'27/09/2023'"]),
    "future date": (_replace_in_row(MISTRAL, "2023-09-27", "2099-09-27"),
                    ["line {line}", "column 'released'", "at most"]),
    "negative magnitude": (_replace_in_row(MISTRAL, "7.3e+09", "-7.3e+09"),
                           ["line {line}", "column 'parameters'", "at least 1000"]),
    "absurd magnitude": (_replace_in_row(MISTRAL, "7.3e+09", "7.3e+19"),
                         ["line {line}", "column 'parameters'", "at most 1e+13"]),
    "duplicate key": (lambda t: t.replace(_row(t, MISTRAL), _row(t, MISTRAL) + "\n" + _row(t, MISTRAL)),
                      ["line {next_line}", "column 'model_id'", "duplicate key 'mistral-7b'", "line {line}"]),
    "unknown category": (_replace_in_row(MISTRAL, "open_unrestricted", "open-ish"),
                         ["line {line}", "column 'access'", "'open-ish'", "one of: open_unrestricted"]),
    "dangling source id": (_replace_in_row(MISTRAL, "mistral-2023-mistral-7b", "mistral-2023-nowhere"),
                           ["line {line}", "column 'source_id'", "'mistral-2023-nowhere'", "sources.csv"]),
    "blank required field": (_replace_in_row(MISTRAL, ",Mistral AI,France,", ",,France,"),
                             ["line {line}", "column 'organization'", "blank", "not blank"]),
    "empty file": (lambda t: "", ["models.csv", "empty"]),
    "header without rows": (lambda t: t.splitlines()[0] + "\n", ["models.csv", "no data rows"]),
    "wrong delimiter": (lambda t: t.replace(",", ";"), ["models.csv", "line 1", "';'", "commas"]),
    "byte-order mark": (lambda b: b"\xef\xbb\xbf" + b, ["models.csv", "line 1", "byte-order mark"]),
    "non-UTF-8 bytes": (lambda b: b.replace("Mistral AI".encode(), "Mistr\xe1l AI".encode("latin-1"), 1),
                        ["models.csv", "line {line}", "not UTF-8"]),
    "unquoted comma in a name": (_replace_in_row(MISTRAL, ",Mistral 7B,", ",Mistral, 7B,"),
                                 ["line {line}", "unquoted comma", "double quotes"]),
    "pattern of an id": (_replace_in_row(MISTRAL, "mistral-7b,", "Mistral 7B!,"),
                         ["line {line}", "column 'model_id'", "matching"]),
}


@pytest.mark.parametrize("kind", CASES)
def test_bad_input_gets_an_error_naming_file_line_and_column(tmp_path, kind):
    edit, fragments = CASES[kind]
    scratch = tmp_path / "data"
    shutil.copytree(DATA, scratch)
    target = scratch / "models.csv"
    if kind in ("byte-order mark", "non-UTF-8 bytes"):
        target.write_bytes(edit(target.read_bytes()))
    else:
        target.write_text(edit(target.read_text(encoding="utf-8")), encoding="utf-8")
    edited = target.read_bytes()

    with pytest.raises(DataError) as raised:
        load("models", scratch)
    message = str(raised.value)
    line = _line_of(MISTRAL)
    for fragment in fragments:
        fragment = fragment.format(line=line, next_line=line + 1)
        assert fragment in message, f"{kind}: {fragment!r} missing from:\n{message}"
    assert len(message.splitlines()) <= 4, f"{kind}: one clear error expected, got:\n{message}"
    assert target.read_bytes() == edited, "the loader must never rewrite a data file"


def test_markup_in_a_text_field_reaches_charts_as_plain_text(tmp_path):
    scratch = tmp_path / "data"
    shutil.copytree(DATA, scratch)
    target = scratch / "models.csv"
    target.write_text(_replace_in_row(MISTRAL, ",Mistral 7B,", ',<script>alert(1)</script><b>Mistral</b>,')(
        target.read_text(encoding="utf-8")), encoding="utf-8")
    models = load("models", scratch)
    fig = charts.timeline(models)
    hovers = [text for trace in fig.data for text in trace.hovertext]
    mine = next(h for h in hovers if "Mistral" in h and "alert" in h)
    assert "<script>" not in mine and "<b>Mistral</b>" not in mine
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in mine


def test_human_numbers():
    assert charts.human(1.75e11) == "175 billion"
    assert charts.human(pd.NA) == "not disclosed"
