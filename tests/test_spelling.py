"""Guard 7: codespell over the prose and code, in US English (its en-GB_to_en-US
dictionary flags British spellings). Words it should
accept go in tests/spelling-words.txt."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

PATHS = ["docs", "templates", "data", "overrides", "scripts", "tests", "README.md", "CONTRIBUTING.md", "mkdocs.yml", ".github"]


def test_spelling_us_english():
    result = subprocess.run(
        [sys.executable, "-m", "codespell_lib", *[p for p in PATHS if (ROOT / p).exists()]],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, "codespell found misspellings or British spellings (file:line: word ==> fix):\n" + result.stdout + result.stderr


def test_spelling_check_catches_british_spelling(tmp_path):
    sample = tmp_path / "sample.md"
    british = "model" + "ling"  # spelled in two parts so this file itself passes the check
    sample.write_text(f"We fit the features before {british}.\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "codespell_lib", "--config", str(ROOT / ".codespellrc"), str(sample)],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode != 0 and f"{british} ==> modeling" in result.stdout
