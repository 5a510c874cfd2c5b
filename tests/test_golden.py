"""Golden tests: each folder in tests/golden/ overlays a broken change on the clean fixture.

``expected.txt`` holds the exact ``factsite check`` output ("today" is fixed through
``SOURCE_DATE_EPOCH``). After an intended change of
wording, regenerate with ``FACTSITE_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and
review the diff.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.diagnostics import format_text
from generator.pipeline import build_graph

HERE = Path(__file__).parent
BASE = HERE / "fixtures" / "basic"
CASES = sorted(p for p in (HERE / "golden").iterdir() if p.is_dir() and p.name != "html")


def overlay(case: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    for path in case.rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            target = root / path.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return root


TODAY_EPOCH = "1795824000"
"""2026-11-28 (UTC): "today" for the checks of publication dates, so the output is fixed."""


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)


def test_clean_fixture_has_no_diagnostics() -> None:
    result = build_graph(BASE)
    assert result.diagnostics == []
    assert result.graph.count() == {
        "sources": 3, "actors": 4, "elections": 1, "tactics": 2, "statements": 3,
        "claims": 1, "explainers": 1, "pages": 3,
    }


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case: Path, tmp_path: Path) -> None:
    root = overlay(case, tmp_path)
    output = format_text(build_graph(root).diagnostics) + "\n"
    expected_file = case / "expected.txt"
    if os.environ.get("FACTSITE_UPDATE_GOLDEN"):
        expected_file.write_text(output, encoding="utf-8")
    assert output == expected_file.read_text(encoding="utf-8")
