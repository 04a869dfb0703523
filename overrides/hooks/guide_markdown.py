"""Small readers of the guide's Markdown, shared by the hooks, scripts and tests.

Not a hook itself. Everything here ignores fenced code blocks (``` or ~~~, any
indentation), so examples inside code never count as headings, citations or
diagrams. Line numbers are 1-based and count from the top of the file,
front matter included, so messages can point at ``file:line``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

# libyaml's parser when PyYAML has it (it does on every platform with a wheel): ~10x faster.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    return yaml.load(text, Loader=YAML_LOADER)


FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>.+?)\s*#*\s*$")


@dataclass
class Block:
    line: int          # line of the opening fence
    info: str          # info string after the fence, e.g. "mermaid"
    source: str        # the block's content, exactly as written (indent removed)


def split_front_matter(text: str) -> tuple[dict, str, int]:
    """Return (front matter, body, number of lines the front matter takes)."""
    if not text.startswith("---\n"):
        return {}, text, 0
    end = text.find("\n---\n", 4)
    if end == -1:
        raise ValueError("front matter starts with '---' but never ends")
    meta = load_yaml(text[4:end]) or {}
    if not isinstance(meta, dict):
        raise ValueError("front matter is not a mapping")
    offset = text[: end + 5].count("\n")
    return meta, text[end + 5:], offset


def scan(text: str):
    """Yield (line number, line, code block or None) for every line of a page.

    Lines inside a fenced block carry that block; its fences carry it too.
    """
    lines = text.split("\n")
    open_fence = None
    block: Block | None = None
    body: list[str] = []
    for number, line in enumerate(lines, start=1):
        match = FENCE.match(line)
        if open_fence is None and match:
            open_fence = (match["indent"], match["fence"])
            block = Block(number, match["info"].strip(), "")
            body = []
            yield number, line, block
            continue
        if open_fence is not None:
            indent, fence = open_fence
            stripped = line.strip()
            if stripped.startswith(fence[0] * len(fence)) and set(stripped) == {fence[0]}:
                block.source = "\n".join(body) + ("\n" if body else "")
                yield number, line, block
                open_fence, block = None, None
                continue
            body.append(line[len(indent):] if line.startswith(indent) else line.lstrip())
            yield number, line, block
            continue
        yield number, line, None


def code_blocks(text: str) -> list[Block]:
    """All fenced code blocks, with their source complete."""
    seen: list[Block] = []
    for _, _, block in scan(text):
        if block is not None and (not seen or seen[-1] is not block):
            seen.append(block)
    return seen


def mermaid_blocks(text: str) -> list[Block]:
    return [b for b in code_blocks(text) if b.info.split(" ")[0].lstrip(".{") == "mermaid"]


def headings(text: str, level: int | None = None) -> list[tuple[int, int, str]]:
    """(line, level, title) of each ATX heading outside code blocks."""
    found = []
    for number, line, block in scan(text):
        if block is not None:
            continue
        match = HEADING.match(line)
        if match and (level is None or len(match["hashes"]) == level):
            title = re.sub(r"\s*\{[^}]*\}\s*$", "", match["title"])  # drop attr lists
            found.append((number, len(match["hashes"]), title))
    return found


def read_page(path: Path) -> tuple[dict, str]:
    """Front matter and full text of a page."""
    text = path.read_text(encoding="utf-8")
    meta, _, _ = split_front_matter(text)
    return meta, text
