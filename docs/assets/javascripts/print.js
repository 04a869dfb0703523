/*
 * Before printing: open every collapsible block (self-check answers included)
 * and render every diagram, so a printed page or a saved PDF has them all.
 * Blocks that were closed are closed again afterwards.
 */
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.setAttribute("open", "");
      opened.push(details);
    });
    if (window.guideDiagrams) window.guideDiagrams.renderAll();
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) { details.removeAttribute("open"); });
    opened = [];
  });
})();
