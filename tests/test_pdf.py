"""The PDF edition (`make pdf`): every chapter's title and every figure's caption are in it, and every
page's download menu links it."""

from __future__ import annotations

import re
import unicodedata

import jupytext
import pytest

from essays import toc
from essays.sphinx import PDF_NAME

pytestmark = pytest.mark.site
PDF = toc.BOOK / "_build" / "pdf" / PDF_NAME


def plain(text: str) -> str:
    """Text as the PDF's text layer gives it: ligatures undone, hyphens and spacing ignored."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    return re.sub(r"[^a-z0-9]+", "", text.lower())


@pytest.fixture(scope="module")
def pdf_text() -> str:
    from pypdf import PdfReader

    assert PDF.exists(), f"{PDF} is missing: run make pdf"
    return plain(" ".join(page.extract_text() or "" for page in PdfReader(PDF).pages))


@pytest.mark.parametrize("source", toc.sources(), ids=lambda p: p.stem)
def test_every_chapter_title_and_figure_caption_is_in_the_pdf(pdf_text, source):
    cells = jupytext.read(source).cells
    title = next(
        line[2:]
        for c in cells
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if line.startswith("# ")
    )
    assert plain(title) in pdf_text, f"{source.stem}: title {title!r} is not in the PDF"
    for cell in cells:
        caption = cell.metadata.get("mystnb", {}).get("figure", {}).get("caption")
        if caption:
            start = " ".join(re.sub(r"[`*]", "", caption).split()[:8])
            assert plain(start) in pdf_text, f"{source.stem}: figure caption {start!r}... is not in the PDF"


def test_every_page_links_the_pdf(site):
    assert (site / PDF_NAME).exists()
    for entry in toc.entries():
        html = (site / f"{entry}.html").read_text(encoding="utf-8")
        assert re.search(rf'href="(\.\./)*{re.escape(PDF_NAME)}"', html), f"{entry}: no link to the PDF"
