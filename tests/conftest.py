"""Shared fixtures: the built site (one strict build per test run), a loopback
server for it, and a headless Chromium.

The browser is Debian's Chromium at /usr/bin/chromium (override with the
GUIDE_CHROMIUM environment variable). Without it, browser tests are skipped
locally with an install hint, and fail when CI is set.
"""
from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "overrides" / "hooks"))
sys.path.insert(0, str(ROOT / "scripts"))

CHROMIUM = os.environ.get("GUIDE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
LINK_WARNING = re.compile(r"Doc file '(?P<file>[^']+)' contains (?:a link|an absolute link|an unrecognized relative link) '(?P<link>[^']+)'")


def locate(message: str, docs: Path = DOCS) -> str:
    """Prefix an MkDocs link warning with docs/<file>:<line> of the offending link."""
    match = LINK_WARNING.search(message)
    if not match:
        return message
    path = docs / match["file"]
    target = match["link"]
    if path.exists():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if target in line or target.split("#")[0] and f"({target.split('#')[0]}" in line:
                return f"docs/{match['file']}:{number}: {message.strip()}"
    return f"docs/{match['file']}: {message.strip()}"


def mkdocs_build(project: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """Strict build at the default log level (-v skips anchor checks, -q hides warnings)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.setdefault("GUIDE_CACHE_DIR", str(ROOT / ".cache"))  # share the vendored libraries
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project, capture_output=True, text=True, env=env, timeout=300,
    )


def problems(output: str, docs: Path = DOCS) -> list[str]:
    """The build's warnings and errors, each with its continuation lines, located in docs/."""
    found: list[str] = []
    for line in output.splitlines():
        if line.startswith(("WARNING", "ERROR")):
            found.append(locate(line, docs))
        elif found and not line.startswith(("INFO", "DEBUG")) and line.strip():
            found[-1] += "\n    " + line.strip()
    return found


def copy_project(dest: Path) -> Path:
    """A copy of the project without environments, caches or history, for builds that break things."""
    ignore = shutil.ignore_patterns(".venv", ".cache", ".git", "site", "__pycache__", ".pytest_cache")
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


class BackgroundBuild:
    """The strict build of the site, started as soon as the tests are collected.

    The build is a subprocess on one core; the tests that do not need the built
    site run first (see pytest_collection_modifyitems) and keep the other core
    busy meanwhile.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.result: subprocess.CompletedProcess | None = None
        self.thread = threading.Thread(target=self.run, name="site-build", daemon=True)
        self.thread.start()

    def run(self) -> None:
        self.result = mkdocs_build(ROOT, self.out)

    def wait(self) -> subprocess.CompletedProcess:
        self.thread.join()
        return self.result


BUILD: dict[str, BackgroundBuild] = {}


def pytest_collection_modifyitems(session, config, items):
    """Run the tests that need no built site first, and start building it now if any test needs it."""
    needs_site = [item for item in items if "site" in getattr(item, "fixturenames", ())]
    if not needs_site:
        return
    items.sort(key=lambda item: "site" in getattr(item, "fixturenames", ()))  # stable: keeps order within each group
    BUILD["site"] = BackgroundBuild(Path(tempfile.mkdtemp(prefix="guide-site-")))


def pytest_sessionfinish(session, exitstatus):
    build = BUILD.pop("site", None)
    if build is not None:
        build.thread.join()
        shutil.rmtree(build.out, ignore_errors=True)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    build = BUILD.get("site") or BackgroundBuild(tmp_path_factory.mktemp("site"))
    result, out = build.wait(), build.out
    if result.returncode != 0:
        found = problems(result.stdout + result.stderr) or [result.stderr[-2000:]]
        pytest.fail("strict build failed:\n" + "\n".join(found), pytrace=False)
    return out


def site_path() -> str:
    """The path part of site_url, e.g. '/guide/': where the site is served."""
    match = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    return urlsplit(match[1]).path if match else "/"


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site under site_url's path, like GitHub Pages does."""
    prefix = "/"

    def translate_path(self, path):
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code == 404 and page.exists():  # the site's own 404 page, as on GitHub Pages
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, *args):
        pass


def serve(directory: Path, prefix: str = "/", handler: type = SiteHandler):
    handler = type("Handler", (handler,), {"prefix": prefix})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}{prefix}"


@pytest.fixture(scope="session")
def server(site):
    """The built site on http://127.0.0.1:<port>/<site_url path>/ (loopback only)."""
    httpd, url = serve(site, site_path())
    yield url
    httpd.shutdown()


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


@pytest.fixture(scope="session")
def browser():
    if not chromium_available():
        message = (f"Chromium not found at {CHROMIUM}: install it (Debian/Ubuntu: sudo apt-get install chromium) "
                   f"or set GUIDE_CHROMIUM to a Chromium/Chrome binary")
        if os.environ.get("CI"):
            pytest.fail(message + " -- browser tests never skip in CI", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


def doc_pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def url_of(page: Path) -> str:
    """Site-relative URL of a docs/ page: docs/a/b.md -> a/b/, docs/a/index.md -> a/."""
    rel = page.relative_to(DOCS).with_suffix("").as_posix()
    if rel == "index":
        return ""
    return rel[: -len("index")] if rel.endswith("/index") else rel + "/"


# Every page a reader can open: the docs pages and the 404 page.
PAGES = [url_of(p) for p in doc_pages()] + ["404.html"]


def source_label(url: str) -> str:
    return f"{source_of(url)} (/{url})"


@pytest.fixture(scope="session")
def axe_script() -> Path:
    import vendor_assets

    return vendor_assets.package_dir("axe-core") / "axe.min.js"


@pytest.fixture(scope="session")
def audits(browser, server, axe_script, site):
    """Every page of the built site audited once in Chromium (tests/site_audit.py)."""
    from site_audit import audit_site, color_pages

    return audit_site(server, PAGES, axe_script, color=color_pages(site, PAGES))


def built_pages(site: Path) -> list[str]:
    """Site-relative URLs of every built HTML page (directory URLs end in /)."""
    urls = []
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        urls.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return urls


def source_of(url: str) -> str:
    """docs/ source of a built page URL, for messages."""
    if url in ("", "/"):
        return "docs/index.md"
    if url.endswith(".html"):
        return f"(template) {url}"
    stem = url.strip("/")
    for candidate in (DOCS / f"{stem}.md", DOCS / stem / "index.md"):
        if candidate.exists():
            return candidate.relative_to(ROOT).as_posix()
    return url
