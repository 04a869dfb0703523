"""Guard 3: every Mermaid block has an accessible title and description and
avoids what Mermaid would silently rewrite. That each one parses with the pinned
Mermaid is checked by the build itself, which draws every diagram in Chromium and
fails with docs/<file>:<line> and Mermaid's message (tests/test_diagram_rendering.py)."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT, doc_pages
from guide_markdown import mermaid_blocks

BLOCKS = [(page, block) for page in doc_pages() for block in mermaid_blocks(page.read_text(encoding="utf-8"))]
IDS = [f"{page.relative_to(ROOT).as_posix()}:{block.line}" for page, block in BLOCKS]
# Mermaid treats "<" followed by a letter as an HTML tag (only <br/> is meant to
# be one) and decodes "#name;" / "#123;" entity codes: both change the text.
TAG = re.compile(r"<(?!br\s*/?>)[A-Za-z/]")
ENTITY = re.compile(r"#[A-Za-z0-9]+;")
# Colors come from the light and dark themes only (see test_site_browser and
# site_audit.color_pages): a hand-picked fill is unreadable in one of the palettes.
STYLING = re.compile(r"^\s*(style|classDef|linkStyle)\s|:::|%%\{\s*init", re.I)


def where(page, block, offset=0) -> str:
    return f"{page.relative_to(ROOT).as_posix()}:{block.line + 1 + offset}"


@pytest.mark.parametrize("page,block", BLOCKS, ids=IDS)
def test_diagram_has_accessible_title_and_description(page, block):
    lines = block.source.splitlines()
    assert any(l.strip().startswith("accTitle:") for l in lines), f"{where(page, block)}: add an 'accTitle: ...' line"
    assert any(l.strip().startswith(("accDescr:", "accDescr {")) for l in lines), \
        f"{where(page, block)}: add an 'accDescr: ...' line"


# Line rules for diagram source: a pattern, and what to tell the author.
LINE_RULES = {
    "theme colors only": (STYLING, "diagrams take their colors from the light and dark themes; "
                                   "remove style/classDef/linkStyle/:::class/init directives"),
    "no tags": (TAG, "'<' followed by a letter is read as an HTML tag by Mermaid; write &lt; (or 'less than') instead"),
    "no entity codes": (ENTITY, "Mermaid decodes '#name;' codes as entities; write &lt; / &amp; style HTML "
                                "entities or plain words"),
}


@pytest.mark.parametrize("rule", LINE_RULES)
@pytest.mark.parametrize("page,block", BLOCKS, ids=IDS)
def test_diagram_source_follows_line_rules(page, block, rule):
    pattern, advice = LINE_RULES[rule]
    for offset, line in enumerate(block.source.splitlines()):
        if pattern.search(line):
            pytest.fail(f"{where(page, block, offset)}: {advice}: {line.strip()}", pytrace=False)


@pytest.mark.parametrize("line", ["  classDef hot fill:#f96", "style A fill:#fff", "linkStyle 0 stroke:red",
                                  "A:::hot --> B", "%%{init: {'theme': 'forest'}}%%"])
def test_styling_pattern_catches(line):
    assert STYLING.search(line), line
