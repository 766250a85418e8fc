"""Print, for every page of the built book, its HTML size and the bytes of the scripts and styles it
loads from _static (plotly.js included where the page has charts). benchmarks/page_speed.py measures
what a browser really transfers.

Run after `make book`:  .venv/bin/python benchmarks/site_size.py [_build/html]
Sizes are raw (uncompressed) and gzip-compressed, as a static host would serve them.
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

from essays import toc


def sizes(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, 6))


def main(site: Path) -> None:
    print(f"{'page':40} {'html':>10} {'html gz':>10} {'assets':>10} {'assets gz':>10}  plotly.js")
    for entry in toc.entries():
        page = site / f"{entry}.html"
        html = page.read_text(encoding="utf-8")
        refs = re.findall(r'(?:src|href)="([^"?#]+\.(?:js|css))', html)
        assets = {(page.parent / ref).resolve() for ref in refs if not ref.startswith("http")}
        # essays-charts.js loads the plotly.js its data-plotly attribute names, from _static.
        assets |= {(site / "_static" / name).resolve() for name in re.findall(r'data-plotly="([^"]+)"', html)}
        raw = gz = 0
        for asset in assets:
            if asset.exists():
                r, g = sizes(asset)
                raw, gz = raw + r, gz + g
        plotly = next((a.name for a in assets if a.name.startswith("plotly-")), "-")
        h, hg = sizes(page)
        print(f"{entry:40} {h:>10,} {hg:>10,} {raw:>10,} {gz:>10,}  {plotly}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "_build/html"))
