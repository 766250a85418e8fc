"""Colab opens a chapter straight from GitHub, without the book's package and data.

Every chapter's first code cell (cell id ``colab-setup``, tagged ``remove-cell`` so the book does
not show it) fetches them there; it does nothing anywhere else (Binder, JupyterLab, the build). The cell is generated from the one
repository setting in ``_config.yml`` (``repository: url, branch``) and the pins of
``requirements.txt``: ``make notebooks`` and ``make chapter`` write it, and the conventions test
fails when a chapter's copy has drifted.
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
    pinned = dict(line.split("==", 1) for line in (book / "requirements.txt").read_text(encoding="utf-8").split()
                  if "==" in line)
    missing = [name for name in names if name not in pinned]
    if missing:
        raise ValueError(f"requirements.txt pins no version of {missing}: run `make lock`")
    return [f"{name}=={pinned[name]}" for name in names]


def bootstrap_source(book: Path | None = None) -> str:
    url, branch = repository(book)
    install = ", ".join(f'"{p}"' for p in pins(book))
    return (
        "# In Colab only: fetch the book's package and data (Binder and local copies already have them).\n"
        "import os\n"
        "import subprocess\n"
        "import sys\n"
        'if "google.colab" in sys.modules:\n'
        f'    if not os.path.isdir("{TARGET}"):\n'
        f'        subprocess.run(["git", "clone", "--quiet", "--depth", "1", "--branch", "{branch}",\n'
        f'                        "{url}", "{TARGET}"], check=True)\n'
        f'        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",\n'
        f'                        "-e", "{TARGET}",\n'
        f"                        {install}], check=True)\n"
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
