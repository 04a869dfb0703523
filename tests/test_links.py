"""Guard 2: every internal link, script and image of the built site resolves,
fragment included; external links are well-formed https:// (no network here:
scripts/check_external_links.py checks them online, weekly in CI)."""
from __future__ import annotations

import html.parser
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import yaml

from conftest import ROOT, built_pages, source_of

SITE_PATH = urlsplit(yaml.safe_load(
    re.sub(r"!!python/name:\S+", "null", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
)["site_url"]).path


class Collector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[int, str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("id", "name"):
            if attrs.get(name):
                self.ids.add(attrs[name])
        for name in ("href", "src"):
            if attrs.get(name) and tag in {"a", "link", "script", "img", "source", "iframe", "use"}:
                self.links.append((self.getpos()[0], tag, attrs[name]))


def parse(path: Path) -> Collector:
    collector = Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def resolve(site: Path, page_url: str, href: str) -> tuple[Path, str]:
    """File and fragment an internal link points to."""
    if href.startswith("/"):
        href = "/" + href[len(SITE_PATH):] if href.startswith(SITE_PATH) else href
        target = urljoin("http://site/", href)
    else:
        target = urljoin("http://site/" + page_url, href)
    parts = urlsplit(target)
    path = site / unquote(parts.path.lstrip("/"))
    if parts.path.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, unquote(parts.fragment)


def test_internal_links_and_fragments_resolve(site):
    cache: dict[Path, Collector] = {}

    def parsed(file: Path) -> Collector:
        if file not in cache:
            cache[file] = parse(file)
        return cache[file]

    broken = []
    for page_url in built_pages(site):
        file = site / (page_url + "index.html" if page_url.endswith("/") or page_url == "" else page_url)
        collector = parsed(file)
        for line, tag, href in collector.links:
            if re.match(r"^[a-z][a-z0-9+.-]*:", href) and not href.startswith(("http:", "https:")):
                if not href.startswith(("mailto:", "data:")):
                    broken.append(f"{source_of(page_url)} (built line {line}): unexpected scheme in {href}")
                continue
            if href.startswith(("http://", "https://", "//")):
                continue
            target, fragment = resolve(site, page_url, href)
            if not target.is_file():
                broken.append(f"{source_of(page_url)} (built line {line}): <{tag}> {href} -> missing {target.relative_to(site)}")
                continue
            if fragment and target.suffix == ".html":
                ids = parsed(target).ids
                if fragment not in ids:
                    broken.append(f"{source_of(page_url)} (built line {line}): {href} -> no id '{fragment}'")
    assert not broken, "broken internal links:\n" + "\n".join(broken)


def test_external_links_are_well_formed_https(site):
    bad = []
    for page_url in built_pages(site):
        file = site / (page_url + "index.html" if page_url.endswith("/") or page_url == "" else page_url)
        for line, tag, href in parse(file).links:
            if href.startswith(("http://", "https://", "//")):
                parts = urlsplit(href)
                if parts.scheme != "https" or "." not in parts.netloc or " " in href:
                    bad.append(f"{source_of(page_url)} (built line {line}): {href}")
    assert not bad, "external links must be well-formed https:// URLs:\n" + "\n".join(bad)


def test_every_nav_page_was_built(site):
    sources = [p for p in (ROOT / "docs").rglob("*.md")]
    for source in sources:
        rel = source.relative_to(ROOT / "docs").with_suffix("")
        built = site / ("index.html" if rel.as_posix() == "index" else
                        (rel.parent / "index.html" if rel.name == "index" else rel / "index.html"))
        assert built.is_file(), f"{source.relative_to(ROOT)}: no page built at {built.relative_to(site)}"
