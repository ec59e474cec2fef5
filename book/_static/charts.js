/* Draw every course chart on the page with the site's own vega-embed (no CDN).
   bookrender.py writes each chart as a <figure> holding its Vega-Lite spec as JSON.
   The charts are as wide as their column (Vega-Lite's width "container", see
   charts.responsive): Vega measures the column when it draws a chart and again when the
   window is resized. */
(function () {
  "use strict";
  // A column can also change width while the window does not: a folded output is opened,
  // the theme's sidebar is shown or hidden. Each chart's box is watched, and when its width
  // changes the charts are told the window was resized, so they measure their boxes again.
  var widths = new WeakMap();
  var pending = 0;
  var boxes = window.ResizeObserver && new ResizeObserver(function (entries) {
    var changed = false;
    entries.forEach(function (entry) {
      var width = Math.round(entry.contentRect.width);
      // The first report compares with the width the chart was drawn at: the column may
      // have changed while the chart was being drawn, before it was watched.
      var before = widths.has(entry.target) ? widths.get(entry.target) : entry.target.cstoDrawnWidth;
      widths.set(entry.target, width);
      if (width > 0 && entry.target.cstoWaiting) {
        draw(entry.target);
      } else if (before !== undefined && before !== width) {
        changed = true;
      }
    });
    if (changed && !pending) {
      pending = requestAnimationFrame(function () {
        pending = 0;
        window.dispatchEvent(new Event("resize"));
      });
    }
  });

  // Charts marked by charts.responsive() are drawn as wide as their box. A box with no width
  // yet (a folded output in some browsers) would squash the chart, so such a chart is drawn
  // at its saved width and drawn again once its box has a width.
  function fitsBox(spec, view) {
    var wanted = spec.usermeta && spec.usermeta.csto && spec.usermeta.csto.width === "container";
    view.cstoWaiting = wanted && view.clientWidth === 0;
    if (wanted && !view.cstoWaiting) spec.width = "container";
  }

  function draw(view) {
    var spec = JSON.parse(document.getElementById(view.dataset.specId).textContent);
    var figure = view.closest("figure");
    fitsBox(spec, view);
    view.cstoDrawnWidth = view.clientWidth;  // no side padding (course.css): the content width
    window.cstoCharts = window.cstoCharts || [];
    if (view.cstoView) {
      window.cstoCharts.splice(window.cstoCharts.indexOf(view.cstoView), 1);
      view.cstoView.finalize();
    }
    return window.vegaEmbed(view, spec, { actions: false, renderer: "svg" })
      .then(function (result) {
        view.cstoView = result.view;
        figure.classList.add("csto-chart-drawn");
        var svg = view.querySelector("svg");
        if (svg) {
          svg.setAttribute("role", "img");
          svg.setAttribute("aria-label", spec.description || "Chart");
        }
        window.cstoCharts.push(result.view);
        if (boxes) boxes.observe(view);
      })
      .catch(function (error) {
        figure.classList.add("csto-chart-failed");
        view.textContent = "This chart could not be drawn: " + error;
        console.error(error);
      });
  }
  function drawAll() {
    if (!window.vegaEmbed) {
      console.error("vega-embed is not loaded; charts cannot be drawn.");
      return;
    }
    document.querySelectorAll(".csto-chart-view").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
