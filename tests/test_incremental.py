"""The incremental builder gives exactly the site a full build gives, after any edit."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import FIXTURE

from generator.build import build_site
from generator.incremental import SiteBuilder
from generator.render import record_path
from generator.site import SiteOptions

OPTIONS = SiteOptions(site_url="https://example.org/")
TEXT_FIELD = re.compile(r"^(name|title|claim|verdict|context|summary|note): (.+)$", re.M)
DATE_FIELD = re.compile(r"^(date): (\d{4})-(\d{2})", re.M)
RECORDS = sorted(path.relative_to(FIXTURE).as_posix()
                 for path in (FIXTURE / "content").rglob("*")
                 if path.suffix in (".yaml", ".md") and path.name != "site.yaml")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE / "content", tmp_path / "content")
    shutil.copytree(FIXTURE / "seeds", tmp_path / "seeds")
    return tmp_path


def assert_same_as_full_build(builder: SiteBuilder, root: Path) -> frozenset[str]:
    update = builder.build()
    assert update.errors == []
    full = build_site(root, OPTIONS)
    assert [page.path for page in update.site.pages] == [page.path for page in full.pages]
    assert update.site.pages == full.pages
    assert update.site.assets == full.assets
    assert update.changed is not None
    return update.changed


@pytest.mark.parametrize("record", RECORDS)
def test_editing_any_record_rebuilds_what_a_full_build_would(root: Path, record: str) -> None:
    builder = SiteBuilder(root, OPTIONS)
    assert builder.build().changed is None, "the first build writes everything"
    path = root / record
    text = path.read_text(encoding="utf-8")
    edited, count = TEXT_FIELD.subn(lambda m: f"{m.group(1)}: Edited {m.group(2)}", text,
                                    count=1)
    if not count:  # a quoted statement: its text is the seed's
        edited, count = DATE_FIELD.subn(lambda m: f"date: {int(m.group(2)) - 1}-{m.group(3)}",
                                        text, count=1)
    assert count == 1, f"nothing to edit in {record}"
    path.write_text(edited, encoding="utf-8")
    changed = assert_same_as_full_build(builder, root)
    kind, name = record.removeprefix("content/").split("/")
    assert record_path(kind, name.rsplit(".", 1)[0]) in changed
    assert assert_same_as_full_build(builder, root) == frozenset(), "nothing changed"


def test_removing_and_adding_records(root: Path) -> None:
    builder = SiteBuilder(root, OPTIONS)
    builder.build()
    explainer = root / "content/explainers/borduria-campaign.md"
    text = explainer.read_text(encoding="utf-8")
    explainer.unlink()
    update = builder.build()
    assert update.removed == {"explainers/borduria-campaign.md"}
    assert_same_as_full_build(builder, root)
    (root / "content/explainers/campaign-again.md").write_text(text, encoding="utf-8")
    assert "explainers/campaign-again.md" in assert_same_as_full_build(builder, root)


def test_errors_keep_the_last_good_site(root: Path) -> None:
    builder = SiteBuilder(root, OPTIONS)
    good = builder.build().site
    claim = root / "content/claims/borduria-denies-involvement.yaml"
    text = claim.read_text(encoding="utf-8")
    claim.write_text(text.replace("rating: unproven", "rating: unprovn"), encoding="utf-8")
    update = builder.build()
    assert update.errors and update.site.pages == ()
    assert builder.site is good
    claim.write_text(text.replace("verdict: ", "verdict: Fixed. "), encoding="utf-8")
    assert "claims/borduria-denies-involvement.md" in assert_same_as_full_build(builder, root)


def test_a_change_to_the_site_rebuilds_everything(root: Path) -> None:
    builder = SiteBuilder(root, OPTIONS)
    builder.build()
    site = root / "content/site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("name: ", "name: New ", 1),
                    encoding="utf-8")
    assert builder.build().changed is None
    assert builder.site == build_site(root, OPTIONS)


def test_deferred_exports_end_up_as_a_full_build_gives_them(root: Path) -> None:
    builder = SiteBuilder(root, OPTIONS)
    builder.build(defer_exports=True)  # the first build exports at once
    assert builder.finish_exports() is None
    actor = root / "content/actors/anna-weiss.yaml"
    actor.write_text(actor.read_text(encoding="utf-8").replace(
        "name: Anna Weiss", "name: Anna Weiss-Renamed\naliases: [weiss]"), encoding="utf-8")
    update = builder.build(defer_exports=True)
    assert "actors/weiss/index.html" in update.changed, "a new alias redirects at once"
    assert "data/factsite.json" not in update.changed, "the open data comes after"
    full = build_site(root, OPTIONS)
    assert update.site.pages == full.pages
    exports = builder.finish_exports()
    assert exports is not None and "data/factsite.json" in exports.changed
    assert exports.site == replace(full, diagnostics=exports.site.diagnostics)
    assert builder.finish_exports() is None


def test_a_record_whose_statements_continue_on_more_pages(root: Path) -> None:
    """The pages a tactic's numbered statements continue on are kept, rebuilt and dropped
    as a full build would (merge keeps every page of a record, not only its own)."""
    (root / "content/tactics/t0.yaml").write_text(
        "name: T0\nsummary: S.\ncategory: malign-finance\n", encoding="utf-8")
    for i in range(105):
        (root / f"content/statements/s{i:03}.yaml").write_text(
            f"speaker: anna-weiss\ndate: 2022\nform: paraphrase\ntext: Statement {i}.\n"
            "about:\n  tactics: [t0]\ncitations:\n  - source: example-report\n",
            encoding="utf-8")
    builder = SiteBuilder(root, OPTIONS)
    builder.build()
    explainer = root / "content/explainers/borduria-campaign.md"  # far from the tactic
    explainer.write_text(explainer.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    assert_same_as_full_build(builder, root)
    assert "tactics/t0/statements-2.md" in [page.path for page in builder.build().site.pages]
    for i in range(5):
        (root / f"content/statements/s{i:03}.yaml").unlink()
    update = builder.build()
    assert update.removed == {*(f"statements/s{i:03}.md" for i in range(5)),
                              "tactics/t0/statements-2.md"}
    assert_same_as_full_build(builder, root)
