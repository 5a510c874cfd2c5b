"""Diagnostics: what the checker tells editors, and how it is printed."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
"""``info``: a note saying what could not be checked (never fails a check)."""
_PREFIX = {"error": "", "warning": "warning: ", "info": "note: "}


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
        prefix = _PREFIX[self.severity]
        return f"{self.path}:{self.line}:{self.column}: {self.location}: {prefix}{self.message}"


def did_you_mean(value: object, choices: Iterable[str],
                 names: Mapping[str, str] | None = None) -> str:
    """Return ``"; did you mean 'x'?"`` for the closest choice, or an empty string.

    The closest by spelling first; failing that, a choice whose words (or the words of its
    display name in ``names``, choice → name) contain every word of the value, so that
    ``putin`` finds ``vladimir-putin`` and ``kremlin`` the actor named "the Kremlin".
    """
    match = closest(value, choices, names)
    return f"; did you mean '{match}'?" if match else ""


def closest(value: object, choices: Iterable[str],
            names: Mapping[str, str] | None = None) -> str | None:
    """The choice :func:`did_you_mean` suggests, or None."""
    if not isinstance(value, str):
        return None
    choices = list(choices)
    matches = difflib.get_close_matches(value, choices, n=1, cutoff=0.6) or _by_words(
        value, choices, names or {})
    return matches[0] if matches else None


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def _by_words(value: str, choices: list[str], names: Mapping[str, str]) -> list[str]:
    """Choices holding every word of ``value`` (each word spelt closely), best first: the
    fewest other words, then the closest spelling."""
    wanted = _words(value[:100])
    if not wanted or sum(map(len, wanted)) < 3 or len(wanted) > 6:
        return []  # too short to mean anything, or not an id someone misremembered
    found = []
    for choice in choices:
        words = _words(choice) + _words(names.get(choice, ""))
        if all(difflib.get_close_matches(word, words, n=1, cutoff=0.8) for word in wanted):
            extra = len(set(_words(choice)) - set(wanted))
            found.append((extra, -difflib.SequenceMatcher(None, value, choice).ratio(), choice))
    return [choice for *_, choice in sorted(found)]


def one_of(choices: Iterable[str]) -> str:
    return ", ".join(choices)


def format_text(diagnostics: list[Diagnostic]) -> str:
    """Errors first, then warnings, then notes, then a one-line summary."""
    lines = [d.format() for severity in ("error", "warning", "info")
             for d in sorted(d for d in diagnostics if d.severity == severity)]
    lines.append(summary(diagnostics))
    return "\n".join(lines)


def summary(diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = sum(d.severity == "warning" for d in diagnostics)
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
        command = "notice" if d.severity == "info" else d.severity
        lines.append(f"::{command} {props},title={_github_prop(d.location)}::{message}")
    lines.append(summary(diagnostics))
    return "\n".join(lines)


def _github_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_prop(text: str) -> str:
    return _github_escape(text).replace(":", "%3A").replace(",", "%2C")


def format_json(diagnostics: list[Diagnostic]) -> str:
    payload = {
        "errors": sum(d.severity == "error" for d in diagnostics),
        "warnings": sum(d.severity == "warning" for d in diagnostics),
        "diagnostics": [asdict(d) for d in sorted(diagnostics)],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)
