// Draw every plotly chart on the page from the JSON that essays.sphinx wrote beside it, and keep
// the charts in step with the theme's light/dark switch (no reload).
// Loaded with `defer`, only on pages that have a chart. plotly.js (named by data-plotly) is loaded
// when the first chart comes within half a screen of the viewport, and each chart is drawn as it comes
// near, one chart per task: the text is readable and scrollable at once, instead of waiting
// ~1.5 s for every chart on the page (plotly.js alone takes ~0.4 s to start).
(function () {
  "use strict";
  var self = document.currentScript;
  var PLOTLY_SRC = new URL(self.dataset.plotly, self.src).href;
  // button/active: a slider's grip, at rest and when held.
  var THEMES = {
    light: { font: "#222832", grid: "#e5e7eb", line: "#9ca3af", hover: "#ffffff", button: "#f3f4f6", active: "#d1d5db" },
    dark: { font: "#e5e7eb", grid: "#3a3f47", line: "#6b7280", hover: "#1f2937", button: "#1f2937", active: "#4b5563" },
  };

  function mode() {
    return document.documentElement.dataset.theme === "dark" ? "dark" : "light";
  }

  // Colours for the current mode, for the layout and for every axis the figure has.
  function themed(layout) {
    var t = THEMES[mode()];
    var update = {
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
      "font.color": t.font, "legend.font.color": t.font,
      "hoverlabel.bgcolor": t.hover, "hoverlabel.font.color": t.font,
    };
    Object.keys(layout || {}).concat(["xaxis", "yaxis"]).forEach(function (key) {
      if (/^[xy]axis\d*$/.test(key)) {
        update[key + ".gridcolor"] = t.grid;
        update[key + ".linecolor"] = t.line;
        update[key + ".zerolinecolor"] = t.grid;
      }
    });
    // Menu buttons stay light, with dark text, in both themes: plotly paints the chosen button a
    // fixed light blue (#F4FAFF) that no layout setting changes, so light text would vanish on it.
    ((layout || {}).updatemenus || []).forEach(function (_, i) {
      update["updatemenus[" + i + "].bgcolor"] = "#e5e7eb";  // grey, so the chosen (near-white) one stands out
      update["updatemenus[" + i + "].bordercolor"] = t.line;
      update["updatemenus[" + i + "].font.color"] = THEMES.light.font;
    });
    // A slider's labels sit on the page, so they take the theme's text colour; its grip follows the theme.
    ((layout || {}).sliders || []).forEach(function (_, i) {
      var at = "sliders[" + i + "].";
      update[at + "bgcolor"] = t.button;
      update[at + "activebgcolor"] = t.active;
      update[at + "bordercolor"] = t.line;
      update[at + "font.color"] = t.font;
      update[at + "currentvalue.font.color"] = t.font;
    });
    return update;
  }

  // The same fitting as essays.charts.fit_to_width (which draws the static images): the title and
  // subtitle wrap to the chart's width and the top margin grows to hold them above the menus; on a
  // narrow screen a row of buttons becomes one dropdown, and the x axis gets fewer ticks.
  var TITLE_SIZE = 17, SUBTITLE_SIZE = 13, MENU_ROW = 34;
  function wrap(text, chars) {
    var lines = [];
    String(text || "").replace(/<br>/g, " ").split(/\s+/).filter(Boolean).forEach(function (word) {
      if (lines.length && lines[lines.length - 1].length + 1 + word.length <= chars) lines[lines.length - 1] += " " + word;
      else lines.push(word);
    });
    return lines;
  }
  function fit(layout, width) {
    var narrow = width < 600;
    (layout.updatemenus || []).forEach(function (menu) {
      if (narrow && menu.type !== "dropdown") { menu.type = "dropdown"; menu.direction = "down"; }
    });
    if (narrow) {
      // On a phone the subtitle says what the axes hold, so axis titles give way to the plot; the
      // legend goes below the plot, with room for its rows.
      Object.keys(layout).forEach(function (key) {
        if (!/^[xy]axis\d*$/.test(key)) return;
        if (key[0] === "x" && layout[key].type !== "category") layout[key].nticks = layout[key].nticks || 5;
        layout[key].title = { text: "" };
        layout[key].tickfont = Object.assign({}, layout[key].tickfont || {}, { size: 11 });
        layout[key].automargin = true;
      });
      var entries = (layout._entries || 0);
      var rows = Math.max(1, Math.ceil(entries / Math.max(1, Math.floor(width / 170))));
      layout.legend = Object.assign({}, layout.legend || {}, { orientation: "h", x: 0, xanchor: "left", y: -0.08, yanchor: "top",
        font: { size: 11 } });
      layout.margin = Object.assign({}, layout.margin || {}, { l: 44, r: 12, b: 36 + rows * 20 });
      delete layout._entries;
    }
    var title = layout.title;
    var text = title && (typeof title === "string" ? title : title.text);
    if (!text) return layout;
    if (typeof title === "string") title = layout.title = { text: title };
    var usable = Math.max(width - 30, 200);
    var head = wrap(text, Math.floor(usable / (TITLE_SIZE * 0.55)));
    var sub = wrap((title.subtitle || {}).text, Math.floor(usable / (SUBTITLE_SIZE * 0.52)));
    var top = 20 + head.length * TITLE_SIZE * 1.3 + sub.length * SUBTITLE_SIZE * 1.35 +
      ((layout.updatemenus || []).length ? MENU_ROW : 0) + 8;
    title.text = head.join("<br>");
    title.y = 1 - 16 / (layout.height || 450); title.yref = "container"; title.yanchor = "top";
    title.subtitle = Object.assign({}, title.subtitle || {}, { text: sub.join("<br>"), font: { size: SUBTITLE_SIZE } });
    layout.margin = Object.assign({}, layout.margin || {});
    layout.margin.t = Math.round(Math.max(layout.margin.t || 0, top));
    return layout;
  }

  // Set plotly-style paths ("legend.font.color", "sliders[0].bgcolor") in a layout object.
  function apply(target, update) {
    Object.keys(update).forEach(function (path) {
      var obj = target, parts = path.replace(/\[(\d+)\]/g, ".$1").split(".");
      for (var i = 0; i < parts.length - 1; i++) obj = obj[parts[i]] = obj[parts[i]] || {};
      obj[parts[parts.length - 1]] = update[path];
    });
    return target;
  }

  // Plotly draws its menus and sliders in SVG, which the keyboard cannot reach. Make each menu
  // button and each slider focusable: Enter or Space presses a button (plotly's own click handler
  // runs), arrow keys move a slider one step (the step's own method and args are applied).
  function press(event) {
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    event.currentTarget.dispatchEvent(new MouseEvent("click", { bubbles: true }));
  }

  function slide(gd, index) {
    return function (event) {
      var delta = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1 }[event.key];
      if (!delta) return;
      event.preventDefault();
      var slider = gd.layout.sliders[index];
      var next = Math.max(0, Math.min(slider.steps.length - 1, (slider.active || 0) + delta));
      var step = slider.steps[next];
      var update = {};
      update["sliders[" + index + "].active"] = next;
      Promise.resolve(step.method && step.method !== "skip"
        ? Plotly[step.method].apply(null, [gd].concat(step.args || [])) : null)
        .then(function () { return Plotly.relayout(gd, update); })
        .then(function () { keyboard(gd); var g = gd.querySelectorAll(".slider-group")[index]; if (g) g.focus(); });
    };
  }

  function keyboard(gd) {
    gd.querySelectorAll(".updatemenu-button, .updatemenu-dropdown-button, .updatemenu-header").forEach(function (el) {
      if (el.getAttribute("tabindex")) return;
      var label = el.querySelector("text");
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "button");
      if (label) el.setAttribute("aria-label", label.textContent);
      el.addEventListener("keydown", press);
    });
    gd.querySelectorAll(".slider-group").forEach(function (el, index) {
      if (el.getAttribute("tabindex")) return;
      var slider = gd.layout.sliders[index] || {};
      var prefix = (slider.currentvalue && slider.currentvalue.prefix) || "Slider";
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "slider");
      el.setAttribute("aria-label", prefix.replace(/[:\s]+$/, "") + " (arrow keys change it)");
      el.setAttribute("aria-valuemin", "0");
      el.setAttribute("aria-valuemax", String((slider.steps || []).length - 1));
      el.setAttribute("aria-valuenow", String(slider.active || 0));
      el.addEventListener("keydown", slide(gd, index));
    });
  }

  var loading = null;
  function plotly() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        if (window.Plotly) return resolve();
        var script = document.createElement("script");
        script.src = PLOTLY_SRC;
        script.onload = function () { resolve(); };
        script.onerror = function () { reject(new Error("could not load " + PLOTLY_SRC)); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  // One chart per task, in the order they are asked for, so no single task blocks the page long.
  var queue = Promise.resolve();
  function nextTask() { return new Promise(function (resolve) { setTimeout(resolve, 0); }); }

  function draw(target) {
    var script = document.querySelector('script.essays-plotly-data[data-target="' + target.id + '"]');
    if (!script || target.dataset.drawn || target.dataset.queued) return queue;
    target.dataset.queued = "true";
    queue = queue.then(plotly).then(nextTask).then(function () {
      var fig = JSON.parse(script.textContent);
      var layout = apply(fig.layout || {}, themed(fig.layout));
      layout._entries = (fig.data || []).filter(function (t) { return t.showlegend !== false && t.visible !== false; }).length;
      layout = fit(layout, target.clientWidth || 700);
      // The build's static image holds the place until now; the container's min-height keeps the
      // page from moving while the live chart takes its place.
      var still = target.querySelector("img.essays-static");
      if (still) still.remove();
      return Plotly.newPlot(target, fig.data, layout, fig.config).then(function (gd) {
        if (fig.frames && fig.frames.length) return Plotly.addFrames(gd, fig.frames);
      });
    }).then(function () {
      keyboard(target);
      // Dropdown menus draw their buttons only when opened, so look again after every redraw.
      target.on("plotly_afterplot", function () { keyboard(target); });
      target.addEventListener("click", function () { setTimeout(function () { keyboard(target); }, 0); });
      target.dataset.drawn = "true";
      target.dataset.theme = mode();
    }).catch(function (error) { console.error("essays-charts:", error); });
    return queue;
  }

  function restyleAll() {
    document.querySelectorAll(".essays-plotly[data-drawn=true]").forEach(function (gd) {
      if (gd.dataset.theme === mode()) return;
      Plotly.relayout(gd, themed(gd.layout));
      gd.dataset.theme = mode();
    });
  }

  function start() {
    var charts = document.querySelectorAll(".essays-plotly");
    if ("IntersectionObserver" in window) {
      var near = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) return;
          near.unobserve(entry.target);
          draw(entry.target);
        });
      }, { rootMargin: "50% 0px" });
      charts.forEach(function (chart) { near.observe(chart); });
    } else {
      charts.forEach(draw);
    }
    // A chart not yet drawn prints as the build's static image (essays.css), so printing needs no script.
    new MutationObserver(restyleAll).observe(document.documentElement,
      { attributes: true, attributeFilter: ["data-theme"] });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
