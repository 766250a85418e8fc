// Draw every plotly chart on the page from the JSON that essays.sphinx wrote beside it, and keep
// the charts in step with the theme's light/dark switch (no reload).
// Loaded with `defer`, only on pages that have a chart. Every chart shows at once as the build's
// static image; plotly.js (named by data-plotly) is loaded when the reader first scrolls, taps or
// reaches for a chart, and each chart is drawn as it comes near, one chart per task.
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

  // The build fits every chart twice (essays.charts.fitted): for phones and for wider screens. The
  // live chart takes the layout the static image was drawn with, so it has the same height.
  function fitted(fig, target) {
    var narrow = window.matchMedia(target.dataset.narrow).matches, fits = fig.fitted || {};
    var traces = narrow ? fits.traces || [] : [];
    var base = (narrow && fits.phone) || fig;  // a chart's own phone version, if it has one
    return {
      data: (base.data || []).map(function (t, i) { return Object.assign({}, t, traces[i] || {}); }),
      layout: applyFit(base.layout || {}, fits[narrow ? "narrow" : "wide"] || {}),
    };
  }

  // Twin of essays.charts.apply_fit: menus and sliders merge one by one (the fitted changes leave
  // out the buttons and steps they do not alter).
  function applyFit(layout, changes) {
    var out = Object.assign({}, layout, changes);
    ["updatemenus", "sliders"].forEach(function (key) {
      if (!changes[key]) return;
      out[key] = changes[key].map(function (part, i) { return Object.assign({}, (layout[key] || [])[i] || {}, part); });
    });
    return out;
  }

  // After drawing, what the reader's width still puts out of place moves: menus past the chart's right
  // edge move left (no further than its left edge), annotations past an edge move back inside, and
  // an annotation over another moves up or down until both read.
  function unclip(gd) {
    var box = gd.getBoundingClientRect(), size = gd._fullLayout._size, update = {};
    var menus = gd.querySelector(".updatemenu-container");
    var r = menus && menus.getBoundingClientRect();
    if (r && r.width && r.right > box.right - 2) {
      var dx = Math.min(r.right - box.right + 4, r.left - box.left);
      (gd.layout.updatemenus || []).forEach(function (menu, i) {
        update["updatemenus[" + i + "].x"] = (menu.x === undefined ? -0.05 : menu.x) - dx / size.w;
      });
    }
    var notes = gd.layout.annotations || [];
    // Tick labels and point labels stay where they are; annotations make way for them.
    var placed = Array.prototype.map.call(gd.querySelectorAll(".xtick text, .ytick text, .textpoint text"), function (el) {
      var r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, ytick: !!el.closest(".ytick") };
    }).filter(function (r) { return r.right > r.left; });
    gd.querySelectorAll(".annotation").forEach(function (el) {
      var i = Number(el.getAttribute("data-index")), note = notes[i];
      if (!note || note.visible === false) return;
      var t = (el.querySelector(".annotation-text-g") || el).getBoundingClientRect();
      if (!t.width) return;
      var shift = 0, lift = 0;
      if (t.right > box.right - 2) shift = box.right - 2 - t.right;
      else if (t.left < box.left + 2) shift = box.left + 2 - t.left;
      // two passes: moving off one label can land on another
      placed.concat(placed).forEach(function (o) {
        var w = Math.min(t.right + shift, o.right) - Math.max(t.left + shift, o.left);
        var h = Math.min(t.bottom + lift, o.bottom) - Math.max(t.top + lift, o.top);
        if (!(w > 2 && h > 2)) return;
        if (o.ytick) shift += o.right + 3 - (t.left + shift);  // off the y axis's labels, to the right
        else lift += (t.top + t.bottom) / 2 >= (o.top + o.bottom) / 2 ? h + 3 : -(h + 3);
      });
      placed.push({ left: t.left + shift, right: t.right + shift, top: t.top + lift, bottom: t.bottom + lift });
      var arrow = note.showarrow !== false;
      if (shift) update["annotations[" + i + "]." + (arrow ? "ax" : "xshift")] =
        (arrow ? (note.ax === undefined ? -10 : note.ax) : note.xshift || 0) + shift;
      if (lift) update["annotations[" + i + "]." + (arrow ? "ay" : "yshift")] =
        arrow ? (note.ay === undefined ? -30 : note.ay) + lift : (note.yshift || 0) - lift;
    });
    return Object.keys(update).length ? Plotly.relayout(gd, update) : null;
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

  // A chart's figure: in the page, or in the small script the build wrote beside it (data-src),
  // loaded now, so the page itself stays light until a chart is drawn.
  function figure(target) {
    var script = document.querySelector('script.essays-plotly-data[data-target="' + target.id + '"]');
    if (script) return Promise.resolve(JSON.parse(script.textContent));
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = new URL(target.dataset.src, document.baseURI).href;
      tag.onload = function () { resolve((window.essaysCharts || {})[target.id]); };
      tag.onerror = function () { reject(new Error("could not load " + tag.src)); };
      document.head.appendChild(tag);
    });
  }

  function draw(target) {
    var inline = document.querySelector('script.essays-plotly-data[data-target="' + target.id + '"]');
    if ((!inline && !target.dataset.src) || target.dataset.drawn || target.dataset.queued) return queue;
    target.dataset.queued = "true";
    var loaded = figure(target);
    queue = queue.then(plotly).then(function () { return loaded; }).then(function (fig) {
      return nextTask().then(function () { return fig; });
    }).then(function (fig) {
      var fit = fitted(fig, target);
      var layout = apply(fit.layout, themed(fit.layout));
      // The build's static image holds the place until now; the box already has the chart's height,
      // so the page does not move while the live chart takes its place.
      var still = target.querySelector(".essays-static");
      if (still) still.remove();
      return Plotly.newPlot(target, fit.data, layout, fig.config).then(function (gd) {
        if (fig.frames && fig.frames.length) return Plotly.addFrames(gd, fig.frames);
      }).then(function () { return unclip(target); });
    }).then(function () {
      keyboard(target);
      // Dropdown menus draw their buttons only when opened, so look again after every redraw.
      target.on("plotly_afterplot", function () { keyboard(target); });
      // A button or slider step can bring other annotations: keep those inside the chart too.
      target.on("plotly_buttonclicked", function () { setTimeout(function () { unclip(target); }, 0); });
      target.on("plotly_sliderchange", function () { setTimeout(function () { unclip(target); }, 0); });
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

  // The static images show every chart at once, so plotly.js waits for the reader: the first scroll,
  // key, tap or wheel turns on drawing as charts come within half a screen, and a chart the pointer
  // or keyboard reaches is drawn at once. A page that is only read costs no script time at load.
  function start() {
    var charts = document.querySelectorAll(".essays-plotly");
    var near = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        near.unobserve(entry.target);
        draw(entry.target);
      });
    }, { rootMargin: "50% 0px" }) : null;
    var READER = ["scroll", "keydown", "touchstart", "pointerdown", "wheel"];
    function arm() {
      READER.forEach(function (type) { window.removeEventListener(type, arm, true); });
      charts.forEach(function (chart) { if (near) near.observe(chart); else draw(chart); });
    }
    READER.forEach(function (type) { window.addEventListener(type, arm, { capture: true, passive: true }); });
    charts.forEach(function (chart) {
      ["pointerenter", "focusin"].forEach(function (type) {
        chart.addEventListener(type, function () { draw(chart); }, { once: true });
      });
    });
    if (location.hash) arm();  // arriving at a figure's anchor: its chart is what the reader came for
    // A chart not yet drawn prints as the build's static image (essays.css), so printing needs no script.
    new MutationObserver(restyleAll).observe(document.documentElement,
      { attributes: true, attributeFilter: ["data-theme"] });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
