"""Render formulas to HTML at build time with the pinned KaTeX.

MkDocs hook. pymdownx.arithmatex (generic mode) leaves each formula as
``<span class="arithmatex">\\(...\\)</span>`` or ``<div class="arithmatex">\\[...\\]</div>``.
This hook hands every formula to KaTeX, run by Node.js (already required to
fetch the pinned packages), and writes KaTeX's HTML and MathML into the page,
so a reader's browser downloads only KaTeX's stylesheet and fonts and runs no
KaTeX code at all: on a phone that is the difference between a formula-heavy
page that blocks for a second and one that does not.

One Node.js process serves the whole build (formulas go in and HTML comes out
as JSON lines), and results are kept in ``.cache/formulas/`` (one file per
KaTeX version), so a build whose formulas have not changed starts no Node.js
process at all and ``mkdocs serve`` renders only what changed. A formula KaTeX cannot parse fails the build with the file and
line of the formula in docs/.
"""
from __future__ import annotations

import atexit
import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError

import vendor_assets

FORMULA = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?P<body>.*?)</(?P=tag)>', re.S
)
DELIMITERS = {"span": ("\\(", "\\)"), "div": ("\\[", "\\]")}

# The Node.js side: one JSON request per line in, one JSON answer per line out.
SERVER = r"""
const katex = require(process.argv[1]);
const readline = require("readline");
const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const { tex, display } = JSON.parse(line);
  let answer;
  try {
    answer = { html: katex.renderToString(tex, { displayMode: display, throwOnError: true, output: "htmlAndMathml" }) };
  } catch (error) {
    answer = { error: String(error && error.message || error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
"""


def cache_file() -> Path:
    root = Path(os.environ.get("GUIDE_CACHE_DIR", Path(__file__).resolve().parents[2] / ".cache"))
    return root / "formulas" / f"katex-{vendor_assets.load_lock()['katex']['version']}.json"


class KatexRenderer:
    """A Node.js process with the pinned KaTeX, started on first use, and its results on disk."""

    def __init__(self, cache: Path | None = None) -> None:
        self.process: subprocess.Popen | None = None
        self.memo: dict[tuple[str, bool], dict] = {}
        self.cache = cache
        self.loaded = False
        self.added = 0

    def load(self) -> None:
        self.loaded = True
        if self.cache is not None and self.cache.exists():
            for key, answer in json.loads(self.cache.read_text(encoding="utf-8")).items():
                display, _, tex = key.partition("|")
                self.memo[(tex, display == "1")] = answer

    def save(self) -> None:
        if self.cache is None or not self.added:
            return
        self.cache.parent.mkdir(parents=True, exist_ok=True)
        kept = {("1" if d else "0") + "|" + tex: a for (tex, d), a in self.memo.items() if "html" in a}
        self.cache.write_text(json.dumps(kept), encoding="utf-8")
        self.added = 0

    def start(self) -> subprocess.Popen:
        node = shutil.which("node")
        if not node:
            raise PluginError("Node.js is required to render formulas (install nodejs, e.g. `apt-get install nodejs`)")
        script = vendor_assets.package_dir("katex") / "katex.min.js"
        process = subprocess.Popen(
            [node, "-e", SERVER, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )
        atexit.register(process.kill)
        return process

    def render(self, tex: str, display: bool) -> dict:
        if not self.loaded:
            self.load()
        key = (tex, display)
        if key not in self.memo:
            self.added += 1
            if self.process is None or self.process.poll() is not None:
                self.process = self.start()
            self.process.stdin.write(json.dumps({"tex": tex, "display": display}) + "\n")
            self.process.stdin.flush()
            self.memo[key] = json.loads(self.process.stdout.readline())
        return self.memo[key]


RENDERER = KatexRenderer(cache_file())


def line_of(source: str, tex: str) -> int:
    """The line of docs/<page> where a formula starts (1 if it cannot be found)."""
    first = tex.strip().splitlines()[0] if tex.strip() else tex
    index = source.find(first)
    return source.count("\n", 0, index) + 1 if index >= 0 else 1


def render_page(output: str, source: str, where: str, renderer=RENDERER) -> str:
    errors: list[str] = []

    def replace(match: re.Match) -> str:
        tag = match["tag"]
        opening, closing = DELIMITERS[tag]
        tex = html.unescape(match["body"]).strip()
        if tex.startswith(opening) and tex.endswith(closing):
            tex = tex[len(opening): -len(closing)]
        answer = renderer.render(tex.strip(), tag == "div")
        if "error" in answer:
            errors.append(f"{where}:{line_of(source, tex)}: KaTeX cannot render this formula: {answer['error']}")
            return match[0]
        return f'<{tag} class="arithmatex" data-math="rendered">{answer["html"]}</{tag}>'

    rendered = FORMULA.sub(replace, output)
    if errors:
        raise PluginError("\n".join(errors))
    return rendered


def on_post_page(output: str, page, config) -> str:
    if 'class="arithmatex"' not in output:
        return output
    return render_page(output, page.file.content_string, f"docs/{page.file.src_uri}")


def on_post_build(config) -> None:
    RENDERER.save()
