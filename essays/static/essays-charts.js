// Draw every plotly chart on the page from the JSON that essays.book wrote beside it.
// Loaded with `defer` after plotly.js, only on pages that have a chart.
(function () {
  "use strict";
  function draw(script) {
    var target = document.getElementById(script.dataset.target);
    if (!target || target.dataset.drawn) return;
    var fig = JSON.parse(script.textContent);
    Plotly.newPlot(target, fig.data, fig.layout, fig.config).then(function (gd) {
      if (fig.frames && fig.frames.length) return Plotly.addFrames(gd, fig.frames);
    }).then(function () {
      target.dataset.drawn = "true";
    });
  }
  function drawAll() {
    document.querySelectorAll("script.essays-plotly-data").forEach(draw);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
})();
