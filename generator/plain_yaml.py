"""PyYAML's parser messages in plain words, each with what to do.

The parser says what *it* was doing ("while scanning a plain scalar", "did not find
expected '-' indicator"); an editor needs what is wrong in the file and how to fix it.
"""

from __future__ import annotations

import yaml

_TAB = "tabs are not allowed for indentation, use spaces"
_PLAIN: tuple[tuple[str, str], ...] = (
    ("mapping values are not allowed",
     "': ' (a colon and a space) is not allowed here; text containing ': ' must be put in "
     "quotes (and a field must line up with the fields above it)"),
    ("did not find expected '-' indicator",
     "this line does not line up with the list items above it; start every item with '- ' "
     "at the same indentation"),
    ("did not find expected key",
     "this line does not line up with the fields above it, or text follows a closing quote; "
     "indent every field like the others, and put a whole value in quotes"),
    ("could not find expected ':'",
     "this line is neither a 'field: value' line nor a list item; add ': ' after a field "
     "name, start a list item with '- ', or indent the line if it continues the text above"),
    ("found undefined alias",
     "'*' cannot start a value (it marks a YAML alias); put the text in quotes"),
    ("found unknown escape character",
     "a backslash in double-quoted text starts an unknown escape; use single quotes, or "
     "write \\\\ for a backslash"),
    ("did not find expected ',' or ']'",
     "a list in [brackets] is not closed; add the ']' (or put the text in quotes)"),
    ("did not find expected ',' or '}'",
     "a mapping in {braces} is not closed; add the '}' (or put the text in quotes)"),
    ("found unknown directive name",
     "'%' cannot start a line; put the text in quotes"),
    ("but found another document",
     "a '---' line starts a second document; expected a single document (one record): "
     "remove the line"),
    ("did not find expected comment or line break",
     "after '|' or '>' the text starts on the next line, indented"),
    ("did not find expected alphabetic or numeric character",
     "'&' or '*' cannot start a value (they mark YAML anchors and aliases); put the text in "
     "quotes"),
)


def error_mark(exc: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """Where to point: the line the parser was reading when it gave up on a line without
    ``': '`` (it notices only on the next line), else where it noticed."""
    if exc.context_mark and "could not find expected ':'" in (exc.problem or ""):
        return exc.context_mark
    return exc.problem_mark or exc.context_mark


def plain_problem(exc: yaml.MarkedYAMLError, character: str, line_offset: int = 0) -> str:
    """The parser's complaint in plain words; ``character``: the one at the error mark."""
    problem = exc.problem or ""
    if character == "\t" or "\\t" in problem:
        return f"a tab character is not allowed here; {_TAB}"
    if "end of stream" in problem and exc.context and "quoted" in exc.context:
        start = exc.context_mark.line + 1 + line_offset if exc.context_mark else None
        where = f" on line {start}" if start else ""
        return (f"the quotation mark{where} is never closed; add the closing quote, or remove "
                "the opening one")
    if "cannot start any token" in problem and character.strip():
        return f"'{character}' cannot start a value; put the text in quotes"
    for known, plain in _PLAIN:
        if known in problem:
            return plain
    return f"the file cannot be read as YAML here ({problem or 'unknown problem'})"
