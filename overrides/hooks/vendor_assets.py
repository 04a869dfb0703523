"""Serve Mermaid and KaTeX from the site itself, never from a CDN.

MkDocs hook. On every build or serve it makes sure each package pinned in
``data/vendor.json`` is in the local cache (``.cache/vendor/``, outside git),
fetching it from the npm registry with ``npm pack`` and refusing it unless its
SHA-512 matches the pinned ``integrity``. The selected files are then added to
the site under ``assets/vendor/<name>/``.

KaTeX's stylesheet is linked only on pages that contain a formula
(``class="arithmatex"``); the formulas themselves are rendered at build time
by ``formulas.py``. Mermaid is loaded by mkdocs-mermaid2-plugin, only on
pages that contain a diagram, through ``assets/javascripts/diagrams.js``.

``scripts/vendor.py`` reuses this module to fetch, verify and bump versions.
"""
from __future__ import annotations

import base64
import fnmatch
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parents[2]
LOCK_FILE = ROOT / "data" / "vendor.json"
CACHE_DIR = Path(os.environ.get("GUIDE_CACHE_DIR", ROOT / ".cache")) / "vendor"
SITE_PREFIX = "assets/vendor"


class VendorError(Exception):
    """A pinned package could not be fetched or failed verification."""


def load_lock(path: Path = LOCK_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))["packages"]


def sri_sha512(path: Path) -> str:
    """Subresource-integrity string of a file, the format npm uses."""
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode("ascii")


def npm_pack(name: str, version: str, dest: Path) -> Path:
    """Download ``name@version`` from the npm registry into ``dest``; return the tarball."""
    npm = shutil.which("npm")
    if npm is None:
        raise VendorError(
            "npm is not installed. The site serves Mermaid and KaTeX from the npm registry "
            "packages; install Node.js (18 or newer, with npm) and run the command again."
        )
    dest.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [npm, "pack", f"{name}@{version}", "--json", "--pack-destination", str(dest)],
        capture_output=True, text=True, timeout=300,
    )
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
        raise VendorError(f"`npm pack {name}@{version}` failed:\n{tail}")
    start = proc.stdout.find("[")
    info = json.loads(proc.stdout[start:])[0]
    return dest / info["filename"]


def _selected(member: tarfile.TarInfo, patterns: list[str]) -> bool:
    if not member.isfile():
        return False
    parts = Path(member.name).parts
    if member.name.startswith("/") or ".." in parts:
        return False
    return any(fnmatch.fnmatchcase(member.name, pattern) for pattern in patterns)


def ensure_package(name: str, spec: dict, cache_dir: Path = CACHE_DIR) -> Path:
    """Return the folder holding the verified, extracted files of one pinned package."""
    version, integrity = spec["version"], spec.get("integrity", "")
    if not integrity:
        raise VendorError(
            f"{LOCK_FILE.name}: package '{name}' has no integrity hash; "
            f"run `python scripts/vendor.py bump {name} {version}`."
        )
    target = cache_dir / f"{name}-{version}"
    stamp = target / ".integrity"
    wanted = integrity + " " + json.dumps(spec["files"])  # a new file selection re-extracts
    if stamp.is_file() and stamp.read_text(encoding="ascii") == wanted:
        return target
    with tempfile.TemporaryDirectory(dir=cache_dir.parent if cache_dir.parent.exists() else None) as tmp:
        tarball = npm_pack(name, version, Path(tmp))
        actual = sri_sha512(tarball)
        if actual != integrity:
            raise VendorError(
                f"{name}@{version}: the downloaded tarball does not match data/vendor.json "
                f"(expected {integrity[:23]}…, got {actual[:23]}…). Refusing to use it."
            )
        staging = Path(tmp) / "files"
        with tarfile.open(tarball, "r:gz") as archive:
            members = [m for m in archive.getmembers() if _selected(m, spec["files"])]
            if not members:
                raise VendorError(f"{name}@{version}: no file in the package matches {spec['files']}")
            for member in members:
                rel = member.name[len(spec["strip"]):] if member.name.startswith(spec["strip"]) else member.name
                out = staging / rel
                out.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(member) as src, open(out, "wb") as dst:
                    shutil.copyfileobj(src, dst)
        (staging / ".integrity").write_text(wanted, encoding="ascii")
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staging), str(target))
    return target


def package_dir(name: str, cache_dir: Path = CACHE_DIR) -> Path:
    """The verified, extracted files of one pinned package (fetched if needed)."""
    return ensure_package(name, load_lock()[name], cache_dir)


def vendored_files(cache_dir: Path = CACHE_DIR) -> dict[str, Path]:
    """Map each site path (``assets/vendor/<name>/<file>``) to its cached source."""
    result: dict[str, Path] = {}
    for name, spec in load_lock().items():
        if not spec.get("serve", True):
            continue  # a tool for the tests, not part of the site
        folder = ensure_package(name, spec, cache_dir)
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                result[f"{SITE_PREFIX}/{name}/{path.relative_to(folder).as_posix()}"] = path
    return result


# --------------------------------------------------------------------------- hook events

_files: dict[str, Path] = {}


def on_config(config):
    global _files
    try:
        _files = vendored_files()
    except VendorError as err:
        raise PluginError(str(err)) from err
    return config


def on_files(files: Files, config) -> Files:
    for uri, path in _files.items():
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


def on_post_page(output: str, page, config) -> str:
    """Link KaTeX's stylesheet on pages that contain formulas, and only there."""
    if 'class="arithmatex"' not in output:
        return output

    def url(path: str) -> str:
        return get_relative_url(path, page.url)

    # At the end of the body, so the stylesheet does not delay the first paint;
    # the "swap" stylesheet shows text while KaTeX's fonts load. math.js only
    # makes wide formulas reachable by keyboard; KaTeX itself never runs here.
    tags = (
        f'<link rel="stylesheet" href="{url(SITE_PREFIX + "/katex/katex-swap.min.css")}">'
        f'<script defer src="{url("assets/javascripts/math.js")}"></script>'
    )
    return output.replace("</body>", tags + "</body>", 1)
