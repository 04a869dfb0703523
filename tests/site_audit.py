"""The rendered-site audit: every built page opened once, checked for everything.

Loading a page and rendering its diagrams is most of the cost of a browser
test, so the per-page checks (diagrams and formulas render offline, no console
error, no request to another host, Mermaid and KaTeX only where needed,
readable diagram text, axe-core in both palettes) share one visit per page.
The in-page work is done by tests/audit.js, which runs on its own once
injected; several pages are audited at once, each in its own tab (and
renderer process), and the tests in test_site_browser.py and
test_accessibility.py assert on the stored results page by page.
"""
from __future__ import annotations

import asyncio
import json
import re
import threading
from html.parser import HTMLParser
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

AUDIT_JS = Path(__file__).with_name("audit.js")
LAPTOP = {"width": 1280, "height": 800}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Colors come from the theme only: chapters cannot bring their own (test_pages
# rejects inline styles, test_diagrams rejects diagram styling), so whether a
# page's text has enough contrast depends on the kinds of element it contains
# and what they sit in, not on its words. The color rules (color-contrast,
# link-in-text-block, axe's slowest) therefore run, in the light palette and
# again after switching to the dark one as the toggle does, on the CHROME_PAGES
# (whole page: header, navigation, footer) and on the fewest further pages that
# together contain every kind of content element in every context the site
# uses (see color_pages). Every page gets every other WCAG 2.1 A and AA rule.
# KaTeX's visual copy of each formula (.katex-html) is aria-hidden and inherits
# the text color; skipping it halves axe's time on formula-heavy pages without
# hiding anything a reader depends on.
CHROME_PAGES = ["", "404.html"]
OPTIONS = {
    "context": {"exclude": [[".katex-html"]]},
    # Other pages: their own content and table of contents; the header, the site
    # navigation and the footer are the same on every page and are checked in
    # full on the CHROME_PAGES.
    "pageContext": {"include": [[".md-content"], [".md-sidebar--secondary"]], "exclude": [[".katex-html"]]},
    "darkContext": {"include": [[".md-content"]], "exclude": [[".katex-html"]]},
    "light": {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    # Pages outside color_pages: every rule but the color rules (see above).
    "lightStructure": {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"],
                       "rules": {"color-contrast": {"enabled": False}, "link-in-text-block": {"enabled": False}}},
    "dark": {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
             "resultTypes": ["violations"]},
    "darkMarker": "#2e3036",  # the dark theme's edge-label background (docs/assets/javascripts/diagrams.js)
}

# Material's search worker builds the full-text index on every page load; the
# audit serves it the site's index with no documents (search itself is tested
# in test_search.py).
SEARCH_INDEX = "/search/search_index.json"
AXE_PATH = "__audit__/axe.min.js"


ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*)</article>', re.S)
DIAGRAM = re.compile(r'<div class="mermaid"[^>]*>\s*([A-Za-z-]+)')


def strip_katex(html: str) -> str:
    """Replace each KaTeX rendering by an empty one: its inner spans say nothing about colors."""
    out, pos, opener = [], 0, '<span class="katex">'
    while (start := html.find(opener, pos)) >= 0:
        depth, cursor = 1, start + len(opener)
        while depth:
            next_open, next_close = html.find("<span", cursor), html.find("</span>", cursor)
            if next_close < 0:
                return "".join(out) + html[pos:]
            if 0 <= next_open < next_close:
                depth, cursor = depth + 1, next_open + 5
            else:
                depth, cursor = depth - 1, next_close + 7
        out.append(html[pos:start] + opener + "</span>")
        pos = cursor
    return "".join(out) + html[pos:]


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Kinds(HTMLParser):
    """Collects each element's kind: its tag and classes, with those of its parent and grandparent,
    since the colors an element ends up with also depend on what it sits in. A diagram drawn at
    build time counts as one kind per diagram type: its colors come from Mermaid's theme for that
    type, and its inner classes name nodes and edges (every diagram would look new)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.kinds: set[str] = set()

    def handle_starttag(self, tag, attrs):
        if tag == "svg" and not any(s.startswith("svg") for s in self.stack):
            self.kinds.add("diagram:" + (dict(attrs).get("aria-roledescription") or "svg").lower())
        if any(s.startswith("svg") for s in self.stack) or tag == "svg":
            self.stack.append(tag)
            return
        classes = sorted((dict(attrs).get("class") or "").split())
        name = tag + "".join("." + c for c in classes)
        self.kinds.add(" > ".join(self.stack[-2:] + [name]))
        if tag not in VOID:
            self.stack.append(name)

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].split(".")[0] == tag:
                del self.stack[index:]
                break


def element_kinds(html: str) -> set[str]:
    """The kinds of element in a page's content (see _Kinds), and each diagram type."""
    match = ARTICLE.search(html)
    content = strip_katex(match.group(1) if match else html)
    parser = _Kinds()
    parser.feed(content)
    return parser.kinds | {"diagram:" + kind.lower() for kind in DIAGRAM.findall(content)}


def color_pages(site: Path, urls: list[str]) -> list[str]:
    """CHROME_PAGES plus, greedily, the fewest pages covering every kind of content element."""
    def html(url: str) -> str:
        path = site / url / "index.html" if not url.endswith(".html") else site / url
        return path.read_text(encoding="utf-8")

    kinds = {url: element_kinds(html(url)) for url in urls}
    chosen = [url for url in CHROME_PAGES if url in kinds]
    covered = set().union(*(kinds[url] for url in chosen))
    while True:
        best = max((u for u in urls if u not in chosen), key=lambda u: len(kinds[u] - covered), default=None)
        if best is None or not kinds[best] - covered:
            return chosen
        chosen.append(best)
        covered |= kinds[best]


@dataclass
class PageAudit:
    url: str
    result: dict = field(default_factory=dict)
    error: str | None = None
    console: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    seconds: float = 0.0  # how long the audit of this page took (for profiling the suite)

    @property
    def loaded_diagram_script(self) -> bool:
        return any("/javascripts/diagrams.js" in r for r in self.requests)

    @property
    def loaded_mermaid(self) -> bool:
        return any("/vendor/mermaid/" in r for r in self.requests)

    @property
    def loaded_katex(self) -> bool:
        return any("/vendor/katex/" in r for r in self.requests)


def audit_site(server: str, urls: list[str], axe_script: Path, color: list[str], tabs: int = 2,
               timeout: float = 120.0) -> dict[str, PageAudit]:
    """Audit every URL (relative to server), `tabs` pages at a time; the dark pass only on `color`.

    Each tab loads a page, injects the audit and waits for it, independently of
    the other: Playwright's async API in a thread of its own (with a Chromium of
    its own, since the tests' browser belongs to the sync API in the main thread).
    """
    results: dict = {}

    def run() -> None:
        try:
            results["audits"] = asyncio.run(_audit_all(server, urls, axe_script, color, tabs, timeout))
        except BaseException as error:  # re-raised in the caller's thread
            results["error"] = error

    worker = threading.Thread(target=run, name="site-audit")
    worker.start()
    worker.join()
    if "error" in results:
        raise results["error"]
    return results["audits"]


async def _audit_all(server: str, urls: list[str], axe_script: Path, color: list[str], tabs: int,
                     timeout: float) -> dict[str, PageAudit]:
    from playwright.async_api import TimeoutError as PlaywrightTimeout
    from playwright.async_api import async_playwright

    from conftest import CHROMIUM, CHROMIUM_FLAGS

    host = urlsplit(server).netloc
    audits: dict[str, PageAudit] = {}
    by_page: dict = {}
    stub: dict[str, str] = {}
    axe_url = server + AXE_PATH
    axe_body = axe_script.read_bytes()
    pending = list(urls)

    async def route(route):
        if route.request.url == axe_url:  # served like a site file, so Chromium caches its compiled code
            await route.fulfill(status=200, body=axe_body, headers={"Content-Type": "text/javascript",
                                                                    "Cache-Control": "max-age=3600"})
        elif route.request.url.endswith(SEARCH_INDEX):
            if "index" not in stub:
                response = await route.fetch()
                stub["index"] = json.dumps(dict(await response.json(), docs=[]))
            await route.fulfill(status=200, content_type="application/json", body=stub["index"])
        elif urlsplit(route.request.url).netloc == host:
            await route.continue_()
        else:
            owner = by_page.get(route.request.frame.page)
            if owner:
                owner.blocked.append(route.request.url)
            await route.abort()

    async def tab(context) -> None:
        # One tab (and renderer process) goes from page to page with warm caches;
        # events go to the page it is auditing at the time.
        page = await context.new_page()
        page.on("console", lambda m: by_page[page].console.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: by_page[page].console.append(str(e)))
        page.on("request", lambda q: by_page[page].requests.append(q.url))
        while pending:
            url = pending.pop(0)
            record = by_page[page] = audits[url] = PageAudit(url)
            started = time.monotonic()
            chrome = url in CHROME_PAGES
            options = dict(OPTIONS, context=OPTIONS["context"] if chrome else OPTIONS["pageContext"],
                           darkContext=OPTIONS["context"] if chrome else OPTIONS["darkContext"])
            if url not in color:
                options["dark"] = None
                options["light"] = OPTIONS["lightStructure"]
            try:
                await page.goto(server + url, wait_until="load")
                await page.add_script_tag(url=axe_url)
                await page.add_script_tag(content=f"window.AUDIT_OPTIONS = {json.dumps(options)};")
                await page.add_script_tag(path=str(AUDIT_JS))
                handle = await page.wait_for_function("window.__guideAudit", polling=100, timeout=timeout * 1000)
                state = await handle.json_value()
                if state["ok"]:
                    record.result = state["result"]
                else:
                    record.error = state["error"]
            except PlaywrightTimeout:
                record.error = f"the audit did not finish within {timeout:.0f} s"
            record.seconds = time.monotonic() - started

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        context = await browser.new_context(viewport=LAPTOP, color_scheme="light")
        await context.route("**/*", route)
        await asyncio.gather(*(tab(context) for _ in range(tabs)))
        await browser.close()
    return audits
