/*
 * Render the formulas that pymdownx.arithmatex marks up (generic mode) with the
 * KaTeX served from assets/vendor/katex/. Linked only on pages with formulas.
 * A formula KaTeX cannot parse is left as source, marked data-math="error" and
 * logged with console.error so the browser tests fail on it.
 */
(function () {
  "use strict";
  var delimiters = /^\\[([]|\\[)\]]$/g;
  document.querySelectorAll(".arithmatex").forEach(function (element) {
    var display = element.tagName === "DIV";
    var tex = element.textContent.trim().replace(delimiters, "");
    try {
      katex.render(tex, element, { displayMode: display, throwOnError: true });
      element.setAttribute("data-math", "rendered");

    } catch (error) {
      element.setAttribute("data-math", "error");
      console.error("KaTeX could not render a formula:", tex, error && error.message);
    }
  });

  // A display formula wider than the text scrolls sideways: make it reachable
  // by keyboard. Checked once fonts and layout are final, and on resize.
  function focusableWhenScrolling() {
    document.querySelectorAll("div.arithmatex").forEach(function (element) {
      if (element.scrollWidth > element.clientWidth) {
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
  focusableWhenScrolling();
})();
