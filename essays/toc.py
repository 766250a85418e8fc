"""The book's chapters, read from _toc.yml: tests, checks, `make claims` and `make notebooks` use this one list.

A chapter is a MyST text notebook, ``chapters/NN-slug.md``; its paired ``.ipynb`` (no outputs,
written by ``essays.publish``) is what Binder, Colab and nbval open.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml

# The book's root; tests of a scratch copy of the book point ESSAYS_BOOK at the copy.
BOOK = Path(os.environ.get("ESSAYS_BOOK", Path(__file__).resolve().parent.parent)).resolve()


def _files(entry: dict) -> list[str]:
    found = [entry["file"]] if "file" in entry else []
    for key in ("parts", "chapters", "sections"):
        for child in entry.get(key, []) or []:
            found += _files(child)
    return found


def entries(book: Path = BOOK) -> list[str]:
    """Every document in _toc.yml, in reading order, as paths without suffix (chapters/00-preface)."""
    toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + _files(toc)


def sources(book: Path = BOOK) -> list[Path]:
    """The text notebook of every _toc.yml entry; a missing file is an error that names the entry."""
    paths = []
    for entry in entries(book):
        path = book / f"{entry}.md"
        if not path.exists():
            raise FileNotFoundError(
                f"_toc.yml lists '{entry}' but {path.relative_to(book)} does not exist; "
                "create the chapter (make chapter) or remove the entry"
            )
        paths.append(path)
    return paths


def notebooks(book: Path = BOOK) -> list[Path]:
    """The paired .ipynb of every _toc.yml entry (they exist once `make notebooks` has run)."""
    return [path.with_suffix(".ipynb") for path in sources(book)]


def has_code(path: Path) -> bool:
    """Whether a text notebook has a code cell (the references page has none)."""
    return "```{code-cell}" in path.read_text(encoding="utf-8")


def missing_pages(html_dir: Path, book: Path = BOOK) -> list[str]:
    """Entries of _toc.yml whose page is absent from the built site or has no title."""
    problems = []
    for entry in entries(book):
        page = html_dir / f"{entry}.html"
        if not page.exists():
            problems.append(f"{page}: not built (listed in _toc.yml as '{entry}')")
        elif "<h1>" not in page.read_text(encoding="utf-8"):
            problems.append(f"{page}: built but has no <h1> title")
    return problems


def main(argv: list[str]) -> int:
    if argv[:1] == ["--check"]:
        html_dir = Path(argv[1] if len(argv) > 1 else BOOK / "_build" / "html")
        problems = missing_pages(html_dir)
        for line in problems:
            print(line, file=sys.stderr)
        if not problems:
            print(f"{html_dir}: all {len(entries())} pages of _toc.yml are built")
        return 1 if problems else 0
    print("\n".join(str(p.relative_to(BOOK)) for p in sources()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
