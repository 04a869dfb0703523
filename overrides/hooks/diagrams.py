"""Draw every Mermaid diagram at build time, once per palette.

MkDocs hook. Rendering Mermaid in the reader's browser costs a phone about a
second of main-thread work per page and ~1 MB of JavaScript, and it makes the
diagram's text the page's late "largest paint". This hook renders each
``<div class="mermaid">`` in headless Chromium while the site is built, with
the pinned Mermaid and the very code the reader's browser would run
(``guideDiagrams.renderSource`` in ``docs/assets/javascripts/diagrams.js``,
initialized with mkdocs.yml's mermaid2 ``arguments``), and writes the SVG for
the light and the dark palette into the page; CSS shows the one that matches.
The page then never downloads Mermaid.

- The source handed to Mermaid is the fence's text, unescaped: byte for byte
  what the author wrote.
- Text is measured with Arial's metrics (Liberation Sans) standing in for
  Mermaid's first font, so every build machine draws the same boxes; CSS lets
  a label in a reader's slightly wider font overflow its box rather than clip.
- The drawings are put into the page after the search plugin has read it, so
  diagram text never reaches the search index.
- Results are cached in ``.cache/diagrams/`` by source, Mermaid version, loader
  and settings: a warm build starts no browser, and ``mkdocs serve`` redraws
  only the diagram being edited.
- A diagram Mermaid cannot draw fails the build with ``docs/<file>:<line>``
  and Mermaid's message.
- Without Chromium (or with ``GUIDE_DIAGRAMS=client``) the diagrams stay source
  text and diagrams.js renders them in the reader's browser, lazily. With
  ``GUIDE_DIAGRAMS=build`` (the deploy workflow) a missing browser fails the build.
"""
from __future__ import annotations

import atexit
import hashlib
import html
import json
import logging
import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

import vendor_assets
from guide_markdown import mermaid_blocks

log = logging.getLogger("mkdocs.hooks.diagrams")

ROOT = Path(__file__).resolve().parents[2]
CACHE_DIR = Path(os.environ.get("GUIDE_DIAGRAM_CACHE")
                 or Path(os.environ.get("GUIDE_CACHE_DIR", ROOT / ".cache")) / "diagrams")
LOADER = ROOT / "docs" / "assets" / "javascripts" / "diagrams.js"
CHROMIUM = os.environ.get("GUIDE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
RENDER_VERSION = "2"  # bump when the output format below changes, to invalidate the cache

DIAGRAM = re.compile(r'<div class="mermaid">(?P<source>.*?)</div>', re.S)
ORIGIN = "http://diagrams.invalid/"  # a name that never resolves: every request is answered by serve()
PALETTES = {"light": False, "dark": True}
# Mermaid's font stack is "trebuchet ms", verdana, arial, sans-serif. Boxes are
# sized with Arial's metrics (Liberation Sans on Linux) whatever the build
# machine has, so every machine draws the same diagram.
PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
@font-face { font-family: "trebuchet ms"; src: local("Liberation Sans"), local("LiberationSans"), local("Arial"); }
@font-face { font-family: "trebuchet ms"; font-weight: bold;
             src: local("Liberation Sans Bold"), local("LiberationSans-Bold"), local("Arial Bold"); }
body { width: 1280px; }
</style></head><body><script src="assets/javascripts/diagrams.js"></script></body></html>"""

# Runs in the page: render [source, dark, id] items one by one, keep going after a failure.
RENDER_ALL = """async items => {
  const out = [];
  for (const [source, dark, id] of items) {
    try {
      const {svg} = await window.guideDiagrams.renderSource(source, dark, id);
      const holder = document.createElement("div");
      holder.innerHTML = svg;
      const root = holder.querySelector("svg");
      root.classList.add(dark ? "diagram-dark" : "diagram-light");
      window.guideDiagrams.keepReadable(root);
      out.push({svg: holder.innerHTML});
    } catch (error) {
      out.push({error: String(error && error.message || error)});
    }
  }
  return out;
}"""


class Unavailable(Exception):
    """No browser to render with: the reader's browser will do it."""


class Renderer:
    """Headless Chromium with the site's diagram loader, started on first use."""

    def __init__(self, arguments: dict, browser=None) -> None:
        self.arguments = arguments
        self.playwright = self.page = None
        self.browser = browser  # a running Playwright browser to borrow (the tests pass theirs)
        self.mermaid_dir = vendor_assets.package_dir("mermaid")

    def serve(self, route) -> None:
        path = route.request.url[len(ORIGIN):].split("?")[0]
        if path == "render.html":
            route.fulfill(status=200, content_type="text/html", body=PAGE)
        elif path == "assets/javascripts/diagrams.js":
            route.fulfill(status=200, content_type="text/javascript", body=LOADER.read_bytes())
        elif path.startswith("assets/vendor/mermaid/") and ".." not in path:
            file = self.mermaid_dir / path[len("assets/vendor/mermaid/"):]
            if file.is_file():
                route.fulfill(status=200, content_type="text/javascript", body=file.read_bytes())
            else:
                route.fulfill(status=404, body="")
        else:
            route.abort()

    def start(self) -> None:
        if os.environ.get("GUIDE_DIAGRAMS") == "client":
            raise Unavailable("GUIDE_DIAGRAMS=client")
        if self.browser is None:
            self.launch()
        self.page = self.browser.new_page()
        self.page.route("**/*", self.serve)
        self.page.goto(ORIGIN + "render.html")
        self.page.evaluate("args => window.mermaid.initialize(args)", self.arguments)

    def launch(self) -> None:
        if not Path(CHROMIUM).exists():
            raise Unavailable(f"no Chromium at {CHROMIUM} (set GUIDE_CHROMIUM)")
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as error:
            raise Unavailable(f"Playwright is not installed ({error})") from error
        self.playwright = sync_playwright().start()
        atexit.register(self.close)
        self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)

    def render(self, items: list[tuple[str, bool, str]]) -> list[dict]:
        if self.page is None:
            self.start()
        return self.page.evaluate(RENDER_ALL, items)

    def close(self) -> None:
        try:
            if self.playwright is not None:  # a browser of our own
                self.browser.close()
                self.playwright.stop()
                self.playwright = self.browser = None
            elif self.page is not None:  # a borrowed one: just our tab
                self.page.close()
        except Exception:  # already gone at interpreter exit
            pass
        self.page = None


def source_of(escaped: str) -> str:
    """The diagram source as written: superfences HTML-escapes it into the div."""
    return html.unescape(escaped)


def cache_key(source: str, settings: str) -> str:
    return hashlib.sha256(f"{settings}\0{source}".encode("utf-8")).hexdigest()[:24]


def line_of(source: str, markdown: str) -> int | None:
    """The line of the fence that holds this source in the page's Markdown."""
    for block in mermaid_blocks(markdown):
        if block.source.rstrip("\n") == source.rstrip("\n"):
            return block.line
    return None


class Diagrams:
    """Per build: the renderer (if any), the settings that key the cache, what was drawn."""

    def __init__(self, config) -> None:
        plugin = config.plugins.get("mermaid2")
        self.arguments = dict(plugin.config.get("arguments") or {}) if plugin else {}
        version = vendor_assets.load_lock()["mermaid"]["version"]
        loader = hashlib.sha256(LOADER.read_bytes()).hexdigest()
        self.settings = json.dumps([RENDER_VERSION, version, loader, self.arguments], sort_keys=True)
        self.renderer: Renderer | None = None
        self.unavailable: str | None = None
        self.drawn = self.cached = 0

    def svgs(self, sources: list[str], page) -> list[dict[str, str] | None]:
        """{palette: svg} for each source, from the cache or the browser; None where no browser."""
        keys = [cache_key(s, self.settings) for s in sources]
        found: dict[str, dict] = {}
        for key in set(keys):
            path = CACHE_DIR / f"{key}.json"
            if path.exists():
                found[key] = json.loads(path.read_text(encoding="utf-8"))
                self.cached += 1
        missing = [(s, k) for s, k in dict(zip(sources, keys)).items() if k not in found]
        if missing and self.unavailable is None:
            if self.renderer is None:
                self.renderer = Renderer(self.arguments)
            items = [(s, dark, f"mmd-{k}-{name}") for s, k in missing for name, dark in PALETTES.items()]
            try:
                results = self.renderer.render(items)
            except Unavailable as reason:
                if os.environ.get("GUIDE_DIAGRAMS") == "build":
                    raise PluginError(f"GUIDE_DIAGRAMS=build, but diagrams cannot be drawn: {reason}") from reason
                self.unavailable = str(reason)
                log.info("Diagrams will be drawn in the reader's browser: %s", reason)
                results = None
            if results is not None:
                for index, (source, key) in enumerate(missing):
                    pair = results[2 * index: 2 * index + 2]
                    failed = next((r["error"] for r in pair if "error" in r), None)
                    if failed:
                        line = line_of(source, page.file.content_string)
                        where = f"docs/{page.file.src_uri}" + (f":{line}" if line else "")
                        raise PluginError(f"{where}: Mermaid cannot draw this diagram: {failed}")
                    found[key] = {name: r["svg"] for name, r in zip(PALETTES, pair)}
                    CACHE_DIR.mkdir(parents=True, exist_ok=True)
                    (CACHE_DIR / f"{key}.json").write_text(json.dumps(found[key]), encoding="utf-8")
                    self.drawn += 1
        return [found.get(k) for k in keys]

    def close(self) -> None:
        if self.renderer is not None:
            self.renderer.close()


state: Diagrams | None = None


def on_pre_build(config) -> None:
    global state
    state = Diagrams(config)
    drawings.clear()


# The drawings join the page only after the search plugin has read it: an
# element marked data-search-exclude is skipped by Material's indexer only
# until the first closing tag of the same name inside it, and an SVG has many.
PLACEHOLDER = re.compile(r'<div class="mermaid" data-diagram="rendered" data-search-exclude data-drawing="(\d+)"></div>')
drawings: dict[str, list[str]] = {}


# Before search_exclude.py and the search plugin read the page.
@event_priority(110)
def on_page_content(html_text: str, page, config, files) -> str:
    matches = list(DIAGRAM.finditer(html_text))
    if not matches or state is None or os.environ.get("GUIDE_DIAGRAMS") == "client":
        return html_text  # client: leave every diagram to the reader's browser, cached or not
    sources = [source_of(m["source"]) for m in matches]
    drawn = state.svgs(sources, page)
    out, pos, used, markups = [], 0, {}, []
    for match, source, svgs in zip(matches, sources, drawn):
        if svgs is None:
            continue
        markup = "".join(svgs[name] for name in PALETTES)
        key = cache_key(source, state.settings)
        used[key] = used.get(key, 0) + 1
        if used[key] > 1:  # the same diagram twice on a page: keep element ids unique
            markup = markup.replace(f"mmd-{key}", f"mmd-{key}-{used[key]}")
        out.append(html_text[pos:match.start()])
        out.append(f'<div class="mermaid" data-diagram="rendered" data-search-exclude data-drawing="{len(markups)}"></div>')
        markups.append(markup)
        pos = match.end()
    out.append(html_text[pos:])
    drawings[page.file.src_uri] = markups
    return "".join(out)


def on_post_page(output: str, page, config) -> str:
    markups = drawings.pop(page.file.src_uri, None)
    if not markups:
        return output
    return PLACEHOLDER.sub(
        lambda m: f'<div class="mermaid" data-diagram="rendered">{markups[int(m[1])]}</div>', output
    )


def on_post_build(config) -> None:
    if state is not None:
        if state.drawn:
            log.info("Diagrams: %d drawn, %d from the cache", state.drawn, state.cached)
        state.close()


def on_build_error(error) -> None:
    if state is not None:
        state.close()
