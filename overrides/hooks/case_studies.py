"""The case-studies index table, generated from the case studies' front matter.

MkDocs hook. The page ``case-studies/index.md`` contains the marker line
``<!-- case-studies-table -->``; the hook replaces it with a table built from
every page in ``case-studies/`` whose front matter says ``kind: case-study``
(title, ML task, difficulty, techniques). Adding a case study therefore touches
only its own page and the nav, never the index.
"""
from __future__ import annotations

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data

MARKER = "<!-- case-studies-table -->"
SECTION = "case-studies/"
DIFFICULTY_ORDER = {"easy": 0, "medium": 1, "hard": 2}


def case_studies(files) -> list[tuple[str, dict]]:
    found = []
    for file in files.documentation_pages():
        if file.src_uri.startswith(SECTION) and file.src_uri != SECTION + "index.md":
            _, meta = get_data(file.content_string)
            if meta.get("kind") == "case-study":
                found.append((file.src_uri, meta))
    return found


def table(entries: list[tuple[str, dict]], from_uri: str) -> str:
    if not entries:
        raise PluginError(f"docs/{from_uri}: {MARKER} found but there is no case study yet")
    rows = [
        "| Case study | ML task | Difficulty | Key techniques |",
        "| --- | --- | --- | --- |",
    ]
    ordered = sorted(entries, key=lambda e: (DIFFICULTY_ORDER.get(e[1].get("difficulty"), 9), e[1]["title"]))
    for uri, meta in ordered:
        link = get_relative_url(uri, from_uri)
        techniques = ", ".join(meta.get("techniques", []))
        rows.append(f"| [{meta['title']}]({link}) | {meta.get('ml_task', '')} | {meta.get('difficulty', '')} | {techniques} |")
    return "\n".join(rows)


def on_page_markdown(markdown: str, page, config, files) -> str:
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, table(case_studies(files), page.file.src_uri))
