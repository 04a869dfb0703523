"""Flashcards from the self-check questions: the in-site page, the Anki deck, the CSV.

MkDocs hook, built on ``scripts/flashcards.py`` (which finds the cards; see its
docstring for the rules). On every build:

- the deck and the CSV are published with the site under ``downloads/``
  (cached in ``.cache/flashcards/`` by content, so an unchanged guide does not
  rebuild the deck);
- the page with the marker line ``<!-- flashcards -->`` gets every card, grouped
  by part of the guide, each a collapsible question with its answer and a link
  to its source. The answers are Markdown rendered by MkDocs like any page, so
  links (rewritten to work from this page) are validated and formulas drawn.
  ``assets/javascripts/flashcards.js``, added to that page only, turns the list
  into a one-card-at-a-time drill with progress kept in the browser; without
  JavaScript the list itself is the fallback.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import flashcards as exporter  # noqa: E402

MARKER = "<!-- flashcards -->"
SCRIPT = "assets/javascripts/flashcards.js"
DOWNLOADS = "downloads"
CACHE_DIR = Path(os.environ.get("GUIDE_CACHE_DIR", ROOT / ".cache")) / "flashcards"

cards: list[exporter.Card] = []


def on_files(files, config):
    global cards
    docs = Path(config.docs_dir)
    try:
        cards = exporter.collect(docs)
    except exporter.FlashcardError as error:
        raise PluginError(str(error)) from error
    base = config.site_url or ""
    key = hashlib.sha256(json.dumps([base, exporter.MODEL_ID, [vars(c) for c in cards]]).encode()).hexdigest()[:24]
    deck = CACHE_DIR / f"{key}.apkg"
    if not deck.exists():
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        deck.write_bytes(exporter.anki_package(cards, base))
    files.append(File.generated(config, f"{DOWNLOADS}/{exporter.DECK_FILE}", abs_src_path=str(deck)))
    files.append(File.generated(config, f"{DOWNLOADS}/{exporter.CSV_FILE}", content=exporter.csv_text(cards, base)))
    return files


def relink(answer: str, card: exporter.Card, from_uri: str) -> str:
    """Rewrite the answer's relative .md links so they work from the flashcards page."""
    def replace(match):
        doc = exporter.resolve_link(match["target"], card.page)
        return match[0] if doc is None else f"]({get_relative_url(doc, from_uri)})"
    return exporter.LINK.sub(replace, answer)


def render(all_cards: list[exporter.Card], from_uri: str) -> str:
    out: list[str] = []
    for part in exporter.PARTS.values():
        group = [c for c in all_cards if c.part == part]
        if not group:
            continue
        out += [f"## {part}", ""]
        for card in group:
            source = get_relative_url(card.page, from_uri)
            section = card.section.lower().replace(" ", "-")
            answer = "\n".join(("    " + line) if line.strip() else "" for line in
                               relink(card.answer, card, from_uri).split("\n"))
            out += [
                f'<div class="flashcard" data-card="{card.id}" data-part="{part}" markdown>',
                "",
                '??? question "' + card.question.replace("\\", "\\\\").replace('"', '\\"') + '"',
                "",
                answer,
                "",
                f"    From [{card.page_title}]({source}#{section}).",
                "",
                "</div>",
                "",
            ]
    return "\n".join(out)


def on_page_markdown(markdown: str, page, config, files) -> str:
    if MARKER not in markdown:
        return markdown
    if not cards:
        raise PluginError(f"docs/{page.file.src_uri}: {MARKER} found but the guide has no self-check questions")
    return markdown.replace(MARKER, render(cards, page.file.src_uri))


def on_post_page(output: str, page, config) -> str:
    if 'class="flashcard"' not in output:
        return output
    src = get_relative_url(SCRIPT, page.url or ".")
    return output.replace("</body>", f'<script src="{src}" defer></script></body>', 1)
