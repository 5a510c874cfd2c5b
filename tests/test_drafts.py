"""Drafts and embargoes: checked, never published (real builds of a fixture copy)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE, build_project, make_project

from generator.pipeline import build_graph
from generator.published import current_pages

CLAIM = (FIXTURE / "content/claims/borduria-denies-involvement.yaml").read_text(encoding="utf-8")
HIDDEN_TEXT = "Borduria printed the ballots itself"


def add_claim(root: Path, record_id: str, extra: str) -> None:
    text = CLAIM.replace(
        "claim: Borduria had no involvement in the 2022 Ruritanian election campaign.",
        f"claim: {HIDDEN_TEXT}.") + extra
    (root / "content/claims" / f"{record_id}.yaml").write_text(text, encoding="utf-8")


def site_mentions(site: Path, needle: str) -> list[str]:
    """Every built file whose bytes contain ``needle``."""
    return sorted(str(path.relative_to(site)) for path in site.rglob("*")
                  if path.is_file() and needle.encode() in path.read_bytes())


def epoch(moment: str) -> str:
    return str(int(dt.datetime.fromisoformat(moment).timestamp()))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def test_a_draft_is_checked_but_not_published(project: Path) -> None:
    add_claim(project, "secret-draft", "status: draft\naliases: [older-draft]\n")
    built = build_project(project)
    assert not (built.site / "claims/secret-draft").exists()
    assert not (built.site / "claims/older-draft").exists(), "no redirect for a draft's alias"
    assert site_mentions(built.site, "secret-draft") == []
    assert site_mentions(built.site, HIDDEN_TEXT) == []
    assert (built.site / "claims/borduria-denies-involvement/index.html").is_file()


def test_a_draft_is_still_checked(project: Path) -> None:
    add_claim(project, "secret-draft", "status: draft\n")
    path = project / "content/claims/secret-draft.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("rating: unproven",
                                                             "rating: unprovn"),
                    encoding="utf-8")
    messages = [d.format() for d in build_graph(project).errors]
    assert any(m.startswith("content/claims/secret-draft.yaml:") and "'unprovn'" in m
               for m in messages)


def test_an_embargoed_record_appears_once_the_build_time_passes_publish_after(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_claim(project, "embargoed", "publish_after: 2030-06-01T09:00:00Z\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2030-06-01T08:59:59+00:00"))
    before = build_project(project)
    assert not (before.site / "claims/embargoed").exists()
    assert site_mentions(before.site, HIDDEN_TEXT) == []
    assert "claims/embargoed" not in current_pages(build_graph(project).graph)

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2030-06-01T09:00:00+00:00"))
    after = build_project(project)
    assert (after.site / "claims/embargoed/index.html").is_file()
    assert "claims/embargoed/" in (after.site / "sitemap.xml").read_text(encoding="utf-8")
    assert "claims/embargoed" in current_pages(build_graph(project).graph)


def factsite_check(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch("2026-11-28T00:00:00+00:00")}
    return subprocess.run([sys.executable, "-m", "generator.cli", "--root", str(root), "check"],
                          capture_output=True, text=True, env=env, check=False)


def test_a_published_record_may_not_link_to_an_unpublished_one(project: Path) -> None:
    statement = project / "content/statements/weiss-fake-accounts.yaml"
    statement.write_text(statement.read_text(encoding="utf-8") + "status: draft\n",
                         encoding="utf-8")
    explainer = project / "content/explainers/borduria-campaign.md"
    explainer.write_text(explainer.read_text(encoding="utf-8").replace(
        "---\n", "---\npublish_after: 2027-01-01T00:00:00Z\n", 1), encoding="utf-8")
    run = factsite_check(project)
    assert run.returncode == 1
    lines = [line for line in run.stdout.splitlines() if "which is" in line]
    claim = "content/claims/borduria-denies-involvement.yaml"
    assert lines == [
        f"{claim}:11:23: analysis: claims/borduria-denies-involvement is published but links "
        "to statements/weiss-fake-accounts, which is a draft; remove the link, publish "
        "statements/weiss-fake-accounts, or make claims/borduria-denies-involvement a draft too",
        f"{claim}:13:16: evidence.0.statement: claims/borduria-denies-involvement is published "
        "but links to statements/weiss-fake-accounts, which is a draft; remove the link, "
        "publish statements/weiss-fake-accounts, or make claims/borduria-denies-involvement "
        "a draft too",
    ]


def test_the_embargo_link_error_names_the_moment(project: Path) -> None:
    statement = project / "content/statements/weiss-fake-accounts.yaml"
    statement.write_text(statement.read_text(encoding="utf-8")
                         + "publish_after: 2027-01-01T09:30:00+01:00\n", encoding="utf-8")
    run = factsite_check(project)
    assert run.returncode == 1
    assert ("which is embargoed until 2027-01-01T09:30:00+01:00; remove the link"
            in run.stdout)


def test_publish_after_must_be_a_moment(project: Path) -> None:
    add_claim(project, "embargoed", "publish_after: next tuesday\n")
    run = factsite_check(project)
    assert ("content/claims/embargoed.yaml:24:16: publish_after: 'next tuesday' is not a "
            "date-time; write YYYY-MM-DDTHH:MM:SSZ (or YYYY-MM-DD for midnight UTC)"
            in run.stdout)


def test_an_embargoed_record_may_carry_the_date_its_embargo_ends(project: Path) -> None:
    add_claim(project, "embargoed", "publish_after: 2026-12-05T09:00:00Z\n")
    path = project / "content/claims/embargoed.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("published: 2022-12-01",
                                                             "published: 2026-12-05"),
                    encoding="utf-8")
    assert factsite_check(project).returncode == 0
    path.write_text(path.read_text(encoding="utf-8").replace("published: 2026-12-05",
                                                             "published: 2026-12-07"),
                    encoding="utf-8")
    assert "'2026-12-07' is in the future" in factsite_check(project).stdout
