"""Diagnostics: what the checker tells editors, and how it is printed."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place: ``path:line:column: location: message``."""

    path: str
    line: int
    column: int
    location: str
    message: str
    severity: Severity = "error"

    def format(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}:{self.column}: {self.location}: {prefix}{self.message}"


def did_you_mean(value: object, choices: Iterable[str]) -> str:
    """Return ``"; did you mean 'x'?"`` for the closest choice, or an empty string."""
    if not isinstance(value, str):
        return ""
    matches = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{matches[0]}'?" if matches else ""


def one_of(choices: Iterable[str]) -> str:
    return ", ".join(choices)


def format_text(diagnostics: list[Diagnostic]) -> str:
    """Errors first, then warnings, then a one-line summary."""
    errors = [d for d in diagnostics if d.severity == "error"]
    warnings = [d for d in diagnostics if d.severity == "warning"]
    lines = [d.format() for d in sorted(errors)] + [d.format() for d in sorted(warnings)]
    lines.append(summary(diagnostics))
    return "\n".join(lines)


def summary(diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    if not diagnostics:
        return "content is valid: no errors, no warnings"
    files = len({d.path for d in diagnostics})
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {_plural(files, 'file')}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def format_github(diagnostics: list[Diagnostic]) -> str:
    """GitHub Actions workflow commands: annotations on the pull request's lines."""
    lines = []
    for d in sorted(diagnostics):
        message = _github_escape(f"{d.location}: {d.message}")
        props = f"file={_github_prop(d.path)},line={d.line},col={d.column}"
        lines.append(f"::{d.severity} {props},title={_github_prop(d.location)}::{message}")
    lines.append(summary(diagnostics))
    return "\n".join(lines)


def _github_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_prop(text: str) -> str:
    return _github_escape(text).replace(":", "%3A").replace(",", "%2C")


def format_json(diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.severity == "error" for d in diagnostics)
    payload = {
        "errors": errors,
        "warnings": len(diagnostics) - errors,
        "diagnostics": [asdict(d) for d in sorted(diagnostics)],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)
