/* Hand a course chart to Vega when there is something to drive, with no layout shift.
   Every chart arrives drawn: render.py writes it as SVG at each width of staticcharts.WIDTHS,
   and course.css shows the widest that fits its column, scaled to the column. Vega (vega,
   vega-lite, vega-embed: 800 KB of script, and about a second of a phone's main thread) is
   loaded only when a chart needs it:
   - a chart with controls (data-live="controls") when it comes near the screen, or as soon as
     one of its controls is touched, focused or changed;
   - any other chart when the pointer reaches it (for its tooltips).
   Vega then draws the same spec at the same width as the drawing shown, with the controls' current
   settings, and its drawing and controls replace the static ones in one step: they take the same
   room, so nothing on the page moves. A page printed by tools/pdf.py sets window.cstoStaticCharts,
   and keeps the drawings made when the book was built. */
(function () {
  "use strict";
  var script = document.currentScript;
  var vendor = new URL("vendor/", script ? script.src : location.href).href;
  var LIBRARIES = ["vega.min.js", "vega-lite.min.js", "vega-embed.min.js"];
  var NEAR = "300px 0px";  // how close to the screen a chart with controls is handed to Vega
  var loading = null;

  // The three scripts, in order (async = false keeps their order); once, for every chart.
  function loadVega() {
    if (!loading) {
      loading = Promise.all(LIBRARIES.map(function (name) {
        return new Promise(function (resolve, reject) {
          var tag = document.createElement("script");
          tag.src = vendor + name;
          tag.async = false;
          tag.onload = resolve;
          tag.onerror = function () { reject(new Error("could not load " + name)); };
          document.head.appendChild(tag);
        });
      }));
    }
    return loading;
  }

  // The width a chart is drawn at in a column this wide: the widest that fits (course.css agrees).
  function widthFor(widths, column) {
    var chosen = widths[0];
    widths.forEach(function (w) { if (w <= column) chosen = w; });
    return chosen;
  }

  // The value each control shows now (static or Vega's), by parameter name.
  function settings(view, spec) {
    var out = {};
    (spec.params || []).forEach(function (param) {
      if (!param.bind) return;
      var field = view.querySelector('.vega-bindings [name="' + param.name + '"]');
      if (!field) return;
      if (param.bind.input === "select") {
        out[param.name] = param.bind.options[field.selectedIndex];
      } else if (param.bind.input === "range") {
        out[param.name] = Number(field.value);
      }
    });
    return out;
  }

  // Each chart's spec, fetched once, when Vega first takes the chart over (render.move_specs).
  function specOf(view) {
    var figure = view.closest("figure");
    if (!figure.cstoSpec) {
      figure.cstoSpec = fetch(view.dataset.spec).then(function (response) {
        if (!response.ok) throw new Error("could not load " + view.dataset.spec);
        return response.json();
      });
    }
    return figure.cstoSpec.then(function (spec) { return JSON.parse(JSON.stringify(spec)); });
  }

  function draw(figure, width, values) {
    var view = figure.querySelector(".csto-chart-view");
    return specOf(view).then(function (spec) { return embed(figure, view, spec, width, values); });
  }

  function embed(figure, view, spec, width, values) {
    var wanted = spec.usermeta && spec.usermeta.csto && spec.usermeta.csto.width === "container";
    if (wanted) spec.width = width;
    (spec.params || []).forEach(function (param) {
      if (param.name in values) param.value = values[param.name];
    });
    var live = document.createElement("div");
    live.className = "csto-chart-view";
    live.dataset.spec = view.dataset.spec;
    return window.vegaEmbed(live, spec, { actions: false, renderer: "svg" }).then(function (result) {
      var svg = live.querySelector("svg");
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-labelledby", figure.querySelector("figcaption").id);
      // The figure's caption names the drawing; vega's own name for its box would repeat it.
      ["role", "aria-roledescription", "aria-label"].forEach(function (a) { live.removeAttribute(a); });
      var focused = view.contains(document.activeElement) && document.activeElement.name;
      if (figure.cstoView) figure.cstoView.finalize();
      if (resized) resized.unobserve(view);
      view.replaceWith(live);
      if (focused) {
        var again = live.querySelector('.vega-bindings [name="' + focused + '"]');
        if (again) again.focus();
      }
      figure.cstoView = result.view;
      figure.cstoWidth = width;
      figure.classList.remove("csto-chart-loading");
      figure.classList.add("csto-chart-live");
      if (resized) resized.observe(live);
    });
  }

  // Hand one chart to Vega (once), at the width of the drawing it shows now.
  function takeOver(figure) {
    if (figure.cstoTaking || window.cstoStaticCharts) return;
    var view = figure.querySelector(".csto-chart-view");
    var shown = Array.prototype.filter.call(view.querySelectorAll(".csto-chart-static"), function (d) {
      return d.getClientRects().length > 0;
    })[0];
    if (!shown) return;  // in a folded output: taken over once it is opened and reached
    figure.cstoTaking = true;
    figure.classList.add("csto-chart-loading");
    Promise.all([loadVega(), specOf(view)])
      .then(function (ready) { return draw(figure, Number(shown.dataset.width), settings(view, ready[1])); })
      .catch(function (error) {
        // The drawing made when the book was built stays; only its controls cannot move it.
        figure.classList.remove("csto-chart-loading");
        figure.classList.add("csto-chart-failed");
        console.error(error);
      });
  }

  // A live chart whose column crosses one of the widths is drawn again at the new width.
  var resized = window.ResizeObserver && new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var figure = entry.target.closest("figure");
      var column = Math.round(entry.contentRect.width);
      if (!column || !figure.cstoView) return;
      var width = widthFor(figure.cstoWidths, column);
      if (width === figure.cstoWidth) return;
      var view = figure.cstoView;
      figure.cstoWidth = width;
      specOf(entry.target).then(function (spec) {
        var values = {};
        (spec.params || []).forEach(function (p) { if (p.bind) values[p.name] = view.signal(p.name); });
        return draw(figure, width, values);
      }).catch(function (error) { console.error(error); });
    });
  });

  var near = window.IntersectionObserver && new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) takeOver(entry.target);
    });
  }, { rootMargin: NEAR });

  function watch(figure) {
    figure.cstoWidths = Array.prototype.map.call(figure.querySelectorAll(".csto-chart-static"), function (d) {
      return Number(d.dataset.width);
    });
    var go = function () { takeOver(figure); };
    figure.addEventListener("pointerenter", go);
    if (figure.dataset.live !== "controls") return;
    ["focusin", "pointerdown", "input", "change"].forEach(function (type) { figure.addEventListener(type, go); });
    if (near) {
      near.observe(figure);
      // A folded output opened later: its charts are watched again once they have a size.
      document.addEventListener("toggle", function () { near.unobserve(figure); near.observe(figure); }, true);
    } else {
      go();
    }
  }

  window.cstoTakeOver = takeOver;  // for the browser tests and make shots
  document.querySelectorAll("figure.csto-chart").forEach(watch);
})();
