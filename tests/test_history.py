"""A published record keeps its history (``generator/history.py``): ``factsite check
--history`` and ``--changed`` compare each changed record with its version at the base
revision, in a real git repository."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import edit, git

from generator.cli import main
from generator.models import FINDING_HELP
from generator.registry import KINDS, Kind

CLAIM = "content/claims/borduria-denies-involvement.yaml"
STATEMENT = "content/statements/weiss-fake-accounts.yaml"
OLD_ENTRY = ("  - date: 2022-12-05\n    kind: correction\n"
             "    note: Corrected the date of the election.\n")
CLEAN = "content is valid: no errors, no warnings\n"
FINDING = ("with no new entry in updates: a published finding changes only on the record; "
           "add an entry (date, kind: correction, note saying what changed and why)")
NEW_ENTRY = ("  - date: 2023-01-10\n    kind: correction\n"
             "    note: The rating was Unproven; a second source confirms the denial.\n")


@pytest.fixture
def branch(project: Path) -> Path:
    """The fixture project committed on ``main``, with a branch checked out to edit it."""
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "published")
    git(project, "checkout", "-q", "-b", "edit")
    return project


def check(root: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str]:
    """``factsite check --history --base main`` (or ``options``): exit status, stdout."""
    status = main(["--root", str(root), "check", *(options or ("--history", "--base", "main"))])
    return status, capsys.readouterr().out


GOLDEN = {
    "removed": (CLAIM, OLD_ENTRY, NEW_ENTRY, (
        f"{CLAIM}:21:3: updates: an entry was removed since main: 2022-12-05, correction, "
        "'Corrected the date of the election.'; a published record's entries are never "
        "removed: restore it (a correction of it is a new entry)")),
    "rewritten": (CLAIM, "note: Corrected the date of the election.",
                  "note: Nothing to see here.", (
        f"{CLAIM}:21:5: updates.0: rewritten since main: it was 2022-12-05, correction, "
        "'Corrected the date of the election.'; a published record's entries are never "
        "rewritten: restore it and add a new entry for the change")),
    "rating": (CLAIM, "rating: unproven", "rating: misleading", (
        f"{CLAIM}:7:9: rating: changed since main (it was 'unproven') {FINDING}")),
    "quote": (STATEMENT, "text: We saw thousands of fake accounts repeating the same lies",
              "text: We saw thousands of fake accounts", (
        f"{STATEMENT}:4:7: text: changed since main (it was 'We saw thousands of fake "
        f"accounts repeating the same lies') {FINDING}")),
}
"""Each rule's diagnostic, whole: the file changed, the text replaced, the line printed."""


@pytest.mark.parametrize("case", GOLDEN)
def test_each_rule_reports_where_the_change_stands(
        branch: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    path, old, new, expected = GOLDEN[case]
    edit(branch, path, old, new)
    assert check(branch, capsys) == (1, f"{expected}\n1 error, 0 warnings in 1 file\n")


def test_a_removed_log_is_refused_at_the_top_of_the_file(
        branch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(branch, CLAIM, "updates:\n" + OLD_ENTRY, "")
    status, out = check(branch, capsys)
    assert status == 1
    assert out.startswith(f"{CLAIM}:1:1: (file): an entry was removed since main: 2022-12-05")


def test_a_rating_changed_with_a_new_entry_passes(
        branch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(branch, CLAIM, "rating: unproven", "rating: misleading")
    edit(branch, CLAIM, OLD_ENTRY, OLD_ENTRY + NEW_ENTRY)
    assert check(branch, capsys) == (0, CLEAN)


def test_a_new_entry_does_not_excuse_a_removed_one(
        branch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(branch, CLAIM, "rating: unproven", "rating: misleading")
    edit(branch, CLAIM, OLD_ENTRY, NEW_ENTRY)
    status, out = check(branch, capsys)
    assert status == 1
    assert re.findall(r"^\S+: (\S+): ", out, re.M) == ["updates"]


def test_other_fields_change_freely(branch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(branch, CLAIM, "published: 2022-12-01", "published: 2022-12-01\nreviewers: [A. Editor]")
    edit(branch, STATEMENT, "locator: para. 2", "locator: paragraph 2")
    assert check(branch, capsys) == (0, CLEAN)


def test_entries_may_be_reordered(branch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(branch, CLAIM, OLD_ENTRY, NEW_ENTRY + OLD_ENTRY)
    assert check(branch, capsys) == (0, CLEAN)


def test_a_draft_changes_freely_unless_its_page_was_published(
        branch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paraphrase = "content/statements/commission-fake-sites.yaml"
    edit(branch, paraphrase, "speaker: electoral-commission",
         "status: draft\nspeaker: electoral-commission")
    git(branch, "commit", "-q", "-am", "a draft")
    git(branch, "branch", "-f", "main")
    edit(branch, paraphrase, "form: paraphrase", "form: quote")
    edit(branch, paraphrase, "text: The commission counted at least three websites posing as "
         "local news outlets.", "text: at least 3 websites posing as local news outlets")
    assert check(branch, capsys)[0] == 0
    (branch / "published.yaml").write_text(
        "published:\n  - statements/commission-fake-sites\n", encoding="utf-8")
    status, out = check(branch, capsys)
    assert status == 1
    assert re.findall(r"^\S+: (\S+): ", out, re.M) == ["form", "text"]


def test_a_renamed_record_is_compared_with_the_record_its_aliases_name(
        branch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(branch), "rename", "claims", "borduria-denies-involvement",
                 "borduria-denial-checked"]) == 0
    renamed = "content/claims/borduria-denial-checked.yaml"
    edit(branch, renamed, "rating: unproven", "rating: misleading")
    capsys.readouterr()
    status, out = check(branch, capsys)
    assert status == 1
    assert out.startswith(f"{renamed}:7:9: rating: changed since main (it was 'unproven')")


def test_changed_compares_history_too(branch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(branch, CLAIM, "rating: unproven", "rating: misleading")
    status, out = check(branch, capsys, "--changed", "--base", "main")
    assert status == 1
    assert out.startswith(f"{CLAIM}:7:9: rating: changed since main")
    status, out = check(branch, capsys, "--changed")  # the merge-base with main
    assert status == 1
    assert re.match(rf"{CLAIM}:7:9: rating: changed since the merge-base with main "
                    r"\([0-9a-f]{10}\) \(it was 'unproven'\)", out)


def test_without_a_base_nothing_is_compared(branch: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    edit(branch, CLAIM, "rating: unproven", "rating: misleading")
    assert check(branch, capsys, "--strict") == (0, CLEAN)


def test_new_records_and_broken_files_are_left_to_the_other_checks(
        branch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    claim = (branch / CLAIM).read_text(encoding="utf-8")
    (branch / "content/claims/new-claim.yaml").write_text(
        claim.replace("rating: unproven", "rating: misleading"), encoding="utf-8")
    edit(branch, STATEMENT, "speaker: anna-weiss", "speaker: [anna-weiss")
    status, out = check(branch, capsys)
    assert status == 1
    assert {line.split(":")[0] for line in out.splitlines()[:-1]} == {STATEMENT}
    assert ": yaml: " in out


def test_thousands_of_entries_rewritten_are_each_reported_once(
        branch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Entries are matched by their text and their date and kind, never one against every
    other: a log of 4,000 entries, every one rewritten, is checked in linear time."""
    entries = "".join(f"  - date: 2022-12-05\n    kind: update\n    note: Entry {n}.\n"
                      for n in range(4000))
    edit(branch, CLAIM, "updates:\n" + OLD_ENTRY, "updates:\n" + entries)
    git(branch, "commit", "-q", "-am", "a long log")
    git(branch, "branch", "-f", "main")
    edit(branch, CLAIM, "    note: Entry", "    note: Rewritten entry", count=-1)
    status, out = check(branch, capsys)
    assert status == 1
    problems = out.splitlines()[:-1]
    assert len(problems) == 4000
    assert problems[0] == (
        f"{CLAIM}:21:5: updates.0: rewritten since main: it was 2022-12-05, update, "
        "'Entry 0.'; a published record's entries are never rewritten: restore it and add a "
        "new entry for the change")
    assert len({problem.split(": ")[1] for problem in problems}) == 4000


def test_a_record_made_a_symbolic_link_is_never_read(
        branch: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The history check compares the records the check loaded: a link (here to a FIFO,
    which a read would wait on forever) is refused by the loader and never opened."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    (branch / CLAIM).unlink()
    (branch / CLAIM).symlink_to(fifo)
    status, out = check(branch, capsys)
    assert status == 1
    assert out.splitlines()[0] == (f"{CLAIM}:1:1: (file): symbolic links are not allowed in "
                                   "content/; copy the file instead")
    assert "since main" not in out


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.folder)
def test_the_findings_are_the_fields_whose_help_says_so(kind: Kind) -> None:
    """Editors read which fields need a new entry in the help of those fields (the schema's
    hover text, the web editor's hints, ``factsite new``): the same fields the check holds."""
    model = kind.model
    assert set(model.findings) <= set(model.model_fields)
    told = {name for name, field in model.model_fields.items()
            if (field.description or "").endswith(FINDING_HELP)}
    assert told == set(model.findings)
