"""Guard 8 (hooks): unit tests for overrides/hooks/*, and the hooks' effect on the built site."""
from __future__ import annotations

from types import SimpleNamespace

import base64
import hashlib
import io
import json
import os
import stat
import tarfile
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

import bibliography
import case_studies
import formulas
import glossary
import guide_markdown
import mermaid2_scope
import search_exclude
import vendor_assets
from conftest import ROOT

BIB = {
    "covington2016deep": {"type": "paper", "authors": ["Paul Covington", "Jay Adams", "Emre Sargin"],
                          "title": "Deep Neural Networks for YouTube Recommendations", "venue": "RecSys 2016",
                          "year": 2016, "url": "https://example.org/a", "arxiv": "1606.07792"},
    "he2014practical": {"type": "paper", "authors": ["Xinran He", "Junfeng Pan"], "title": "Practical Lessons",
                        "venue": "ADKDD 2014", "year": 2014, "url": "https://example.org/b"},
    "uber2017michelangelo": {"type": "blog", "authors": ["Uber Engineering"], "corporate": True,
                             "title": "Meet Michelangelo", "venue": "Uber Engineering Blog", "year": 2017,
                             "url": "https://example.org/c"},
}


# --------------------------------------------------------------------------- guide_markdown

def test_scan_ignores_code_blocks_and_keeps_line_numbers():
    text = "# Title\n\n```python\n## not a heading\n```\n\n## Real\n\n~~~mermaid\nflowchart LR\n  A --> B\n~~~\n"
    assert guide_markdown.headings(text) == [(1, 1, "Title"), (7, 2, "Real")]
    blocks = guide_markdown.mermaid_blocks(text)
    assert len(blocks) == 1 and blocks[0].line == 9
    assert blocks[0].source == "flowchart LR\n  A --> B\n"


def test_indented_fences_inside_admonitions_are_code():
    text = "!!! example\n    ```mermaid\n    flowchart TD\n      X --> Y\n    ```\n"
    block = guide_markdown.mermaid_blocks(text)[0]
    assert block.source == "flowchart TD\n  X --> Y\n"


def test_front_matter_split_counts_lines():
    meta, body, offset = guide_markdown.split_front_matter("---\ntitle: T\nkind: guide\n---\n# T\n")
    assert meta == {"title": "T", "kind": "guide"} and body == "# T\n" and offset == 4


# --------------------------------------------------------------------------- bibliography

def test_short_labels():
    assert bibliography.short_label(BIB["covington2016deep"]) == "Covington et al., 2016"
    assert bibliography.short_label(BIB["he2014practical"]) == "He and Pan, 2014"
    assert bibliography.short_label(BIB["uber2017michelangelo"]) == "Uber Engineering, 2017"


def test_citations_become_links_and_references_are_generated():
    page = "Text [@he2014practical; @covington2016deep] and `[@notakey]`.\n\n```\n[@inside]\n```\n\n## References\n"
    out = bibliography.render(page, "docs/x.md", BIB)
    assert "([He and Pan, 2014](#ref-he2014practical){ .citation }; [Covington et al., 2016](#ref-covington2016deep){ .citation })" in out
    assert "`[@notakey]`" in out and "[@inside]" in out
    refs = out.split("## References", 1)[1]
    assert refs.index("Covington") < refs.index("He, ")  # sorted by first author's surname
    assert "{: #ref-covington2016deep }" in refs and "arXiv: [1606.07792](https://arxiv.org/abs/1606.07792)" in refs


def test_unknown_key_names_file_and_line():
    with pytest.raises(PluginError, match=r"docs/x.md:13: unknown citation key '@nope2020'"):
        bibliography.render("a\n\nb [@nope2020]\n\n## References\n", "docs/x.md", BIB, line_offset=10)


def test_citations_need_a_references_heading():
    with pytest.raises(PluginError, match=r"docs/x.md:1: .*no '## References' heading"):
        bibliography.render("x [@he2014practical]\n", "docs/x.md", BIB)


def test_hand_written_references_are_refused():
    with pytest.raises(PluginError, match="leave '## References' empty"):
        bibliography.render("x [@he2014practical]\n\n## References\n\n- Someone (2020).\n", "docs/x.md", BIB)


def test_citation_line_numbers_count_the_front_matter_mkdocs_strips():
    # MkDocs hands hooks the page without its front matter; errors must still
    # name the line in the file. get_data is what MkDocs uses to strip it.
    from mkdocs.utils.meta import get_data

    source = (ROOT / "docs" / "start-here" / "the-interview.md").read_text(encoding="utf-8").splitlines()
    source.insert(10, "A claim [@missing1999key].")
    source = "\n".join(source) + "\n"
    markdown, _ = get_data(source)
    page = SimpleNamespace(file=SimpleNamespace(src_uri="start-here/the-interview.md", content_string=source,
                                                abs_src_path="docs/start-here/the-interview.md"))
    with pytest.raises(PluginError, match=r"docs/start-here/the-interview\.md:11: unknown citation key '@missing1999key'"):
        bibliography.on_page_markdown(markdown, page, None, None)


# --------------------------------------------------------------------------- glossary

def test_only_acronyms_become_abbreviations():
    text = glossary.abbreviations([
        {"term": "CTR", "expansion": "click-through rate", "definition": "Clicks over impressions.", "abbr": True},
        {"term": "Embedding", "definition": "A dense vector representation."},
    ])
    assert "*[CTR]: click-through rate" in text and "Embedding" not in text


def test_built_pages_explain_acronyms_on_hover(site):
    page = (site / "start-here" / "the-interview" / "index.html").read_text(encoding="utf-8")
    html = page[page.index("<article"): page.index("</article>")]  # the page's own text, not the nav
    terms = [e["term"] for e in glossary.load() if e.get("abbr")]
    used = [t for t in terms if f">{t}<" in html or f" {t} " in html]
    assert used, "expected the interview page to use at least one glossary acronym"
    for term in used:
        assert f">{term}</abbr>" in html, f"{term} is not wrapped in <abbr>"


# --------------------------------------------------------------------------- search exclusion

def test_diagram_source_is_excluded_from_search():
    html = '<p>x</p><div class="mermaid">flowchart LR</div>'
    assert 'data-search-exclude' in search_exclude.on_page_content(html, None, None, None)


def test_search_index_has_no_diagram_source(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"])
    descriptions = [line.split(":", 1)[1].strip()[:60]
                    for page in (ROOT / "docs").rglob("*.md")
                    for block in guide_markdown.mermaid_blocks(page.read_text(encoding="utf-8"))
                    for line in block.source.splitlines() if line.strip().startswith("accDescr:")]
    assert descriptions, "expected diagrams in the docs"
    leaked = [d for d in descriptions if d.replace("&", "&amp;") in text or d in text]
    assert not leaked, f"diagram source found in the search index: {leaked}"


# --------------------------------------------------------------------------- vendored libraries

def make_package(tmp_path: Path, files: dict[str, bytes]) -> Path:
    tarball = tmp_path / "pkg-1.0.0.tgz"
    with tarfile.open(tarball, "w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return tarball


@pytest.fixture
def fake_npm(tmp_path, monkeypatch):
    """An `npm` on PATH whose `pack` copies a prepared tarball, as the real one downloads it."""
    tarball = make_package(tmp_path, {
        "package/dist/lib.min.js": b"console.log('lib');",
        "package/dist/extra.txt": b"not selected",
        "package/../evil.js": b"outside",
    })
    bindir = tmp_path / "bin"
    bindir.mkdir()
    npm = bindir / "npm"
    npm.write_text(
        "#!/bin/sh\n"
        "dest=\"$5\"\n"
        f"cp '{tarball}' \"$dest/pkg-1.0.0.tgz\"\n"
        "echo '[{\"filename\": \"pkg-1.0.0.tgz\"}]'\n"
    )
    npm.chmod(npm.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    return "sha512-" + digest


def test_verified_package_is_extracted_and_cached(tmp_path, fake_npm):
    spec = {"version": "1.0.0", "integrity": fake_npm, "strip": "package/dist/", "files": ["package/dist/*.js"]}
    folder = vendor_assets.ensure_package("pkg", spec, tmp_path / "cache")
    assert sorted(p.name for p in folder.iterdir()) == [".integrity", "lib.min.js"]
    assert not (tmp_path / "cache" / "evil.js").exists()


def test_tampered_package_is_refused(tmp_path, fake_npm):
    spec = {"version": "1.0.0", "integrity": "sha512-" + "A" * 86 + "==", "strip": "package/dist/", "files": ["*"]}
    with pytest.raises(vendor_assets.VendorError, match="does not match"):
        vendor_assets.ensure_package("pkg", spec, tmp_path / "cache")
    assert not (tmp_path / "cache" / "pkg-1.0.0").exists()


def test_package_without_pin_is_refused(tmp_path):
    with pytest.raises(vendor_assets.VendorError, match="no integrity hash"):
        vendor_assets.ensure_package("pkg", {"version": "1.0.0", "integrity": "", "strip": "", "files": []}, tmp_path)


def test_katex_is_linked_only_on_pages_with_formulas():
    class Page:
        url = "framework/evaluation/"
    plain = "<html><head></head><body><p>x</p></body></html>"
    assert vendor_assets.on_post_page(plain, Page(), None) == plain
    math = '<html><head></head><body><span class="arithmatex">\\(x\\)</span></body></html>'
    out = vendor_assets.on_post_page(math, Page(), None)
    assert '<link rel="stylesheet" href="../../assets/vendor/katex/katex-swap.min.css">' in out
    assert out.index("katex-swap.min.css") > out.index("</head>")  # never render-blocking
    assert 'src="../../assets/javascripts/math.js"' in out
    assert "katex.min.js" not in out  # formulas are rendered at build time


# --------------------------------------------------------------------------- mermaid2_scope

class FakePage:
    class file:
        src_uri = "x.md"


def fake_mermaid2(output, *, page, config):
    """What mermaid2 does: parse, find div.mermaid, append scripts to the body."""
    assert len(output) < 200, "mermaid2 must get the minimal document, not the page"
    return output.replace("</body>", "<script src=\"d.js\"></script><script>mermaid.initialize({});</script></body>")


def test_mermaid2_runs_on_a_minimal_document_and_its_tags_reach_the_page():
    article = '<p>text</p><div class="mermaid">flowchart TD\n A --&gt; B</div>' + "<p>more</p>" * 500
    page = f'<html><body><nav>menu</nav><article class="md-content__inner md-typeset">{article}</article></body></html>'
    out = mermaid2_scope.scoped(fake_mermaid2)(page, page=FakePage, config=None)
    assert out == page.replace("</body>", '<script src="d.js"></script><script>mermaid.initialize({});</script></body>')


def test_mermaid2_is_skipped_on_pages_without_diagrams():
    page = '<html><body><article class="md-content__inner md-typeset"><p>mermaid is a word</p></article></body></html>'
    assert mermaid2_scope.scoped(fake_mermaid2)(page, page=FakePage, config=None) == page


def test_built_pages_get_mermaid2_scripts_exactly_where_there_are_diagrams(site):
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        has_diagram = '<div class="mermaid"' in text
        assert text.count("mermaid.initialize(") == (1 if has_diagram else 0), html.relative_to(site)


# --------------------------------------------------------------------------- formulas

def test_formulas_are_rendered_at_build_time_by_the_pinned_katex():
    html = ('<p>A <span class="arithmatex">\\(q = \\frac{p}{p + (1-p)/w}\\)</span> and</p>'
            '<div class="arithmatex">\\[\\sum_i x_i &lt; 1\\]</div>')
    out = formulas.render_page(html, "x", "docs/x.md")
    assert out.count('data-math="rendered"') == 2
    assert '<span class="katex">' in out and 'class="katex-display"' in out
    assert "<math" in out  # MathML for screen readers
    assert "\\frac" not in out.split("<annotation")[0]  # the source survives only as MathML annotation


def test_rendered_formulas_are_cached_on_disk(tmp_path):
    first = formulas.KatexRenderer(tmp_path / "katex.json")
    answer = first.render("x^2", False)
    assert "katex" in answer["html"] and first.process is not None
    first.save()
    second = formulas.KatexRenderer(tmp_path / "katex.json")
    assert second.render("x^2", False) == answer
    assert second.process is None, "a cached formula must not start Node.js"
    broken = formulas.KatexRenderer(tmp_path / "katex.json").render("\\frac{1}{", True)
    assert "error" in broken


def test_a_broken_formula_fails_with_file_and_line():
    source = "---\ntitle: x\n---\n\nText\n\n$$\n\\frac{1}{\n$$\n"
    html = '<div class="arithmatex">\\[\n\\frac{1}{\n\\]</div>'
    with pytest.raises(PluginError, match=r"docs/x.md:8: KaTeX cannot render this formula"):
        formulas.render_page(html, source, "docs/x.md")


def test_built_pages_carry_rendered_formulas_and_no_katex_script(site):
    page = (site / "concepts" / "evaluation-metrics" / "index.html").read_text(encoding="utf-8")
    assert page.count('class="arithmatex" data-math="rendered"') >= 10
    assert 'class="arithmatex">' not in page
    assert "katex.min.js" not in page


def test_pinned_packages_are_served(site):
    lock = json.loads((ROOT / "data" / "vendor.json").read_text(encoding="utf-8"))["packages"]
    assert (site / "assets/vendor/mermaid/mermaid.esm.min.mjs").is_file()
    assert (site / "assets/vendor/katex/katex.min.js").is_file()
    assert all(spec["integrity"].startswith("sha512-") for spec in lock.values())


# --------------------------------------------------------------------------- case-studies index

def test_case_studies_table_orders_by_difficulty_then_title():
    entries = [
        ("case-studies/zeta.md", {"title": "Zeta", "difficulty": "hard", "ml_task": "ranking", "techniques": ["a", "b"]}),
        ("case-studies/beta.md", {"title": "Beta", "difficulty": "medium", "ml_task": "regression", "techniques": ["c", "d"]}),
        ("case-studies/alpha.md", {"title": "Alpha", "difficulty": "hard", "ml_task": "retrieval", "techniques": ["e", "f"]}),
    ]
    rows = case_studies.table(entries, "case-studies/index.md").splitlines()[2:]
    assert [r.split("]")[0] for r in rows] == ["| [Beta", "| [Alpha", "| [Zeta"]
    assert rows[0] == "| [Beta](beta.md) | regression | medium | c, d |"


def test_built_case_studies_index_lists_every_case_study(site):
    page = (site / "case-studies" / "index.html").read_text(encoding="utf-8")
    table = page[page.index("<table>"): page.index("</table>")]
    cases = [p for p in (ROOT / "docs" / "case-studies").glob("*.md")
             if "\nkind: case-study\n" in p.read_text(encoding="utf-8")]
    assert cases, "no case study found"
    for path in cases:
        assert table.count(f'href="{path.stem}/"') == 1, f"{path.name} missing from the generated index"


def test_case_studies_marker_without_cases_is_an_error():
    with pytest.raises(PluginError, match="no case study yet"):
        case_studies.table([], "case-studies/index.md")


def test_glossary_page_lists_every_term_with_its_owner(site):
    html = (site / "reference" / "glossary" / "index.html").read_text(encoding="utf-8")
    entries = glossary.load()
    assert html.count("<dt>") == len(entries)
    owned = next(e for e in entries if e.get("see") and e.get("aliases"))
    assert owned["aliases"][0] in html
    assert 'href="../../' + owned["see"].replace(".md", "/") in html


def test_glossary_groups_terms_by_initial_with_named_headings():
    text = glossary.glossary_markdown(
        [{"term": "3-D Secure", "definition": "x."}, {"term": "ANN", "definition": "y."}, {"term": "ann2", "definition": "z."}],
        "reference/glossary.md", {})
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## 0–9", "## A"]  # never "## #", which Markdown renders as an empty heading


def test_glossary_rejects_a_missing_owner_page():
    with pytest.raises(PluginError, match="not a page"):
        glossary.glossary_markdown([{"term": "X", "definition": "An x.", "see": "concepts/none.md"}],
                                   "reference/glossary.md", {})


# --------------------------------------------------------------------------- accessibility fixes

def test_search_dialog_gets_a_name_and_checkboxes_are_hidden():
    import accessibility

    html = ('<div class="md-search" data-md-component="search" role="dialog">'
            '<label class="task-list-control"><input disabled="" type="checkbox"/></label>'
            '<input type="checkbox" disabled>')
    out = accessibility.on_post_page(html, None, None)
    assert 'role="dialog" aria-label="Search">' in out
    assert out.count('aria-hidden="true"') == 2
    assert accessibility.on_post_page(out, None, None) == out  # idempotent
    assert accessibility.on_post_template(html, "404.html", None) == out
    assert accessibility.on_post_template(html, "sitemap.xml", None) == html
