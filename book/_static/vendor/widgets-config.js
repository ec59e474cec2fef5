/* Local-only set-up for @jupyter-widgets/html-manager's embed-amd.js.
 * Copied into book/_static/vendor/ by tools/vendor/vendor.sh (make vendor).
 * Load order on a page: require.min.js, this file, embed-amd.js.
 *
 * 1. embed-amd.js builds its Font Awesome @font-face URLs from the requirejs
 *    URL of its own named modules (by default <page dir>/@jupyter-widgets/...,
 *    which does not exist); map those names into ./jupyter-widgets/, where
 *    vendor.sh puts the font files.
 * 2. A widget module that embed-amd.js does not bundle (anything other than
 *    @jupyter-widgets/base, controls, output) is looked up under the URL in a
 *    data-jupyter-widgets-cdn attribute on any <script> (the jsDelivr CDN
 *    when there is none). Point it at a local folder, so such a widget fails
 *    with a local 404 instead of fetching from a CDN.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src || typeof window.requirejs !== "function") {
    if (window.console) console.error("widgets-config.js: load it with <script src> after require.min.js");
    return;
  }
  var dir = script.src.slice(0, script.src.lastIndexOf("/") + 1);
  var assets = dir + "jupyter-widgets/";
  window.requirejs.config({
    paths: {
      "@jupyter-widgets/html-manager": assets + "html-manager",
      "@jupyter-widgets/html-manager/dist/libembed-amd": assets + "libembed-amd"
    }
  });
  window.__jupyter_widgets_assets_path__ = assets;
  script.setAttribute("data-jupyter-widgets-cdn", assets + "not-vendored/");
})();
