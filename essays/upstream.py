"""The book's inclusion rule, applied to pinned snapshots of Epoch AI's *Notable AI Models*.

The rule, in one sentence: every model in Epoch AI's Notable AI Models whose publication date falls
from 2017-06-01 to 2026-11-30 and whose domain includes language, multimodal, image generation,
video, speech or audio (so vision-language models count, vision-only models do not) is a row of
``data/models.csv`` or a row of ``data/exclusions.csv`` with the reason it is left out; the book's
own additions sit on top, each with its reason in ``inclusion``.

Snapshots are listed in ``data/upstream/manifest.csv`` (repository, path, commit, SHA-256 of the
bytes kept, rows read). ``make data-refresh UPSTREAM=file.csv`` compares a newer Epoch-format file
with the tables and writes a review report; it never edits ``models.csv``.
"""

from __future__ import annotations

import hashlib
import io
import re
import sys
from pathlib import Path

import pandas as pd

START, END = pd.Timestamp("2017-06-01"), pd.Timestamp("2026-11-30")
RULE_DOMAINS = ("Language", "Multimodal", "Image generation", "Video", "Speech", "Audio")

#: Epoch's "Model accessibility" values and the book's access category for each.
ACCESS = {
    "Open weights (unrestricted)": "open_unrestricted",
    "Open weights (restricted use)": "open_restricted",
    "Open weights (non-commercial)": "open_restricted",
    "API access": "api",
    "Hosted access (no API)": "api",
    "Unreleased": "unreleased",
}
CONFIDENCE = {"Confident": "confident", "Likely": "likely", "Speculative": "speculative"}
COUNTRIES = {
    "United States of America": "United States",
    "United Kingdom of Great Britain and Northern Ireland": "United Kingdom",
    "Korea (Republic of)": "South Korea",
    "Korea, Republic of": "South Korea",
}


def domains(value) -> set[str]:
    return {d.strip() for d in str(value or "").split(",") if d.strip()}


def meets_rule(frame: pd.DataFrame) -> pd.Series:
    """True for each upstream row the inclusion rule takes (publication date and domain)."""
    date = pd.to_datetime(frame["Publication date"], errors="coerce")
    in_window = (date >= START) & (date <= END)
    in_domain = frame["Domain"].map(lambda d: bool(domains(d) & set(RULE_DOMAINS)))
    return in_window & in_domain


def modality(domain) -> str:
    """The book's modality for an upstream row's domains."""
    found = domains(domain)
    if "Multimodal" in found or {"Language", "Vision"} <= found:
        return "multimodal"
    if "Video" in found:
        return "video"
    if "Image generation" in found:
        return "image"
    if found & {"Speech", "Audio"} and "Language" not in found:
        return "audio"
    return "text"


def country(value) -> str:
    first = next(
        (c.strip() for c in str(value or "").split(",") if c.strip() and c.strip() != "Multinational"), ""
    )
    return COUNTRIES.get(first, first)


def key(name) -> str:
    """A name reduced for matching: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]+", "", str(name).lower())


def read(path: Path) -> pd.DataFrame:
    """An Epoch-format CSV, as text columns (nothing parsed but what the rule needs)."""
    text = Path(path).read_text(encoding="utf-8")
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def combined(manifest: Path) -> pd.DataFrame:
    """Every upstream row of the pinned snapshots, newest snapshot first; where two snapshots hold the
    same model (by name), the newer one's row is kept. Adds ``snapshot`` (the file it came from)."""
    entries = pd.read_csv(manifest, dtype=str, keep_default_na=False)
    frames = []
    for entry in entries.sort_values("newest_date", ascending=False).itertuples():
        frame = read(manifest.parent / entry.file)
        frames.append(frame.assign(snapshot=entry.file))
    rows = pd.concat(frames, ignore_index=True)
    return rows[~rows["Model"].map(key).duplicated()].reset_index(drop=True)


def review(upstream: pd.DataFrame, models: pd.DataFrame, exclusions: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """What a newer upstream file says that the tables do not: the rows the rule takes that are in
    neither models.csv nor exclusions.csv, and the fields that differ for rows that are."""
    taken = upstream[meets_rule(upstream)]
    known = set(models["upstream_name"].dropna().map(key)) | set(exclusions["upstream_name"].map(key))
    missing = taken[~taken["Model"].map(key).isin(known)]
    matched = models[models["upstream_name"].fillna("") != ""].assign(
        match_key=lambda m: m["upstream_name"].map(key)
    )
    differ = []
    upstream_by_key = (
        taken.assign(match_key=taken["Model"].map(key)).drop_duplicates("match_key").set_index("match_key")
    )
    for model in matched.itertuples():
        if model.match_key not in upstream_by_key.index:
            continue
        up = upstream_by_key.loc[model.match_key]
        checks = {
            "upstream_date": (_date(model.upstream_date), _date(up["Publication date"])),
            "parameters": (_number(model.parameters), _number(up["Parameters"])),
            "training_compute_flop": (
                _number(model.training_compute_flop),
                _number(up["Training compute (FLOP)"]),
            ),
            "access": (model.access, ACCESS.get(up["Model accessibility"], "")),
        }
        for field, (ours, theirs) in checks.items():
            if theirs not in ("", None) and ours != theirs and not (field == "access" and not theirs):
                differ.append(
                    {"model_id": model.model_id, "field": field, "models_csv": ours, "upstream": theirs}
                )
    return {
        "missing": missing[["Model", "Organization", "Publication date", "Domain", "Model accessibility"]],
        "differ": pd.DataFrame(differ, columns=["model_id", "field", "models_csv", "upstream"]),
    }


def _date(value) -> str:
    return "" if value is None or pd.isna(value) or value == "" else str(pd.Timestamp(value).date())


def _number(value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    return "" if pd.isna(number) else f"{number:.3g}"


def report(path: Path, data: Path) -> str:
    """The review report of ``make data-refresh`` as Markdown."""
    upstream = read(path)
    models = pd.read_csv(data / "models.csv", dtype=str, keep_default_na=False).replace("", pd.NA)
    exclusions = pd.read_csv(data / "exclusions.csv", dtype=str, keep_default_na=False)
    found = review(upstream, models, exclusions)
    taken = int(meets_rule(upstream).sum())
    lines = [
        f"# Data refresh review: {path.name}",
        "",
        f"- SHA-256: `{sha256(path)}`",
        f"- upstream rows: {len(upstream)}; meeting the rule: {taken}",
        f"- meeting the rule but in neither models.csv nor exclusions.csv: {len(found['missing'])}",
        f"- fields that differ from models.csv: {len(found['differ'])}",
        "",
        "Nothing was changed: add rows to data/models.csv (or data/exclusions.csv with a reason), "
        "correct fields where the upstream is right, then record the release in data/CHANGELOG.md.",
        "",
    ]
    for title, frame in (("Missing rows", found["missing"]), ("Fields that differ", found["differ"])):
        lines += [f"## {title}", ""]
        lines += [_markdown(frame) if len(frame) else "None.", ""]
    return "\n".join(lines)


def _markdown(frame: pd.DataFrame) -> str:
    head = "| " + " | ".join(frame.columns) + " |\n| " + " | ".join("---" for _ in frame.columns) + " |"
    body = [
        "| " + " | ".join(str(v).replace("|", "/") for v in row) + " |"
        for row in frame.itertuples(index=False)
    ]
    return "\n".join([head, *body])


def main(argv: list[str]) -> int:
    """`make data-refresh UPSTREAM=path/to/notable_ai_models.csv [REPORT=...]`."""
    from essays.data import data_dir

    if not argv:
        print("usage: python -m essays.upstream path/to/notable_ai_models.csv [report.md]", file=sys.stderr)
        return 2
    path = Path(argv[0])
    target = Path(argv[1]) if len(argv) > 1 else Path("_build") / "data-refresh.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(report(path, data_dir()), encoding="utf-8")
    print(f"wrote {target}: review it; data/models.csv was not changed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
