/* Accessibility repairs to the theme (sphinx-book-theme / pydata-sphinx-theme), run on every page.
   axe-core rule label-content-name-mismatch (WCAG 2.5.3, "label in name"): several controls
   show text that their aria-label leaves out, so a speech-input user cannot say what they see.
   Each repair makes the accessible name contain the visible text. */
(function () {
  "use strict";
  function visibleText(el) {
    var parts = [(el.innerText || "").trim()];
    // Font Awesome draws icons as <svg><title>…</title></svg>; only the displayed one counts.
    el.querySelectorAll("svg title").forEach(function (t) {
      var svg = t.closest("svg");
      if (svg && svg.getClientRects().length) parts.push(t.textContent.trim());
    });
    return parts.filter(Boolean).join(" ").replace(/\s+/g, " ");
  }
  function nameWithText(el) {
    var label = el.getAttribute("aria-label") || "";
    var text = visibleText(el);
    if (!text || label.toLowerCase().indexOf(text.toLowerCase()) !== -1) return;
    var base = el.dataset.cstoLabel || label;
    el.dataset.cstoLabel = base;
    el.setAttribute("aria-label", text.toLowerCase().indexOf(base.toLowerCase()) === 0 ? text : base + ": " + text);
  }
  function repair() {
    document.querySelectorAll(".search-button__button, .theme-switch-button").forEach(nameWithText);
    // Folded code cells: the summary's own text ("Show code cell source") is the better name.
    document.querySelectorAll('summary[aria-label="Toggle hidden content"]').forEach(function (s) {
      s.removeAttribute("aria-label");
    });
  }
  // Saved ipywidgets are drawn after the page loads (widgets-loader.js). A slider's handle
  // (noUiSlider, role="slider") gets no accessible name (axe-core: aria-input-field-name), so
  // name it after the widget's visible label, such as "Year".
  function nameSliders() {
    document.querySelectorAll(".noUi-handle:not([aria-label])").forEach(function (handle) {
      var widget = handle.closest(".widget-slider, .jupyter-widgets");
      var label = widget && widget.querySelector(".widget-label");
      handle.setAttribute("aria-label", (label && label.textContent.trim()) || "Slider");
    });
  }
  new MutationObserver(nameSliders).observe(document.documentElement, { childList: true, subtree: true });

  window.addEventListener("load", function () {
    repair();
    // The icons are swapped in after load, and the colour-mode icon changes on every click.
    setTimeout(repair, 200);
    document.querySelectorAll(".theme-switch-button").forEach(function (b) {
      b.addEventListener("click", function () { setTimeout(repair, 50); });
    });
  });
})();
