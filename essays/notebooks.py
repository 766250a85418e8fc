"""Run chapters and store their outputs: `make notebooks` (all of _toc.yml) or `make notebooks NB=...`.

The notebook tests compare fresh outputs with these stored ones, so they are stored without the
noise that would make every run a diff: no per-cell timing, no ipywidgets state (the static book
never draws widgets, and a running kernel makes its own). Each chapter's Colab cell is written
from _config.yml first (essays.colab).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from essays import colab, toc


def run(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    colab.write_bootstrap(notebook)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    notebook.metadata.pop("widgets", None)
    client = NotebookClient(notebook, timeout=600, record_timing=False, store_widget_state=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    nbformat.write(notebook, path)


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or toc.notebooks()
    for path in paths:
        print(f"running {path}", flush=True)
        run(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
