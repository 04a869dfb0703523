"""Give mkdocs-mermaid2-plugin only the part of each page it works on.

MkDocs hook. mermaid2's ``on_post_page`` parses the whole rendered page with
BeautifulSoup to find ``div.mermaid`` elements, appends its ``<script>`` tags
(the loader and ``mermaid.initialize({...})``) to ``<body>``, and serializes the
page again. On this guide that was 5 s of a 14 s build, spent re-parsing HTML
that mermaid2 never changes. This hook wraps that one event: on a page whose
article has a diagram, mermaid2 runs on a minimal document holding one empty
``<div class="mermaid">``, and the tags it appends there are moved to the end
of the real page's body, where mermaid2 would have put them. Pages without a
diagram skip mermaid2, as they did before. What the scripts are and which pages
get them is still decided by mermaid2; the page's own HTML is left byte for byte.
"""
from __future__ import annotations

import re

from mkdocs.exceptions import PluginError

ARTICLE = re.compile(r'(<article class="md-content__inner[^"]*">)(?P<content>.*)(</article>)', re.S)
STAND_IN = '<div class="mermaid"></div>'
SHELL = f"<html><head></head><body>{STAND_IN}</body></html>"


def scoped(original):
    """mermaid2's on_post_page, run on a minimal document instead of the page."""

    def on_post_page(output: str, *, page, config, **kwargs) -> str:
        match = ARTICLE.search(output)
        if not match or 'class="mermaid"' not in match["content"]:
            return output  # no diagram on the page: nothing for mermaid2 to add
        result = original(SHELL, page=page, config=config, **kwargs)
        start, end = result.find(STAND_IN), result.rfind("</body>")
        if start < 0 or end < 0 or "</body>" not in output:
            raise PluginError(f"docs/{page.file.src_uri}: mermaid2's output has an unexpected shape: {result[:200]}")
        added = result[start + len(STAND_IN): end]
        return output.replace("</body>", added + "</body>", 1)

    return on_post_page


def on_config(config):
    plugin = config.plugins.get("mermaid2")
    if plugin is None:
        return config
    events = config.plugins.events["post_page"]
    for index, method in enumerate(events):
        if getattr(method, "__self__", None) is plugin:
            events[index] = scoped(method)
    return config
