"""Load Material's JavaScript bundle with ``defer``.

MkDocs hook. Material puts ``<script src=".../bundle.<hash>.min.js">`` at the
end of the body without ``defer``. On a phone-class CPU that script runs for
hundreds of milliseconds on a long page, and as a parser-blocking script it
can hold back the first paint of the text above it: Lighthouse's mobile runs
put the largest paint of a case study at 1.5 s or 5 s depending on that race.
Deferred, it runs right after parsing, still in document order with the other
deferred scripts and before ``DOMContentLoaded``, which is when Material starts
its components, so nothing it does changes; the browser is just free to paint
first. The tests (search, palette, keyboard, tabs) exercise the deferred bundle.
"""
from __future__ import annotations

import re

BUNDLE = re.compile(r'<script src="(?P<src>[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>')


def on_post_page(output: str, page, config) -> str:
    return BUNDLE.sub(r'<script src="\g<src>" defer></script>', output, count=1)


def on_post_template(output_content: str, template_name: str, config) -> str:
    """Static templates such as 404.html."""
    return BUNDLE.sub(r'<script src="\g<src>" defer></script>', output_content, count=1)
