"""``factsite check`` / ``schema``: exit codes and the three output formats, end to end."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import collection_paused

BASE = Path(__file__).parent / "fixtures" / "basic"


def break_rating(root: Path) -> None:
    claim = root / "content" / "claims" / "borduria-denies-involvement.yaml"
    claim.write_text(claim.read_text().replace("rating: unproven", "rating: fals"))


def test_clean_tree_exits_zero(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(project), "check", "--strict"]) == 0
    assert "no errors" in capsys.readouterr().out


def test_errors_exit_one_with_positions(project: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    break_rating(project)
    assert main(["--root", str(project), "check"]) == 1
    out = capsys.readouterr().out
    assert ("content/claims/borduria-denies-involvement.yaml:7:9: rating: 'fals' is not a "
            "rating; expected one of: false, misleading, unproven, true; did you mean "
            "'false'?") in out


def test_warnings_fail_only_when_strict(project: Path) -> None:
    source = project / "content" / "sources" / "commission-website.yaml"
    source.write_text("\n".join(line for line in source.read_text().splitlines()
                                if not line.startswith("archived_url")) + "\n")
    assert main(["--root", str(project), "check"]) == 0
    assert main(["--root", str(project), "check", "--strict"]) == 1


def test_github_annotations(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    break_rating(project)
    assert main(["--root", str(project), "check", "--format", "github"]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("::error file=content/claims/borduria-denies-involvement.yaml,"
                            "line=7,col=9,title=rating::rating: 'fals' is not a rating")


def test_json_output(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    break_rating(project)
    assert main(["--root", str(project), "check", "--format", "json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["errors"] == 1 and payload["warnings"] == 0
    [diagnostic] = payload["diagnostics"]
    assert diagnostic == {
        "path": "content/claims/borduria-denies-involvement.yaml", "line": 7, "column": 9,
        "location": "rating", "severity": "error",
        "message": diagnostic["message"],
    }
    assert diagnostic["message"].startswith("'fals' is not a rating")


@pytest.mark.parametrize("argv", [
    ["check", "--format", "xml"],
    ["frobnicate"],
    [],
    ["--root", "/nonexistent-folder", "check"],
])
def test_usage_errors_exit_two(argv: list[str]) -> None:
    run = subprocess.run([sys.executable, "-m", "generator.cli", *argv], capture_output=True,
                         text=True, cwd=BASE)
    assert run.returncode == 2, run.stderr
    assert "usage:" in run.stderr


def test_console_script_is_installed(project: Path) -> None:
    exe = Path(sys.executable).with_name("factsite")
    run = subprocess.run([str(exe), "check"], capture_output=True, text=True, cwd=project)
    assert run.returncode == 0, run.stdout + run.stderr


def test_schema_writes_one_schema_per_kind(project: Path) -> None:
    assert main(["--root", str(project), "schema", "--out", "schemas"]) == 0
    names = sorted(p.name for p in (project / "schemas").iterdir())
    assert names == sorted(f"{kind}.schema.json" for kind in (
        "sources", "actors", "elections", "tactics", "statements", "claims", "explainers",
        "pages", "site"))
    claims = json.loads((project / "schemas" / "claims.schema.json").read_text())
    assert claims["additionalProperties"] is False
    assert set(claims["required"]) >= {"claim", "claimant", "rating", "verdict", "evidence"}
    assert main(["--root", str(project), "schema", "--out", "schemas", "--check"]) == 0


def test_collection_paused_restores_the_collector() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collection_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled(), "re-enabled even when the batch fails"
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled(), "a collector that was off stays off"
    finally:
        gc.enable()
