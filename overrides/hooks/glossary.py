"""Glossary: one data file, the glossary page and hover abbreviations.

MkDocs hook. ``data/glossary.yml`` holds every term once. It generates:

- the glossary page: the marker line ``<!-- glossary -->`` in
  ``reference/glossary.md`` becomes the terms, A to Z, each with its definition,
  its synonyms (so search finds "as-of join" on "point-in-time join") and a link
  to the page that owns the topic;
- hover abbreviations: entries marked ``abbr: true`` (acronyms such as ANN,
  CTR, NE) are written to ``includes/abbreviations.md`` (generated, not
  committed), which ``pymdownx.snippets`` appends to every page. Ordinary words
  are never abbreviations, so they are not underlined everywhere.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from guide_markdown import load_yaml

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "data" / "glossary.yml"
SNIPPET = ROOT / "includes" / "abbreviations.md"


def load(path: Path = GLOSSARY) -> list[dict]:
    entries = load_yaml(path.read_text(encoding="utf-8")) or []
    if not isinstance(entries, list):
        raise PluginError(f"{path}: expected a list of entries")
    return entries


def abbreviations(entries: list[dict]) -> str:
    lines = [
        "<!-- Generated from data/glossary.yml by overrides/hooks/glossary.py. Do not edit. -->",
        "",
    ]
    for entry in sorted(entries, key=lambda e: e["term"].lower()):
        if entry.get("abbr"):
            expansion = entry["expansion"].replace("]", ")").strip()
            lines.append(f"*[{entry['term']}]: {expansion}")
    return "\n".join(lines) + "\n"


MARKER = "<!-- glossary -->"


def glossary_markdown(entries: list[dict], from_uri: str, titles: dict[str, str]) -> str:
    """The terms as a definition list grouped by initial, links relative to ``from_uri``.

    ``titles`` maps a page (relative to docs/) to its title, for the link text.
    """
    from mkdocs.utils import get_relative_url

    lines: list[str] = []
    initial = None
    for entry in sorted(entries, key=lambda e: e["term"].lower()):
        char = entry["term"][0]
        first = char.upper() if char.isalpha() else "0–9" if char.isdigit() else "Symbols"
        if first != initial:
            initial = first
            lines += [f"## {first}", ""]
        term = entry["term"]
        if entry.get("abbr"):
            term = f"{term} ({entry['expansion']})"
        lines.append(term)
        text = entry["definition"].strip()
        if entry.get("aliases"):
            text += " Also called: " + ", ".join(entry["aliases"]) + "."
        if entry.get("see"):
            if entry["see"] not in titles:
                raise PluginError(f"data/glossary.yml: '{entry['term']}' points to {entry['see']}, which is not a page")
            text += f" See [{titles[entry['see']]}]({get_relative_url(entry['see'], from_uri)})."
        lines += [f":   {text}", ""]
    return "\n".join(lines)


_entries: list[dict] = []


def on_page_markdown(markdown: str, page, config, files) -> str:
    if MARKER not in markdown:
        return markdown
    from mkdocs.utils.meta import get_data

    titles = {f.src_uri: get_data(f.content_string)[1].get("title", f.src_uri) for f in files.documentation_pages()}
    return markdown.replace(MARKER, glossary_markdown(_entries, page.file.src_uri, titles))


def on_config(config):
    global _entries
    _entries = load()
    text = abbreviations(_entries)
    SNIPPET.parent.mkdir(exist_ok=True)
    if not SNIPPET.exists() or SNIPPET.read_text(encoding="utf-8") != text:
        SNIPPET.write_text(text, encoding="utf-8")
    # Snippet paths are relative to the working directory; anchor them to the
    # project so `mkdocs build -f path/to/mkdocs.yml` works from anywhere.
    snippets = config.mdx_configs.setdefault("pymdownx.snippets", {})
    base = Path(config.config_file_path).parent
    snippets["base_path"] = [str((base / p).resolve()) for p in snippets.get("base_path", ["."])]
    return config
