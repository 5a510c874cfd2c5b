"""``factsite rename``: the file moves, the old id becomes an alias, every reference is
rewritten in place (nothing else in the files changes), and a refused or failed rename
leaves every file as it was. Each test starts from a clean fixture copy and checks it
again after the rename."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import edit, git

from generator import rename as rename_module
from generator.cli import main

CLAIM = "content/claims/borduria-denies-involvement.yaml"
SOURCE = "content/sources/example-report.yaml"
RENAMED = "content/sources/example-wire-report.yaml"
EXPLAINER = "content/explainers/borduria-campaign.md"


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted((root / "content").rglob("*")) if p.is_file()}


def check(root: Path) -> int:
    return main(["--root", str(root), "check", "--strict"])


@pytest.fixture
def styled(project: Path) -> Path:
    """The fixture with references written in several styles: quoted, commented, in a
    Markdown body with a label, and the record's own aliases as a block list."""
    edit(project, CLAIM, "  - source: example-report\n    quote: ran",
         "  - source: 'example-report'  # the wire story\n    quote: ran")
    edit(project, EXPLAINER, "see [[claims/borduria-denies-involvement]].",
         "see [[claims/borduria-denies-involvement]] and [[sources/example-report|the "
         "wire report]].")
    edit(project, SOURCE, "seed: example-report.txt\n",
         "seed: example-report.txt\naliases:\n  - example-wire-2022  # its first id\n")
    return project


@pytest.fixture
def repo(styled: Path) -> Path:
    git(styled, "init", "-q")
    git(styled, "add", "-A")
    git(styled, "commit", "-q", "-m", "content")
    return styled


EXPECTED_REPORT = """\
content/sources/example-report.yaml → content/sources/example-wire-report.yaml (git mv); 'example-report' added to its aliases
content/claims/borduria-denies-involvement.yaml:5:13: appearances.0.source: example-report → example-wire-report
content/claims/borduria-denies-involvement.yaml:10:46: analysis: [[sources/example-report]] → [[sources/example-wire-report]]
content/claims/borduria-denies-involvement.yaml:14:13: evidence.1.source: example-report → example-wire-report
content/explainers/borduria-campaign.md:11:101: body: [[sources/example-report|the wire report]] → [[sources/example-wire-report|the wire report]]
content/sources/commission-count.yaml:6:15: reported_in.0: example-report → example-wire-report
content/statements/borduria-denial.yaml:9:13: citations.0.source: example-report → example-wire-report
content/statements/weiss-fake-accounts.yaml:5:39: context: [[sources/example-report]] → [[sources/example-wire-report]]
content/statements/weiss-fake-accounts.yaml:12:13: citations.0.source: example-report → example-wire-report
renamed sources/example-report to sources/example-wire-report: 8 references updated in 5 files
"""  # noqa: E501 (a golden report: one line per change)


def test_rename_in_a_repository(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(repo) == 0
    before = snapshot(repo)
    capsys.readouterr()
    assert main(["--root", str(repo), "rename", "sources", "example-report",
                 "example-wire-report"]) == 0
    assert capsys.readouterr().out == EXPECTED_REPORT
    after = snapshot(repo)
    assert SOURCE not in after
    assert after[RENAMED] == before[SOURCE].replace(
        b"  - example-wire-2022  # its first id\n",
        b"  - example-wire-2022  # its first id\n  - example-report\n")
    old, new = b"example-report", b"example-wire-report"
    assert after[CLAIM] == before[CLAIM].replace(b"source: example-report", b"source: "
        b"example-wire-report").replace(b"'example-report'  # the wire story",
        b"'example-wire-report'  # the wire story").replace(b"[[sources/example-report]]",
        b"[[sources/example-wire-report]]")
    assert after[EXPLAINER] == before[EXPLAINER].replace(b"[[sources/example-report|",
                                                         b"[[sources/example-wire-report|")
    for path in before.keys() - {SOURCE, CLAIM, EXPLAINER}:
        seeds_kept = before[path].replace(b"seed: example-report.txt", b"")
        assert after[path].replace(new, old).replace(b"seed: example-report.txt", b"") \
            == seeds_kept, path
    status = git(repo, "status", "--porcelain")
    assert f"RM {SOURCE} -> {RENAMED}" in status.splitlines(), status
    assert check(repo) == 0


def test_rename_outside_git_and_of_a_markdown_record(project: Path,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    before = snapshot(project)[EXPLAINER]
    assert main(["--root", str(project), "rename", "explainers", "borduria-campaign",
                 "what-ruritania-says"]) == 0
    assert capsys.readouterr().out == (
        "content/explainers/borduria-campaign.md → content/explainers/what-ruritania-says.md "
        "(renamed); 'borduria-campaign' added to its aliases\n"
        "renamed explainers/borduria-campaign to explainers/what-ruritania-says: "
        "0 references updated in 0 files\n")
    assert not (project / EXPLAINER).exists()
    after = (project / "content/explainers/what-ruritania-says.md").read_bytes()
    assert after == before.replace(b"  actors: [borduria]\n---",
                                   b"  actors: [borduria]\naliases: [borduria-campaign]\n---")
    assert check(project) == 0


def test_rename_adds_to_a_flow_list_of_aliases(project: Path) -> None:
    path = "content/actors/anna-weiss.yaml"
    (project / path).write_text((project / path).read_text() + "aliases: [weiss]\n")
    assert main(["--root", str(project), "rename", "actors", "anna-weiss", "anna-weiss-ru"]) == 0
    text = (project / "content/actors/anna-weiss-ru.yaml").read_text()
    assert text.endswith("aliases: [weiss, anna-weiss]\n")
    assert "[[actors/anna-weiss-ru]]" in (
        project / "content/elections/ruritania-general-2022.yaml").read_text()
    assert check(project) == 0


def refused(root: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    before = snapshot(root)
    capsys.readouterr()
    assert main(["--root", str(root), "rename", *argv]) == 1
    assert snapshot(root) == before, "a refused rename changes nothing"
    return capsys.readouterr().err


def test_refuses_an_existing_target(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert refused(repo, capsys, "sources", "example-report", "commission-count") == (
        "factsite rename: error: content/sources/commission-count.yaml already exists; "
        "choose another id, or remove that file first\n")


def test_refuses_a_dirty_target(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo, "content/statements/borduria-denial.yaml", "text:", "# a note\ntext:")
    assert refused(repo, capsys, "sources", "example-report", "example-wire-report") == (
        "factsite rename: error: uncommitted changes in "
        "content/statements/borduria-denial.yaml; commit or stash them first, so that the "
        "rename can be undone with git (nothing was changed)\n")


def test_refuses_an_uncommitted_record(repo: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    (repo / "content/tactics/bots.yaml").write_text(
        (repo / "content/tactics/fake-accounts.yaml").read_text())
    assert refused(repo, capsys, "tactics", "bots", "social-bots") == (
        "factsite rename: error: uncommitted changes in content/tactics/bots.yaml; commit or "
        "stash them first, so that the rename can be undone with git (nothing was changed)\n")


def test_refuses_content_with_errors(project: Path, capsys: pytest.CaptureFixture[str]
                                     ) -> None:
    edit(project, CLAIM, "rating: unproven", "rating: fals")
    assert refused(project, capsys, "sources", "example-report", "example-wire-report") == (
        "factsite rename: error: the content has errors; fix them first (nothing was "
        "changed):\ncontent/claims/borduria-denies-involvement.yaml:7:9: rating: 'fals' is "
        "not a rating; expected one of: false, misleading, unproven, true; did you mean "
        "'false'?\n1 error, 0 warnings in 1 file\n")


@pytest.mark.parametrize(("argv", "message"), [
    (("sources", "example-reprot", "x"),
     "no source 'example-reprot' (content/sources/example-reprot.yaml); did you mean "
     "'example-report'?"),
    (("sources", "example-report", "Example_Report"),
     "'Example_Report' is not a valid id: use lower-case letters, digits and single hyphens "
     "(at most 80 characters)"),
    (("sources", "example-report", "example-report"),
     "sources/example-report already has the id 'example-report'"),
])
def test_refuses_bad_ids(project: Path, capsys: pytest.CaptureFixture[str],
                         argv: tuple[str, str, str], message: str) -> None:
    assert refused(project, capsys, *argv) == f"factsite rename: error: {message}\n"


def test_refuses_a_new_id_that_is_an_alias(styled: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert refused(styled, capsys, "sources", "example-report", "example-wire-2022") == (
        "factsite rename: error: 'example-wire-2022' is an old id of sources/example-report "
        "(in its aliases); remove it from aliases first, then rename\n")


def test_refuses_a_reference_it_cannot_rewrite_in_place(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(project, "content/statements/weiss-fake-accounts.yaml",
         "context: Told reporters, according to [[sources/example-report]].",
         'context: "Told reporters, according to [[sources/example\\x2Dreport]]."')
    assert check(project) == 0
    assert refused(project, capsys, "sources", "example-report", "example-wire-report") == (
        "factsite rename: error: content/statements/weiss-fake-accounts.yaml:5:10: context: "
        "a reference to sources/… is split across lines or escaped, so factsite rename "
        "cannot rewrite it; write it on one line and try again (nothing was changed)\n")


def test_a_failed_write_restores_every_file(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    calls = []
    real_replace = os.replace

    def failing_replace(source: str, target: str) -> None:
        calls.append(target)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(rename_module.os, "replace", failing_replace)
    before = snapshot(repo)
    assert main(["--root", str(repo), "rename", "sources", "example-report",
                 "example-wire-report"]) == 1
    assert capsys.readouterr().err == (
        "factsite rename: error: could not write the rename: [Errno 28] No space left on "
        "device; every file was restored\n")
    assert snapshot(repo) == before
    assert git(repo, "status", "--porcelain") == ""
    assert not [p for p in (repo / "content").rglob(".*") if p.is_file()], "no temporary file"


def test_rename_keeps_windows_line_endings(project: Path) -> None:
    path = project / SOURCE
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    before = path.read_bytes()
    assert main(["--root", str(project), "rename", "sources", "example-report",
                 "example-wire-report"]) == 0
    assert (project / RENAMED).read_bytes() == before + b"aliases: [example-report]\r\n"
    assert check(project) == 0


def test_alias_goes_first_when_the_file_ends_in_unterminated_block_text(project: Path) -> None:
    path = project / "content" / "actors" / "anna-weiss.yaml"
    path.write_text(path.read_text() + "description: |\n  Interior minister since 2020.")
    assert main(["--root", str(project), "rename", "actors", "anna-weiss", "anna-weiss-ru"]) == 0
    text = (project / "content" / "actors" / "anna-weiss-ru.yaml").read_text()
    assert text == ("aliases: [anna-weiss]\nname: Anna Weiss\nkind: person\nrole: Interior "
                    "minister of Ruritania\ncountry: RO\ndescription: |\n  Interior minister "
                    "since 2020.")
    assert check(project) == 0


def test_alias_field_in_front_matter_ending_in_block_text(project: Path) -> None:
    path = project / EXPLAINER
    path.write_text(path.read_text().replace("authors: [Desk Editor]\n", "").replace(
        "  actors: [borduria]\n---", "  actors: [borduria]\nauthors:\n  - Desk Editor\n"
        "summary: |\n  A walk through the accusations.\n---").replace(
        "summary: A walk through the accusations and the denial.\n", ""))
    assert check(project) == 0
    assert main(["--root", str(project), "rename", "explainers", "borduria-campaign",
                 "what-ruritania-says"]) == 0
    text = (project / "content/explainers/what-ruritania-says.md").read_text()
    assert text.startswith("---\naliases: [borduria-campaign]\ntitle: ")
    assert check(project) == 0


def test_refuses_a_new_id_that_is_another_records_alias(styled: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    assert refused(styled, capsys, "sources", "commission-count", "example-wire-2022") == (
        "factsite rename: error: 'example-wire-2022' is an old id of sources/example-report "
        "(in its aliases); choose another id\n")


def test_refuses_a_result_that_would_not_check(project: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """The same id with the other YAML extension: the result would hold a duplicate id."""
    (project / "content/sources/example-wire-report.yml").write_text(
        (project / "content/sources/commission-website.yaml").read_text())
    (project / "content/sources/commission-website.yaml").unlink()
    for path in (project / "content").rglob("*.yaml"):
        path.write_text(path.read_text().replace("commission-website", "example-wire-report"))
    assert check(project) == 0
    err = refused(project, capsys, "sources", "example-report", "example-wire-report")
    assert err == (
        "factsite rename: error: the renamed content would not check cleanly (nothing was "
        "changed):\ncontent/sources/example-wire-report.yml:1:1: (file): duplicate id "
        "'example-wire-report': content/sources/example-wire-report.yaml has the same id (file "
        "name); ids are unique within a kind\n1 error, 0 warnings in 1 file\n")


def test_the_read_back_check_catches_a_wrong_edit(project: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Defence in depth: an edited file that parses to anything but the expected data is
    refused before any file is written."""
    real = rename_module.FileChange.new_text
    monkeypatch.setattr(rename_module.FileChange, "new_text",
                        lambda self: real(self).replace("Example Wire", "Example Wir"))
    err = refused(project, capsys, "sources", "example-report", "example-wire-report")
    assert err == ("factsite rename: error: content/sources/example-report.yaml: "
                   "the edited file would not read back as expected, so factsite rename left "
                   "it alone (nothing was changed)\n")


def test_in_a_sub_folder_of_the_repository(tmp_path: Path, styled: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """The project need not be the repository's top folder: paths stay project-relative."""
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "content")
    edit(styled, CLAIM, "rating: unproven", "rating: 'unproven'")
    assert refused(styled, capsys, "sources", "example-report", "example-wire-report") == (
        f"factsite rename: error: uncommitted changes in {CLAIM}; commit or stash them first, "
        "so that the rename can be undone with git (nothing was changed)\n")
    git(tmp_path, "commit", "-q", "-am", "quoted")
    assert main(["--root", str(styled), "rename", "sources", "example-report",
                 "example-wire-report"]) == 0
    assert f"RM project/{SOURCE} -> project/{RENAMED}" in git(tmp_path, "status",
                                                              "--porcelain").splitlines()
    assert check(styled) == 0
