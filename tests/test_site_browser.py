"""Guard 4: the built site, served on loopback with every other host blocked,
renders every diagram and formula on every page with no console error and no
request to another host; Mermaid and KaTeX load only where they are needed.
Also: search finds technical terms, the palette follows the system, pages
carry edit links."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from conftest import PAGES, source_label


@pytest.fixture(scope="module")
def context(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.blocked = []
    host = urlsplit(server).netloc

    def route(route):
        if urlsplit(route.request.url).netloc == host:
            route.continue_()
        else:
            context.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    yield context
    context.close()


def open_page(context, server, url):
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    context.blocked.clear()
    page.goto(server + url, wait_until="load")
    return page


@pytest.mark.parametrize("url", PAGES, ids=lambda u: u or "home")
def test_page_renders_offline(audits, url):
    audit = audits[url]
    where = source_label(url)
    assert not audit.error, f"{where}: the page audit failed: {audit.error}"
    states, math, built = audit.result["diagrams"], audit.result["math"], audit.result["built"]
    if not all(built):
        assert audit.result["lazy"] == "rendered", f"{where}: the last diagram did not render when scrolled into view"
    assert all(s == "rendered" for s in states), f"{where}: diagrams not rendered: {states}"
    assert all(audit.result["svgs"]), f"{where}: a diagram shows no Mermaid SVG"
    assert all(m == "rendered" for m in math), f"{where}: formulas not rendered: {math}"
    assert not audit.console, f"{where}: console errors: {audit.console}"
    assert not audit.blocked, f"{where}: requests to other hosts: {audit.blocked}"
    assert audit.loaded_diagram_script == bool(states), f"{where}: the diagram script must load exactly on pages with diagrams"
    assert audit.loaded_mermaid == (not all(built)), \
        f"{where}: the Mermaid library must load only for diagrams the build did not draw"
    assert audit.loaded_katex == bool(math), f"{where}: KaTeX must load exactly on pages with formulas"


@pytest.mark.parametrize("scheme,expected", [("light", "default"), ("dark", "slate")])
def test_palette_follows_system_preference(browser, server, scheme, expected):
    context = browser.new_context(color_scheme=scheme)
    context.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
    page = context.new_page()
    page.goto(server)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
    context.close()


def test_edit_link_and_revision_date(context, server):
    page = open_page(context, server, "start-here/the-interview/")
    edit = page.get_attribute("a.md-content__button[href*='/edit/']", "href")
    assert edit.endswith("/edit/main/docs/start-here/the-interview.md")
    assert page.locator(".md-source-file").count() == 1
    page.close()


def test_cheat_sheet_prints_at_full_width(context, server):
    # The trade-off cheat sheet is meant to be printed: in print its tables must
    # use the sheet's whole width (the screen layout's columns and margins off).
    page = open_page(context, server, "reference/trade-offs/")
    page.emulate_media(media="print")
    widths = page.evaluate("""() => ({
        body: document.body.getBoundingClientRect().width,
        content: document.querySelector('.md-content').getBoundingClientRect().width,
        tables: [...document.querySelectorAll('.md-typeset table')].map(t => t.getBoundingClientRect().width),
        sidebars: [...document.querySelectorAll('.md-sidebar')].filter(s => s.getBoundingClientRect().width > 0).length,
    })""")
    pdf = page.pdf(format="A4")
    page.close()
    assert widths["sidebars"] == 0, "sidebars must not print"
    assert widths["content"] >= 0.95 * widths["body"], f"content prints at {widths['content']:.0f} of {widths['body']:.0f} px"
    assert widths["tables"] and min(widths["tables"]) >= 0.95 * widths["content"], f"tables print narrow: {widths}"
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 0 < pages <= 8, f"the cheat sheet prints on {pages} A4 pages (budget 8)"
