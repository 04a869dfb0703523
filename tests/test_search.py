"""Search finds the sections that explain technical terms, typed the way
learners type them, and diagram source stays out of the index."""
from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

# query -> sections that explain it ("page/#anchor"); one must be among the
# first five result links (a page and its matching sections).
CASES = [
    ("two-tower", {"framework/model-development/#architectures-by-problem"}),
    ("nDCG@k", {"framework/evaluation/#offline-metrics-for-ranking"}),
    ("P99 latency", {"framework/clarify-requirements/#latency-and-freshness",
                     "framework/deployment-and-serving/#the-serving-path-and-its-latency-budget"}),
    ("L1 vs L2", {"framework/model-development/#regularization-l1-vs-l2-dropout-early-stopping"}),
    ("back-of-envelope", {"framework/clarify-requirements/#back-of-envelope-estimation"}),
    ("PSI", {"framework/monitoring/#detecting-drift-psi-ks-test-embedding-distance"}),
    ("negative downsampling", {"framework/data-and-features/#sampling-and-class-imbalance"}),
]


@pytest.fixture
def search_page(browser, server):
    context = browser.new_context()
    context.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
    page = context.new_page()
    page.goto(server)
    yield page
    context.close()


@pytest.mark.parametrize("query,expected", CASES, ids=[c[0] for c in CASES])
def test_search_finds_the_owning_section(search_page, server, query, expected):
    page = search_page
    page.keyboard.press("/")  # Material's shortcut: opens search from the keyboard
    box = page.locator("input.md-search__input")
    box.wait_for(state="visible")
    # Material says "Type to start searching" once its search worker has built the index.
    page.wait_for_function("(document.querySelector('.md-search-result__meta') || {}).textContent === 'Type to start searching'")
    box.press_sequentially(query, delay=20)  # Material searches on key events, not on a bare value change
    page.wait_for_selector(".md-search-result__item", timeout=10000)
    page.wait_for_timeout(600)  # the worker answers keystroke by keystroke: let the last answer land
    hrefs = page.eval_on_selector_all(".md-search-result__item > .md-search-result__link",
                                      "links => links.map(a => a.href)")
    base = urlsplit(server).path
    top = [urlsplit(h).path.replace(base, "", 1) + "#" + urlsplit(h).fragment for h in hrefs[:5]]
    assert expected & set(top), f"search '{query}': expected one of {sorted(expected)} in the top 5, got {top}"


def test_search_index_is_lean(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = index["config"]["separator"]
    assert "\\-" in separator and "@" not in separator  # "two-tower" splits, "nDCG@k" does not
    pages = {doc["location"].split("#")[0] for doc in index["docs"]}
    size = (site / "search" / "search_index.json").stat().st_size
    assert size / len(pages) < 60_000, f"search index: {size} bytes for {len(pages)} pages (budget 60 KB a page)"
