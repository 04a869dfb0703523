/*
 * Lazy Mermaid loader for this guide.
 *
 * mkdocs-mermaid2-plugin adds this script, followed by `mermaid.initialize({...})`
 * with the arguments from mkdocs.yml, to pages that contain a diagram and to no
 * other page. This file provides that `mermaid.initialize` and does the rest:
 *
 * - the Mermaid library (served from assets/vendor/mermaid/, never a CDN) is
 *   imported only when the first diagram comes near the viewport, and each
 *   diagram is rendered when it does, one after another, so a page never pays
 *   for diagrams the reader does not scroll to;
 * - the source is read from the element's text, so it reaches Mermaid exactly
 *   as written in the Markdown;
 * - diagrams follow the light/dark palette and re-render when it changes;
 * - failures are marked on the element and logged with console.error, which the
 *   browser tests turn into a failing test.
 *
 * `window.guideDiagrams.renderAll()` renders every diagram now (used for print
 * and by tools); each element's `data-diagram` attribute says where it is:
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

  function render(element) {
    queue = queue.then(function () {
      return load().then(function (mermaid) {
        var dark = scheme() === "dark";
        var config = Object.assign({}, options, {
          startOnLoad: false,
          theme: dark ? "dark" : "default",
          // Mermaid's dark edge labels (#ccc on #585858) fall short of 4.5:1.
          themeVariables: dark ? { edgeLabelBackground: "#2e3036" } : {}
        });
        mermaid.initialize(config);
        counter += 1;
        return mermaid.render("diagram-svg-" + counter, sources.get(element));
      }).then(function (result) {
        element.innerHTML = result.svg;
        if (result.bindFunctions) result.bindFunctions(element);
        keepReadable(element.querySelector("svg"));
        // A diagram wider than the screen scrolls; make it reachable by keyboard.
        if (element.scrollWidth > element.clientWidth) element.setAttribute("tabindex", "0");
        element.setAttribute("data-diagram", "rendered");
      }).catch(function (error) {
        element.setAttribute("data-diagram", "error");
        element.textContent = "This diagram could not be rendered: " + (error && error.message ? error.message : error);
        console.error("Mermaid diagram failed to render:", error);
      });
    });
    return queue;
  }

  function start() {
    var elements = Array.prototype.slice.call(document.querySelectorAll("div.mermaid"));
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
    window.guideDiagrams = { renderAll: renderAll, libraryUrl: libraryUrl, options: options };
  }

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
