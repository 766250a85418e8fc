"""Find chart text that a reader cannot read: cut by the chart's edge, or overlapping other text.

Used by tests/test_browser.py (every chart at 375, 768 and 1280 px, light and dark) and by
benchmarks/chart_text.py, which prints the counts. Runs in the page, on charts plotly has drawn.
"""

from __future__ import annotations

# For each drawn chart: its figure label and every problem as "cut: 'text'" or "overlap: 'a' / 'b'".
COLLISIONS_JS = """
() => {
  const visible = el => {
    for (let n = el; n && n.nodeType === 1; n = n.parentNode) {
      const s = getComputedStyle(n);
      if (s.display === 'none' || s.visibility === 'hidden' || parseFloat(s.opacity) === 0) return false;
    }
    return true;
  };
  const out = [];
  document.querySelectorAll('.essays-plotly[data-drawn=true]').forEach(gd => {
    const box = gd.getBoundingClientRect();
    const texts = [...gd.querySelectorAll('svg text')].filter(t => t.textContent.trim() && visible(t))
      .map(t => ({text: t.textContent.trim().slice(0, 40), r: t.getBoundingClientRect()}))
      .filter(t => t.r.width > 0 && t.r.height > 0);
    const problems = [];
    const tol = 1;
    texts.forEach(t => {
      const out = t.r.left < box.left - tol || t.r.right > box.right + tol
        || t.r.top < box.top - tol || t.r.bottom > box.bottom + tol;
      if (out) problems.push(`cut: '${t.text}'`);
    });
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i].r, b = texts[j].r;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 2 && h > 2) problems.push(`overlap: '${texts[i].text}' / '${texts[j].text}'`);
    }
    const figure = gd.closest('figure');
    out.push({chart: figure && figure.id ? figure.id : gd.id, problems});
  });
  return out;
}
"""
