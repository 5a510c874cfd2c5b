"""Sources without an archived copy say why (``archive_note``), and public sources without a
web address say so instead of a bare "Public"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import build_graph

NOTE = "No archive service holds a copy of this page."


def source_page(project: Path, source_id: str, capsys: pytest.CaptureFixture[str]) -> str:
    """The source's page as ``factsite build --out`` writes it."""
    out = project.parent / "tree"
    shutil.copy(Path(__file__).parents[1] / "mkdocs.yml", project / "mkdocs.yml")
    assert main(["--root", str(project), "build", "--out", str(out)]) == 0
    capsys.readouterr()
    return (out / "docs" / "sources" / f"{source_id}.md").read_text(encoding="utf-8")


def test_archive_note_replaces_the_missing_archive_warning_and_is_shown(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = project / "content" / "sources" / "commission-website.yaml"
    text = record.read_text(encoding="utf-8")
    without = "\n".join(line for line in text.splitlines() if not line.startswith("archived_url"))
    record.write_text(without + "\n", encoding="utf-8")
    warnings = [d.format() for d in build_graph(project).diagnostics if d.severity == "warning"]
    assert any("commission-website.yaml" in w and "no archived_url" in w for w in warnings)

    record.write_text(f"{without}\narchive_note: {NOTE}\n", encoding="utf-8")
    warnings = [d.format() for d in build_graph(project).diagnostics if d.severity == "warning"]
    assert not any("commission-website.yaml" in w for w in warnings)
    assert f"No archived copy: {NOTE}" in source_page(project, "commission-website", capsys)


def test_public_source_without_url_says_it_has_no_web_address(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = source_page(project, "example-report", capsys)
    assert "Public, but no web address is recorded for it here" in page
