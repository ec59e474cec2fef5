/* Load the ipywidgets HTML manager only after the page's charts are drawn.
   The manager (embed-amd.js, ~3.6 MB before compression) takes longer to parse than anything
   else on a lesson page; loaded up front it would hold back the charts. It renders the saved
   widget state once the page has loaded, so starting it late changes nothing for the widgets.
   Order matters: require.js, then widgets-config.js (local fonts, no CDN fallback), then the
   manager. The scripts sit in the same folder as this one's vendor/ neighbour. */
(function () {
  "use strict";
  var here = document.currentScript.src;
  var base = here.slice(0, here.lastIndexOf("/") + 1) + "vendor/";
  var files = ["require.min.js", "widgets-config.js", "embed-amd.js"];

  function loadNext(i) {
    if (i >= files.length) return;
    var s = document.createElement("script");
    s.src = base + files[i];
    s.onload = function () { loadNext(i + 1); };
    s.onerror = function () { console.error("Could not load " + s.src + "; widgets stay blank."); };
    document.head.appendChild(s);
  }
  function start() {
    (window.cstoChartsDone || Promise.resolve()).then(function () { loadNext(0); });
  }
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
})();
