"""Search finds the sections that explain technical terms, typed the way
learners type them, and diagram source stays out of the index."""
from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

# query -> the pages that own the topic; one of them (the page or one of its
# sections) must be among the first five result links.
CASES = [
    ("two-tower", {"concepts/vector-search/", "framework/model-development/"}),
    ("nDCG@k", {"concepts/evaluation-metrics/", "framework/evaluation/"}),
    ("P99 latency", {"framework/deployment-and-serving/", "framework/clarify-requirements/",
                     "concepts/efficient-serving/"}),
    ("L1 vs L2", {"framework/model-development/"}),
    ("back-of-envelope", {"framework/clarify-requirements/"}),
    ("PSI", {"concepts/drift-and-monitoring/", "framework/monitoring/"}),
    ("negative downsampling", {"concepts/imbalance-and-calibration/", "framework/data-and-features/"}),
    ("point-in-time join", {"concepts/feature-stores/"}),
    ("KV cache", {"concepts/llm-systems/"}),
]


@pytest.fixture(scope="module")
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
    page.keyboard.press("Escape")
    page.keyboard.press("/")  # Material's shortcut: opens search from the keyboard
    box = page.locator("input.md-search__input")
    box.wait_for(state="visible")
    box.fill("")
    box.press("End")
    # Material says "Type to start searching" once its search worker has built
    # the index and whenever the box is empty again.
    page.wait_for_function("(document.querySelector('.md-search-result__meta') || {}).textContent === 'Type to start searching'")
    box.fill(query)
    box.press("End")  # Material searches on key events: one keystroke searches the whole query
    page.wait_for_function("/matching document/.test((document.querySelector('.md-search-result__meta') || {}).textContent)",
                           timeout=10000)
    # The worker answers keystroke by keystroke: read until two reads 250 ms apart agree.
    hrefs, previous = None, []
    for _ in range(40):
        page.wait_for_timeout(250)
        hrefs = page.eval_on_selector_all(".md-search-result__item > .md-search-result__link",
                                          "links => links.map(a => a.href)")
        if hrefs == previous:
            break
        previous = hrefs
    base = urlsplit(server).path
    top = [urlsplit(h).path.replace(base, "", 1) for h in hrefs[:5]]
    assert expected & set(top), f"search '{query}': expected one of {sorted(expected)} in the top 5, got {top}"


def test_search_index_is_lean(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = index["config"]["separator"]
    assert "\\-" in separator and "@" not in separator  # "two-tower" splits, "nDCG@k" does not
    pages = {doc["location"].split("#")[0] for doc in index["docs"]}
    size = (site / "search" / "search_index.json").stat().st_size
    assert size / len(pages) < 60_000, f"search index: {size} bytes for {len(pages)} pages (budget 60 KB a page)"
