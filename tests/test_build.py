"""Guard 1: the site builds with --strict, and a broken link or anchor fails it."""
from __future__ import annotations

from conftest import copy_project, mkdocs_build, problems


def test_strict_build_succeeds(site):
    assert (site / "index.html").is_file()
    assert (site / "404.html").is_file()
    assert (site / "search" / "search_index.json").is_file()


def test_broken_links_anchors_and_orphan_pages_fail_the_build(tmp_path):
    # One build of a broken copy checks all three, each located in its file.
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "start-here" / "the-interview.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(
        text + "\n\nSee [a missing page](no-such-page.md) and [a missing section](../index.md#no-such-anchor).\n",
        encoding="utf-8",
    )
    (project / "docs" / "orphan.md").write_text(
        "---\ntitle: Orphan\ndescription: A page nobody can reach from the navigation, which must fail.\n"
        "kind: guide\ntags: [test]\n---\n\n# Orphan\n",
        encoding="utf-8",
    )
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0, "a broken link must fail the strict build"
    found = "\n".join(problems(result.stdout + result.stderr, project / "docs"))
    last_line = len(page.read_text(encoding="utf-8").splitlines())
    assert f"docs/start-here/the-interview.md:{last_line}:" in found
    assert "no-such-page.md" in found
    assert "no-such-anchor" in found
    assert "orphan.md" in found
