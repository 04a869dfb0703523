"""Accessibility fixes for Material's markup that CSS cannot make.

MkDocs hook. Each fix is a small, targeted rewrite of the generated HTML; if a
Material or pymdown-extensions update changes the markup so that a fix no
longer applies, the axe-core browser test (tests/test_accessibility.py) fails,
which is the signal to revisit it.

- The search overlay is a dialog with no accessible name: name it "Search".
- Task-list checkboxes are decorative (disabled, never focusable) and have no
  label: hide them from assistive technology; the item's text carries the meaning.
"""
from __future__ import annotations

import re

SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
TASK_CHECKBOX = re.compile(r'<input(?=[^>]*\btype="checkbox")(?=[^>]*\bdisabled)(?![^>]*aria-hidden)')


def fix(output: str) -> str:
    output = output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + ' aria-label="Search">')
    return TASK_CHECKBOX.sub('<input aria-hidden="true"', output)


def on_post_page(output: str, page, config) -> str:
    return fix(output)


def on_post_template(output: str, template_name: str, config) -> str:
    return fix(output) if template_name == "404.html" else output
