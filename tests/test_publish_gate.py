"""``factsite check --publish``: the release gate refuses placeholder publishers, addresses and
page text, a missing licence and missing IFCN pages, and passes a filled-in publication."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE, ROOT

from generator.cli import main
from generator.pipeline import build_graph
from generator.publish_gate import page_sections, publish_gate, resolve_env_tag

REAL_HOST = "borduria-watch.eu"  # any host that is not reserved for examples

SITE_YAML = f"""title: Borduria Watch
description: Attributed, source-checked records of claims about elections in Borduria.
publisher:
  name: Borduria Watch Foundation
  url: https://{REAL_HOST}/
license:
  name: CC BY 4.0
  url: https://creativecommons.org/licenses/by/4.0/
disarm_version: v1.6
"""

ABOUT = """---
title: About Borduria Watch
---

Borduria Watch checks claims about elections in Borduria.

## Who owns and runs the site

The Borduria Watch Foundation, a registered charity; the editor is Jo Reporter.

## Funding

Reader donations; no funder sees work before publication.

## Contact

Write to the editors through the form on this page.

## Nonpartisanship

We check every claim to the same standard, whoever made it, and take no policy positions.
"""


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(["--root", str(root), "check", *args])
    return code, capsys.readouterr().out.splitlines()


@pytest.fixture
def filled_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The basic fixture made publishable: real publisher and address, licence, IFCN pages."""
    root = tmp_path / "project"
    for folder in ("content", "seeds"):
        shutil.copytree(FIXTURE / folder, root / folder)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")  # site_url: !ENV [SITE_URL, ...]
    for record in (root / "content").rglob("*.yaml"):
        record.write_text(record.read_text(encoding="utf-8").replace("example.org", REAL_HOST),
                          encoding="utf-8")
    site = root / "content" / "site.yaml"
    ratings = site.read_text(encoding="utf-8").split("ratings:", 1)[1]
    site.write_text(f"{SITE_YAML}ratings:{ratings}", encoding="utf-8")
    (root / "content" / "pages" / "about.md").write_text(ABOUT, encoding="utf-8")
    monkeypatch.setenv("SITE_URL", f"https://{REAL_HOST}/")
    return root


def test_the_shipped_example_content_is_refused_with_every_reason(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITE_URL", raising=False)
    code, lines = run(ROOT, capsys, "--publish")
    assert code == 1
    located = {line.split(": ", 2)[0] + ": " + line.split(": ", 2)[1] for line in lines[:-1]}
    assert {loc.split(":")[0] for loc in located} >= {"content/site.yaml", "mkdocs.yml",
                                                       "content/pages/about.md"}
    for field in ("publisher.name", "publisher.url", "license", "site_url"):
        assert any(line.endswith(f": {field}") for line in located), field
    about = [line for line in lines if line.startswith("content/pages/about.md:")]
    assert any("'example publication' is placeholder or example text" in line for line in about)
    assert "errors" in lines[-1]


def test_the_shipped_content_still_passes_the_ordinary_check(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run(ROOT, capsys, "--strict")
    assert code == 0


def test_a_filled_in_publication_passes(filled_in: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = run(filled_in, capsys, "--strict", "--publish")
    assert (code, lines) == (0, ["content is valid: no errors, no warnings"])


def gate(root: Path) -> list[str]:
    return [d.format() for d in publish_gate(root, build_graph(root).graph.site)]


def test_placeholder_site_url_from_the_environment_is_refused(
        filled_in: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_URL", "http://localhost:8000/")
    assert gate(filled_in) == [
        "mkdocs.yml:6:11: site_url: http://localhost:8000/ is on the placeholder host "
        "'localhost': set SITE_URL, or the fallback in mkdocs.yml, to the site's public address"]


def test_missing_licence_and_placeholder_publisher_name_each_name_their_field(
        filled_in: Path) -> None:
    site = filled_in / "content" / "site.yaml"
    text = site.read_text(encoding="utf-8").replace("Borduria Watch Foundation", "Placeholder")
    site.write_text(text.replace("license:\n  name: CC BY 4.0\n  url: https://creativecommons"
                                 ".org/licenses/by/4.0/\n", ""), encoding="utf-8")
    problems = gate(filled_in)
    assert problems[0].startswith("content/site.yaml:1:1: license: no licence is declared")
    assert problems[1].startswith("content/site.yaml:4:9: publisher.name: 'Placeholder' is a "
                                  "placeholder")
    assert len(problems) == 2


def test_markers_are_found_in_page_text_and_record_values_but_not_yaml_comments(
        filled_in: Path) -> None:
    explainer = filled_in / "content" / "explainers" / "borduria-campaign.md"
    lines = explainer.read_text(encoding="utf-8").splitlines()
    lines.append("Lorem ipsum dolor sit amet.")
    explainer.write_text("\n".join(lines) + "\n", encoding="utf-8")
    actor = filled_in / "content" / "actors" / "anna-weiss.yaml"
    actor.write_text("# TODO: a comment is not published\n" + actor.read_text(encoding="utf-8")
                     + "tags: [TODO]\n", encoding="utf-8")
    problems = gate(filled_in)
    assert problems == [
        f"content/actors/anna-weiss.yaml:{actor.read_text().count(chr(10))}:8: tags.0: 'TODO' is "
        "placeholder or example text on a public page: replace it with the publication's own "
        "text before publishing",
        f"content/explainers/borduria-campaign.md:{len(lines)}:1: body: 'Lorem ipsum' is "
        "placeholder or example text on a public page: replace it with the publication's own "
        "text before publishing"]


def test_missing_and_empty_ifcn_pages_and_sections(filled_in: Path) -> None:
    pages = filled_in / "content" / "pages"
    (pages / "methodology.md").unlink()
    (pages / "corrections-policy.md").write_text("---\ntitle: Corrections\n---\n\n",
                                                  encoding="utf-8")
    (pages / "about.md").write_text(ABOUT.replace("Reader donations; no funder sees work "
                                                  "before publication.\n", "")
                                    .split("## Nonpartisanship")[0], encoding="utf-8")
    problems = gate(filled_in)
    assert [p.split(": ", 2)[0] + ": " + p.split(": ", 2)[1] for p in problems] == [
        "content/pages/about.md:1:1: nonpartisanship",
        "content/pages/about.md:11:1: funding",
        "content/pages/corrections-policy.md:1:1: body",
        "content/pages/methodology.md:1:1: page",
    ]
    assert "the section is empty" in problems[1]
    assert "missing: publish a page that says how claims are chosen" in problems[3]


def test_a_separate_nonpartisanship_page_satisfies_the_gate(filled_in: Path) -> None:
    pages = filled_in / "content" / "pages"
    (pages / "about.md").write_text(ABOUT.split("## Nonpartisanship")[0], encoding="utf-8")
    assert gate(filled_in)[0].startswith("content/pages/about.md:1:1: nonpartisanship")
    (pages / "nonpartisanship.md").write_text("---\ntitle: Nonpartisanship\n---\n\nSame "
                                              "standard for every claim.\n", encoding="utf-8")
    assert gate(filled_in) == []


def test_sections_know_their_lines_and_whether_they_hold_text() -> None:
    body = "Intro.\n\n## Funding\n\n### Details\n\nDonations.\n\n## Contact\n\n## Nonpartisan\n"
    sections = page_sections(body, first_line=5)
    assert [(s.title, s.line, s.has_text) for s in sections] == [
        ("Funding", 7, True), ("Details", 9, True), ("Contact", 13, False),
        ("Nonpartisan", 15, False)]


def test_env_tag_resolution_follows_mkdocs(monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    node = yaml.compose('site_url: !ENV [SITE_URL, OTHER, "https://fallback.eu/"]').value[0][1]
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.delenv("OTHER", raising=False)
    assert resolve_env_tag(node) == "https://fallback.eu/"
    monkeypatch.setenv("OTHER", "https://other.eu/")
    assert resolve_env_tag(node) == "https://other.eu/"
    assert resolve_env_tag(yaml.compose("!ENV SITE_URL")) == ""
