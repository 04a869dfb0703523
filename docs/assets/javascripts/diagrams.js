/*
 * Mermaid diagrams for this guide: the build's renderer and the reader's fallback.
 *
 * mkdocs-mermaid2-plugin adds this script, followed by `mermaid.initialize({...})`
 * with the arguments from mkdocs.yml, to pages that contain a diagram and to no
 * other page. This file provides that `mermaid.initialize` and does the rest.
 *
 * Normally the build has already drawn every diagram (overrides/hooks/diagrams.py
 * runs `guideDiagrams.renderSource` below in headless Chromium): the page holds
 * an SVG per palette, CSS shows the one that matches, and the Mermaid library is
 * never downloaded. This script then only makes wide diagrams keyboard-scrollable.
 *
 * When the build could not draw them (no Chromium on the machine that built the
 * site), the diagrams arrive as source text and are rendered here:
 * - the Mermaid library (served from assets/vendor/mermaid/, never a CDN) is
 *   imported only when the first diagram comes near the viewport, and each
 *   diagram is rendered when it does, one after another;
 * - the source is read from the element's text, so it reaches Mermaid exactly
 *   as written in the Markdown;
 * - diagrams follow the light/dark palette and re-render when it changes;
 * - failures are marked on the element and logged with console.error, which the
 *   browser tests turn into a failing test.
 *
 * `window.guideDiagrams.renderAll()` renders every pending diagram now (used for
 * print and by tools); each element's `data-diagram` attribute says where it is:
 * "pending", "rendered" or "error".
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var libraryUrl = new URL("../vendor/mermaid/mermaid.esm.min.mjs", script.src).href;
  var options = {};
  var library = null;
  var queue = Promise.resolve();
  var sources = new Map();
  var counter = 0;

  function load() {
    if (!library) {
      library = import(libraryUrl).then(function (module) {
        return module.default;
      });
    }
    return library;
  }

  function scheme() {
    return document.body.getAttribute("data-md-color-scheme") === "slate" ? "dark" : "default";
  }

  // On a narrow screen a wide diagram would shrink until its text is
  // unreadable: keep it at no less than MIN_WIDTH pixels (or its natural width,
  // if smaller) and let its container scroll sideways instead.
  var MIN_WIDTH = 600;
  function keepReadable(svg) {
    if (!svg || !svg.viewBox || !svg.viewBox.baseVal) return;
    var natural = svg.viewBox.baseVal.width;
    if (natural > 0) svg.style.minWidth = Math.min(natural, MIN_WIDTH) + "px";
  }

  // Mermaid's configuration for a palette: the options from mkdocs.yml plus
  // the theme. The build renders diagrams with this same function (see
  // overrides/hooks/diagrams.py), so both paths draw the same picture.
  function themed(dark) {
    return Object.assign({}, options, {
      startOnLoad: false,
      theme: dark ? "dark" : "default",
      // Mermaid's dark edge labels (#ccc on #585858) fall short of 4.5:1.
      themeVariables: dark ? { edgeLabelBackground: "#2e3036" } : {}
    });
  }

  // One diagram's SVG markup for a palette. Renders run one at a time: Mermaid
  // keeps global state between initialize() and render().
  function renderSource(source, dark, id) {
    var result = queue.then(function () {
      return load().then(function (mermaid) {
        mermaid.initialize(themed(dark));
        return mermaid.render(id, source);
      });
    });
    queue = result.catch(function () {});
    return result;
  }

  function render(element) {
    counter += 1;
    return renderSource(sources.get(element), scheme() === "dark", "diagram-svg-" + counter).then(function (result) {
      element.innerHTML = result.svg;
      if (result.bindFunctions) result.bindFunctions(element);
      keepReadable(element.querySelector("svg"));
      markScrollable(element);
      element.setAttribute("data-diagram", "rendered");
    }).catch(function (error) {
      element.setAttribute("data-diagram", "error");
      element.textContent = "This diagram could not be rendered: " + (error && error.message ? error.message : error);
      console.error("Mermaid diagram failed to render:", error);
    });
  }

  // A diagram wider than the screen scrolls; make it reachable by keyboard.
  function markScrollable(element) {
    markAllScrollable([element]);
  }

  // Widths are all read before any attribute is written: one layout, not one per diagram.
  function markAllScrollable(elements) {
    var scrolls = elements.map(function (element) { return element.scrollWidth > element.clientWidth; });
    elements.forEach(function (element, index) {
      if (scrolls[index]) element.setAttribute("tabindex", "0");
      else element.removeAttribute("tabindex");
    });
  }

  function start() {
    var all = Array.prototype.slice.call(document.querySelectorAll("div.mermaid"));
    // Diagrams drawn at build time arrive as SVG, one per palette, and CSS
    // shows the one that matches; only the others are rendered here.
    var built = all.filter(function (element) { return element.getAttribute("data-diagram") === "rendered"; });
    var elements = all.filter(function (element) { return built.indexOf(element) === -1; });
    // After the page has loaded, so that measuring never delays its first paint.
    function markBuilt() { markAllScrollable(built); }
    if (document.readyState === "complete") markBuilt();
    else window.addEventListener("load", markBuilt);
    window.addEventListener("resize", markBuilt);
    elements.forEach(function (element) {
      if (!sources.has(element)) {
        sources.set(element, element.textContent);
        element.setAttribute("data-diagram", "pending");
      }
    });
    var observer = null;
    if ("IntersectionObserver" in window) {
      observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            observer.unobserve(entry.target);
            render(entry.target);
          }
        });
      }, { rootMargin: "400px 0px" });
      elements.forEach(function (element) { observer.observe(element); });
    } else {
      elements.forEach(render);
    }

    function renderAll() {
      elements.forEach(function (element) {
        if (element.getAttribute("data-diagram") === "pending") {
          if (observer) observer.unobserve(element);
          render(element);
        }
      });
      return queue;
    }

    // Re-render on a palette switch so the colors follow light and dark mode.
    new MutationObserver(function () {
      elements.forEach(function (element) {
        if (element.getAttribute("data-diagram") === "rendered") render(element);
      });
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

    window.addEventListener("beforeprint", renderAll);
    window.guideDiagrams.renderAll = renderAll;
  }

  window.guideDiagrams = {
    renderAll: function () { return queue; },
    renderSource: renderSource,
    keepReadable: keepReadable,
    libraryUrl: libraryUrl,
    options: options
  };

  window.mermaid = {
    initialize: function (config) {
      Object.assign(options, config || {});
      if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
      } else {
        start();
      }
    }
  };
})();
