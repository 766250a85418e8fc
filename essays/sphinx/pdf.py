"""The PDF edition: `make pdf` prints the single-page build of the book with Debian's chromium.

No LaTeX: Jupyter Book's single-page HTML (every chapter in one index.html) is printed through the
book's print stylesheet (no navigation, no code, each chart as the vector image drawn at build time,
with its caption), by Chromium driven through Playwright. The PDF goes to _build/pdf and into the
web site's root, where every page's download menu links it.

    python -m essays.sphinx.pdf _build/singlehtml _build/html
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from essays import toc
from essays.sphinx import PDF_NAME


def printable(singlehtml: Path, site: Path) -> Path:
    """The single page, with its links to styles and images made absolute.

    Sphinx writes the single page at the root document's path (chapters/00-preface.html) but links
    its styles as if it sat at the root, and the chart images are those of the HTML build (the
    single-page build reuses its doctrees), so both are pointed at the files that exist."""
    page = singlehtml / f"{toc.entries()[0]}.html"
    text = page.read_text(encoding="utf-8")
    text = re.sub(
        r'(href|src)="(_static|_images)/',
        lambda m: f'{m[1]}="{(singlehtml / m[2]).resolve().as_uri()}/',
        text,
    )
    text = re.sub(
        r'src="(?:\.\./)*chart-images/', f'src="{(site / "chart-images").resolve().as_uri()}/', text
    )
    target = singlehtml / "print.html"
    target.write_text(text, encoding="utf-8")
    return target


def print_pdf(page_file: Path, target: Path) -> Path:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        raise SystemExit("chromium is not installed: apt-get install chromium")
    target.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync"],
        )
        # No scripts: the charts print as their build-time vector images, and no chart starts drawing.
        page = browser.new_context(java_script_enabled=False).new_page()
        page.goto(page_file.resolve().as_uri(), wait_until="load")
        page.emulate_media(media="print")
        page.pdf(
            path=str(target),
            format="A4",
            print_background=True,
            margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
            display_header_footer=True,
            header_template="<span></span>",
            footer_template='<div style="font-size:8px;width:100%;text-align:center">'
            '<span class="pageNumber"></span> / <span class="totalPages"></span></div>',
        )
        browser.close()
    return target


def main(argv: list[str]) -> int:
    singlehtml, site = Path(argv[0]), Path(argv[1])
    pdf = print_pdf(printable(singlehtml, site), Path("_build") / "pdf" / PDF_NAME)
    shutil.copy(pdf, site / PDF_NAME)
    print(f"wrote {pdf} ({pdf.stat().st_size / 1e6:.1f} MB) and copied it to {site / PDF_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
