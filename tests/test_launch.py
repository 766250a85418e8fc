"""Launch and download links on the built pages: well formed, and all from _config.yml's one
repository setting."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
import yaml

from essays import toc

pytestmark = pytest.mark.site

CONFIG = yaml.safe_load((toc.BOOK / "_config.yml").read_text(encoding="utf-8"))
REPO = urlparse(CONFIG["repository"]["url"]).path.strip("/")
BRANCH = CONFIG["repository"]["branch"]
CHAPTERS = toc.entries()


def links(site, entry: str) -> list[str]:
    html = (site / f"{entry}.html").read_text(encoding="utf-8")
    return re.findall(r'href="([^"]+)"', html)


@pytest.mark.parametrize("entry", CHAPTERS)
def test_binder_and_colab_open_this_chapter(site, entry):
    hrefs = links(site, entry)
    binder = [h for h in hrefs if h.startswith(CONFIG["launch_buttons"]["binderhub_url"])]
    colab = [h for h in hrefs if h.startswith(CONFIG["launch_buttons"]["colab_url"])]
    assert binder and colab, f"{entry}: launch buttons missing (binder {len(binder)}, colab {len(colab)})"
    for href in set(binder):
        url = urlparse(href.replace("&amp;", "&"))
        assert url.scheme == "https" and url.path == f"/v2/gh/{REPO}/{BRANCH}", f"{entry}: {href}"
        assert parse_qs(url.query)["urlpath"] == [f"lab/tree/{entry}.ipynb"], f"{entry}: {href}"
    for href in set(colab):
        url = urlparse(href)
        assert url.scheme == "https" and url.path == f"/github/{REPO}/blob/{BRANCH}/{entry}.ipynb", (
            f"{entry}: {href}"
        )
    assert (toc.BOOK / f"{entry}.ipynb").exists()


@pytest.mark.parametrize("entry", CHAPTERS)
def test_the_chapter_downloads_as_its_executed_notebook(site, entry):
    """The download menu offers the chapter as a notebook with the outputs the build made."""
    import jupytext

    hrefs = [h for h in links(site, entry) if h.endswith(".ipynb") and not h.startswith("http")]
    assert hrefs, f"{entry}: no .ipynb download link"
    code = [c.source for c in jupytext.read(toc.BOOK / f"{entry}.md").cells if c.cell_type == "code"]
    for href in hrefs:
        notebook = json.loads(((site / entry).parent / href).read_text(encoding="utf-8"))
        cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        assert ["".join(c["source"]) for c in cells] == code, f"{entry}: {href} is not this chapter"
        if code:
            assert any(c.get("outputs") for c in cells), f"{entry}: {href} has no outputs"
