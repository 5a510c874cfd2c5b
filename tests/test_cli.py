"""``factsite check`` / ``schema``: exit codes and the three output formats, end to end."""

from __future__ import annotations

import gc
import importlib.metadata
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import git, make_project, mkdocs

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


# -- check PATH…, check --changed ------------------------------------------------------------

ACTOR = "content/actors/anna-weiss.yaml"
CLAIM = "content/claims/borduria-denies-involvement.yaml"
RATING_ERROR = ("content/claims/borduria-denies-involvement.yaml:7:9: rating: 'fals' is not a "
                "rating; expected one of: false, misleading, unproven, true; did you mean "
                "'false'?")
ACTOR_ERROR = ("content/actors/anna-weiss.yaml:2:7: kind: 'persn' is not an actor kind; "
               "expected one of: ")


def break_actor(root: Path) -> None:
    actor = root / ACTOR
    actor.write_text(actor.read_text().replace("kind: person", "kind: persn"))


def test_check_paths_reports_only_those_files(project: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    break_rating(project)
    break_actor(project)
    monkeypatch.chdir(project / "content" / "claims")
    assert main(["check", "borduria-denies-involvement.yaml"]) == 1
    captured = capsys.readouterr()
    assert captured.out == f"{RATING_ERROR}\n1 error, 0 warnings in 1 file\n"
    assert captured.err == ("1 more problem in files not selected; run 'factsite check' to "
                            "see every file\n")
    assert main(["check", "../actors"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(ACTOR_ERROR) and RATING_ERROR not in out


def test_check_paths_resolve_references_against_the_whole_tree(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A statement checked alone still finds the actors and sources it refers to."""
    break_rating(project)
    path = project / "content" / "statements" / "borduria-denial.yaml"
    assert main(["--root", str(project), "check", "--strict", str(path)]) == 0
    assert capsys.readouterr().out == "content is valid: no errors, no warnings\n"
    path.write_text(path.read_text().replace("actors: [borduria]", "actors: [bordura]"))
    assert main(["--root", str(project), "check", "content/statements/borduria-denial.yaml"
                 ]) == 1, "with --root, a relative PATH may be given from the project folder"
    assert capsys.readouterr().out == (
        "content/statements/borduria-denial.yaml:7:12: about.actors.0: unknown actor "
        "'bordura'; did you mean 'borduria'?\n1 error, 0 warnings in 1 file\n")


@pytest.mark.parametrize(("argv", "message"), [
    (["check", "/"], "factsite: error: /: not inside the project ({root})"),
    (["check", "content/claims/nope.yaml"],
     "factsite: error: content/claims/nope.yaml: no such file or folder"),
    (["check", "--changed", "content"], "factsite: error: give PATHs or --changed, not both"),
    (["check", "--base", "main"], "factsite: error: --base goes with --changed or --history"),
    (["check", "--changed"], "factsite: error: --changed: neither origin/main nor main "
                             "exists; pass --base REF"),
    (["check", "--changed", "--base", "v1"], "factsite: error: --changed: unknown revision "
                                             "'v1'"),
])
def test_check_selection_usage_errors(project: Path, argv: list[str], message: str) -> None:
    git(project, "init", "-q")
    run = factsite(project, *argv)
    assert run.returncode == 2
    assert run.stderr.splitlines()[-1] == message.format(root=project)


def test_check_changed_needs_a_repository(project: Path) -> None:
    run = factsite(project, "check", "--changed")
    assert run.returncode == 2
    assert run.stderr.splitlines()[-1] == (f"factsite: error: --changed: {project} is not in "
                                           "a git repository")


def factsite(cwd: Path, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("factsite")
    return subprocess.run([str(exe), *argv], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, **env}, check=False)


def test_check_changed_against_main(project: Path) -> None:
    break_actor(project)  # an old problem, committed on main: not this branch's
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "content")
    git(project, "checkout", "-q", "-b", "my-edit")
    break_rating(project)  # changed, not staged
    statement = project / "content" / "statements" / "new-statement.yaml"
    statement.write_text((project / "content/statements/borduria-denial.yaml").read_text()
                         .replace("speaker: borduria-foreign-ministry", "speaker: nobody"))
    base = git(project, "merge-base", "HEAD", "main").strip()
    run = factsite(project / "content", "check", "--changed")
    assert run.returncode == 1
    assert run.stderr == (f"checking 2 changed files (against the merge-base with main "
                          f"({base[:10]}))\n1 more problem in files not selected; run "
                          "'factsite check' to see every file\n")
    assert run.stdout == (  # the rating changed too: --changed compares history as well
        f"{RATING_ERROR}\ncontent/claims/borduria-denies-involvement.yaml:7:9: rating: changed "
        f"since the merge-base with main ({base[:10]}) (it was 'unproven') with no new entry in "
        "updates: a published finding changes only on the record; add an entry (date, kind: "
        "correction, note saying what changed and why)\n"
        "content/statements/new-statement.yaml:1:10: speaker: unknown actor "
        "'nobody'\n3 errors, 0 warnings in 2 files\n")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "edit")
    run = factsite(project, "check", "--changed", "--base", "HEAD")
    assert (run.returncode, run.stdout, run.stderr) == (
        0, "", "checking no changed files (against HEAD)\n")


# -- from any folder, --version, help ----------------------------------------------------------


def test_runs_from_any_folder_inside_the_project(project: Path, tmp_path: Path) -> None:
    break_rating(project)
    run = factsite(project / "content" / "claims", "check")
    assert run.returncode == 1 and run.stdout.startswith(RATING_ERROR), run.stderr
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    run = factsite(outside, "check")
    assert run.returncode == 2
    assert run.stderr.splitlines()[-1] == (
        f"factsite: error: no content/ folder in {outside} or any folder above it; run "
        "factsite inside a project, or pass --root DIR")
    assert factsite(outside, "--root", str(project), "check").returncode == 1, "--root wins"


def test_version() -> None:
    run = factsite(BASE, "--version")
    assert run.returncode == 0
    assert run.stdout == f"factsite {importlib.metadata.version('factsite')}\n"


def test_help_lists_exit_codes_and_examples() -> None:
    run = factsite(BASE, "--help")
    assert "``" not in run.stdout, "no reStructuredText markup in the help"
    assert "exit codes: 0 clean, 1 content errors" in run.stdout
    assert "factsite rename claims old-id new-id" in run.stdout
    check_help = " ".join(factsite(BASE, "check", "--help").stdout.split())
    assert "merge-base of HEAD with origin/main or main, whichever exists first" in check_help


# -- quiet, honest output -------------------------------------------------------------------

ROOT = Path(__file__).parents[1]
PROGRESS = re.compile(r"\r\x1b\[K(?:[a-z ]+(?: [\d,]+/[\d,]+)? · \d+ s)?")
"""One redraw of the progress line (or its erasure)."""


def in_terminal(argv: list[str], cwd: Path, **env: str) -> tuple[int, str]:
    """Run ``argv`` with stderr on a pseudo-terminal; return its exit code and stderr."""
    primary, secondary = pty.openpty()
    environment = {key: value for key, value in os.environ.items() if key != "CI"}
    environment.update(env, NO_MKDOCS_2_WARNING="1")
    process = subprocess.Popen(argv, cwd=cwd, env=environment, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=secondary)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the terminal closed: the process is gone
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    return process.wait(timeout=300), b"".join(chunks).decode("utf-8")


def test_check_shows_progress_only_on_a_terminal(project: Path) -> None:
    exe = str(Path(sys.executable).with_name("factsite"))
    code, err = in_terminal([exe, "check"], project, FACTSITE_PROGRESS_DELAY="0")
    assert code == 0
    assert re.match(r"\r\x1b\[Kchecking content · \d+ s", err) and err.endswith("\r\x1b[K"), err
    assert PROGRESS.sub("", err) == "", "nothing but the progress line, erased at the end"
    assert in_terminal([exe, "check"], project, FACTSITE_PROGRESS_DELAY="30")[1] == "", \
        "quick work shows nothing"
    assert in_terminal([exe, "check"], project, FACTSITE_PROGRESS_DELAY="0", CI="true")[1] \
        == "", "silent in CI"
    assert factsite(project, "check", FACTSITE_PROGRESS_DELAY="0").stderr == "", \
        "silent when stderr is not a terminal"


def test_mkdocs_build_shows_progress_only_on_a_terminal(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "site")
    code, err = in_terminal([sys.executable, "-m", "mkdocs", "build"], project,
                            FACTSITE_PROGRESS_DELAY="0")
    assert code == 0, err
    assert "\r\x1b[Kchecking content · " in err
    assert re.search(r"\r\x1b\[Kbuilding pages \d+/\d+ · \d+ s", err), err
    assert err.endswith("\r\n")
    log = PROGRESS.sub("", err).splitlines()
    assert log and all(line.startswith("INFO") for line in log), \
        "every log line starts on an erased line"
    monkeypatch.setenv("FACTSITE_PROGRESS_DELAY", "0")
    assert "checking content" not in mkdocs(project, "build").stderr


def test_make_help_lists_every_target() -> None:
    makefile = (ROOT / "Makefile").read_text()
    targets = re.findall(r"^([a-z][a-z-]*):(?!=)", makefile, re.M)
    phony = set(re.search(r"^\.PHONY: (.*)$", makefile, re.M).group(1).split())
    assert set(targets) == phony
    run = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    listed = dict(line.split(None, 1) for line in run.stdout.splitlines())
    assert sorted(listed) == sorted(targets)
    assert all(description.strip() for description in listed.values())
    assert listed["help"] == "List the targets with what each does"


def test_make_silences_the_material_banner() -> None:
    """Material prints its end-of-life banner unless NO_MKDOCS_2_WARNING is set: every
    recipe (make serve, make site) gets it."""
    run = subprocess.run(["make", "-s", "--eval", "probe: ; @echo \"[$$NO_MKDOCS_2_WARNING]\"",
                          "probe"], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={k: v for k, v in os.environ.items() if k != "NO_MKDOCS_2_WARNING"})
    assert run.stdout == "[1]\n"


def test_editable_install_prints_no_warning(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    run = subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"),
                          "install", "--quiet", "--no-deps", "-e", str(ROOT)],
                         capture_output=True, text=True, check=False, timeout=600)
    assert run.returncode == 0, run.stderr
    output = [line for line in (run.stdout + run.stderr).splitlines()
              if not line.startswith("WARNING: Location '")]  # this machine's pip index list
    assert output == []
