"""Export the guide's self-check questions as flashcards: an Anki deck and a CSV.

    .venv/bin/python scripts/flashcards.py              # writes dist/flashcards/
    .venv/bin/python scripts/flashcards.py --out DIR

The Markdown is the single source. A card is a collapsible question
(``??? question "..."`` followed by its answer indented four spaces) in the
section of a page that the page's template names as its questions section
("Self-check" on framework and concept pages, "Interviewer follow-ups" on case
studies), or in a "Self-check" section of a guide or reference page. Mock
interview kits are left out on purpose: their questions stay fresh for the mock.

The deck has one sub-deck per part of the guide (Framework, Concepts, Case
studies, ...) and a tag per page. Every note's id comes from its page and
question, so importing a newer deck updates the cards instead of duplicating
them. Links in answers point at the published site (``site_url``).

The site build uses the same code (overrides/hooks/flashcards.py): it
publishes the deck and the CSV with the site and renders the in-site cards.
A question without an answer, or a page whose front matter cannot be read,
stops the export with the file and line.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "overrides" / "hooks"))
from guide_markdown import headings, load_yaml, scan, split_front_matter  # noqa: E402

DOCS = ROOT / "docs"
DECK_NAME = "ML System Design Interview Guide"
# The guide's parts, in reading order: docs/ folder -> sub-deck name.
PARTS = {"start-here": "Start here", "framework": "Framework", "concepts": "Concepts",
         "case-studies": "Case studies", "reference": "Reference"}
EXCLUDED_KINDS = {"mock-interview"}
QUESTION = re.compile(r'^\?\?\?\+?\s+question\s+"(?P<text>(?:[^"\\]|\\.)*)"\s*$')  # \" inside is a quote
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")
# Fixed ids: Anki recognizes the note type and decks across versions of the deck.
MODEL_ID = 1_607_392_319
CSS = """.card { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; font-size: 18px;
  line-height: 1.45; text-align: left; color: #1d1d1f; background: #fff; max-width: 40em; margin: 0 auto; }
.source { margin-top: 1.5em; font-size: 14px; color: #555; }"""


class FlashcardError(Exception):
    """A page the exporter cannot read; the message starts with file:line."""


@dataclass
class Card:
    page: str            # docs-relative path, e.g. "framework/evaluation.md"
    line: int            # line of the question in that file
    question: str
    answer: str          # Markdown, dedented; links still relative to the page
    part: str            # sub-deck, e.g. "Framework"
    page_title: str
    section: str         # the H2 the question sits in
    tags: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Stable across exports: the page and a slug of the question."""
        slug = re.sub(r"[^a-z0-9]+", "-", self.question.lower()).strip("-")[:80]
        return f"{self.page}#{slug}"


def template_sections(root: Path = ROOT) -> dict[str, str]:
    """kind -> the H2 its template names as the questions section."""
    found = {}
    for path in sorted((root / "templates").glob("*.md")):
        meta, _, _ = split_front_matter(path.read_text(encoding="utf-8"))
        section = (meta.get("template") or {}).get("questions_section")
        if section:
            found[meta["kind"]] = section
    return found


def page_cards(path: Path, docs: Path = DOCS, sections: dict[str, str] | None = None) -> list[Card]:
    rel = path.relative_to(docs).as_posix()
    text = path.read_text(encoding="utf-8")
    try:
        meta, _, _ = split_front_matter(text)
    except Exception as error:  # YAML errors carry their own position; report the file
        raise FlashcardError(f"docs/{rel}:1: cannot read the front matter: {error}") from error
    kind = meta.get("kind")
    part = PARTS.get(rel.split("/")[0])
    if kind in EXCLUDED_KINDS or part is None:
        return []
    wanted = (sections if sections is not None else template_sections()).get(kind, "Self-check")
    h2 = headings(text, 2)
    start = next((line for line, _, title in h2 if title == wanted), None)
    if start is None:
        return []
    end = next((line for line, _, _ in h2 if line > start), len(text.split("\n")) + 1)
    lines = text.split("\n")
    in_code = {number for number, _, block in scan(text) if block is not None}
    cards: list[Card] = []
    number = start + 1
    while number < end:
        match = QUESTION.match(lines[number - 1]) if number not in in_code else None
        if not match:
            number += 1
            continue
        body, cursor = [], number + 1
        while cursor < end and (not lines[cursor - 1].strip() or lines[cursor - 1].startswith("    ")):
            body.append(lines[cursor - 1][4:])
            cursor += 1
        answer = "\n".join(body).strip("\n")
        if not answer.strip():
            raise FlashcardError(f"docs/{rel}:{number}: question without an answer (indent the answer four spaces "
                                 f"under '??? question \"...\"'): {match['text']}")
        slug = PurePosixPath(rel).with_suffix("").as_posix().replace("/", "::")
        question = re.sub(r'\\(.)', r"\1", match["text"]).strip()
        cards.append(Card(rel, number, question, answer, part, meta.get("title", rel), wanted,
                          tags=[slug, part.lower().replace(" ", "-")]))
        number = cursor
    return cards


def collect(docs: Path = DOCS) -> list[Card]:
    """Every card in the guide, in the order of PARTS, then by page path."""
    sections = template_sections()
    cards = [card for path in sorted(docs.rglob("*.md")) for card in page_cards(path, docs, sections)]
    order = list(PARTS.values())
    return sorted(cards, key=lambda c: (order.index(c.part), c.page, c.line))


def resolve_link(target: str, page: str) -> str | None:
    """A relative .md link in `page` -> the docs-relative path (with #anchor); None for other links."""
    if re.match(r"^[a-z]+:", target) or target.startswith(("#", "/")):
        return None
    path, _, anchor = target.partition("#")
    if not path.endswith(".md"):
        return None
    parts: list[str] = []
    for piece in (PurePosixPath(page).parent / path).parts:
        if piece == "..":
            if parts:
                parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts) + (f"#{anchor}" if anchor else "")


def page_url(doc: str) -> str:
    """docs-relative .md path (with #anchor) -> the site URL path, as MkDocs builds it."""
    path, _, anchor = doc.partition("#")
    stem = path[:-3]
    url = "" if stem == "index" else (stem[:-5] if stem.endswith("/index") else stem + "/")
    return url + (f"#{anchor}" if anchor else "")


def absolute_links(markdown_text: str, page: str, site_url: str) -> str:
    def replace(match: re.Match) -> str:
        doc = resolve_link(match["target"], page)
        return match[0] if doc is None else f"]({site_url.rstrip('/')}/{page_url(doc)})"
    return LINK.sub(replace, markdown_text)


def to_html(markdown_text: str) -> str:
    """An answer's Markdown as HTML for Anki (formulas stay \\(...\\) for Anki's MathJax)."""
    import markdown

    return markdown.markdown(markdown_text, extensions=[
        "tables", "attr_list", "def_list", "md_in_html", "pymdownx.superfences", "pymdownx.details",
        "pymdownx.arithmatex", "pymdownx.tasklist"], extension_configs={"pymdownx.arithmatex": {"generic": True}})


def site_url(root: Path = ROOT) -> str:
    match = re.search(r"^site_url:\s*(\S+)", (root / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    return match[1] if match else ""


def stable_int(text: str) -> int:
    """A 31-bit id from text: the same deck name always gets the same Anki deck id."""
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) >> 1


def anki_package(cards: list[Card], base_url: str) -> bytes:
    """The cards as an Anki .apkg (a sub-deck per part, a tag per page, stable note ids)."""
    import genanki

    model = genanki.Model(
        MODEL_ID, f"{DECK_NAME} card",
        fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Source"}],
        templates=[{"name": "Recall", "qfmt": "{{Question}}",
                    "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}<div class="source">{{Source}}</div>'}],
        css=CSS,
    )
    decks: dict[str, genanki.Deck] = {}
    for card in cards:
        name = f"{DECK_NAME}::{card.part}"
        deck = decks.setdefault(name, genanki.Deck(stable_int(name), name))
        source = f'<a href="{base_url.rstrip("/")}/{page_url(card.page)}">{card.page_title}</a>'
        deck.add_note(genanki.Note(
            model=model,
            fields=[html_escape(card.question), to_html(absolute_links(card.answer, card.page, base_url)), source],
            guid=genanki.guid_for(card.id),
            tags=card.tags,
        ))
    package = genanki.Package(list(decks.values()))
    buffer = io.BytesIO()
    package.write_to_file(buffer)
    return buffer.getvalue()


def csv_text(cards: list[Card], base_url: str) -> str:
    """One row per card: id, part, page, question, answer (Markdown, absolute links), source URL."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "part", "page", "question", "answer", "source"])
    for card in cards:
        writer.writerow([card.id, card.part, card.page_title, card.question,
                         absolute_links(card.answer, card.page, base_url),
                         f"{base_url.rstrip('/')}/{page_url(card.page)}"])
    return out.getvalue()


def html_escape(text: str) -> str:
    import html

    return html.escape(text, quote=False)


DECK_FILE = "ml-system-design-flashcards.apkg"
CSV_FILE = "ml-system-design-flashcards.csv"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / "flashcards", help="output folder")
    args = parser.parse_args(argv)
    try:
        cards = collect()
    except FlashcardError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    base = site_url()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / DECK_FILE).write_bytes(anki_package(cards, base))
    (args.out / CSV_FILE).write_text(csv_text(cards, base), encoding="utf-8")
    parts = {}
    for card in cards:
        parts[card.part] = parts.get(card.part, 0) + 1
    print(f"{len(cards)} cards ({', '.join(f'{k} {v}' for k, v in parts.items())}) -> "
          f"{args.out / DECK_FILE}, {args.out / CSV_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
