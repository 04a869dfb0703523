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

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

AUDIT_JS = Path(__file__).with_name("audit.js")
LAPTOP = {"width": 1280, "height": 800}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# The light palette gets every WCAG 2.1 A and AA rule; the dark palette changes
# only colors, so after switching the palette (as the toggle does) only the
# color rules run again. KaTeX's visual copy of each formula (.katex-html) is
# aria-hidden and inherits the text color; skipping it halves axe's time on
# formula-heavy pages without hiding anything a reader depends on. The header,
# navigation and footer are the same on every page, so in the dark palette they
# are checked on the CHROME_PAGES and the other pages check their content.
CHROME_PAGES = {"", "404.html"}
OPTIONS = {
    "context": {"exclude": [[".katex-html"]]},
    "darkContext": {"include": [[".md-content"]], "exclude": [[".katex-html"]]},
    "light": {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    "dark": {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
             "resultTypes": ["violations"]},
    "darkMarker": "#2e3036",  # the dark theme's edge-label background (docs/assets/javascripts/diagrams.js)
}

# Material's search worker builds the full-text index on every page load; the
# audit serves it the site's index with no documents (search itself is tested
# in test_search.py).
SEARCH_INDEX = "/search/search_index.json"


@dataclass
class PageAudit:
    url: str
    result: dict = field(default_factory=dict)
    error: str | None = None
    console: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    @property
    def loaded_mermaid(self) -> bool:
        return any("/vendor/mermaid/" in r or "diagrams.js" in r for r in self.requests)

    @property
    def loaded_katex(self) -> bool:
        return any("/vendor/katex/" in r for r in self.requests)


def audit_site(browser, server: str, urls: list[str], axe_script: Path, tabs: int = 3,
               timeout: float = 120.0) -> dict[str, PageAudit]:
    """Audit every URL (relative to server), `tabs` pages at a time."""
    host = urlsplit(server).netloc
    context = browser.new_context(viewport=LAPTOP, color_scheme="light")
    audits: dict[str, PageAudit] = {}
    by_page = {}
    stub: dict[str, str] = {}

    def route(route):
        if route.request.url.endswith(SEARCH_INDEX):
            if "index" not in stub:
                stub["index"] = json.dumps(dict(route.fetch().json(), docs=[]))
            route.fulfill(status=200, content_type="application/json", body=stub["index"])
        elif urlsplit(route.request.url).netloc == host:
            route.continue_()
        else:
            owner = by_page.get(route.request.frame.page)
            if owner:
                owner.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    pending, active = list(urls), {}
    try:
        while pending or active:
            while pending and len(active) < tabs:
                url = pending.pop(0)
                record = audits[url] = PageAudit(url)
                page = context.new_page()
                by_page[page] = record
                page.on("console", lambda m, r=record: r.console.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e, r=record: r.console.append(str(e)))
                page.on("request", lambda q, r=record: r.requests.append(q.url))
                page.goto(server + url, wait_until="load")
                page.add_script_tag(path=str(axe_script))
                options = dict(OPTIONS, darkContext=OPTIONS["context"] if url in CHROME_PAGES else OPTIONS["darkContext"])
                page.add_script_tag(content=f"window.AUDIT_OPTIONS = {json.dumps(options)};")
                page.add_script_tag(path=str(AUDIT_JS))
                active[page] = (record, time.monotonic())
            page = next(iter(active))
            page.wait_for_timeout(100)  # lets Playwright deliver events while the tabs work
            for page, (record, started) in list(active.items()):
                state = page.evaluate("window.__guideAudit")
                if state is None and time.monotonic() - started < timeout:
                    continue
                if state is None:
                    record.error = f"the audit did not finish within {timeout:.0f} s"
                elif state["ok"]:
                    record.result = state["result"]
                else:
                    record.error = state["error"]
                del active[page]
                page.close()
    finally:
        context.close()
    return audits
