"""SECURITY.md names the test behind each promise: every named test exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]


def rows() -> list[list[str]]:
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    defences = text.split("## Defences", 1)[1].split("\n## ", 1)[0]
    return [line.split(" | ") for line in defences.splitlines()
            if line.startswith("| ") and not line.startswith(("| threat", "|---"))]


def named_tests(cell: str) -> list[tuple[str, str | None, str | None]]:
    """``(file, test, case)`` for each backticked name in a test cell; a bare ``test_x`` or
    ``[case]`` belongs to the file (and test) named before it."""
    found: list[tuple[str, str | None, str | None]] = []
    current_file, current_test = "", None
    for token in re.findall(r"`([^`]+)`", cell):
        if "::" in token:
            current_file, _, rest = token.partition("::")
            current_test, _, case = rest.partition("[")
            found.append((current_file, current_test, case.rstrip("]") or None))
        elif token.startswith("test_"):
            current_test, _, case = token.partition("[")
            found.append((current_file, current_test, case.rstrip("]") or None))
        elif token.startswith("["):
            found.append((current_file, current_test, token.strip("[]")))
        elif token.startswith(("tests/", "benchmarks/")):
            found.append((token.split(" ")[0], None, None))
    return found


def test_every_promise_names_a_test() -> None:
    table = rows()
    assert len(table) >= 25
    for row in table:
        assert named_tests(row[-1]), f"no test named for: {row[0]}"


def test_every_named_test_exists() -> None:
    for row in rows():
        for path, test, case in named_tests(row[-1]):
            target = ROOT / path
            assert target.exists(), path
            if test is None:
                continue
            source = target.read_text(encoding="utf-8")
            assert re.search(rf"^def {re.escape(test)}\(", source, re.M), f"{path}::{test}"
            if case:
                assert case.split("…")[-1].strip("-") in source, f"{path}::{test}[{case}]"
