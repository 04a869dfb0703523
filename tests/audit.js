/*
 * The in-page half of the rendered-site audit (see tests/site_audit.py).
 *
 * Injected after axe-core into a page that has finished loading. It runs every
 * in-browser check once and stores the outcome in window.__guideAudit, so that
 * several pages can be audited at the same time, each in its own renderer:
 *
 1. diagrams the build did not draw (see overrides/hooks/diagrams.py) are
 *    rendered here: the last one is scrolled into view and must render by
 *    itself (through the page's IntersectionObserver), then all the others
 *    with window.guideDiagrams.renderAll();
 * 2. the state of every diagram and formula, whether each diagram is a
 *    Mermaid SVG and whether the build drew it;
 * 3. the smallest effective font size of each diagram's visible text (font
 *    size times the SVG's scale on screen);
 * 4. axe-core with the rules in AUDIT_OPTIONS.light, then the palette is
 *    switched to dark as the toggle does (CSS transitions off), the diagrams
 *    show their dark drawing, and axe runs again with AUDIT_OPTIONS.dark on
 *    AUDIT_OPTIONS.darkContext.
 *
 * AUDIT_OPTIONS is defined by the Python side before this file is injected.
 */
(function () {
  "use strict";

  async function until(condition, what, timeout) {
    var start = Date.now();
    while (!condition()) {
      if (Date.now() - start > (timeout || 30000)) throw new Error("timed out waiting for " + what);
      await new Promise(function (resolve) { setTimeout(resolve, 50); });
    }
  }

  function diagrams() {
    return Array.prototype.slice.call(document.querySelectorAll("div.mermaid"));
  }

  // The drawing on screen: a diagram drawn at build time has one per palette.
  function visibleSvg(div) {
    return Array.prototype.slice.call(div.querySelectorAll(":scope > svg")).filter(function (svg) {
      return svg.getBoundingClientRect().width > 0;
    })[0] || null;
  }

  function fontSizes() {
    return diagrams().map(function (div) {
      var svg = visibleSvg(div);
      if (!svg) return null;
      var box = svg.getBoundingClientRect();
      var view = svg.viewBox && svg.viewBox.baseVal;
      var scale = view && view.width ? box.width / view.width : 1;
      var sizes = Array.prototype.slice.call(svg.querySelectorAll("text, foreignObject span, foreignObject p, foreignObject div"))
        .filter(function (t) { return t.textContent.trim(); })
        .map(function (t) { return parseFloat(getComputedStyle(t).fontSize); });
      var title = svg.querySelector("title");
      return { title: title ? title.textContent : "", px: Math.min.apply(null, sizes) * scale };
    });
  }

  // What a failure message needs of an axe violation, not its whole report.
  function brief(violations) {
    return violations.map(function (v) {
      return { id: v.id, impact: v.impact, help: v.help,
               targets: v.nodes.slice(0, 3).map(function (n) { return String(n.target[0]); }) };
    });
  }

  async function audit() {
    var options = window.AUDIT_OPTIONS;
    var result = { lazy: null };
    // CSS transitions off for the whole audit: the checks are about the colors
    // and layout a reader ends up with, not about a fade in progress (the header
    // tabs, for one, fade back in after the page scrolls to the top).
    var still = document.createElement("style");
    still.textContent = "*, *::before, *::after { transition: none !important; }";
    document.head.appendChild(still);
    var elements = diagrams();
    // Drawn at build time: an SVG per palette (overrides/hooks/diagrams.py).
    result.built = elements.map(function (e) { return !!e.querySelector(":scope > svg.diagram-light"); });
    var pending = elements.filter(function (e, i) { return !result.built[i]; });
    if (pending.length) {
      await until(function () { return window.guideDiagrams; }, "the diagram loader");
      var last = pending[pending.length - 1];
      last.scrollIntoView();
      await until(function () { return last.getAttribute("data-diagram") !== "pending"; }, "the scrolled-to diagram");
      result.lazy = last.getAttribute("data-diagram");
      window.scrollTo(0, 0);
      await window.guideDiagrams.renderAll();
    }
    result.diagrams = elements.map(function (e) { return e.getAttribute("data-diagram"); });
    result.svgs = elements.map(function (e) {
      var svg = visibleSvg(e);
      return !!svg && svg.hasAttribute("aria-roledescription");
    });
    result.math = Array.prototype.slice.call(document.querySelectorAll(".arithmatex"))
      .map(function (e) { return e.getAttribute("data-math"); });
    result.fonts = fontSizes();
    result.light = brief((await axe.run(options.context, options.light)).violations);

    if (!options.dark) {
      result.dark = null;
      return result;
    }
    // Switch to the dark palette as the toggle does.
    document.body.setAttribute("data-md-color-scheme", "slate");
    var rendered = elements.filter(function (e) { return e.getAttribute("data-diagram") === "rendered"; });
    await until(function () {
      return rendered.every(function (e) {
        var svg = visibleSvg(e);
        var style = svg && svg.querySelector("style");
        return style && style.textContent.indexOf(options.darkMarker) !== -1;
      });
    }, "the diagrams to show their dark drawing");
    result.dark = brief((await axe.run(options.darkContext, options.dark)).violations);
    return result;
  }

  window.__guideAudit = null;
  audit().then(
    function (result) { window.__guideAudit = { ok: true, result: result }; },
    function (error) { window.__guideAudit = { ok: false, error: String(error && error.stack || error) }; }
  );
})();
