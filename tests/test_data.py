"""data/ is valid, loads typed, and every kind of maintainer mistake gets one error naming its place."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil

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
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in DATA.rglob("*") if p.is_file()}
    for name in table_names(DATA):
        load(name, sources=False)
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in DATA.rglob("*") if p.is_file()}
    assert before == after


# --- bad input: each case edits a scratch copy of data/ and names what the message must say ------

MODEL = "mistral-7b"  # any row works; the edits below read its cells rather than assume them


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def _line_of(model_id: str) -> int:
    lines = (DATA / "models.csv").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(model_id + ","))


def _cell(column: str) -> str:
    row = next(r for r in _rows((DATA / "models.csv").read_text(encoding="utf-8")) if r["model_id"] == MODEL)
    return row[column]


def _set(column: str, value: str):
    """Edit: set one cell of MODEL's row, written back by the csv module (so quoting stays right)."""

    def edit(text):
        rows = _rows(text)
        for row in rows:
            if row["model_id"] == MODEL:
                row[column] = value
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()

    return edit


def _raw_line(change):
    """Edit: change MODEL's line as raw text (for mistakes the csv module would never write)."""

    def edit(text):
        lines = text.split("\n")
        i = _line_of(MODEL) - 1
        lines[i] = change(lines[i])
        return "\n".join(lines)

    return edit


def _drop_column(name):
    def edit(text):
        rows = _rows(text)
        out = io.StringIO()
        fields = [f for f in rows[0] if f != name]
        writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()

    return edit


def _add_column(text):
    lines = text.rstrip("\n").split("\n")
    return "\n".join([lines[0] + ",colour"] + [line + "," for line in lines[1:]]) + "\n"


def _duplicate_row(text):
    lines = text.split("\n")
    i = _line_of(MODEL) - 1
    return "\n".join(lines[: i + 1] + [lines[i]] + lines[i + 1 :])


CASES = {
    # kind: (edit of models.csv, text or bytes; fragments the message must contain)
    "missing column": (_drop_column("country"), ["models.csv", "column 'country' is missing"]),
    "unknown extra column": (_add_column, ["models.csv", "column 'colour' is not in the schema"]),
    "wrong type": (
        _set("parameters", "seven billion"),
        ["line {line}", "column 'parameters'", "'seven billion'", "a number"],
    ),
    "impossible date": (
        _set("released", "2023-02-30"),
        ["line {line}", "column 'released'", "YYYY-MM-DD that exists"],
    ),
    "unparseable date": (
        _set("released", "27/09/2023"),
        ["line {line}", "column 'released'", "'27/09/2023'"],
    ),
    "future date": (_set("released", "2099-09-27"), ["line {line}", "column 'released'", "at most"]),
    "negative magnitude": (
        _set("parameters", "-7e9"),
        ["line {line}", "column 'parameters'", "at least 1000"],
    ),
    "absurd magnitude": (_set("parameters", "7e19"), ["line {line}", "column 'parameters'", "at most 1e+13"]),
    "duplicate key": (
        _duplicate_row,
        ["line {next_line}", "column 'model_id'", f"duplicate key '{MODEL}'", "line {line}"],
    ),
    "unknown category": (
        _set("access", "open-ish"),
        ["line {line}", "column 'access'", "'open-ish'", "one of: open_unrestricted"],
    ),
    "dangling source id": (
        _set("source_id", "nowhere-2023-missing"),
        ["line {line}", "column 'source_id'", "'nowhere-2023-missing'", "sources.csv"],
    ),
    "blank required field": (
        _set("organization", ""),
        ["line {line}", "column 'organization'", "blank", "not blank"],
    ),
    "empty file": (lambda t: "", ["models.csv", "empty"]),
    "header without rows": (lambda t: t.splitlines()[0] + "\n", ["models.csv", "no data rows"]),
    "wrong delimiter": (lambda t: t.replace(",", ";"), ["models.csv", "line 1", "';'", "commas"]),
    "byte-order mark": (lambda b: b"\xef\xbb\xbf" + b, ["models.csv", "line 1", "byte-order mark"]),
    "non-UTF-8 bytes": (
        lambda b: b.replace(f"\n{MODEL},".encode(), f"\n{MODEL}\xe9,".encode("latin-1"), 1),
        ["models.csv", "line {line}", "not UTF-8"],
    ),
    "unquoted comma in a name": (
        _raw_line(lambda line: line.replace(f",{_cell('name')},", ",Mistral, the 7B one,", 1)),
        ["line {line}", "unquoted comma", "double quotes"],
    ),
    "text garbled by a wrong encoding": (
        _set("name", "Ã‰clair 7B"),  # "Éclair" saved as UTF-8, read as Windows-1252, saved again
        ["line {line}", "column 'name'", "wrong encoding"],
    ),
    "pattern of an id": (_set("model_id", "Mistral 7B!"), ["line {line}", "column 'model_id'", "matching"]),
    "unclosed quote": (
        _raw_line(lambda line: line.replace(f",{_cell('organization')},", f',"{_cell("organization")},', 1)),
        ["line {line}", "column 'organization'", "a quote opens this cell and is not closed"],
    ),
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
    line = _line_of(MODEL)
    for fragment in fragments:
        fragment = fragment.format(line=line, next_line=line + 1)
        assert fragment in message, f"{kind}: {fragment!r} missing from:\n{message}"
    assert len(message.splitlines()) <= 4, f"{kind}: one clear error expected, got:\n{message}"
    assert target.read_bytes() == edited, "the loader must never rewrite a data file"


@pytest.mark.parametrize(
    "table, column, value, fragments",
    [
        (
            "training_runs",
            "hardware_id",
            "nvidia-z9000",
            ["training_runs.csv", "column 'hardware_id'", "hardware.csv"],
        ),
        ("events", "kind", "rumour", ["events.csv", "column 'kind'", "'rumour'", "one of: release_policy"]),
        (
            "inference_prices",
            "output_usd_per_mtok",
            "",
            ["inference_prices.csv", "column 'output_usd_per_mtok'", "not blank"],
        ),
        ("exclusions", "reason", "", ["exclusions.csv", "column 'reason'", "not blank"]),
        ("models", "inclusion", "liked-it", ["models.csv", "column 'inclusion'", "one of: epoch_rule"]),
        ("models", "upstream_date", "2024-02-30", ["models.csv", "column 'upstream_date'", "YYYY-MM-DD"]),
        (
            "benchmark_scores",
            "benchmark",
            "HumanEval",
            ["benchmark_scores.csv", "column 'benchmark'", "one of: MMLU"],
        ),
        (
            "book_corrections",
            "source_id",
            "nowhere-2026",
            ["book_corrections.csv", "column 'source_id'", "sources.csv"],
        ),
    ],
)
def test_mistakes_in_other_tables_name_their_file_and_column(tmp_path, table, column, value, fragments):
    scratch = tmp_path / "data"
    shutil.copytree(DATA, scratch)
    path = scratch / f"{table}.csv"
    rows = _rows(path.read_text(encoding="utf-8"))
    rows[3][column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    with pytest.raises(DataError) as raised:
        load("models", scratch)
    for fragment in fragments + ["line 5"]:
        assert fragment in str(raised.value)


def test_markup_in_a_text_field_reaches_charts_as_plain_text(tmp_path):
    scratch = tmp_path / "data"
    shutil.copytree(DATA, scratch)
    target = scratch / "models.csv"
    target.write_text(
        _set("name", "<script>alert(1)</script><b>Mistral</b>")(target.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    models = load("models", scratch)
    fig = charts.timeline(models)
    hovers = [text for trace in fig.data for text in trace.hovertext]
    mine = next(h for h in hovers if "Mistral" in h and "alert" in h)
    assert "<script>" not in mine and "<b>Mistral</b>" not in mine
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in mine


def test_human_numbers():
    assert charts.human(1.75e11) == "175 billion"
    assert charts.human(pd.NA) == "not disclosed"


def test_data_dictionary_reads_the_same_on_every_day():
    """The appendix's stored output is compared by nbval: it must not carry today's date."""
    import datetime as dt

    from essays.data import data_dictionary

    text = data_dictionary().data
    assert dt.date.today().isoformat() not in text
    assert (
        "Date of first public availability where checked; otherwise the upstream publication date (date_kind says"
        " which). | ≥ 2012-01-01; not in the future; required |" in text
    )


def test_access_traces_one_per_category_present_in_the_books_colours():
    frame = pd.DataFrame(
        {
            "released": pd.to_datetime(["2023-01-01", "2023-02-01", "2023-03-01"]),
            "y": [1, 2, 3],
            "access": ["api", "open_unrestricted", "api"],
            "modality": ["text", "image", "video"],
        }
    )
    traces = charts.access_traces(
        frame, x="released", y="y", hover=lambda g: [f"y={v}" for v in g["y"]], visible=False
    )
    assert [t.name for t in traces] == [
        charts.ACCESS_LABELS["open_unrestricted"],
        charts.ACCESS_LABELS["api"],
    ]
    api = traces[1]
    assert list(api.y) == [1, 3] and list(api.hovertext) == ["y=1", "y=3"] and api.visible is False
    assert api.marker.color == charts.ACCESS_COLORS["api"] and list(api.marker.symbol) == [
        "circle",
        "hexagon",
    ]
    plain = charts.access_traces(
        frame, x="released", y="y", hover=lambda g: [""] * len(g), order=["api"], symbols=False
    )
    assert len(plain) == 1 and plain[0].marker.symbol is None


def test_make_data_check_prints_the_errors_without_a_traceback(tmp_path):
    import subprocess
    import sys

    scratch = tmp_path / "data"
    shutil.copytree(DATA, scratch)
    (scratch / "models.csv").write_text(_set("access", "open-ish")((scratch / "models.csv").read_text()))
    env = {**os.environ, "ESSAYS_DATA_DIR": str(scratch)}
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from essays.data import main; sys.exit(main())"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "column 'access'" in result.stderr and "'open-ish'" in result.stderr
    ok = subprocess.run(
        [sys.executable, "-c", "import sys; from essays.data import main; sys.exit(main())"],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0 and "valid" in ok.stdout


def test_a_prediction_needs_a_known_status(tmp_path):
    scratch = tmp_path / "data"
    shutil.copytree(DATA, scratch)
    path = scratch / "predictions.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",open,", ",probably,", 1), encoding="utf-8")
    with pytest.raises(
        DataError, match=r"predictions.csv, line 2, column 'status'.*one of: open, right, wrong"
    ):
        load("predictions", scratch)


def _look_alike(name: str) -> str:
    """A name without case, punctuation, parentheses or words such as AI, Lab or Research: two
    names with the same key may be one organisation spelled two ways."""
    key = re.sub(r"\(.*?\)", "", name.lower())
    key = re.sub(
        r"\b(ai|inc|lab|labs|platforms|research|corporation|corp|technologies|technology)\b", "", key
    )
    return re.sub(r"[^a-z0-9]", "", key)


def test_names_that_look_alike_are_decided_in_organizations():
    """Every maker name in models.csv and events.csv that looks like another (NVIDIA, Nvidia;
    Moonshot, Moonshot AI) is listed in organizations.csv, which says whether they are one
    organisation; a new spelling fails here, naming both."""
    from essays import access

    listed = set(load("organizations")["name"])
    names = set(access.makers(load("models"))["maker"])
    for organization in load("events")["organization"].dropna():
        names |= {n.strip() for n in organization.split(";")}
    groups: dict[str, set[str]] = {}
    for name in names:
        groups.setdefault(_look_alike(name), set()).add(name)
    undecided = sorted(sorted(g) for g in groups.values() if len(g) > 1 and not g <= listed)
    assert undecided == [], f"look-alike names not in data/organizations.csv: {undecided}"


def test_organizations_name_each_organisation_once():
    """Naming is settled in one step: an organisation a name counts for counts for itself."""
    organizations = load("organizations")
    one = dict(zip(organizations["name"], organizations["organization"]))
    twice = {n: one[o] for n, o in one.items() if one.get(o, o) != o}
    assert twice == {}, f"names whose organisation is itself renamed: {twice}"
