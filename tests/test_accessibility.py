"""Accessibility of the built site in a real browser:

- axe-core (pinned in data/vendor.json, fetched and verified like Mermaid)
  reports no serious or critical violation on any page, with every diagram and
  formula rendered; its color rules run in the light and the dark palette on
  the pages that together contain every kind of element the site uses
  (site_audit.color_pages), since chapters cannot bring colors of their own;
- the text of every rendered diagram is at least MIN_FONT_PX on a laptop
  screen, which catches diagrams so wide that they are shrunk;
- search, navigation, collapsible answers and content tabs work from the keyboard.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from conftest import PAGES, doc_pages, source_label, url_of
from guide_markdown import mermaid_blocks
from site_audit import LAPTOP, color_pages, element_kinds

MIN_FONT_PX = 11
DIAGRAM_PAGES = [url_of(p) for p in doc_pages() if mermaid_blocks(p.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("url", PAGES, ids=lambda u: u or "home")
def test_no_serious_accessibility_violations(audits, url):
    audit = audits[url]
    assert not audit.error, f"{source_label(url)}: the page audit failed: {audit.error}"
    failures = [
        f"{source_label(url)} ({scheme}): {v['impact']} {v['id']}: {v['help']} [{', '.join(v['targets'])}]"
        for scheme in ("light", "dark") for v in audit.result[scheme] or [] if v["impact"] in ("serious", "critical")
    ]
    assert not failures, "axe-core found accessibility violations:\n" + "\n".join(failures)


@pytest.mark.parametrize("url", DIAGRAM_PAGES, ids=lambda u: u or "home")
def test_diagram_text_is_readable_at_laptop_width(audits, url):
    audit = audits[url]
    assert not audit.error, f"{source_label(url)}: the page audit failed: {audit.error}"
    small = [f"'{s['title']}': {s['px']:.1f}px" for s in audit.result["fonts"] if s and s["px"] < MIN_FONT_PX]
    assert not small, (f"{source_label(url)}: diagram text below {MIN_FONT_PX}px at {LAPTOP['width']}px wide (the "
                       f"diagram is too wide and gets shrunk; use flowchart TD, shorter labels or split it): {small}")


def offline_context(browser, server, **options):
    context = browser.new_context(viewport=LAPTOP, **options)
    host = urlsplit(server).netloc
    context.route("**/*", lambda r: r.continue_() if urlsplit(r.request.url).netloc == host else r.abort())
    return context


def test_keyboard_search_navigation_answers_and_tabs(browser, server):
    context = offline_context(browser, server)
    page = context.new_page()
    page.goto(server + "start-here/the-interview/")

    # Search from the keyboard: "/" focuses the box, typing shows results, arrows pick one.
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.wait_for_function("(document.querySelector('.md-search-result__meta') || {}).textContent === 'Type to start searching'")
    page.keyboard.type("calibration", delay=20)
    page.wait_for_selector(".md-search-result__item")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
    page.keyboard.press("Escape")

    # Navigation: Tab from the top reaches the navigation tabs and a sidebar link.
    page.goto(server + "start-here/the-interview/")
    reached = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("(document.activeElement.closest('.md-tabs, .md-nav--primary, .md-nav--secondary') || {}).className || ''"))
    assert any("md-tabs" in r for r in reached), "Tab never reached the navigation tabs"
    assert any("md-nav" in r for r in reached), "Tab never reached the sidebar navigation"

    # A collapsible self-check answer opens with Enter.
    summary = page.locator("details.question > summary").first
    summary.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.querySelector('details.question').open")

    # Content tabs switch with the arrow keys.
    first_tab = page.locator(".tabbed-set input[type=radio]").first
    first_tab.focus()
    page.keyboard.press("ArrowRight")
    checked = page.evaluate("[...document.querySelector('.tabbed-set').querySelectorAll('input[type=radio]')].findIndex(i => i.checked)")
    assert checked == 1, "ArrowRight should select the second tab"
    assert page.locator(".tabbed-set .tabbed-block").nth(1).is_visible()
    context.close()


# --------------------------------------------------------------------------- how the dark pass picks its pages

def test_element_kinds_carry_their_context_but_not_katex_internals():
    html = ('<article class="md-content__inner md-typeset"><p>x <span class="katex"><span class="katex-html">'
            '<span class="mord">a</span><span class="mbin">+</span></span></span> y</p>'
            '<div class="admonition warning"><p>See <a href="x">this</a><br></p></div></article>')
    assert element_kinds(html) == {"p", "p > span.katex", "div.admonition.warning", "div.admonition.warning > p",
                                   "div.admonition.warning > p > a", "div.admonition.warning > p > br"}


def test_dark_pass_pages_cover_every_kind_of_content(tmp_path):
    pages = {
        "": "<p>home</p>",
        "404.html": "<h1>Not found</h1>",
        "a/": "<p>x</p><table><tr><td>1</td></tr></table>",
        "b/": "<p>y</p><table><tr><td>2</td></tr></table>",
        "c/": '<details class="question"><summary>q</summary></details><div class="mermaid">flowchart TD</div>',
        "d/": "<p>z</p>",
    }
    for url, body in pages.items():
        path = tmp_path / url / "index.html" if not url.endswith(".html") else tmp_path / url
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f'<article class="md-content__inner md-typeset">{body}</article>', encoding="utf-8")
    chosen = color_pages(tmp_path, list(pages))
    assert chosen[:2] == ["", "404.html"]
    assert "c/" in chosen and ("a/" in chosen) != ("b/" in chosen) and "d/" not in chosen
    (tmp_path / "d" / "index.html").write_text(  # the same link, in a new context, makes d/ count
        '<article class="md-content__inner md-typeset"><table><tr><td><p>z</p></td></tr></table></article>')
    assert "d/" in color_pages(tmp_path, list(pages))
