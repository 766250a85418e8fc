// Accessibility repairs to the theme's markup (pydata/sphinx-book-theme, sphinx-togglebutton,
// sphinxcontrib-bibtex), applied to the live page so screen readers get the fixed tree.
// Each repair names the axe-core rule it answers; tests/test_accessibility.py runs axe on every page.
(function () {
  "use strict";
  function repair() {
    // label-content-name-mismatch: the search fields say "Search Ctrl+K" but are labelled
    // "Search"; without the label their name is their visible text. The icon-only search button
    // (shown on phones) keeps its label: it has no text (button-name).
    document.querySelectorAll(".search-button__button[aria-label]").forEach(function (el) {
      if (el.textContent.trim()) el.removeAttribute("aria-label");
    });
    // label-content-name-mismatch: icon titles ("Light", "Dark") inside the colour-mode button
    // count as its text; they are decoration, the button's label says what it does.
    document.querySelectorAll(".theme-switch-button svg, .theme-switch-button i").forEach(function (el) {
      el.setAttribute("aria-hidden", "true");
      el.removeAttribute("aria-labelledby");
      el.removeAttribute("title");
      el.querySelectorAll("title").forEach(function (t) { t.remove(); });
    });
    // label-content-name-mismatch: togglebutton labels its <summary> "Toggle hidden content"
    // while showing "Show code cell content"; the visible text is the better name.
    document.querySelectorAll("summary[aria-label]").forEach(function (el) {
      if (el.textContent.trim()) el.removeAttribute("aria-label");
    });
    // region: the book title in the primary sidebar sits outside any landmark.
    var sidebar = document.querySelector(".bd-sidebar-primary");
    if (sidebar && !sidebar.getAttribute("role")) {
      sidebar.setAttribute("role", "navigation");
      sidebar.setAttribute("aria-label", "Book");
    }
    // aria-required-children, aria-deprecated-role: the bibliography's list roles do not fit its
    // markup (links as direct children, the deprecated doc-biblioentry); plain markup reads fine.
    document.querySelectorAll(".citation-list[role], .citation-list [role='doc-biblioentry']").forEach(function (el) {
      el.removeAttribute("role");
    });
    // scrollable-region-focusable: a wide table that scrolls inside its box takes keyboard focus,
    // so it can be scrolled without a mouse.
    // Each is a region with its own name (landmark-unique): its number on the page.
    var wide = 0;
    document.querySelectorAll(".cell_output > div").forEach(function (el) {
      if (!el.querySelector(":scope > table.dataframe") || el.scrollWidth <= el.clientWidth) return;
      wide += 1;
      if (el.hasAttribute("tabindex")) return;
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "region");
      el.setAttribute("aria-label", "Wide table " + wide + ", scrolls sideways");
    });
  }
  // The theme builds some of this markup in its own scripts at load: repair then, and once more shortly after.
  function soon() { repair(); setTimeout(repair, 300); setTimeout(repair, 1000); }
  if (document.readyState === "complete") soon();
  else window.addEventListener("load", soon);
})();
