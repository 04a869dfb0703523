/*
 * Formulas are rendered to HTML at build time (overrides/hooks/formulas.py), so
 * no KaTeX code runs in the browser. This script, linked only on pages with
 * formulas, makes a display formula that is wider than the text (and therefore
 * scrolls sideways) reachable and named for keyboard and screen-reader users.
 */
(function () {
  "use strict";
  // A display formula wider than the text scrolls sideways: make it reachable
  // by keyboard. Checked once fonts and layout are final, and on resize. All
  // widths are read before any attribute is written, so the page is laid out
  // once, not once per formula.
  function focusableWhenScrolling() {
    var elements = Array.prototype.slice.call(document.querySelectorAll("div.arithmatex"));
    var scrolls = elements.map(function (element) { return element.scrollWidth > element.clientWidth; });
    elements.forEach(function (element, index) {
      if (scrolls[index]) {
        element.setAttribute("tabindex", "0");
        element.setAttribute("role", "region");
        element.setAttribute("aria-label", "Formula, scrolls sideways");
      } else {
        element.removeAttribute("tabindex");
        element.removeAttribute("role");
        element.removeAttribute("aria-label");
      }
    });
  }
  window.addEventListener("load", focusableWhenScrolling);
  window.addEventListener("resize", focusableWhenScrolling);
})();
