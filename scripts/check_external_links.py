"""Check the external links of a built site online (opt-in; the tests never go online).

    python -m mkdocs build -d site && python scripts/check_external_links.py site

Every distinct http(s) URL found in an href or src of the built pages is
requested (HEAD, then GET when HEAD is refused), a few at a time. Prints each
failure with the pages that use it and exits 1 if any fails. Runs weekly in
.github/workflows/links.yml.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import html.parser
import sys
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

USER_AGENT = "ml-system-design-guide-link-check/1.0 (+docs link checker)"
SKIP_PREFIXES = ("https://github.com/ml-system-design-guide/guide/edit/",)  # edit links of unpublished pages


class LinkParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value and value.startswith(("http://", "https://")):
                self.urls.add(value.split("#")[0])


def external_links(site: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for page in sorted(site.rglob("*.html")):
        parser = LinkParser()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.urls:
            if not url.startswith(SKIP_PREFIXES):
                found[url].add(page.relative_to(site).as_posix())
    return found


def check(url: str, timeout: float = 20.0) -> str | None:
    """None if the URL answers with a success status, else a short reason."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                if response.status < 400:
                    return None
                reason = f"HTTP {response.status}"
        except urllib.error.HTTPError as err:
            reason = f"HTTP {err.code}"
            if err.code in (403, 405, 429) and method == "HEAD":
                continue  # some servers refuse HEAD or bots; try GET once
        except (urllib.error.URLError, TimeoutError, OSError) as err:
            reason = f"unreachable ({getattr(err, 'reason', err)})"
        if method == "GET" or not reason.startswith("HTTP 4"):
            return reason
    return reason


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site folder")
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args(argv)
    links = external_links(args.site)
    with concurrent.futures.ThreadPoolExecutor(args.workers) as pool:
        results = dict(zip(links, pool.map(check, links)))
    failures = {url: reason for url, reason in results.items() if reason}
    for url, reason in sorted(failures.items()):
        print(f"{reason}: {url}\n    used in: {', '.join(sorted(links[url]))}")
    print(f"{len(links)} external links checked, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
