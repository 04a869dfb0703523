"""Glossary: one data file, hover abbreviations on every page.

MkDocs hook. ``data/glossary.yml`` holds every term once. Entries marked
``abbr: true`` (acronyms such as ANN, CTR, NE) become Markdown abbreviations
written to ``includes/abbreviations.md`` (generated, not committed), which
``pymdownx.snippets`` appends to every page, so readers see the expansion on
hover. Ordinary words are never abbreviations, so they are not underlined.
"""
from __future__ import annotations

from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "data" / "glossary.yml"
SNIPPET = ROOT / "includes" / "abbreviations.md"


def load(path: Path = GLOSSARY) -> list[dict]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
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


def on_config(config):
    text = abbreviations(load())
    SNIPPET.parent.mkdir(exist_ok=True)
    if not SNIPPET.exists() or SNIPPET.read_text(encoding="utf-8") != text:
        SNIPPET.write_text(text, encoding="utf-8")
    # Snippet paths are relative to the working directory; anchor them to the
    # project so `mkdocs build -f path/to/mkdocs.yml` works from anywhere.
    snippets = config.mdx_configs.setdefault("pymdownx.snippets", {})
    base = Path(config.config_file_path).parent
    snippets["base_path"] = [str((base / p).resolve()) for p in snippets.get("base_path", ["."])]
    return config
