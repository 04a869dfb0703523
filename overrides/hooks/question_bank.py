"""The question bank page, generated from ``data/questions.yml``.

MkDocs hook. The page containing the marker line ``<!-- question-bank -->``
gets, in its place, a table with one row per prompt (prompt, the first
clarifying questions in a collapsible block, domain, difficulty, the pages that
prepare for it) and a small filter form; ``assets/javascripts/question-bank.js``
(added to that page only) makes the form filter the rows by domain and
difficulty. The table is Markdown inside HTML (``md_in_html``), so MkDocs
validates every "prepare with" link and anchor like any other link, and the
page works without JavaScript: the form stays hidden and every row shows.

The prompts are validated against ``data/schemas/questions.schema.json``; an
error names ``data/questions.yml`` and the line of the entry.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import jsonschema
from markdown.extensions.toc import slugify
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data

from guide_markdown import headings, load_yaml

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "questions.yml"
SCHEMA = ROOT / "data" / "schemas" / "questions.schema.json"
MARKER = "<!-- question-bank -->"
SCRIPT = "assets/javascripts/question-bank.js"

# The domain list is the page schema's (case studies and mock interviews use it too).
DOMAIN_LABELS = {
    "recommendation": "Recommendation", "search": "Search", "vision": "Vision", "nlp-llm": "NLP and LLMs",
    "ads": "Ads", "trust-safety": "Trust and safety", "forecasting": "Forecasting", "platform": "Platform and MLOps",
}
DIFFICULTIES = ["easy", "medium", "hard"]


def load(path: Path = DATA) -> list[dict]:
    """The prompts, validated; errors name the file and the entry's line."""
    text = path.read_text(encoding="utf-8")
    entries = load_yaml(text) or []
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(entries), key=lambda e: list(e.path))
    if errors:
        error = errors[0]
        index = error.path[0] if error.path else None
        raise PluginError(f"{where(text, entries, index, path)}: {error.message}")
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        if entry["id"] in seen:
            raise PluginError(f"{where(text, entries, index, path)}: duplicate id '{entry['id']}'")
        seen.add(entry["id"])
    return entries


def where(text: str, entries, index, path: Path) -> str:
    rel = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
    if isinstance(index, int) and isinstance(entries, list) and isinstance(entries[index], dict):
        wanted = entries[index].get("id")
        for number, line in enumerate(text.splitlines(), start=1):
            if re.match(rf'^-\s+id:\s*"?{re.escape(str(wanted))}"?\s*$', line):
                return f"{rel}:{number}"
    return rel


def labels(files) -> dict[str, str]:
    """'path.md' and 'path.md#anchor' -> a link label: the page title, and the heading's."""
    found: dict[str, str] = {}
    for file in files.documentation_pages():
        text = file.content_string
        _, meta = get_data(text)
        title = meta.get("title") or file.src_uri
        found[file.src_uri] = title
        for _, level, heading in headings(text):
            if level in (2, 3):
                plain = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading)
                found[f"{file.src_uri}#{slugify(plain, '-')}"] = f"{title}: {plain}"
    return found


def render(entries: list[dict], from_uri: str, names: dict[str, str]) -> str:
    def link(target: str) -> str:
        label = names.get(target) or names.get(target.split("#")[0]) or target
        return f"[{label}]({get_relative_url(target, from_uri)})"

    domain_options = "".join(f'<option value="{k}">{html.escape(v)}</option>' for k, v in DOMAIN_LABELS.items()
                             if any(e["domain"] == k for e in entries))
    difficulty_options = "".join(f'<option value="{d}">{d.capitalize()}</option>' for d in DIFFICULTIES)
    out = [
        '<form class="question-filter" hidden>',
        f'<label>Domain <select name="domain"><option value="">All domains</option>{domain_options}</select></label>',
        f'<label>Difficulty <select name="difficulty"><option value="">All levels</option>{difficulty_options}</select></label>',
        f'<p class="question-count" role="status">{len(entries)} prompts</p>',
        "</form>",
        "",
        '<table markdown="1">',
        "<thead><tr><th>Prompt</th><th>Domain</th><th>Level</th><th>Prepare with</th></tr></thead>",
        '<tbody markdown="1">',
    ]
    for entry in entries:
        clarify = "\n".join(f"    {n}. {question}" for n, question in enumerate(entry["clarify"], start=1))
        prepare = "<br>".join(link(target) for target in entry["prepare"])
        out += [
            f'<tr markdown="1" id="q-{entry["id"]}" data-domain="{entry["domain"]}" data-difficulty="{entry["difficulty"]}">',
            '<td markdown="block">',
            entry["prompt"],
            "",
            '??? question "First clarifying questions"',
            "",
            clarify,
            "</td>",
            f'<td>{html.escape(DOMAIN_LABELS[entry["domain"]])}</td>',
            f'<td>{entry["difficulty"]}</td>',
            f'<td markdown="span">{prepare}</td>',
            "</tr>",
        ]
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def on_page_markdown(markdown: str, page, config, files) -> str:
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, render(load(), page.file.src_uri, labels(files)))


def on_post_page(output: str, page, config) -> str:
    if 'class="question-filter"' not in output:
        return output
    src = get_relative_url(SCRIPT, page.url or ".")
    return output.replace("</body>", f'<script src="{src}" defer></script></body>', 1)
