"""Scaffold a new chapter: `make chapter SLUG=open-data TITLE="Open data"`.

Copies chapters/_template.md to chapters/NN-slug.md (NN = the next free number below 90), fills in
the slug and title, lists it in _toc.yml under "Essays", and writes its paired notebook
(chapters/NN-slug.ipynb, for Binder, Colab and nbval) with ``essays.publish``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from essays import publish
from essays.toc import BOOK, entries

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ESSAYS_PART = "  - caption: Essays\n    chapters:\n"


def next_number(book: Path) -> int:
    numbers = [int(p.name[:2]) for p in (book / "chapters").glob("[0-9][0-9]-*.md") if int(p.name[:2]) < 90]
    return max(numbers, default=0) + 1


def add_to_toc(book: Path, entry: str) -> None:
    """Append the entry to the Essays part of _toc.yml (created before the Appendix part if missing)."""
    path = book / "_toc.yml"
    text = path.read_text(encoding="utf-8")
    line = f"      - file: {entry}\n"
    if ESSAYS_PART not in text:
        anchor = "  - caption: Appendix\n"
        if anchor not in text:
            raise ValueError(f"{path}: no 'Essays' or 'Appendix' part to put the chapter in; add it by hand")
        text = text.replace(anchor, ESSAYS_PART + line + anchor, 1)
    else:
        start = text.index(ESSAYS_PART) + len(ESSAYS_PART)
        end = start
        while text[end:].startswith("      - "):
            end = text.index("\n", end) + 1
        text = text[:end] + line + text[end:]
    path.write_text(text, encoding="utf-8")


def scaffold(slug: str, title: str, book: Path = BOOK) -> Path:
    if not SLUG.match(slug):
        raise ValueError(f"SLUG must be lowercase words joined by hyphens, e.g. open-data (got {slug!r})")
    if not title.strip():
        raise ValueError('TITLE must not be empty, e.g. TITLE="Open data"')
    if any(entry.endswith(f"-{slug}") for entry in entries(book)):
        raise ValueError(f"a chapter with slug {slug!r} is already in _toc.yml")
    name = f"{next_number(book):02d}-{slug}"
    target = book / "chapters" / f"{name}.md"
    text = (book / "chapters" / "_template.md").read_text(encoding="utf-8")
    target.write_text(text.replace("{{slug}}", slug).replace("{{title}}", title.strip()), encoding="utf-8")
    target.with_suffix(".ipynb").write_text(publish.render(target, book), encoding="utf-8")
    add_to_toc(book, f"chapters/{name}")
    return target


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print('usage: make chapter SLUG=open-data TITLE="Open data"', file=sys.stderr)
        return 2
    try:
        path = scaffold(argv[0], argv[1])
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(
        f"created {path.relative_to(BOOK)} and listed it in _toc.yml; write it (`make claims` runs it), "
        "then `make notebooks` and `make check`"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
