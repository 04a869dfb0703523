"""Diagrams drawn at build time, and the reader's-browser fallback.

overrides/hooks/diagrams.py draws every Mermaid diagram in headless Chromium
during the build (an SVG per palette); docs/assets/javascripts/diagrams.js
renders them in the reader's browser when the build could not. Both paths are
exercised here: the hook directly, the built site, and a one-page site built
with GUIDE_DIAGRAMS=client.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from mkdocs.exceptions import PluginError
from pymdownx.superfences import fence_div_format

import diagrams
from conftest import CHROMIUM, ROOT, chromium_available, doc_pages, serve, url_of
from guide_markdown import mermaid_blocks

ARGUMENTS = {"securityLevel": "strict", "startOnLoad": False}
TRICKY = 'flowchart LR\n  accTitle: Tricky\n  accDescr: Characters HTML would change\n  A["p &lt; 0.05 & x > 1"] --> B["it\'s 50%"]\n'


def fence(source: str) -> str:
    """What the site's superfences setting makes of a ```mermaid block."""
    return fence_div_format(source, "mermaid", "mermaid", {}, None, classes=[], id_value="", attrs={})


def fake_config(arguments=ARGUMENTS):
    plugin = SimpleNamespace(config={"arguments": arguments})
    return SimpleNamespace(plugins={"mermaid2": plugin})


def fake_page(markdown: str, uri: str = "concepts/example.md"):
    return SimpleNamespace(file=SimpleNamespace(src_uri=uri, content_string=markdown))


def needs_chromium():
    if not chromium_available():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM} -- browser tests never skip in CI", pytrace=False)
        pytest.skip(f"Chromium not found at {CHROMIUM}")


@pytest.fixture
def drawing(tmp_path, monkeypatch, browser):
    """The hook's per-build state with an empty cache of its own, drawing in the tests' browser
    (one Playwright per thread: the hook cannot start its own next to the tests')."""
    monkeypatch.setattr(diagrams, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.delenv("GUIDE_DIAGRAMS", raising=False)
    monkeypatch.setattr(diagrams, "state", diagrams.Diagrams(fake_config()))
    diagrams.state.renderer = diagrams.Renderer(diagrams.state.arguments, browser=browser)
    yield diagrams.state
    diagrams.state.close()


# --------------------------------------------------------------------------- the hook

def test_fence_text_reaches_mermaid_byte_for_byte():
    escaped = fence(TRICKY)
    body = re.search(r'<div class="mermaid">(.*)</div>', escaped, re.S)[1]
    assert diagrams.source_of(body).rstrip("\n") == TRICKY.rstrip("\n")


def test_build_draws_each_diagram_in_both_palettes_and_caches_it(drawing, tmp_path):
    html = "<p>before</p>" + fence(TRICKY) + "<p>after</p>"
    content = diagrams.on_page_content(html, fake_page("```mermaid\n" + TRICKY + "```\n"), None, None)
    assert content == ('<p>before</p><div class="mermaid" data-diagram="rendered" data-search-exclude '
                       'data-drawing="0"></div><p>after</p>'), "the search plugin must see an empty element"
    out = diagrams.on_post_page(content, fake_page(""), None)
    assert out.count("<svg") == 2 and "diagram-light" in out and "diagram-dark" in out
    assert "p &lt; 0.05 &amp; x &gt; 1" in out, "the label must be drawn from the source as written"
    assert "Tricky" in out and "aria-roledescription" in out, "accTitle must reach the SVG"
    assert drawing.drawn == 1 and len(list((tmp_path / "cache").glob("*.json"))) == 1
    again = diagrams.Diagrams(fake_config())
    assert again.svgs([TRICKY], fake_page(""))[0] is not None
    assert again.renderer is None, "a cached diagram must not start a browser"


def test_the_same_diagram_twice_on_a_page_gets_unique_ids(drawing):
    block = fence(TRICKY)
    out = diagrams.on_post_page(diagrams.on_page_content(block + block, fake_page(""), None, None), fake_page(""), None)
    ids = re.findall(r'<svg[^>]* id="([^"]+)"', out)
    assert len(ids) == 4 and len(set(ids)) == 4, ids


def test_a_diagram_mermaid_cannot_draw_fails_with_file_and_line(drawing):
    broken = "flowchart LR\n  A --> \n  ((((\n"
    markdown = "---\ntitle: x\n---\n\n# x\n\n```mermaid\n" + broken + "```\n"
    html = fence(broken)
    with pytest.raises(PluginError, match=r"docs/concepts/example\.md:7: Mermaid cannot draw this diagram: .*(Parse|error)"):
        diagrams.on_page_content(html, fake_page(markdown), None, None)


def test_without_a_browser_diagrams_stay_source_for_the_reader(tmp_path, monkeypatch):
    monkeypatch.setattr(diagrams, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setenv("GUIDE_DIAGRAMS", "client")
    monkeypatch.setattr(diagrams, "state", diagrams.Diagrams(fake_config()))
    html = fence(TRICKY)
    assert diagrams.on_page_content(html, fake_page(""), None, None) == html


def test_a_build_that_must_draw_fails_without_a_browser(tmp_path, monkeypatch):
    monkeypatch.setattr(diagrams, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(diagrams, "CHROMIUM", str(tmp_path / "no-such-chromium"))
    monkeypatch.setenv("GUIDE_DIAGRAMS", "build")
    monkeypatch.setattr(diagrams, "state", diagrams.Diagrams(fake_config()))
    with pytest.raises(PluginError, match="GUIDE_DIAGRAMS=build, but diagrams cannot be drawn: no Chromium"):
        diagrams.on_page_content(fence(TRICKY), fake_page(""), None, None)


def test_the_build_uses_mkdocs_yml_arguments(site):
    # The arguments mermaid2 passes to the reader's browser are the ones the build
    # draws with, and they keep Mermaid's strict security level.
    text = (site / url_of(next(p for p in doc_pages() if mermaid_blocks(p.read_text(encoding="utf-8"))))
            / "index.html").read_text(encoding="utf-8")
    assert re.search(r"mermaid\.initialize\(\{[^}]*securityLevel[\"']?\s*:\s*[\"']strict", text)


# --------------------------------------------------------------------------- the built site

def test_every_diagram_in_the_built_site_was_drawn_at_build_time(site):
    needs_chromium()
    missing = []
    for html in sorted(site.rglob("*.html")):
        text = html.read_text(encoding="utf-8")
        for match in re.finditer(r'<div class="mermaid"[^>]*>', text):
            if 'data-diagram="rendered"' not in match[0]:
                missing.append(html.relative_to(site).as_posix())
    assert not missing, f"diagrams left for the reader's browser on: {sorted(set(missing))}"


def test_built_diagrams_follow_a_palette_switch(browser, server):
    page_file = next(p for p in doc_pages() if mermaid_blocks(p.read_text(encoding="utf-8")))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    page = context.new_page()
    page.goto(server + url_of(page_file))
    visible = """() => [...document.querySelector('div.mermaid').children]
                   .filter(s => s.getBoundingClientRect().width > 0).map(s => s.getAttribute('class'))"""
    light = page.evaluate(visible)
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    dark = page.evaluate(visible)
    context.close()
    assert len(light) == 1 and "diagram-light" in light[0], light
    assert len(dark) == 1 and "diagram-dark" in dark[0], dark


# --------------------------------------------------------------------------- the fallback

FILLER = "\n\n".join(f"Paragraph {i} of filler so that the last diagram starts far below the first screen." for i in range(80))
CLIENT_PAGE = f"""---
title: Diagrams in the browser
description: A page whose diagrams the build leaves for the reader's browser to render lazily.
kind: guide
tags: [test]
---

# Diagrams in the browser

```mermaid
{TRICKY}```

{FILLER}

```mermaid
sequenceDiagram
  accTitle: Far below
  accDescr: Rendered only when scrolled to
  Client->>Server: request
  Server-->>Client: response
```
"""

BUILD = textwrap.dedent("""
    import sys
    from mkdocs.config import load_config
    from mkdocs.commands.build import build
    docs, site = sys.argv[1], sys.argv[2]
    hooks = ["overrides/hooks/vendor_assets.py", "overrides/hooks/diagrams.py",
             "overrides/hooks/mermaid2_scope.py", "overrides/hooks/search_exclude.py"]
    config = load_config("mkdocs.yml", docs_dir=docs, site_dir=site, nav=[{"Diagrams": "index.md"}],
                         hooks=[h for h in hooks], strict=True)
    build(config)
""")


@pytest.fixture(scope="module")
def client_site(tmp_path_factory, browser):
    root = tmp_path_factory.mktemp("client")
    shutil.copytree(ROOT / "docs" / "assets", root / "docs" / "assets")  # the loader, CSS and scripts
    (root / "docs" / "index.md").write_text(CLIENT_PAGE, encoding="utf-8")
    env = dict(os.environ, GUIDE_DIAGRAMS="client", NO_MKDOCS_2_WARNING="1")
    env.setdefault("GUIDE_CACHE_DIR", str(ROOT / ".cache"))
    result = subprocess.run([sys.executable, "-c", BUILD, str(root / "docs"), str(root / "site")], cwd=ROOT,
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    httpd, url = serve(root / "site")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.requests, context.errors = [], []
    host = urlsplit(url).netloc
    context.route("**/*", lambda r: r.continue_() if urlsplit(r.request.url).netloc == host else r.abort())
    context.on("request", lambda q: context.requests.append(q.url))
    yield SimpleNamespace(url=url, context=context)
    context.close()
    httpd.shutdown()


def open_client_page(client_site):
    page = client_site.context.new_page()
    page.on("console", lambda m: client_site.context.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: client_site.context.errors.append(str(e)))
    page.goto(client_site.url, wait_until="load")
    return page


def test_fallback_renders_lazily_as_the_reader_scrolls(client_site):
    page = open_client_page(client_site)
    first, last = page.locator("div.mermaid").first, page.locator("div.mermaid").last
    page.wait_for_function("el => el.getAttribute('data-diagram') === 'rendered'", arg=first.element_handle())
    assert last.get_attribute("data-diagram") == "pending", "a diagram far below must wait until it nears the screen"
    last.scroll_into_view_if_needed()
    page.wait_for_function("el => el.getAttribute('data-diagram') === 'rendered'", arg=last.element_handle())
    assert page.locator("div.mermaid svg[aria-roledescription]").count() == 2
    assert any("/assets/vendor/mermaid/" in r for r in client_site.context.requests)
    assert page.evaluate("window.guideDiagrams.options.securityLevel") == "strict"
    page.close()
    assert not client_site.context.errors, client_site.context.errors


def test_fallback_hands_mermaid_the_fence_text_byte_for_byte(client_site):
    page = client_site.context.new_page()
    page.route("**/diagrams.js", lambda route: route.abort())  # keep the source unrendered
    page.goto(client_site.url)
    found = page.evaluate("[...document.querySelectorAll('div.mermaid')].map(e => e.textContent)")
    page.close()
    expected = [b.source for b in mermaid_blocks(CLIENT_PAGE)]
    assert [f.rstrip("\n") for f in found] == [e.rstrip("\n") for e in expected]


# A diagram's CSS without its (per-render) element id: what changes with the theme.
STYLE = "el => { const s = el.querySelector('svg'); return s.querySelector('style').textContent.replaceAll(s.id, 'svg'); }"


def test_fallback_redraws_on_a_palette_switch(client_site):
    page = open_client_page(client_site)
    first = page.locator("div.mermaid").first
    page.wait_for_function("el => el.getAttribute('data-diagram') === 'rendered'", arg=first.element_handle())
    before = page.evaluate("el => el.querySelector('svg').id", first.element_handle())
    light = page.evaluate(STYLE, first.element_handle())
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    page.wait_for_function("([el, id]) => el.querySelector('svg') && el.querySelector('svg').id !== id",
                           arg=[first.element_handle(), before])
    dark = page.evaluate(STYLE, first.element_handle())
    page.close()
    assert dark != light, "after switching to the dark palette the diagram must be drawn with other colors"
