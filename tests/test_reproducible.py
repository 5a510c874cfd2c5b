"""Reproducible builds: the same content gives byte-identical output, whatever the clock says.

``SOURCE_DATE_EPOCH`` pins the only build date MkDocs writes (the sitemap's ``lastmod`` and
the gzip header of ``sitemap.xml.gz``); "last updated" dates on pages come from the records'
``updates``, never from file modification times.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import make_project, mkdocs

EPOCH = "1700000000"  # 2023-11-14
OTHER_EPOCH = "1800000000"  # 2027-01-15
BUILD_DATED = {"sitemap.xml", "sitemap.xml.gz"}
"""The files MkDocs itself stamps with the build date (from SOURCE_DATE_EPOCH)."""


def build(project: Path, epoch: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    return {path.relative_to(site).as_posix(): path.read_bytes()
            for path in sorted(site.rglob("*")) if path.is_file()}


def differing(first: dict[str, bytes], second: dict[str, bytes]) -> set[str]:
    return {name for name in first.keys() | second.keys() if first.get(name) != second.get(name)}


def set_mtimes(root: Path, seconds: int) -> None:
    for path in root.rglob("*"):
        os.utime(path, (seconds, seconds), follow_symlinks=False)


@pytest.fixture(scope="module")
def twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two copies of the fixture project, in different folders, with different mtimes."""
    first = make_project(tmp_path_factory.mktemp("first") / "project")
    second = make_project(tmp_path_factory.mktemp("second") / "elsewhere")
    set_mtimes(first, 1_000_000_000)
    set_mtimes(second, 1_600_000_000)
    return first, second


def test_two_builds_are_byte_identical(twice: tuple[Path, Path],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    first = build(twice[0], EPOCH, monkeypatch)
    second = build(twice[1], EPOCH, monkeypatch)
    assert len(first) > 20
    assert first.keys() == second.keys()
    assert differing(first, second) == set(), "same content, same SOURCE_DATE_EPOCH: same bytes"


def test_the_build_date_appears_only_where_mkdocs_puts_it(
        twice: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    first = build(twice[0], EPOCH, monkeypatch)
    later = build(twice[0], OTHER_EPOCH, monkeypatch)
    assert differing(first, later) <= BUILD_DATED
    pages = [name for name in first if name.endswith((".html", ".json", ".xml", ".txt"))
             and name not in BUILD_DATED]
    for name in pages:
        for stamp in (b"2023-11-14", b"14 November 2023", b"2027-01-15", b"15 January 2027"):
            assert stamp not in first[name] + later[name], f"{name} embeds the build date"


def test_last_updated_comes_from_the_records_updates(
        twice: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    page = build(twice[1], EPOCH, monkeypatch)["claims/borduria-denies-involvement/index.html"]
    text = page.decode("utf-8")
    assert "5 December 2022" in text, "the newest entry of updates: is the last-updated date"


def test_sitemap_lastmod_comes_from_the_records(twice: tuple[Path, Path],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    sitemap = build(twice[1], EPOCH, monkeypatch)["sitemap.xml"].decode("utf-8")
    entry = sitemap.split("claims/borduria-denies-involvement/", 1)[1].split("</url>", 1)[0]
    assert "<lastmod>2022-12-05</lastmod>" in entry
