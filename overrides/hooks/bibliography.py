"""Citations: pages cite sources by key, the References section is generated.

MkDocs hook. Sources live once, in ``data/bibliography.yml``. A page cites them
inline with ``[@key]`` or ``[@key1; @key2]``; this hook turns each citation into
an author-year link and fills the page's ``## References`` heading (which must be
left empty in the Markdown) with the cited entries, sorted by author and year.

A citation of an unknown key, citations without a ``## References`` heading, or
a hand-written References list stop the build with the file and line. The entries themselves are validated by the tests against
``data/schemas/bibliography.schema.json``.
"""
from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

from guide_markdown import load_yaml, scan, split_front_matter

ROOT = Path(__file__).resolve().parents[2]
BIBLIOGRAPHY = ROOT / "data" / "bibliography.yml"
CITATION = re.compile(r"\[@(?P<keys>[a-z0-9][a-z0-9_-]*(?:\s*;\s*@[a-z0-9][a-z0-9_-]*)*)\]")
INLINE_CODE = re.compile(r"(`+).+?\1")
COMMENT = re.compile(r"^\s*<!--.*-->\s*$")
REFERENCES = "References"


def load(path: Path = BIBLIOGRAPHY) -> dict[str, dict]:
    data = load_yaml(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise PluginError(f"{path}: expected a mapping of citation keys to entries")
    return data


def short_label(entry: dict) -> str:
    """'Covington et al., 2016' — the in-text form of a citation."""
    authors = entry["authors"]
    if entry.get("corporate"):
        names = authors[0]
    else:
        last = [name.split()[-1] for name in authors]
        if len(last) == 1:
            names = last[0]
        elif len(last) == 2:
            names = f"{last[0]} and {last[1]}"
        else:
            names = f"{last[0]} et al."
    return f"{names}, {entry['year']}"


def full_entry(key: str, entry: dict) -> str:
    """One Markdown list item of the References section."""
    authors = entry["authors"]
    if not entry.get("corporate") and len(authors) > 6:
        authors = authors[:3] + ["et al."]
    parts = [f"{', '.join(authors)} ({entry['year']}).", f"[{entry['title']}]({entry['url']}).", f"*{entry['venue']}*."]
    if entry.get("doi"):
        parts.append(f"DOI: [{entry['doi']}](https://doi.org/{entry['doi']}).")
    if entry.get("arxiv"):
        parts.append(f"arXiv: [{entry['arxiv']}](https://arxiv.org/abs/{entry['arxiv']}).")
    return "- " + " ".join(parts) + f"\n{{: #ref-{key} }}"


def sort_key(key: str, entry: dict) -> tuple:
    first = entry["authors"][0]
    surname = first if entry.get("corporate") else first.split()[-1]
    return (surname.lower(), entry["year"], key)


def cited_keys(text: str) -> list[tuple[int, str]]:
    """(line, key) of every citation outside code, in order of appearance."""
    found = []
    for number, line, block in scan(text):
        if block is not None:
            continue
        for match in CITATION.finditer(INLINE_CODE.sub("", line)):
            for key in re.split(r"\s*;\s*@", match["keys"]):
                found.append((number, key))
    return found


def render(markdown: str, src_path: str, bibliography: dict[str, dict], line_offset: int = 0) -> str:
    """Resolve citations and generate References; raise PluginError naming file:line."""
    citations = cited_keys(markdown)
    for number, key in citations:
        if key not in bibliography:
            raise PluginError(
                f"{src_path}:{number + line_offset}: unknown citation key '@{key}' "
                f"(add it to data/bibliography.yml, confirmed against the source)"
            )
    lines = markdown.split("\n")
    heading_at = None
    for number, line, block in scan(markdown):
        if block is None and re.match(rf"^##\s+{REFERENCES}\s*$", line):
            heading_at = number
    if not citations:
        return markdown  # an empty References section is flagged by the page tests, not here
    if heading_at is None:
        raise PluginError(
            f"{src_path}:{citations[0][0] + line_offset}: the page cites [@{citations[0][1]}] "
            f"but has no '## {REFERENCES}' heading for the generated list"
        )
    tail = lines[heading_at:]
    next_heading = next((i for i, line in enumerate(tail) if re.match(r"^#{1,2}\s", line)), len(tail))
    if any(line.strip() and not COMMENT.match(line) for line in tail[:next_heading]):
        raise PluginError(
            f"{src_path}:{heading_at + line_offset}: leave '## {REFERENCES}' empty; "
            f"the list is generated from the page's [@key] citations"
        )

    def replace(match: re.Match) -> str:
        keys = re.split(r"\s*;\s*@", match["keys"])
        links = "; ".join(f"[{short_label(bibliography[k])}](#ref-{k}){{ .citation }}" for k in keys)
        return f"({links})"

    def outside_code(line: str) -> str:
        pieces, last = [], 0
        for code in INLINE_CODE.finditer(line):
            pieces += [CITATION.sub(replace, line[last:code.start()]), code.group()]
            last = code.end()
        return "".join(pieces) + CITATION.sub(replace, line[last:])

    out = [line if block is not None else outside_code(line) for _, line, block in scan(markdown)]
    unique = sorted(set(k for _, k in citations), key=lambda k: sort_key(k, bibliography[k]))
    generated = "\n".join(full_entry(k, bibliography[k]) for k in unique)
    out[heading_at:heading_at] = ["", generated, ""]
    return "\n".join(out)


# --------------------------------------------------------------------------- hook events

_bibliography: dict[str, dict] = {}


def on_config(config):
    global _bibliography
    _bibliography = load()
    return config


def on_page_markdown(markdown: str, page, config, files) -> str:
    return render(markdown, f"docs/{page.file.src_uri}", _bibliography, line_offset(page, markdown))


def line_offset(page, markdown: str) -> int:
    """Lines MkDocs removed above ``markdown`` (front matter), to report file lines."""
    source = page.file.content_string if page.file.abs_src_path else ""
    if markdown and source.endswith(markdown):
        return source[: len(source) - len(markdown)].count("\n")
    return split_front_matter(source)[2] if source.startswith("---\n") else 0
