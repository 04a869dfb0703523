"""Guard 8 (scripts): unit tests for scripts/*."""
from __future__ import annotations

import http.server
import json
import shutil
import threading

import pytest
import yaml

import check_external_links
import dev
import new_page
import vendor
from conftest import ROOT
from test_hooks import fake_npm  # noqa: F401  (fixture)


@pytest.fixture
def project(tmp_path):
    """The files new_page.py touches: mkdocs.yml, templates/ and docs/."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    return tmp_path


def nav(project):
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text.replace("!!python/name:", "tag:"))["nav"]


def test_new_page_from_template_added_to_nav(project):
    page = new_page.create("concept", "zz-scaffold-test", "Scaffold test", root=project)
    text = page.read_text(encoding="utf-8")
    assert page == project / "docs" / "concepts" / "zz-scaffold-test.md"
    assert text.startswith('---\ntitle: "Scaffold test"\n') and "# Scaffold test\n" in text
    assert "template:" not in text and "kind: concept" in text
    sections = [next(iter(item)) for item in nav(project)]
    assert {"Scaffold test": "concepts/zz-scaffold-test.md"} in nav(project)[sections.index("Concepts")]["Concepts"]


def test_new_section_is_created_in_the_guides_order(project):
    yaml_rt = new_page.yaml_round_trip()
    config_path = project / "mkdocs.yml"
    config = yaml_rt.load(config_path.read_text(encoding="utf-8"))
    config["nav"] = [item for item in config["nav"] if not (isinstance(item, dict) and "Practice" in item)]
    with config_path.open("w", encoding="utf-8") as handle:
        yaml_rt.dump(config, handle)
    assert "Practice" not in [next(iter(item)) for item in nav(project)]
    new_page.create("practice", "zz-drills", "Drills", root=project)
    sections = [next(iter(item)) for item in nav(project)]
    assert sections.index("Practice") == sections.index("Contributing") - 1
    assert sections.index("Practice") > sections.index("Reference")


def test_new_mock_interview_joins_the_mock_interviews_group(project):
    page = new_page.create("mock-interview", "zz-mock", "Mock interview: Test", root=project)
    assert page == project / "docs" / "practice" / "mock-interviews" / "zz-mock.md"
    text = page.read_text(encoding="utf-8")
    assert "kind: mock-interview" in text and "## Scoring rubric" in text
    practice = next(item["Practice"] for item in nav(project) if isinstance(item, dict) and "Practice" in item)
    group = next(item["Mock interviews"] for item in practice if isinstance(item, dict) and "Mock interviews" in item)
    assert group[-1] == {"Mock interview: Test": "practice/mock-interviews/zz-mock.md"}


def test_new_page_keeps_mkdocs_yml_comments_and_tags(project):
    before = (project / "mkdocs.yml").read_text(encoding="utf-8")
    new_page.create("framework", "extra-step", "Step 8: Extra", root=project)
    after = (project / "mkdocs.yml").read_text(encoding="utf-8")
    for line in before.splitlines():
        if line.strip().startswith("#") or "!!python/name:" in line:
            assert line in after, f"lost: {line}"
    assert len(after.splitlines()) > len(before.splitlines())


def without_case_studies(project):
    shutil.rmtree(project / "docs" / "case-studies")
    yaml_rt = new_page.yaml_round_trip()
    config = yaml_rt.load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["nav"] = [item for item in config["nav"] if not (isinstance(item, dict) and "Case studies" in item)]
    with (project / "mkdocs.yml").open("w", encoding="utf-8") as handle:
        yaml_rt.dump(config, handle)
    return project


def test_first_case_study_creates_the_section_and_its_index(project):
    without_case_studies(project)
    new_page.create("case-study", "one", "One", root=project)
    new_page.create("case-study", "two", "Two", root=project)
    entries = nav(project)[[next(iter(i)) for i in nav(project)].index("Case studies")]["Case studies"]
    assert entries == ["case-studies/index.md", {"One": "case-studies/one.md"}, {"Two": "case-studies/two.md"}]
    assert "<!-- case-studies-table -->" in (project / "docs/case-studies/index.md").read_text(encoding="utf-8")
    titles = [next(iter(i)) if isinstance(i, dict) else i for i in nav(project)]
    assert titles.index("Case studies") == titles.index("Framework") + 1


def test_new_case_study_joins_the_existing_section(project):
    index = (project / "docs/case-studies/index.md").read_text(encoding="utf-8")
    new_page.create("case-study", "one", "One", root=project)
    entries = nav(project)[[next(iter(i)) for i in nav(project)].index("Case studies")]["Case studies"]
    assert entries.count("case-studies/index.md") == 1 and entries[-1] == {"One": "case-studies/one.md"}
    assert (project / "docs/case-studies/index.md").read_text(encoding="utf-8") == index


def test_new_page_refuses_to_overwrite(project):
    new_page.create("guide", "study-plans", "Study plans", root=project)
    with pytest.raises(new_page.ScaffoldError, match="already exists"):
        new_page.create("guide", "study-plans", "Study plans again", root=project)


@pytest.mark.parametrize("kind,slug,message", [
    ("concept", "Feature_Stores", "bad slug"),
    ("concept", "../escape", "bad slug"),
    ("concept", "double--hyphen", "bad slug"),
    ("tutorial", "x", "unknown kind"),
])
def test_new_page_rejects_bad_names(project, kind, slug, message):
    with pytest.raises(new_page.ScaffoldError, match=message):
        new_page.create(kind, slug, "Title", root=project)


def test_new_page_cli_reports_errors(capsys):
    assert new_page.main(["concept", "Bad Slug", "--title", "X"]) == 2
    assert "bad slug" in capsys.readouterr().err


def test_vendor_bump_pins_version_and_hash(tmp_path, fake_npm):
    lock = tmp_path / "vendor.json"
    lock.write_text(json.dumps({"packages": {"pkg": {"version": "0.9.0", "integrity": "sha512-old",
                                                     "strip": "package/dist/", "files": ["*"]}}}))
    assert vendor.bump("pkg", "1.0.0", lock) == fake_npm
    assert json.loads(lock.read_text())["packages"]["pkg"] == {
        "version": "1.0.0", "integrity": fake_npm, "strip": "package/dist/", "files": ["*"]}
    with pytest.raises(SystemExit, match="no package named 'other'"):
        vendor.bump("other", "1.0.0", lock)


def test_dev_without_a_command_prints_usage(capsys):
    assert dev.main([]) == 2
    assert "dev.py serve" in capsys.readouterr().out


def test_dev_reinstalls_when_requirements_change(tmp_path, monkeypatch):
    (tmp_path / "requirements.txt").write_text("a==1\n")
    monkeypatch.setattr(dev, "ROOT", tmp_path)
    first = dev.requirements_digest("serve")
    (tmp_path / "requirements.txt").write_text("a==2\n")
    assert dev.requirements_digest("serve") != first
    assert dev.requirements_digest("serve") != dev.requirements_digest("test")


def test_external_link_checker_reports_broken_links(tmp_path, capsys):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_HEAD(self):
            self.send_response(200 if self.path == "/ok" else 404)
            self.end_headers()
        do_GET = do_HEAD

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "index.html").write_text(
        f'<a href="{base}/ok">ok</a> <a href="{base}/gone#x">gone</a> <a href="../other/">internal</a>')
    try:
        assert check_external_links.main([str(tmp_path)]) == 1
    finally:
        server.shutdown()
    out = capsys.readouterr().out
    assert f"HTTP 404: {base}/gone" in out and "page/index.html" in out
    assert "2 external links checked, 1 failed" in out


def test_benchmark_picks_the_lightest_plain_page_and_the_heaviest_diagram_page(tmp_path):
    import benchmark

    for url, diagrams in [("plain/", 0), ("big-plain/", 0), ("one/", 1), ("two/", 2)]:
        (tmp_path / url).mkdir()
        filler = "x" * (5000 if url.startswith("big") else 10)
        (tmp_path / url / "index.html").write_text(
            "<html><body>" + '<div class="mermaid">a</div>' * diagrams + filler + "</body></html>")
    (tmp_path / "index.html").write_text("<html><body></body></html>")
    assert benchmark.pages_by_diagrams(tmp_path) == ("plain/", "two/", 2)


def test_benchmark_finds_case_studies(tmp_path):
    import benchmark

    for url in ["case-studies/", "case-studies/a/", "case-studies/b/", "concepts/c/"]:
        (tmp_path / url).mkdir(parents=True)
        (tmp_path / url / "index.html").write_text("<html></html>")
    assert sorted(benchmark.case_studies(tmp_path)) == ["case-studies/a/", "case-studies/b/"]
