"""Load the book's tables from ``data/``, validated against ``data/datapackage.json``.

The descriptor is a Frictionless Data Package: it holds each table's columns, types, units, allowed
values, keys and foreign keys. ``frictionless`` does the validating; this module only turns its
findings into one message a maintainer can act on (file, line, column, what was expected) and
converts the valid table into a typed DataFrame.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
import os
import re
from functools import lru_cache
from pathlib import Path

import frictionless
import pandas as pd

#: Where the tables live. Tests point ESSAYS_DATA_DIR at a scratch copy.
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DESCRIPTOR = "datapackage.json"
MAX_ERRORS_SHOWN = 20

# Table Schema type -> pandas dtype for the loaded frame.
DTYPES = {
    "string": "string",
    "number": "Float64",
    "integer": "Int64",
    "boolean": "boolean",
}


class DataError(ValueError):
    """A table in data/ does not match its schema. The message names file, line and column."""


def data_dir() -> Path:
    return Path(os.environ.get("ESSAYS_DATA_DIR", DEFAULT_DATA_DIR))


def descriptor(directory: Path | None = None) -> dict:
    """The data package descriptor as a dict, with the 'not in the future' limits filled in.

    A date field marked ``"x-not-future": true`` gets ``maximum`` = today, so a typo such as
    2205 for 2025 is caught by the validator like any other out-of-range value.
    """
    directory = directory or data_dir()
    desc = json.loads((directory / DESCRIPTOR).read_text(encoding="utf-8"))
    today = dt.date.today().isoformat()
    for resource in desc["resources"]:
        for field in resource["schema"]["fields"]:
            if field.pop("x-not-future", False):
                field.setdefault("constraints", {})["maximum"] = today
    return desc


def table_names(directory: Path | None = None) -> list[str]:
    return [r["name"] for r in descriptor(directory)["resources"]]


def schema(name: str, directory: Path | None = None) -> dict:
    """The Table Schema of one table (fields with type, description, unit, constraints)."""
    for resource in descriptor(directory)["resources"]:
        if resource["name"] == name:
            return resource
    raise KeyError(
        f"no table named {name!r} in {directory or data_dir()}/{DESCRIPTOR}; "
        f"tables: {', '.join(table_names(directory))}"
    )


def _byte_problems(path: Path) -> list[str]:
    """Problems a CSV reader would hide or garble: missing or empty file, BOM, non-UTF-8 bytes."""
    if not path.exists():
        return [f"{path}: file is missing (it is listed in {DESCRIPTOR})"]
    raw = path.read_bytes()
    if not raw.strip():
        return [f"{path}: file is empty; expected a header row and at least one data row"]
    if len(raw.strip().splitlines()) < 2:
        return [f"{path}: file has a header but no data rows"]
    if raw.startswith(b"\xef\xbb\xbf"):
        return [f"{path}, line 1: file starts with a byte-order mark; save it as UTF-8 without BOM"]
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        return [
            f"{path}, line {line}, character {column}: byte {raw[err.start]:#04x} is not UTF-8; "
            "save the file as UTF-8"
        ]
    return []


def _quote_problems(path: Path, fields: list[str]) -> list[str]:
    """A stray quote at the start of a cell makes a CSV reader run on, past the commas (and even the
    lines) after it, to the next quote: report the line and column where that quote opens, not the
    damage further on."""
    problems = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        start = 2
        for row in reader:
            end = reader.line_num
            if len(row) < len(fields):
                swallowed = next((i for i, cell in enumerate(row) if "," in cell or "\n" in cell), None)
                if swallowed is not None:
                    ran_on = f" to line {end}" if end > start else " along the line"
                    problems.append(
                        f"{path}, line {start}, column '{fields[swallowed]}': a quote opens this cell and is not "
                        f"closed where the cell ends, so the reader ran on{ran_on}, taking in the cells after it; "
                        'close the quote (a quote inside a quoted cell is written twice: "")'
                    )
            start = end + 1
    return problems


# Text that was UTF-8, read once as Latin-1 or Windows-1252 and saved again ("Ã©" for "é", "è¾" for
# the start of "腾"): a lead byte of a two- or three-byte character followed by a continuation byte.
GARBLED = re.compile(
    "[\u00c2-\u00ef]["
    + re.escape(
        "".join(
            sorted(
                set(
                    bytes(range(0x80, 0xC0)).decode("latin-1")
                    + bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore")
                )
            )
        )
    )
    + "]"
)
# Columns copied character for character from another dataset, garbling and all: they are the key a
# refresh matches on, so they keep the upstream's spelling and the book's own columns carry the fix.
VERBATIM = {"upstream_name"}


def _garbled_problems(path: Path, fields: list[str]) -> list[str]:
    """Cells whose text was garbled by a wrong encoding on its way into the file."""
    problems = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.reader(handle), start=1):
            if line == 1:
                continue
            for field, cell in zip(fields, row):
                match = GARBLED.search(cell) if field not in VERBATIM else None
                if match:
                    problems.append(
                        f"{path}, line {line}, column '{field}': {cell[max(0, match.start() - 10) : match.end() + 10]!r}"
                        " looks like UTF-8 text read with the wrong encoding; write the characters themselves"
                    )
    return problems


def _header_problems(path: Path, fields: list[str]) -> list[str]:
    """Compare the header with the schema by name, so one missing column is reported as that column.

    (Frictionless matches columns by position: a missing column in the middle would make every later
    column look wrong.)
    """
    first = path.read_text(encoding="utf-8").splitlines()[0]
    for sep in (";", "\t", "|"):
        if sep in first and "," not in first:
            return [f"{path}, line 1: the columns are separated by {sep!r}; expected commas"]
    header = next(csv.reader([first]))
    missing = [f for f in fields if f not in header]
    extra = [h for h in header if h not in fields]
    problems = [
        f"{path}, line 1: column '{name}' is missing; expected columns: {', '.join(fields)}"
        for name in missing
    ]
    problems += [
        f"{path}, line 1: column '{name}' is not in the schema; expected columns: {', '.join(fields)}"
        for name in extra
    ]
    if not problems and header != fields:
        problems.append(f"{path}, line 1: columns are out of order; expected: {', '.join(fields)}")
    return problems


def _expected(field: dict) -> str:
    """What a column accepts, in words, from its schema."""
    kinds = {
        "date": "a date YYYY-MM-DD that exists",
        "number": "a number",
        "integer": "a whole number",
        "boolean": "true or false",
        "string": "text",
    }
    parts = [kinds.get(field["type"], field["type"])]
    cons = field.get("constraints", {})
    if "enum" in cons:
        parts = ["one of: " + ", ".join(cons["enum"])]
    for key, word in (("minimum", "at least"), ("maximum", "at most")):
        if key in cons:
            value = cons[key]
            parts.append(f"{word} {value:g}" if isinstance(value, (int, float)) else f"{word} {value}")
    if "pattern" in cons:
        parts.append(f"matching {cons['pattern']}")
    if cons.get("required"):
        parts.append("not blank")
    return ", ".join(parts)


def _describe(error, path: Path, fields: dict) -> str:
    """One line for one validator finding: file, line, column, what was found, what was expected."""
    row = getattr(error, "row_number", None)
    name = getattr(error, "field_name", None) or getattr(error, "label", None)
    where = str(path) + (f", line {row}" if row else "") + (f", column '{name}'" if name else "")
    cell = getattr(error, "cell", None)
    field = fields.get(name)
    kind = error.type
    if kind in ("type-error", "constraint-error") and field is not None:
        found = "a blank cell" if cell in (None, "") else repr(cell)
        return f"{where}: found {found}; expected {_expected(field)}"
    if kind == "primary-key":
        return ""  # every key column also has "unique": true, whose error names the column
    if kind == "unique-error":
        other = re.search(r"position (\d+)", error.note or "")
        return (f"{where}: duplicate key {cell!r}" if cell else f"{where}: duplicate key") + (
            f"; the same key is already on line {other.group(1)}" if other else ""
        )
    if kind == "foreign-key":
        column = ", ".join(getattr(error, "field_names", []) or [])
        value = ", ".join(str(c) for c in getattr(error, "field_cells", []) or [])
        ref = getattr(error, "reference_name", "") or "the referenced table"
        return (
            f"{where}, column '{column}': {value!r} is not an id in {ref}.csv; "
            f"add a row for it to {ref}.csv or correct the id"
        )
    if kind == "extra-cell":
        return (
            f"{where}: the row has more cells than the header has columns; a text cell probably "
            "holds an unquoted comma: put that cell in double quotes"
        )
    if kind == "missing-cell":
        return f"{where}: the row has fewer cells than the header has columns"
    return f"{where}: {error.title}: {error.note}"


def _task_problems(task, path: Path, fields: dict) -> list[str]:
    """Findings for one table, with follow-on noise removed.

    A row with an unquoted comma shifts every cell after it: report one line for that row.
    (Header problems never get here: _header_problems reports them first.)
    """
    errors = list(task.errors)
    broken = {e.row_number for e in errors if e.type in ("extra-cell", "missing-cell")}
    errors = [
        e
        for e in errors
        if getattr(e, "row_number", None) not in broken or e.type in ("extra-cell", "missing-cell")
    ]
    seen, out = set(), []
    for e in errors:
        key = (getattr(e, "row_number", None), e.type) if e.type in ("extra-cell", "missing-cell") else id(e)
        if key not in seen:
            seen.add(key)
            out.append(_describe(e, path, fields))
    return [line for line in out if line]


@lru_cache(maxsize=8)
def _validated(directory: str, stamp: tuple) -> None:
    """Validate the whole package once per set of file versions (stamp = paths and mtimes)."""
    directory = Path(directory)
    desc = descriptor(directory)
    problems: list[str] = []
    for resource in desc["resources"]:
        path = directory / resource["path"]
        fields = [f["name"] for f in resource["schema"]["fields"]]
        problems += (
            _byte_problems(path)
            or _header_problems(path, fields)
            or _quote_problems(path, fields)
            or _garbled_problems(path, fields)
        )
    if problems:
        raise DataError("data/ is invalid:\n  " + "\n  ".join(problems))

    # Validate a copy of the descriptor so frictionless never writes to our files.
    package = frictionless.Package(copy.deepcopy(desc), basepath=str(directory))
    report = package.validate()
    if report.valid:
        return
    for task in report.tasks:
        path = directory / Path(task.place).name
        fields = {f["name"]: f for f in schema(task.name, directory)["schema"]["fields"]}
        problems += _task_problems(task, path, fields)
    shown = problems[:MAX_ERRORS_SHOWN]
    more = len(problems) - len(shown)
    raise DataError(
        "data/ is invalid:\n  " + "\n  ".join(shown) + (f"\n  ... and {more} more" if more > 0 else "")
    )


def _stamp(directory: Path) -> tuple:
    return tuple(
        sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in directory.iterdir() if p.is_file())
    )


def validate(directory: Path | None = None) -> None:
    """Raise DataError naming every problem in data/ (file, line, column, expected), else return."""
    directory = Path(directory or data_dir()).resolve()
    _validated(str(directory), _stamp(directory))


def _read(directory: Path, name: str) -> pd.DataFrame:
    """Read one (already validated) table and give each column the dtype its schema declares."""
    resource = schema(name, directory)
    frame = pd.read_csv(
        directory / resource["path"], dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8"
    )
    for field in resource["schema"]["fields"]:
        column = field["name"]
        if field["type"] == "date":
            frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
        else:
            frame[column] = frame[column].astype(DTYPES.get(field["type"], "string"))
    frame.attrs["table"] = name
    frame.attrs["title"] = resource.get("title", name)
    return frame


def load(name: str, directory: Path | None = None, *, sources: bool = False) -> pd.DataFrame:
    """The table ``name`` as a typed DataFrame, after validating the whole data package.

    Strings come back as pandas ``string``, numbers as ``Float64``, dates as ``datetime64``;
    an empty cell is ``<NA>``. With ``sources=True`` each row also gets ``source_title``,
    ``source_publisher`` and ``source_url`` from sources.csv. Raises DataError when any table is invalid.
    """
    directory = Path(directory or data_dir()).resolve()
    validate(directory)
    frame = _read(directory, name)
    if sources:
        cited = _read(directory, "sources")[["source_id", "title", "publisher", "url"]].rename(
            columns={"title": "source_title", "publisher": "source_publisher", "url": "source_url"}
        )
        frame = frame.merge(cited, on="source_id", how="left", validate="many_to_one")
        frame.attrs.update(table=name, title=schema(name, directory).get("title", name))
    return frame


def _allowed(field: dict) -> str:
    cons = field.get("constraints", {})
    parts = []
    if "enum" in cons:
        parts.append(", ".join(f"`{v}`" for v in cons["enum"]))
    for key, word in (("minimum", "≥"), ("maximum", "≤")):
        if key in cons:
            value = cons[key]
            parts.append(f"{word} {value:g}" if isinstance(value, (int, float)) else f"{word} {value}")
    if field.get("x-not-future"):
        # Said in words, not as today's date, so the appendix reads the same on every day.
        parts.append("not in the future")
    if cons.get("required"):
        parts.append("required")
    if cons.get("unique"):
        parts.append("unique")
    return "; ".join(parts)


def data_dictionary(directory: Path | None = None, download_prefix: str = "../data/"):
    """Markdown describing every table from the descriptor: what a row is, columns, counts, downloads."""
    from IPython.display import Markdown

    directory = Path(directory or data_dir()).resolve()
    validate(directory)
    out = [f"Download the descriptor: {{download}}`datapackage.json <{download_prefix}{DESCRIPTOR}>`.", ""]
    # The descriptor as written: a date marked x-not-future keeps the mark, not today's date.
    written = json.loads((directory / DESCRIPTOR).read_text(encoding="utf-8"))
    for resource in written["resources"]:
        frame = _read(directory, resource["name"])
        keys = resource["schema"].get("foreignKeys", [])
        out += [
            f"### {resource.get('title', resource['name'])}",
            "",
            f"{resource.get('description', '')}",
            "",
            f"{len(frame)} rows in {{download}}`{resource['path']} <{download_prefix}{resource['path']}>`."
            + (
                " References: "
                + ", ".join(f"`{k['fields'][0]}` → `{k['reference']['resource']}`" for k in keys)
                + "."
                if keys
                else ""
            ),
            "",
            "| column | type | unit | meaning | allowed |",
            "|---|---|---|---|---|",
        ]
        for field in resource["schema"]["fields"]:
            out.append(
                f"| `{field['name']}` | {field['type']} | {field.get('unit', '')} | "
                f"{field.get('description', '')} | {_allowed(field)} |"
            )
        out.append("")
    return Markdown("\n".join(out))


def release(directory: Path | None = None) -> dict:
    """The data release: its version (e.g. "2026.11") and cut-off date, from datapackage.json.

    Chapters show the cut-off near their top, so every dated sentence says what "as of" means.
    """
    desc = descriptor(directory)
    return {"version": desc.get("version", ""), "cutoff": pd.Timestamp(desc["x-cutoff"])}


def main() -> int:
    """`make data-check`: the list of problems, or a line saying the data are valid; no traceback."""
    import sys

    try:
        validate()
    except DataError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"{data_dir()} is valid: {len(table_names())} tables match datapackage.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
