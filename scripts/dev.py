"""The project's two entry points; each sets up everything it needs first.

    python3 scripts/dev.py serve   # the site at http://127.0.0.1:8000, reloading on edits
    python3 scripts/dev.py test    # the whole test suite

Both create a virtual environment in .venv (Python 3.10+) and install the pinned
requirements into it when they change. The build itself fetches Mermaid and
KaTeX from the npm registry (Node.js with npm is required) and caches them in
.cache/. The browser tests use Chromium (/usr/bin/chromium, or set
GUIDE_CHROMIUM); without it they are skipped locally and fail in CI.
Extra arguments are passed on: `dev.py test -k mermaid`, `dev.py serve -a 0.0.0.0:8000`.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
REQUIREMENTS = {"serve": "requirements.txt", "test": "requirements-dev.txt"}


def requirements_digest(name: str) -> str:
    digest = hashlib.sha256()
    for file in sorted(ROOT.glob("requirements*.txt")):
        digest.update(file.read_bytes())
    return digest.hexdigest() + ":" + name


def ensure_environment(purpose: str) -> None:
    if sys.version_info < (3, 10):
        sys.exit("Python 3.10 or newer is required.")
    if not PYTHON.exists():
        print("Creating the virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{purpose}"
    wanted = requirements_digest(REQUIREMENTS[purpose])
    if stamp.exists() and stamp.read_text() == wanted:
        return
    print(f"Installing {REQUIREMENTS[purpose]} into .venv ...", flush=True)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "--quiet", "-r", str(ROOT / REQUIREMENTS[purpose])], check=True
    )
    stamp.write_text(wanted)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in REQUIREMENTS:
        print(__doc__)
        return 2
    command, extra = argv[0], argv[1:]
    ensure_environment(command)
    os.chdir(ROOT)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    if command == "serve":
        args = [str(PYTHON), "-m", "mkdocs", "serve", "--dev-addr", "127.0.0.1:8000", *extra]
    else:
        args = [str(PYTHON), "-m", "pytest", *extra]
    return subprocess.call(args, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
