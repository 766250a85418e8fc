"""Root conftest: nbval collects only the paired notebooks of the chapters that _toc.yml lists
(not _template, not _build), and each runs with the data of ESSAYS_DATA_DIR if set."""

from pathlib import Path

from essays import toc

BOOK = Path(__file__).resolve().parent
LISTED = {p.resolve() for p in toc.notebooks(BOOK)}


def pytest_ignore_collect(collection_path, config):
    path = Path(collection_path).resolve()
    if path.suffix == ".ipynb":
        return path not in LISTED
    return None
