"""Accessibility of the built site in a real browser:

- axe-core (pinned in data/vendor.json, fetched and verified like Mermaid)
  reports no serious or critical violation on any page, in the light and the
  dark palette, with every diagram and formula rendered;
- the text of every rendered diagram is at least MIN_FONT_PX on a laptop
  screen, which catches diagrams so wide that they are shrunk;
- search, navigation, collapsible answers and content tabs work from the keyboard.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

import vendor_assets
from conftest import doc_pages
from guide_markdown import mermaid_blocks
from test_site_browser import PAGES, url_of

MIN_FONT_PX = 11
LAPTOP = {"width": 1280, "height": 800}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DIAGRAM_PAGES = [url_of(p) for p in doc_pages() if mermaid_blocks(p.read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def axe_script() -> str:
    return str(vendor_assets.package_dir("axe-core") / "axe.min.js")


def offline_context(browser, server, **options):
    context = browser.new_context(viewport=LAPTOP, **options)
    host = urlsplit(server).netloc
    context.route("**/*", lambda r: r.continue_() if urlsplit(r.request.url).netloc == host else r.abort())
    return context


def render_everything(page):
    page.evaluate("window.guideDiagrams ? window.guideDiagrams.renderAll() : null")
    page.wait_for_function("[...document.querySelectorAll('div.mermaid')].every(e => e.getAttribute('data-diagram') !== 'pending')")


# The light palette gets every WCAG 2.1 A and AA rule; the dark palette changes
# only colors, so after switching the palette (as the toggle does) only the
# color rules run again. KaTeX's visual copy of each formula (.katex-html) is
# aria-hidden and inherits the text color; skipping it halves axe's time on
# formula-heavy pages without hiding anything a reader depends on.
RULES = {
    "light": {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    "dark": {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}, "resultTypes": ["violations"]},
}
CONTEXT = {"exclude": [[".katex-html"]]}


@pytest.fixture(scope="module")
def light(browser, server):
    context = offline_context(browser, server, color_scheme="light")
    yield context
    context.close()


@pytest.mark.parametrize("url", PAGES, ids=lambda u: u or "home")
def test_no_serious_accessibility_violations(light, server, axe_script, url):
    page = light.new_page()
    page.goto(server + url)
    render_everything(page)
    page.add_script_tag(path=axe_script)
    violations = {"light": page.evaluate("([c, o]) => axe.run(c, o)", [CONTEXT, RULES["light"]])["violations"]}
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    page.wait_for_function("[...document.querySelectorAll('div.mermaid svg')].every(s => s.querySelector('style').textContent.includes('#2e3036') || !s.closest('div.mermaid'))")
    page.wait_for_timeout(500)  # let Material's color transitions finish
    violations["dark"] = page.evaluate("([c, o]) => axe.run(c, o)", [CONTEXT, RULES["dark"]])["violations"]
    page.close()
    failures = [
        f"/{url} ({scheme}): {v['impact']} {v['id']}: {v['help']} [{', '.join(str(n['target'][0]) for n in v['nodes'][:3])}]"
        for scheme, found in violations.items() for v in found if v["impact"] in ("serious", "critical")
    ]
    assert not failures, "axe-core found accessibility violations:\n" + "\n".join(failures)


@pytest.mark.parametrize("url", DIAGRAM_PAGES, ids=lambda u: u or "home")
def test_diagram_text_is_readable_at_laptop_width(browser, server, url):
    context = offline_context(browser, server)
    page = context.new_page()
    page.goto(server + url)
    render_everything(page)
    sizes = page.evaluate("""() => [...document.querySelectorAll('div.mermaid svg')].map(svg => {
        const box = svg.getBoundingClientRect(), view = svg.viewBox.baseVal;
        const scale = view && view.width ? box.width / view.width : 1;
        const fonts = [...svg.querySelectorAll('text, foreignObject span, foreignObject p, foreignObject div')]
            .filter(t => t.textContent.trim())
            .map(t => parseFloat(getComputedStyle(t).fontSize));
        return {title: (svg.querySelector('title') || {}).textContent, px: Math.min(...fonts) * scale};
    })""")
    context.close()
    small = [f"'{s['title']}': {s['px']:.1f}px" for s in sizes if s["px"] < MIN_FONT_PX]
    assert not small, (f"/{url}: diagram text below {MIN_FONT_PX}px at {LAPTOP['width']}px wide (the diagram is "
                       f"too wide and gets shrunk; use flowchart TD, shorter labels or split it): {small}")


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
