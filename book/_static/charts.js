/* Draw every course chart on the page with the site's own vega-embed (no CDN).
   bookrender.py writes each chart as a <figure> holding its Vega-Lite spec as JSON. */
(function () {
  "use strict";
  function draw(view) {
    var spec = JSON.parse(document.getElementById(view.dataset.specId).textContent);
    var figure = view.closest("figure");
    return window.vegaEmbed(view, spec, { actions: false, renderer: "svg" })
      .then(function (result) {
        figure.classList.add("csto-chart-drawn");
        var svg = view.querySelector("svg");
        if (svg) {
          svg.setAttribute("role", "img");
          svg.setAttribute("aria-label", spec.description || "Chart");
        }
        window.cstoCharts = window.cstoCharts || [];
        window.cstoCharts.push(result.view);
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
    var drawing = Array.prototype.map.call(document.querySelectorAll(".csto-chart-view"), draw);
    // widgets-loader.js waits for this before it loads the (much larger) widget manager.
    window.cstoChartsDone = Promise.all(drawing);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
