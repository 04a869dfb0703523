"""The practice material: study plans, question bank, mock interview kits, flashcards.

- every study plan covers the seven framework steps and a case study per domain;
- the question bank data is valid, and its page filters rows in Chromium;
- at least six mock interview kits, each in its own domain;
- the flashcard exporter reads every self-check question (errors name file and
  line), and the Anki deck it writes reads back with stable note ids;
- the built site publishes the deck and CSV, and the flashcard drill keeps a
  reader's progress across a reload.
"""
from __future__ import annotations

import csv
import io
import re
import sqlite3
import zipfile

import pytest
from mkdocs.exceptions import PluginError

import flashcards
import question_bank
from conftest import DOCS, ROOT, url_of
from guide_markdown import headings, read_page, scan

STEPS = ["clarify-requirements", "frame-the-problem", "data-and-features", "model-development", "evaluation",
         "deployment-and-serving", "monitoring"]
PLANS_PAGE = DOCS / "start-here" / "how-to-use.md"


def case_domains() -> dict[str, str]:
    """case-studies/<slug>.md -> its domain (front matter)."""
    found = {}
    for path in sorted((DOCS / "case-studies").glob("*.md")):
        meta, _ = read_page(path)
        if meta.get("kind") == "case-study":
            found[f"case-studies/{path.name}"] = meta["domain"]
    return found


def plan_sections() -> dict[str, list[str]]:
    """H2 sections of the study plans page whose title names a plan -> the docs pages they link to."""
    text = PLANS_PAGE.read_text(encoding="utf-8")
    lines = text.split("\n")
    h2 = headings(text, 2)
    plans = {}
    for index, (line, _, title) in enumerate(h2):
        if "plan" not in title.lower() or title.lower().startswith("choosing"):
            continue
        end = h2[index + 1][0] if index + 1 < len(h2) else len(lines) + 1
        body = "\n".join(lines[line:end - 1])
        targets = [flashcards.resolve_link(t, "start-here/how-to-use.md") for t in re.findall(r"\]\(([^)\s]+)\)", body)]
        plans[title] = [t.split("#")[0] for t in targets if t]
    return plans


def test_there_are_two_day_one_week_and_three_week_plans():
    titles = [t.lower() for t in plan_sections()]
    for wanted in ("two-day", "one-week", "three-week"):
        assert any(wanted in t for t in titles), f"docs/start-here/how-to-use.md: no '{wanted}' plan among {titles}"


@pytest.mark.parametrize("plan", list(plan_sections()))
def test_each_plan_covers_the_framework_and_every_domain(plan):
    linked = set(plan_sections()[plan])
    missing = [s for s in STEPS if f"framework/{s}.md" not in linked]
    assert not missing, f"docs/start-here/how-to-use.md: '{plan}' does not link framework steps {missing}"
    domains = case_domains()
    uncovered = sorted(set(domains.values()) - {domains[t] for t in linked if t in domains})
    assert not uncovered, f"docs/start-here/how-to-use.md: '{plan}' links no case study in domains {uncovered}"


# --------------------------------------------------------------------------- question bank

def test_question_bank_data_is_valid_and_covers_every_domain():
    entries = question_bank.load()
    assert len(entries) >= 60
    domains = {e["domain"] for e in entries}
    assert domains == set(question_bank.DOMAIN_LABELS), f"domains without prompts: {set(question_bank.DOMAIN_LABELS) - domains}"
    for domain in domains:
        levels = {e["difficulty"] for e in entries if e["domain"] == domain}
        assert len(levels) >= 2, f"{domain}: prompts of one difficulty only"


def test_question_bank_errors_name_the_file_and_entry_line(tmp_path):
    text = (ROOT / "data" / "questions.yml").read_text(encoding="utf-8")
    broken = tmp_path / "questions.yml"
    first_id = re.search(r'^- id: "?([a-z0-9-]+)"?', text, re.M)[1]
    broken.write_text(text.replace("difficulty: \"easy\"", "difficulty: \"trivial\"", 1), encoding="utf-8")
    line = next(n for n, l in enumerate(text.splitlines(), 1) if l.startswith(f'- id: "{first_id}"'))
    with pytest.raises(PluginError, match=rf"questions.yml:{line}: 'trivial' is not one of"):
        question_bank.load(broken)
    broken.write_text(text + text[text.index(f'- id: "{first_id}"'):text.index("\n\n", text.index(f'- id: "{first_id}"'))] + "\n",
                      encoding="utf-8")
    with pytest.raises(PluginError, match=f"duplicate id '{first_id}'"):
        question_bank.load(broken)


def test_built_question_bank_has_a_row_per_prompt_with_its_links(site):
    page = (site / "practice" / "question-bank" / "index.html").read_text(encoding="utf-8")
    entries = question_bank.load()
    rows = re.findall(r'<tr data-difficulty="(\w+)" data-domain="([\w-]+)" id="q-([\w-]+)">', page)
    assert [(r[2], r[1], r[0]) for r in rows] == [(e["id"], e["domain"], e["difficulty"]) for e in entries]
    assert page.count('class="question-filter"') == 1 and "question-bank.js" in page


def test_question_bank_filters_by_domain_and_difficulty(browser, server):
    entries = question_bank.load()
    page = browser.new_page()
    page.goto(server + "practice/question-bank/")
    visible = "() => [...document.querySelectorAll('tr[data-domain]')].filter(r => !r.hidden).map(r => [r.dataset.domain, r.dataset.difficulty])"
    assert len(page.evaluate(visible)) == len(entries)
    page.select_option("select[name=domain]", "vision")
    shown = page.evaluate(visible)
    assert shown and all(d == "vision" for d, _ in shown)
    assert page.locator(".question-count").text_content() == f"{len(shown)} of {len(entries)} prompts"
    page.select_option("select[name=difficulty]", "hard")
    shown = page.evaluate(visible)
    expected = [e for e in entries if e["domain"] == "vision" and e["difficulty"] == "hard"]
    assert shown == [["vision", "hard"]] * len(expected)
    page.close()


# --------------------------------------------------------------------------- mock interview kits

def test_at_least_six_mock_interview_kits_in_different_domains():
    kits = [read_page(p)[0] for p in (DOCS / "practice" / "mock-interviews").glob("*.md")]
    domains = [m["domain"] for m in kits if m.get("kind") == "mock-interview"]
    assert len(domains) >= 6 and len(set(domains)) >= 6, domains


# --------------------------------------------------------------------------- flashcards

def expected_questions() -> int:
    """'??? question' lines in the questions section of every page the deck draws from."""
    sections = flashcards.template_sections()
    total = 0
    for path in DOCS.rglob("*.md"):
        meta, text = read_page(path)
        rel = path.relative_to(DOCS).as_posix()
        if meta.get("kind") in flashcards.EXCLUDED_KINDS or rel.split("/")[0] not in flashcards.PARTS:
            continue
        wanted = sections.get(meta.get("kind"), "Self-check")
        h2 = headings(text, 2)
        start = next((l for l, _, t in h2 if t == wanted), None)
        if start is None:
            continue
        end = next((l for l, _, _ in h2 if l > start), 10**9)
        total += sum(1 for n, line, block in scan(text) if block is None and start < n < end
                     and line.startswith("??? question"))
    return total


def test_every_self_check_question_becomes_one_card():
    cards = flashcards.collect()
    assert len(cards) == expected_questions() and len(cards) >= 200
    assert len({c.id for c in cards}) == len(cards), "card ids must be unique"
    assert {c.part for c in cards} >= {"Framework", "Concepts", "Case studies"}
    assert not any(c.page.startswith("practice/") for c in cards), "mock interview questions stay out of the deck"


def write(tmp_path, name: str, text: str):
    docs = tmp_path / "docs"
    (docs / "concepts").mkdir(parents=True, exist_ok=True)
    (docs / "concepts" / name).write_text(text, encoding="utf-8")
    return docs


def test_a_question_without_an_answer_names_file_and_line(tmp_path):
    docs = write(tmp_path, "x.md", "---\ntitle: X\nkind: concept\n---\n\n# X\n\n## Self-check\n\n"
                                   '??? question "First?"\n\n    Yes.\n\n??? question "Second?"\n\n## References\n')
    with pytest.raises(flashcards.FlashcardError, match=r"docs/concepts/x\.md:14: question without an answer"):
        flashcards.collect(docs)


def test_an_unreadable_page_names_the_file(tmp_path):
    docs = write(tmp_path, "bad.md", "---\ntitle: [unclosed\n---\n\n# Bad\n")
    with pytest.raises(flashcards.FlashcardError, match=r"docs/concepts/bad\.md:1: cannot read the front matter"):
        flashcards.collect(docs)


def read_deck(data: bytes) -> tuple[list[tuple], list[str]]:
    """(guid, fields, tags) of each note, and the deck names, from an .apkg."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        database = archive.read("collection.anki2")
    path = io.BytesIO(database)
    connection = sqlite3.connect(":memory:")
    connection.deserialize(path.getvalue())
    notes = connection.execute("select guid, flds, tags from notes order by id").fetchall()
    import json
    decks = [d["name"] for d in json.loads(connection.execute("select decks from col").fetchone()[0]).values()]
    connection.close()
    return notes, decks


def test_the_anki_deck_reads_back_with_stable_ids_per_part():
    import genanki

    cards = flashcards.collect()
    base = "https://example.org/guide/"
    notes, decks = read_deck(flashcards.anki_package(cards, base))
    assert len(notes) == len(cards)
    assert sorted(n[0] for n in notes) == sorted(genanki.guid_for(c.id) for c in cards)
    again, _ = read_deck(flashcards.anki_package(cards, base))
    assert sorted(n[0] for n in again) == sorted(n[0] for n in notes), "re-exports must keep note ids"
    for part in {c.part for c in cards}:
        assert f"{flashcards.DECK_NAME}::{part}" in decks
    question, answer, source = notes[0][1].split("\x1f")
    assert question and answer.startswith("<") and source.startswith(f'<a href="{base}')
    card = flashcards.Card("framework/evaluation.md", 9, "Which metric?", "See [nDCG](../concepts/evaluation-metrics.md#ndcg).",
                           "Framework", "Step 5: Evaluation", "Self-check")
    (note,), _ = read_deck(flashcards.anki_package([card], base))
    assert f'<a href="{base}concepts/evaluation-metrics/#ndcg">nDCG</a>' in note[1], "answer links point at the site"


def test_the_csv_has_a_row_per_card_with_absolute_links():
    cards = flashcards.collect()
    card = flashcards.Card("case-studies/news-feed.md", 9, "Why?", "Because of [calibration](../concepts/imbalance-and-calibration.md).",
                           "Case studies", "News feed ranking", "Interviewer follow-ups")
    rows = list(csv.DictReader(io.StringIO(flashcards.csv_text(cards + [card], "https://example.org/guide/"))))
    assert len(rows) == len(cards) + 1
    assert rows[-1]["answer"] == "Because of [calibration](https://example.org/guide/concepts/imbalance-and-calibration/)."
    assert not any(re.search(r"\]\((?!https?://)[^)#]+\.md", r["answer"]) for r in rows), "relative links left"


def test_the_built_site_publishes_the_deck_and_lists_every_card(site):
    deck = site / "downloads" / flashcards.DECK_FILE
    notes, _ = read_deck(deck.read_bytes())
    cards = flashcards.collect()
    assert len(notes) == len(cards)
    assert (site / "downloads" / flashcards.CSV_FILE).is_file()
    page = (site / "practice" / "flashcards" / "index.html").read_text(encoding="utf-8")
    assert page.count('<div class="flashcard"') == len(cards)
    assert f'href="../../downloads/{flashcards.DECK_FILE}"' in page
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert '"location":"practice/flashcards/' not in index, "the cards are indexed on their own pages"


def test_flashcard_drill_flips_marks_and_remembers(browser, server):
    context = browser.new_context()
    page = context.new_page()
    url = server + url_of(DOCS / "practice" / "flashcards.md")
    page.goto(url)
    total = len(flashcards.collect())
    progress = page.locator(".flashcard-progress")
    assert progress.text_content().startswith(f"0 of {total} cards known")
    first = page.locator(".flashcard-question").text_content()
    answer = page.locator(".flashcard-answer")
    assert answer.is_hidden()
    reveal = page.get_by_role("button", name="Show answer")
    reveal.focus()
    page.keyboard.press("Enter")                     # keyboard only: reveal ...
    assert answer.is_visible() and answer.text_content().strip()
    assert page.evaluate("document.activeElement.textContent") == "I knew it"
    page.keyboard.press("Enter")                     # ... and mark it known
    assert progress.text_content().startswith(f"1 of {total} cards known")
    assert page.locator(".flashcard-question").text_content() != first
    page.reload()
    assert progress.text_content().startswith(f"1 of {total} cards known"), "progress must survive a reload"
    assert page.locator(".flashcard-question").text_content() != first, "a known card leaves the round"
    page.select_option("select[name=part]", "Case studies")
    cases = sum(1 for c in flashcards.collect() if c.part == "Case studies")
    assert progress.text_content().startswith(f"0 of {cases} cards known")
    page.get_by_role("button", name="Reset progress").click()
    page.select_option("select[name=part]", "")
    assert progress.text_content().startswith(f"0 of {total} cards known")
    context.close()
