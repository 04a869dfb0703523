"""Keep diagram source out of the search index.

MkDocs hook. Mermaid source (``<div class="mermaid">``) is code, not prose: in
the index it bloats every page that has a diagram and makes queries such as
"feature store" match arrows and node ids. Material's search plugin skips any
element carrying ``data-search-exclude``; this hook adds that attribute before
the search plugin reads the page (hence the high priority).
"""
from __future__ import annotations

from mkdocs.plugins import event_priority


@event_priority(100)
def on_page_content(html: str, page, config, files) -> str:
    return html.replace('<div class="mermaid">', '<div class="mermaid" data-search-exclude>')
