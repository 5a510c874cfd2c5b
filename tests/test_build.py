"""build_site: the whole site as data (no file I/O), any content gives diagnostics and never
a traceback, and a failed build never destroys the published site."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURE, build_project, make_project, mkdocs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import build_site, output_file
from generator.cli import main as cli
from generator.pipeline import build_graph
from generator.published import check_published, load_manifest, update_manifest
from generator.site import PackedBlocks, SiteOptions
from generator.staging import StagedFolder

SITE_URL = "https://factsite.example.org/"
CLAIM = "content/claims/borduria-denies-involvement.yaml"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_site_holds_every_page_and_asset_and_writes_nothing(project: Path) -> None:
    before = snapshot(project)
    site = build_site(project, SiteOptions(site_url=SITE_URL))
    assert snapshot(project) == before
    assert not site.errors
    graph = build_graph(project).graph
    paths = {page.path for page in site.pages}
    for record in graph.all():
        assert (f"{record.id}.md" if record.collection == "pages"
                else f"{record.collection}/{record.id}.md") in paths
    assert {"index.md", "claims/index.md", "matrix.md", "timeline.md", "corrections.md",
            "data/index.md"} <= paths
    assets = {asset.path for asset in site.assets}
    assert {"assets/factsite-ratings.css", "data/factsite.json", "data/claims.csv",
            "data/claimreview.json", "feed.xml", "_redirects"} <= assets
    claim = next(p for p in site.pages if p.path == "claims/borduria-denies-involvement.md")
    assert claim.source == "claims/borduria-denies-involvement.yaml"
    assert claim.jsonld and '"ClaimReview"' in claim.jsonld
    assert claim.updated == "2022-12-05"
    assert [s.anchor for s in claim.sections][1:3] == ["analysis", "evidence"]
    assert "## Evidence {#evidence}" in claim.body


def test_outputs_that_would_overwrite_each_other_are_errors(project: Path) -> None:
    """F6: an alias taking a generated page's address is refused before anything is built."""
    with (project / CLAIM).open("a") as file:
        file.write("aliases: [index]\n")
    site = build_site(project, SiteOptions(site_url=SITE_URL))
    assert not site.pages and not site.assets
    assert any("alias 'index' is reserved" in d.message for d in site.errors)
    assert output_file("claims/index.md", True) == "claims/index.html"
    assert output_file("claims/x.md", False) == "claims/x.html"


@pytest.mark.parametrize("rating", ["records", "depth", "link", "source", "mention", "via",
                                    "date", "casefold", "ratings"])
def test_a_rating_may_have_any_id(project: Path, rating: str) -> None:
    """A rating id is content: it never meets the renderer's own cache keys."""
    site_yaml = project / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("id: unproven", f"id: {rating}"))
    claim = project / CLAIM
    claim.write_text(claim.read_text().replace("rating: unproven", f"rating: {rating}"))
    site = build_site(project, SiteOptions(site_url=SITE_URL))
    assert not site.errors
    pages = {page.path: page.body for page in site.pages}
    badge = f'<span class="fs-rating fs-rating--{rating}" title="Rating: Unproven">'
    assert badge in pages["claims/borduria-denies-involvement.md"]
    assert "RecordMemo" not in "".join(pages.values())


# -- fuzzing: any site.yaml rating scale, any published.yaml ---------------------------------

@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the fixture that the fuzzed inputs overwrite (pytest removes it)."""
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(FIXTURE / "content", root / "content")
    shutil.copytree(FIXTURE / "seeds", root / "seeds")
    return root


_SITE_YAML = yaml.safe_load((FIXTURE / "content" / "site.yaml").read_text())

ids = st.one_of(st.sampled_from(["records", "depth", "false", "true", "index", "x", "__config",
                                 "a-b", "unproven"]),
                st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,4})?", fullmatch=True),
                st.text(max_size=12))
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=20))
ratings = st.lists(st.fixed_dictionaries(
    {"id": ids, "label": st.one_of(st.text(max_size=20), scalars)},
    optional={"value": st.one_of(st.integers(-100, 100), scalars),
              "description": scalars, "color": st.one_of(st.from_regex(r"#[0-9a-f]{6}",
                                                                       fullmatch=True), scalars),
              "extra": scalars}), max_size=5)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(scale=st.one_of(ratings, scalars), used=st.one_of(ids, scalars))
def test_any_rating_scale_gives_diagnostics_or_a_site(fuzz_root: Path, scale: Any,
                                                       used: Any) -> None:
    (fuzz_root / "content" / "site.yaml").write_text(
        yaml.safe_dump({**_SITE_YAML, "ratings": scale}, allow_unicode=True))
    claim = (FIXTURE / CLAIM).read_text().replace("rating: unproven",
                                                  f"rating: {yaml.safe_dump(used).strip()}"
                                                  .replace("\n...", ""))
    (fuzz_root / CLAIM).write_text(claim)
    site = build_site(fuzz_root, SiteOptions(site_url=SITE_URL))
    assert site.errors or site.pages
    for diagnostic in site.errors:
        assert diagnostic.format().count(":") >= 3


manifests = st.one_of(
    st.text(max_size=200),
    st.binary(max_size=100).map(lambda b: b.decode("utf-8", "replace")),
    st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["published", "retired", "page", "reason", "x"]),
                        inner, max_size=3)), max_leaves=10).map(
        lambda data: yaml.safe_dump(data, allow_unicode=True)),
    st.lists(st.sampled_from(["claims/borduria-denies-involvement", "claims/gone",
                              "actors/borduria", "nope", "claims/x\n", ""]), max_size=4).map(
        lambda pages: yaml.safe_dump({"published": pages})))
_GRAPH = build_graph(FIXTURE).graph


@settings(max_examples=150, deadline=None)
@given(text=manifests, bom=st.booleans())
def test_any_published_yaml_gives_diagnostics_never_a_traceback(fuzz_root: Path, text: str,
                                                                bom: bool) -> None:
    (fuzz_root / "published.yaml").write_bytes(("\ufeff" if bom else "").encode() +
                                                text.encode("utf-8", "surrogatepass"))
    manifest = load_manifest(fuzz_root)
    assert manifest is not None
    problems = check_published(fuzz_root, _GRAPH)
    added, found = update_manifest(fuzz_root, _GRAPH)
    assert all(d.format() for d in [*problems, *found])
    if any(d.severity == "error" for d in found):
        assert not added


def test_published_update_with_a_bom_reports_it(project: Path, capsys) -> None:
    manifest = project / "published.yaml"
    manifest.write_bytes(b"\xef\xbb\xbfpublished:\n  - claims/borduria-denies-involvement\n")
    assert cli(["--root", str(project), "published", "--update"]) == 0
    assert "published.yaml:1:1: (file): warning: file starts with a byte-order mark" in (
        capsys.readouterr().err)
    assert not manifest.read_bytes().startswith(b"\xef\xbb\xbf")
    assert cli(["--root", str(project), "published", "--check"]) == 0


# -- a failed build keeps the published site (F6) -------------------------------------------


def test_staged_folder_swaps_in_only_on_commit(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.mkdir()
    (target / "old.html").write_text("old")
    staged = StagedFolder.beside(target)
    (staged.staging / "new.html").write_text("new")
    staged.discard()
    assert snapshot(target) == {"old.html": b"old"} and not staged.staging.exists()
    staged = StagedFolder.beside(target)
    (staged.staging / "new.html").write_text("new")
    staged.commit()
    assert snapshot(target) == {"new.html": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project, built once: its site/ is the published site."""
    return build_project(make_project(tmp_path_factory.mktemp("published") / "project")).root


@pytest.mark.parametrize("breakage", ["alias-index", "page-alias-claims", "strict-warning"])
def test_a_failed_build_leaves_the_previous_site_untouched(published: Path, tmp_path: Path,
                                                           breakage: str) -> None:
    """The red-team reproductions (an alias on a generated address, caught before MkDocs
    cleans anything) and a failure after MkDocs has written pages (a warning under
    ``--strict``): site/ is byte for byte the previous build, and nothing is left beside."""
    project = tmp_path / "project"
    shutil.copytree(published, project)
    before = snapshot(project / "site")
    assert "feed.xml" in before and "data/factsite.json" in before
    if breakage == "alias-index":
        with (project / CLAIM).open("a") as file:
            file.write("aliases: [index]\n")
    elif breakage == "page-alias-claims":
        about = project / "content" / "pages" / "about.md"
        about.write_text(about.read_text().replace("---\n", "---\naliases: [claims]\n", 1))
    else:
        settings_file = project / "mkdocs.yml"
        settings_file.write_text(settings_file.read_text().replace(
            "  - Timeline: timeline.md", "  - Timeline: timeline.md\n  - Gone: gone.md"))
    result = mkdocs(project, "build", "--strict")
    assert result.returncode != 0, result.stderr
    assert snapshot(project / "site") == before
    assert sorted(p.name for p in project.iterdir()
                  if p.name.startswith(".") and p.name != ".cache") == []  # card cache


def test_factsite_build_refuses_errors_and_a_missing_config(project: Path, capsys) -> None:
    """Content errors: exit 1 and nothing written; no mkdocs.yml: exit 2 with a message."""
    out = project / "build"
    assert cli(["--root", str(project), "build", "--out", str(out)]) == 2
    assert "mkdocs.yml" in capsys.readouterr().err
    shutil.copy(Path(__file__).parents[1] / "mkdocs.yml", project / "mkdocs.yml")
    claim = project / CLAIM
    good = claim.read_text()
    claim.write_text(good.replace("rating: unproven", "rating: fals"))
    assert cli(["--root", str(project), "build", "--out", str(out)]) == 1
    assert "'fals' is not a rating" in capsys.readouterr().err and not out.exists()
    claim.write_text(good)
    assert cli(["--root", str(project), "build", "--out", str(out)]) == 0
    assert (out / "docs" / "claims" / "borduria-denies-involvement.md").is_file()
    assert (out / "docs" / "feed.xml").is_file() and (out / "mkdocs.yml").is_file()
    assert sorted(p.name for p in project.iterdir()
                  if p.name.startswith(".") and p.name != ".cache") == []  # card cache


@given(st.lists(st.text(), max_size=6))
def test_packed_blocks_give_back_every_block_as_it_was(blocks: list[str]) -> None:
    """The render stage holds a page's blocks compressed: any text, empty blocks and
    characters outside ASCII included, reads back the same, block by block."""
    packed = PackedBlocks(blocks)
    assert tuple(packed) == tuple(blocks) and len(packed) == len(blocks)
    assert packed == tuple(blocks) and packed == PackedBlocks(blocks)
    if blocks:
        assert packed[0] == blocks[0] and packed[1:] == tuple(blocks[1:])


def test_a_built_sites_pages_hold_their_text_packed() -> None:
    """What the adapters receive keeps each page's text compressed, and its Markdown and
    headings are those of the blocks it packs."""
    site = build_site(FIXTURE, SiteOptions(site_url="https://example.org/"))
    page = next(page for page in site.pages if page.path.startswith("claims/"))
    assert isinstance(page.blocks, PackedBlocks)
    assert len(page.blocks.packed.data) * 3 < sum(map(len, page.blocks))
    assert page.body.startswith(page.blocks[0]) and all(
        section.markdown in page.body for section in page.sections)
