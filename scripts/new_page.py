"""Create a page from its template and add it to the navigation.

    python scripts/new_page.py case-study video-recommendation --title "Video recommendation"
    python scripts/new_page.py concept feature-stores --title "Feature stores and training-serving skew"

The page is written to docs/<section>/<slug>.md from templates/<kind>.md, and an
entry is appended to its section in mkdocs.yml (the section is created, in the
guide's order, if it is not there yet). mkdocs.yml is edited with ruamel.yaml's
round-trip mode, so its comments and !!python/name tags survive. An existing
page is never overwritten.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]

# kind -> (folder under docs/, nav section title)
KINDS = {
    "guide": ("start-here", "Start here"),
    "framework": ("framework", "Framework"),
    "case-study": ("case-studies", "Case studies"),
    "concept": ("concepts", "Concepts"),
    "reference": ("reference", "Reference"),
    "practice": ("practice", "Practice"),
    "mock-interview": ("practice/mock-interviews", "Practice/Mock interviews"),
}
NAV_ORDER = ["Home", "Start here", "Framework", "Case studies", "Concepts", "Reference", "Practice", "Contributing"]
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CASE_INDEX = """---
title: Case studies
description: Worked ML system design problems, each taken through the seven steps the way a strong candidate would in 45 minutes.
kind: guide
tags: [case-study]
---

# Case studies

Each case study follows the same sections in the same order, so you can compare how the
framework bends to different problems. The table is generated from each page's front matter.

<!-- case-studies-table -->
"""


class ScaffoldError(Exception):
    pass


def yaml_round_trip() -> YAML:
    yaml = YAML()  # round-trip: keeps comments, order, quotes and tags
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def page_text(kind: str, title: str, root: Path) -> str:
    template = (root / "templates" / f"{kind}.md").read_text(encoding="utf-8")
    # Drop the template's own rules block from the front matter.
    template = re.sub(r"\Atemplate:\n(?:[ \t]+.*\n)+", "", template.replace("---\n", "", 1))
    template = "---\n" + template
    return template.replace('"TITLE"', _quote(title)).replace("TITLE", title)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def add_to_nav(config_path: Path, section: str, title: str, uri: str, extra_first: tuple[str, str] | None = None) -> None:
    yaml = yaml_round_trip()
    config = yaml.load(config_path.read_text(encoding="utf-8"))
    nav = config["nav"]
    section, _, subsection = section.partition("/")  # "Practice/Mock interviews": a group inside a section
    titles = [next(iter(item)) if isinstance(item, dict) else None for item in nav]
    if section in titles:
        entries = nav[titles.index(section)][section]
    else:
        position = len(nav)
        for index, existing in enumerate(titles):
            if existing in NAV_ORDER and NAV_ORDER.index(existing) > NAV_ORDER.index(section):
                position = index
                break
        entries = []
        nav.insert(position, {section: entries})
        entries = nav[position][section]
    if subsection:
        names = [next(iter(item)) if isinstance(item, dict) else None for item in entries]
        if subsection not in names:
            entries.append({subsection: []})
            names.append(subsection)
        entries = entries[names.index(subsection)][subsection]
    if extra_first and all(extra_first[1] not in (e.values() if isinstance(e, dict) else [e]) for e in entries):
        entries.insert(0, extra_first[1])
    entries.append({title: uri})
    with config_path.open("w", encoding="utf-8") as handle:
        yaml.dump(config, handle)


def create(kind: str, slug: str, title: str, root: Path = ROOT) -> Path:
    if kind not in KINDS:
        raise ScaffoldError(f"unknown kind '{kind}'; choose one of: {', '.join(KINDS)}")
    if not SLUG.match(slug):
        raise ScaffoldError(
            f"bad slug '{slug}': use lowercase letters, digits and single hyphens, e.g. 'video-recommendation'"
        )
    if not title.strip():
        raise ScaffoldError("the title must not be empty")
    folder, section = KINDS[kind]
    page = root / "docs" / folder / f"{slug}.md"
    if page.exists():
        raise ScaffoldError(f"{page.relative_to(root)} already exists; not overwriting it")
    page.parent.mkdir(parents=True, exist_ok=True)
    extra = None
    if kind == "case-study":
        index = root / "docs" / folder / "index.md"
        if not index.exists():
            index.write_text(CASE_INDEX, encoding="utf-8")
        extra = ("index", f"{folder}/index.md")
    page.write_text(page_text(kind, title.strip(), root), encoding="utf-8")
    add_to_nav(root / "mkdocs.yml", section, title.strip(), f"{folder}/{slug}.md", extra)
    return page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", help=", ".join(KINDS))
    parser.add_argument("slug", help="file name without .md, e.g. video-recommendation")
    parser.add_argument("--title", required=True, help="page title, e.g. 'Video recommendation'")
    args = parser.parse_args(argv)
    try:
        page = create(args.kind, args.slug, args.title)
    except ScaffoldError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"created {page.relative_to(ROOT)} and added it to the nav in mkdocs.yml")
    print("next: write it (CONTRIBUTING.md), then run: python3 scripts/dev.py test")
    return 0


if __name__ == "__main__":
    sys.exit(main())
