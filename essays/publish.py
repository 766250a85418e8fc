"""The notebooks that Binder, Colab and nbval open, made from the chapters' text.

A chapter is written as a MyST text notebook (``chapters/NN-slug.md``). ``make notebooks`` writes
its pair, ``chapters/NN-slug.ipynb``: the same cells, no outputs, and one more cell first (id
``colab-setup``, tagged ``remove-cell``) that fetches the book's package and data when, and only
when, the notebook runs in Colab, which opens a chapter straight from GitHub without them. The
cell comes from the one repository setting in ``_config.yml`` (``repository: url, branch``) and the
pins of ``requirements.txt``. The pairs are committed (so launch links work on GitHub), excluded
from the book build, and a test fails when one has drifted from its chapter.

Why committed pairs rather than a generated branch: the launch links keep pointing at the branch
the book is built from, a reviewer sees the notebook a learner gets, and no CI job needs push rights.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import yaml

from essays import toc

CELL_ID = "colab-setup"
TARGET = "/content/book"


def repository(book: Path | None = None) -> tuple[str, str]:
    """The repository URL and branch from _config.yml."""
    config = yaml.safe_load(((book or toc.BOOK) / "_config.yml").read_text(encoding="utf-8"))
    repo = config.get("repository", {})
    return repo["url"].rstrip("/"), repo.get("branch", "main")


def pins(book: Path | None = None) -> list[str]:
    """The package's own dependencies (pyproject.toml) at the versions requirements.txt pins, so
    Colab runs the chapter with the book's pandas and plotly rather than its own."""
    import tomllib

    book = book or toc.BOOK
    names = tomllib.loads((book / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pinned = dict(
        line.split("==", 1)
        for line in (book / "requirements.txt").read_text(encoding="utf-8").split()
        if "==" in line
    )
    missing = [name for name in names if name not in pinned]
    if missing:
        raise ValueError(f"requirements.txt pins no version of {missing}: run `make lock`")
    return [f"{name}=={pinned[name]}" for name in names]


def bootstrap_source(book: Path | None = None) -> str:
    """The Colab cell's code, written as ruff formats it (the paired notebooks are linted)."""
    url, branch = repository(book)
    install = "".join(f'            "{p}",\n' for p in pins(book))
    return (
        "# In Colab only: fetch the book's package and data (Binder and local copies already have them).\n"
        "import os\n"
        "import subprocess\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        f'    if not os.path.isdir("{TARGET}"):\n'
        f'        clone = ["git", "clone", "--quiet", "--depth", "1", "--branch", "{branch}"]\n'
        f'        subprocess.run([*clone, "{url}", "{TARGET}"], check=True)\n'
        f"        pins = [\n{install}        ]\n"
        '        pip = [sys.executable, "-m", "pip", "install", "--quiet"]\n'
        f'        subprocess.run([*pip, "-e", "{TARGET}", *pins], check=True)\n'
        "    # This kernel started before the install, so it is told where the package is.\n"
        f'    sys.path.insert(0, "{TARGET}")\n'
        f'    os.chdir("{TARGET}/chapters")'
    )


def bootstrap_cell(notebook):
    """The notebook's Colab cell, if it has one."""
    return next((c for c in notebook.cells if c.get("id") == CELL_ID), None)


def write_bootstrap(notebook, book: Path | None = None) -> None:
    """Make the first code cell of a notebook that has code the current Colab cell (added, or
    brought up to date)."""
    code = [i for i, c in enumerate(notebook.cells) if c.cell_type == "code"]
    if not code:
        return
    cell = bootstrap_cell(notebook)
    if cell is None:
        cell = nbformat.v4.new_code_cell(metadata={"tags": ["remove-cell"]})
        cell.id = CELL_ID
        notebook.cells.insert(code[0], cell)
    cell.source = bootstrap_source(book)


def paired(source: Path, book: Path | None = None):
    """The notebook for a chapter's text: its cells without outputs, with the Colab cell first."""
    import jupytext

    notebook = jupytext.read(source)
    notebook.metadata.pop("jupytext", None)
    notebook.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    for index, cell in enumerate(notebook.cells):
        cell.id = f"{source.stem[:2]}-{index:03d}"  # stable ids: a no-op run is a no-op diff
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.source = cell.source.strip("\n")  # as ruff formats a notebook cell
    write_bootstrap(notebook, book)
    return notebook


def render(source: Path, book: Path | None = None) -> str:
    return nbformat.writes(paired(source, book)) + "\n"


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or toc.sources()
    changed = 0
    for source in paths:
        target = source.with_suffix(".ipynb")
        text = render(source)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            changed += 1
            print(f"wrote {target.relative_to(toc.BOOK)}")
    print(f"{len(paths)} notebooks, {changed} changed")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
