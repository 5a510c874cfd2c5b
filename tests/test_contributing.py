"""CONTRIBUTING.md is checked like code: every worked example passes ``factsite check``,
the documented error is the real one, and the rating table is the site's scale."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.cli import main, parser
from generator.diagnostics import format_text
from generator.load import ALL_KINDS, DOCUMENT_KINDS
from generator.pipeline import build_graph

ROOT = Path(__file__).parents[1]
GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
EXAMPLE = re.compile(r"^```(\w+) file=(\S+)\n(.*?)^```$", re.M | re.S)
EXAMPLES = {path: text for _, path, text in EXAMPLE.findall(GUIDE)}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty project holding only the guide's examples and the site's content/site.yaml."""
    root = tmp_path / "examples"
    (root / "content").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "site.yaml", root / "content" / "site.yaml")
    for path, text in EXAMPLES.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def test_every_kind_has_a_worked_example() -> None:
    kinds = {Path(path).parts[1] for path in EXAMPLES if path.startswith("content/")}
    assert kinds == set(ALL_KINDS)
    assert any(path.startswith("seeds/") for path in EXAMPLES), "a seed example"
    for path, text in EXAMPLES.items():
        kind = Path(path).parts[1] if path.startswith("content/") else None
        if kind and kind not in DOCUMENT_KINDS:
            assert text.startswith(f"# yaml-language-server: $schema=../../schemas/{kind}."
                                   "schema.json\n"), path


def test_the_examples_pass_check_strict(project: Path) -> None:
    result = build_graph(project)
    assert result.diagnostics == [], format_text(result.diagnostics)
    graph = result.graph
    quotes = [s for s in graph.records["statements"].values() if s.form == "quote"]
    assert quotes, "the guide shows a verified quote"


def test_the_documented_error_is_the_real_one(project: Path) -> None:
    documented = re.search(r"^```text\n(content/claims/\S+: rating: .*)\n```$", GUIDE, re.M)
    assert documented, "the guide shows a rating error"
    claim = project / "content" / "claims" / "borduria-denies-involvement.yaml"
    claim.write_text(claim.read_text(encoding="utf-8").replace("rating: unproven",
                                                               "rating: fals"))
    lines = [d.format() for d in build_graph(project).errors]
    assert lines == [documented.group(1)]


def test_the_rating_table_is_the_sites_scale() -> None:
    site = yaml.safe_load((ROOT / "content" / "site.yaml").read_text(encoding="utf-8"))
    section = GUIDE.split("## The rating scale", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| ([^|]+) \|", section, re.M)
    assert [(rating_id, label.strip()) for rating_id, label in rows] == [
        (str(rating["id"]), rating["label"]) for rating in site["ratings"]]


def test_the_documented_new_command_works(project: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    documented = re.search(r"^\$ factsite new (.+)\ncreated (\S+);", GUIDE, re.M)
    assert documented
    args = documented.group(1).split()
    (project / documented.group(2)).unlink()  # the guide creates the claim it then shows
    assert main(["--root", str(project), "new", *args]) == 0
    assert capsys.readouterr().out.startswith(f"created {project / documented.group(2)};")


CLAIM = "content/claims/borduria-denies-involvement.yaml"
MUTATIONS: dict[str, tuple[str, str, str]] = {
    # documented message → (file, text to replace, replacement) that produces it
    "required field 'verdict' is missing": (CLAIM, "verdict:", "# verdict:"),
    "is empty; fill it in": (CLAIM, "verdict: The only", "verdict:\n# The only"),
    "unknown key 'claimnt'; did you mean 'claimant'?": (CLAIM, "claimant:", "claimnt:"),
    "unknown actor 'boduria'; did you mean 'borduria'?": (CLAIM, "actors: [borduria]",
                                                         "actors: [boduria]"),
    "quote is not verbatim in seeds/...; the longest part that matches is '...'": (
        CLAIM, "doubt on the vote", "doubt on the election"),
    "form is quote, but the text is not verbatim in any cited seed": (
        "content/statements/borduria-denial.yaml", "every nation", "all nations"),
    "'2022-13' is not a real date": ("content/elections/ruritania-general-2022.yaml",
                                     "date: 2022-11", "date: 2022-13"),
    "is not a date; write YYYY, YYYY-MM or YYYY-MM-DD": (
        "content/elections/ruritania-general-2022.yaml", "date: 2022-11", "date: Nov 2022"),
    "'UK' is not an ISO 3166-1 alpha-2 country code (like 'US' or 'RU')": (
        "content/actors/anna-weiss.yaml", "country: RO", "country: UK"),
    "raw HTML (<b>) is not allowed in Markdown": ("content/explainers/borduria-campaign.md",
                                                 "## What we know", "<b>What</b> we know"),
    "invalid YAML: ': ' (a colon and a space) is not allowed here": (
        "content/tactics/fake-accounts.yaml", "summary: Networks", "summary: Note: networks"),
    "tabs are not allowed for indentation, use spaces": (CLAIM, "  - statement: weiss",
                                                         "\t- statement: weiss"),
    "url has no archived_url": ("content/sources/example-wire-2022-11-14.yaml",
                                "archived_url:", "# archived_url:"),
}


def documented_messages() -> list[str]:
    section = GUIDE.split("Common messages:", 1)[1].split("\n## ", 1)[0]
    cells = re.findall(r"^\| (.+?) \| .+ \|$", section, re.M)[1:]  # skip the header
    return [span for cell in cells for span in re.findall(r"`([^`]+)`", cell)]


def test_every_common_message_is_covered() -> None:
    assert set(documented_messages()) == set(MUTATIONS)


@pytest.mark.parametrize("message", sorted(MUTATIONS))
def test_common_message_is_what_check_says(project: Path, message: str) -> None:
    path, old, new = MUTATIONS[message]
    target = project / path
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    output = format_text(build_graph(project).diagnostics)
    pattern = ".*?".join(re.escape(part) for part in message.split("..."))
    assert re.search(pattern, output), output


RENAME = re.compile(r"^  \$ factsite rename (\S+) (\S+) (\S+)\n((?:  .*\n)+?)  ```$", re.M)


def test_the_documented_rename_is_what_rename_prints(project: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """The guide's rename, run on its own examples in a git repository, prints exactly what
    the guide shows and leaves content that checks cleanly."""
    documented = RENAME.search(GUIDE)
    assert documented, "the guide shows a rename"
    kind, old, new, output = documented.groups()
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "examples"]):
        subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
                        *command], cwd=project, check=True, capture_output=True)
    capsys.readouterr()
    assert main(["--root", str(project), "rename", kind, old, new]) == 0
    printed = capsys.readouterr().out
    assert printed == "".join(line.removeprefix("  ") + "\n" for line in output.splitlines())
    assert build_graph(project).diagnostics == []


def test_every_documented_command_exists() -> None:
    """Each ``factsite COMMAND --option`` written in the README or this guide (in code) is
    real."""
    commands = parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    written = re.findall(r"(?:`|\$ |\.venv/bin/)factsite ([^`\n]*)", GUIDE + readme)
    assert len(written) > 10
    for usage in written:
        words = [w for w in re.split(r"[\s\[\]|\\]+", usage) if w]
        while words and words[0] in ("--root", "DIR", "--version", "--help", "…"):
            words.pop(0)
        if not words:
            continue
        assert words[0] in commands, f"factsite {usage}"
        options = set(commands[words[0]]._option_string_actions)
        for option in (w.rstrip(".,;:") for w in words[1:] if w.startswith("--")):
            assert option in options, f"factsite {usage}: {option}"


def test_the_readme_errors_are_what_check_says(project: Path) -> None:
    """The README's sample errors: each typo made in the guide's examples, checked."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"example records:\n\n```text\n(.*?)\n```", readme, re.S)
    assert block, "the README shows sample errors"
    shown = block.group(1).splitlines()
    for line in shown:  # the value at line:column becomes the first quoted one shown
        path, number, column, _rest = line.split(":", 3)
        typo = re.search(r"'([^']+)'", line).group(1)
        lines = (project / path).read_text(encoding="utf-8").splitlines(keepends=True)
        row, start = lines[int(number) - 1], int(column) - 1
        lines[int(number) - 1] = row[:start] + re.sub(r"^\S+", typo, row[start:])
        (project / path).write_text("".join(lines), encoding="utf-8")
    assert [d.format() for d in build_graph(project).errors] == shown
