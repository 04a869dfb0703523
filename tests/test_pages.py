"""Guards 5 and 6: front matter, template structure, diagrams per page, unique
titles, self-check questions, citations, and no executable HTML in Markdown.
Every failure names docs/<file>:<line>."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import DOCS, ROOT, doc_pages
from guide_markdown import headings, mermaid_blocks, scan, split_front_matter
import bibliography

PAGES = doc_pages()
IDS = [p.relative_to(ROOT).as_posix() for p in PAGES]
SCHEMA = json.loads((ROOT / "data/schemas/page.schema.json").read_text(encoding="utf-8"))
QUESTION = re.compile(r'^\?\?\?\+?\s+question\s+"(?P<q>[^"]+)"\s*$')


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def front_matter_line(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def load_templates() -> dict[str, dict]:
    templates = {}
    for path in sorted((ROOT / "templates").glob("*.md")):
        meta, body, _ = split_front_matter(path.read_text(encoding="utf-8"))
        rules = meta.pop("template")
        rules["sections_list"] = [title for _, _, title in headings(body, 2)]
        templates[meta["kind"]] = rules
    return templates


TEMPLATES = load_templates()


def questions(text: str, section: str) -> list[tuple[int, str, str]]:
    """(line, question, answer) for each collapsible question under an H2 section."""
    lines = text.split("\n")
    found, inside = [], False
    for number, line, block in scan(text):
        if block is None and line.startswith("## "):
            inside = line[3:].strip() == section
            continue
        if inside and block is None and QUESTION.match(line):
            answer = []
            for following in lines[number:]:
                if following.strip() and not following.startswith("    "):
                    break
                answer.append(following.strip())
            found.append((number, QUESTION.match(line)["q"], " ".join(a for a in answer if a)))
    return found


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_front_matter_schema(page):
    text = page.read_text(encoding="utf-8")
    meta, _, _ = split_front_matter(text)
    errors = sorted(jsonschema.Draft202012Validator(SCHEMA).iter_errors(meta), key=lambda e: list(e.path))
    messages = []
    for error in errors:
        key = error.path[0] if error.path else (re.findall(r"'(\w+)'", error.message) or ["title"])[0]
        messages.append(f"{rel(page)}:{front_matter_line(text, str(key))}: front matter {key}: {error.message}")
    assert not messages, "\n".join(messages)


def test_titles_are_unique():
    seen: dict[str, str] = {}
    clashes = []
    for page in PAGES:
        meta, _, _ = split_front_matter(page.read_text(encoding="utf-8"))
        title = str(meta.get("title", "")).strip().lower()
        if title in seen:
            clashes.append(f"{rel(page)}:2: title '{meta['title']}' is already used by {seen[title]}")
        seen[title] = rel(page)
    assert not clashes, "\n".join(clashes)


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_single_h1_matches_title(page):
    text = page.read_text(encoding="utf-8")
    meta, _, _ = split_front_matter(text)
    h1 = headings(text, 1)
    if not h1:  # a page made of a snippet include, e.g. contributing.md
        assert "--8<--" in text, f"{rel(page)}:1: the page has no '# {meta.get('title')}' heading"
        return
    assert len(h1) == 1, f"{rel(page)}:{h1[1][0]}: more than one H1 heading"
    assert h1[0][2] == meta.get("title"), f"{rel(page)}:{h1[0][0]}: H1 '{h1[0][2]}' differs from title '{meta.get('title')}'"


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_sections_follow_the_template(page):
    text = page.read_text(encoding="utf-8")
    meta, _, _ = split_front_matter(text)
    rules = TEMPLATES[meta["kind"]]
    if rules["sections"] == "free":
        return
    found = headings(text, 2)
    titles = [title for _, _, title in found]
    required = [s for s in rules["sections_list"] if s not in rules.get("optional", [])]
    template = f"templates/{meta['kind']}.md"
    if rules["sections"] == "exact":
        expected = [s for s in rules["sections_list"] if s in required or s in titles]
        assert titles == expected, (
            f"{rel(page)}:{found[0][0] if found else 1}: H2 sections must be exactly those of {template}, in order.\n"
            f"  expected: {expected}\n  found:    {titles}"
        )
        return
    position = 0
    for section in required:
        if section not in titles[position:]:
            where = found[position][0] if position < len(found) else len(text.splitlines())
            missing = "missing" if section not in titles else "out of order"
            pytest.fail(f"{rel(page)}:{where}: section '## {section}' is {missing} ({template} order: {required})", pytrace=False)
        position = titles.index(section, position) + 1


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_enough_diagrams(page):
    text = page.read_text(encoding="utf-8")
    meta, _, _ = split_front_matter(text)
    wanted = TEMPLATES[meta["kind"]].get("min_diagrams", 0)
    count = len(mermaid_blocks(text))
    assert count >= wanted, f"{rel(page)}:1: {count} Mermaid diagram(s); a {meta['kind']} page needs at least {wanted}"


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_self_check_questions(page):
    text = page.read_text(encoding="utf-8")
    meta, _, _ = split_front_matter(text)
    rules = TEMPLATES[meta["kind"]]
    if "questions_section" not in rules:
        return
    found = questions(text, rules["questions_section"])
    assert len(found) >= rules["min_questions"], (
        f"{rel(page)}: '## {rules['questions_section']}' has {len(found)} collapsible questions "
        f"(??? question \"...\"); at least {rules['min_questions']} are required"
    )
    for number, question, answer in found:
        assert len(answer.split()) >= 8, f"{rel(page)}:{number}: question '{question}' has no real answer under it"


@pytest.mark.parametrize("page", [p for p in PAGES if "kind: framework" in p.read_text(encoding="utf-8")],
                         ids=lambda p: rel(p))
def test_framework_pages_link_the_clock(page):
    text = page.read_text(encoding="utf-8")
    assert "the-interview.md#the-45-minute-clock" in text, (
        f"{rel(page)}: a step page states its time and links ../start-here/the-interview.md#the-45-minute-clock"
    )


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_no_template_guidance_left(page):
    for number, line, _ in scan(page.read_text(encoding="utf-8")):
        assert "<!-- guide:" not in line, f"{rel(page)}:{number}: template guidance comment left in the page"


UNSAFE = [
    (re.compile(r"<\s*(script|iframe|object|embed|frame|form|base|meta|link|style)\b", re.I), "raw <{0}> tag"),
    (re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I), "inline event handler"),
    (re.compile(r"\]\(\s*javascript:|href\s*=\s*[\"']?\s*javascript:", re.I), "javascript: URL"),
    # Colors come from the theme only, so both palettes stay readable (and the
    # dark-palette audit can sample pages by the kinds of element they contain).
    (re.compile(r"(?:<[a-z][^>]*|\{[^}]*)\s(style)\s*=", re.I), "inline {0} attribute"),
]
INLINE_CODE = re.compile(r"(`+).+?\1")


@pytest.mark.parametrize("page", PAGES + [ROOT / "CONTRIBUTING.md"], ids=IDS + ["CONTRIBUTING.md"])
def test_no_executable_html(page):
    problems = []
    for number, line, block in scan(page.read_text(encoding="utf-8")):
        if block is not None:
            continue
        prose = INLINE_CODE.sub("", line)
        for pattern, label in UNSAFE:
            match = pattern.search(prose)
            if match:
                problems.append(f"{rel(page)}:{number}: {label.format(*match.groups())} is not allowed in chapters")
    assert not problems, "\n".join(problems)


def test_citations_resolve():
    known = bibliography.load()
    unknown = []
    for page in PAGES:
        for number, key in bibliography.cited_keys(page.read_text(encoding="utf-8")):
            if key not in known:
                unknown.append(f"{rel(page)}:{number}: unknown citation key '@{key}'")
    assert not unknown, "\n".join(unknown)


def test_bibliography_entries_are_well_formed_and_used():
    path = ROOT / "data/bibliography.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    schema = json.loads((ROOT / "data/schemas/bibliography.schema.json").read_text(encoding="utf-8"))
    lines = path.read_text(encoding="utf-8").splitlines()

    def line_of(key: str) -> int:
        return next((i for i, line in enumerate(lines, 1) if line.startswith(f"{key}:")), 1)

    errors = [
        f"data/bibliography.yml:{line_of(str(e.path[0]) if e.path else '')}: {'/'.join(map(str, e.path))}: {e.message}"
        for e in jsonschema.Draft202012Validator(schema).iter_errors(data)
    ]
    cited = {key for page in PAGES for _, key in bibliography.cited_keys(page.read_text(encoding="utf-8"))}
    errors += [f"data/bibliography.yml:{line_of(k)}: '{k}' is cited by no page" for k in data if k not in cited]
    urls: dict[str, str] = {}
    for key, entry in data.items():
        if entry.get("url") in urls:
            errors.append(f"data/bibliography.yml:{line_of(key)}: same URL as '{urls[entry['url']]}' (duplicate entry?)")
        urls[entry.get("url")] = key
    assert not errors, "\n".join(errors)


def test_bibliography_keys_appear_once():
    # YAML loaders keep the last of two equal keys without a word: catch it here.
    first: dict[str, int] = {}
    errors = []
    path = ROOT / "data/bibliography.yml"
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = re.match(r"^([^\s#][^:]*):", line)
        if match:
            key = match[1]
            if key in first:
                errors.append(f"data/bibliography.yml:{number}: '{key}' already defined on line {first[key]}")
            first.setdefault(key, number)
    assert not errors, "\n".join(errors)


def test_glossary_is_well_formed():
    path = ROOT / "data/glossary.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "data/schemas/glossary.schema.json").read_text(encoding="utf-8"))
    errors = [f"data/glossary.yml: entry {e.path[0] if e.path else ''}: {e.message}"
              for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]
    terms = [entry["term"].lower() for entry in data]
    errors += [f"data/glossary.yml: duplicate term '{t}'" for t in set(terms) if terms.count(t) > 1]
    for entry in data:
        if entry.get("see") and not (DOCS / entry["see"].split("#")[0]).is_file():
            errors.append(f"data/glossary.yml: '{entry['term']}' points to missing page {entry['see']}")
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_references_section_is_not_empty(page):
    text = page.read_text(encoding="utf-8")
    heading = [line for line, _, title in headings(text, 2) if title == "References"]
    if heading:
        assert bibliography.cited_keys(text), (
            f"{rel(page)}:{heading[0]}: '## References' is generated from [@key] citations, "
            f"and this page cites nothing: cite the sources it relies on, or remove the heading"
        )


@pytest.mark.parametrize("line", ['<script src="x.js"></script>', '<img src=x onerror="alert(1)">',
                                  "[x](javascript:alert(1))", 'Red text{ style="color: red" }',
                                  '<span style="color:#eee">x</span>'])
def test_unsafe_patterns_catch(line):
    assert any(pattern.search(line) for pattern, _ in UNSAFE), line
