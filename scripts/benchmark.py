"""Measure the site: build time, page weight, diagram rendering, search index, Lighthouse.

    .venv/bin/python scripts/benchmark.py            # everything (installs Lighthouse on first run)
    .venv/bin/python scripts/benchmark.py --no-lighthouse

Prints a Markdown report (paste it into README.md, "Performance"):

- the full strict build time (median of --builds runs, diagrams cached), the
  same build with an empty diagram cache (every diagram drawn in Chromium), and
  which parts of the build dominate it (a profile grouped by package);
- for the page without diagrams that is lightest in content and for the page
  with the most diagrams: bytes transferred gzip-compressed (the search index,
  which Material fetches on every page, counted separately) and the time the
  reader's browser spends rendering diagrams: none when the build drew them,
  and for comparison the same page built with GUIDE_DIAGRAMS=client, where
  Mermaid renders them in the browser;
- the search index size;
- Lighthouse (pinned in data/vendor.json "tools", installed with npm into
  .cache/tools/) on the home page, a page without diagrams, a formula page, a
  case study and the diagram-heaviest page, mobile and desktop: performance and
  accessibility scores, TBT, LCP, FCP; plus, on mobile, the case study and the
  diagram-heaviest page from the client-rendered build ("before").

It is a measurement, not a test: numbers vary with the machine and its load.
Chromium comes from /usr/bin/chromium (or GUIDE_CHROMIUM).
"""
from __future__ import annotations

import argparse
import cProfile
import collections
import gzip
import json
import os
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from conftest import CHROMIUM, CHROMIUM_FLAGS, SiteHandler, serve, site_path  # noqa: E402

TOOLS = ROOT / ".cache" / "tools"
COMPRESSED = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".csv")


class GzipHandler(SiteHandler):
    """Serves the site gzip-compressed, as GitHub Pages does, so transfer sizes and
    Lighthouse's simulated network see what a reader's browser would get."""

    def do_GET(self):
        path = Path(self.translate_path(self.path.split("?")[0].split("#")[0]))
        if path.is_dir():
            path = path / "index.html"
        if (path.is_file() and path.suffix in COMPRESSED
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            body = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


def build(site_dir: Path, **env: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site_dir)],
                   cwd=ROOT, check=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1", **env))
    return time.perf_counter() - start


def build_profile(site_dir: Path) -> list[tuple[str, float]]:
    """Seconds of the build spent in each package (own time, not cumulative)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site_dir))
    profiler = cProfile.Profile()
    profiler.enable()
    config.plugins.on_startup(command="build", dirty=False)
    mkdocs_build(config)
    profiler.disable()
    totals: dict[str, float] = collections.Counter()
    for (filename, _, _), (_, _, tottime, _, _) in pstats.Stats(profiler).stats.items():
        match = re.search(r"site-packages/([^/]+)", filename)
        if match:
            key = match[1].split(".")[0]
        elif "overrides/hooks" in filename:
            key = "hooks (overrides/hooks)"
        else:
            key = "python stdlib and built-ins"
        totals[key] += tottime
    return sorted(totals.items(), key=lambda kv: -kv[1])[:8]


def pages_by_diagrams(site: Path) -> tuple[str, str, int]:
    counts = {}
    for html in site.rglob("index.html"):
        url = html.parent.relative_to(site).as_posix()
        url = "" if url == "." else url + "/"
        counts[url] = html.read_text(encoding="utf-8").count('<div class="mermaid"')
    heaviest = max(counts, key=counts.get)
    plain = [u for u, n in counts.items() if n == 0 and u]
    lightest = min(plain, key=lambda u: (site / u / "index.html").stat().st_size)
    return lightest, heaviest, counts[heaviest]


def case_studies(site: Path) -> list[str]:
    """URLs of the case-study pages (every page under case-studies/ but the index)."""
    return [f"case-studies/{d.name}/" for d in (site / "case-studies").iterdir() if (d / "index.html").is_file()]


def weigh(browser, base: str, url: str) -> dict:
    """Gzip bytes of everything a page loads (search index apart) and diagram render time."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    bodies: dict[str, bytes] = {}
    page = context.new_page()
    page.on("response", lambda r: bodies.__setitem__(r.url, r.body()) if r.ok else None)
    page.goto(base + url, wait_until="networkidle")
    diagrams = page.evaluate("document.querySelectorAll('div.mermaid').length")
    drawn = page.evaluate("document.querySelectorAll('div.mermaid > svg.diagram-light').length")
    render_ms = None
    if diagrams and drawn < diagrams:
        render_ms = page.evaluate("""async () => { const t = performance.now();
            await window.guideDiagrams.renderAll(); return performance.now() - t; }""")
    page.wait_for_load_state("networkidle")
    context.close()
    index = sum(len(gzip.compress(b)) for u, b in bodies.items() if "search_index.json" in u)
    rest = {u: len(gzip.compress(b)) for u, b in bodies.items() if "search_index.json" not in u}
    mermaid = sum(n for u, n in rest.items() if "/vendor/mermaid/" in u)
    return {"url": url, "diagrams": diagrams, "drawn": drawn, "gzip_kb": sum(rest.values()) / 1024, "mermaid_kb": mermaid / 1024,
            "search_index_kb": index / 1024, "requests": len(rest), "render_ms": render_ms}


def lighthouse_bin() -> Path:
    version = json.loads((ROOT / "data" / "vendor.json").read_text())["tools"]["lighthouse"]
    binary = TOOLS / "node_modules" / ".bin" / "lighthouse"
    stamp = TOOLS / ".lighthouse-version"
    if not (binary.exists() and stamp.exists() and stamp.read_text() == version):
        print(f"installing lighthouse@{version} into .cache/tools/ ...", file=sys.stderr)
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(TOOLS),
                        f"lighthouse@{version}"], check=True, capture_output=True)
        stamp.write_text(version)
    return binary


def lighthouse(binary: Path, url: str, form: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        flags = " ".join(["--headless=new", *CHROMIUM_FLAGS])
        command = [str(binary), url, "--quiet", "--output=json", f"--output-path={out}",
                   "--only-categories=performance,accessibility", f"--chrome-flags={flags}"]
        if form == "desktop":
            command.append("--preset=desktop")
        subprocess.run(command, check=True, env=dict(os.environ, CHROME_PATH=CHROMIUM), capture_output=True)
        report = json.loads(out.read_text())
    audits = report["audits"]
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "lcp_s": round(audits["largest-contentful-paint"]["numericValue"] / 1000, 2),
        "fcp_s": round(audits["first-contentful-paint"]["numericValue"] / 1000, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builds", type=int, default=3, help="strict builds to time (median)")
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site, client = Path(tmp) / "site", Path(tmp) / "client"
        build(site)  # fills the diagram cache if it is empty
        times = [build(site) for _ in range(args.builds)]
        cold = build(Path(tmp) / "cold", GUIDE_DIAGRAM_CACHE=str(Path(tmp) / "empty-cache"))
        build(client, GUIDE_DIAGRAMS="client")
        profile = build_profile(Path(tmp) / "profiled")
        lightest, heaviest, n_diagrams = pages_by_diagrams(site)
        index_bytes = (site / "search" / "search_index.json").stat().st_size
        httpd, base = serve(site, site_path(), handler=GzipHandler)
        client_httpd, client_base = serve(client, site_path(), handler=GzipHandler)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
                weights = [weigh(browser, base, lightest), weigh(browser, base, heaviest),
                           weigh(browser, client_base, heaviest)]
                browser.close()
            scores = []
            if not args.no_lighthouse:
                binary = lighthouse_bin()
                case = next(u for u in sorted(case_studies(site)) if u != heaviest)
                targets = [("home", ""), ("no diagrams", lightest), ("formulas", "framework/evaluation/"),
                           ("case study", case), (f"most diagrams ({n_diagrams})", heaviest)]
                for label, url in targets:
                    for form in ("mobile", "desktop"):
                        scores.append((label, url, form, lighthouse(binary, base + url, form)))
                # Before: the same pages with the diagrams rendered in the reader's browser.
                for label, url in targets[3:]:
                    scores.append((label + ", rendered in the browser", url, "mobile",
                                   lighthouse(binary, client_base + url, "mobile")))
        finally:
            httpd.shutdown()
            client_httpd.shutdown()

    print(f"## Benchmark ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores)\n")
    print(f"- Strict build: median {statistics.median(times):.1f} s over {len(times)} runs "
          f"({', '.join(f'{t:.1f}' for t in times)} s), diagrams from the cache; {cold:.1f} s with an "
          f"empty diagram cache (every diagram drawn in Chromium).")
    print("- Build profile (own time by package): " + ", ".join(f"{name} {secs:.1f} s" for name, secs in profile) + ".")
    print(f"- Search index: {index_bytes / 1024:.0f} KB ({weights[0]['search_index_kb']:.0f} KB gzip), fetched by every page.\n")
    print("| Page | Diagrams | Transferred (gzip, without search index) | of which Mermaid | Requests "
          "| Diagram rendering in the browser |")
    print("| --- | --- | --- | --- | --- | --- |")
    for w, how in zip(weights, ("", "", " (rendered in the browser)")):
        if not w["diagrams"]:
            render = "n/a"
        elif w["render_ms"] is None:
            render = "none: drawn at build time"
        else:
            render = f"{w['render_ms']:.0f} ms"
        print(f"| /{w['url']}{how} | {w['diagrams']} | {w['gzip_kb']:.0f} KB | {w['mermaid_kb']:.0f} KB "
              f"| {w['requests']} | {render} |")
    if scores:
        print("\n| Lighthouse | Form | Performance | Accessibility | TBT | LCP | FCP |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for label, url, form, s in scores:
            print(f"| {label} (/{url}) | {form} | {s['performance']} | {s['accessibility']} | {s['tbt_ms']} ms "
                  f"| {s['lcp_s']} s | {s['fcp_s']} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
