"""Load stage: read ``content/`` safely into plain data, with a position for every value.

YAML is composed with PyYAML's safe C composer (no Python object tags can be built) and
converted here, node by node. Anchors and aliases, custom tags, duplicate keys, non-text
keys, oversized files, bad encodings and tabs are refused with a diagnostic, never a
traceback. Where a value, key or mapping stands (``line:column``) is worked out when a
diagnostic asks, from the document's YAML composed again (:meth:`Document.position`).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from . import registry
from .diagnostics import Diagnostic, Severity
from .ids import ID_MAX_LENGTH, ID_PATTERN, slugify
from .plain_yaml import error_mark, plain_problem

Loc = tuple[str | int, ...]
Position = tuple[int, int]

MAX_FILE_BYTES = 1_000_000
"""Largest content or seed file accepted (1 MB): real records are a few kilobytes."""
MAX_DEPTH = 40
"""Deepest nesting of lists and mappings accepted in one file."""
MAX_NODES = 50_000
"""Most YAML values accepted in one file."""

RECORD_KINDS = registry.yaml_folders()
DOCUMENT_KINDS = registry.document_folders()
ALL_KINDS = registry.folders()


MAX_MESSAGE_CHARS = 600
"""Longest diagnostic message printed (a message may quote a value from the content)."""

_SCALAR_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")
}
_SEQ_TAG = "tag:yaml.org,2002:seq"
_STR_TAG = "tag:yaml.org,2002:str"
_BLOCK_STYLES = ("|", ">")
_BOOL_TAG = "tag:yaml.org,2002:bool"
_MAP_TAG = "tag:yaml.org,2002:map"
_constructor = SafeConstructor()

_RESOLVED_MAX = 50_000


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML's safe loader (its C parser when built with libyaml), remembering the tag of
    short plain scalars: keys, enum values and dates repeat across thousands of files, and
    resolving one tries the implicit-type patterns in Python."""

    _resolved: ClassVar[dict[str, str]] = {}

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        # Called by the C composer for every node; the safe loader has no path resolvers,
        # so only plain scalars depend on their text.
        if kind is not yaml.ScalarNode:
            return _MAP_TAG if kind is yaml.MappingNode else _SEQ_TAG
        if not implicit[0]:  # quoted or block text
            return _STR_TAG
        tag = self._resolved.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(value) <= 64 and len(self._resolved) < _RESOLVED_MAX:
                self._resolved[value] = tag
        return tag


_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")
"""Control, bidi, zero-width characters, and the lone surrogates that stand for the bytes of
a file name that is not UTF-8."""
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters other than tab, line feed and carriage return."""


def printable(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """``text`` safe to print on a terminal or in a CI log: control, bidi and zero-width
    characters become escapes (``\\n``, ``\\x1b``, ``\\u202e``) and long text is cut,
    so content can neither forge or hide output lines nor send terminal escape codes."""
    shown = _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    return shown if len(shown) <= limit else shown[:limit - 1] + "…"


def _diagnostic(path: str, line: int, column: int, location: str, message: str,
                severity: Severity = "error") -> Diagnostic:
    """The one way the core builds a diagnostic: path, location and message made printable."""
    return Diagnostic(printable(path, 300), line, column, printable(location, 200),
                      printable(message), severity)


def control_character(text: str) -> str | None:
    """``U+001B`` for the first control character (other than tab and newlines), or None."""
    found = _CONTROL.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


@dataclass
class Document:
    """One content file: its data, and where each value stands in the file.

    Positions are worked out when a diagnostic needs one, from the YAML composed again
    (the converter records none: content without errors never asks).
    """

    path: Path
    display: str
    kind: str
    id: str
    data: Any = None
    yaml_text: str = ""
    """The YAML the data came from: the whole file, or a Markdown file's front matter."""
    line_offset: int = 0
    """Lines in the file before ``yaml_text``."""
    body: str | None = None
    body_line: int = 1
    text: str = ""
    broken: bool = False
    """True when the file could not be read or parsed (its problems are already reported)."""

    @functools.cached_property
    def root(self) -> yaml.Node | None:
        """The YAML composed again, for positions (None if it does not parse)."""
        try:
            return yaml.compose(self.yaml_text, Loader=_Loader)
        except yaml.YAMLError:
            return None

    def nodes(self, loc: Loc) -> list[yaml.Node]:
        """The YAML nodes from the root down ``loc``, as far as the path exists (duplicate
        keys: the first, as in ``data``)."""
        node = self.root
        found = [] if node is None else [node]
        for part in loc:
            node = _child(node, part)
            if node is None:
                break
            found.append(node)
        return found

    def mark(self, node: yaml.Node) -> Position:
        return (node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1)

    def position(self, loc: Loc) -> Position:
        """Where the value at ``loc`` stands, or its nearest enclosing value."""
        found = self.nodes(loc)
        return self.mark(found[-1]) if found else (1, 1)

    def key_position(self, loc: Loc) -> Position:
        """Where the key of the value at ``loc`` stands, or else its mapping."""
        found = self.nodes(loc[:-1])
        if loc and len(found) == len(loc):
            entry = _entry(found[-1], loc[-1])
            if entry is not None:
                return self.mark(entry[0])
        return self.position(loc[:-1])

    def text_start(self, loc: Loc) -> Position:
        """Line and column where the text of the string at ``loc`` begins."""
        found = self.nodes(loc)
        line, column = self.mark(found[-1]) if found else (1, 1)
        if len(found) == len(loc) + 1 and getattr(found[-1], "style", None) in _BLOCK_STYLES:
            # the text starts on the next line, at its indentation
            following = [row for row in self.text.splitlines()[line:] if row.strip()]
            indent = len(following[0]) - len(following[0].lstrip(" ")) if following else 0
            return (line + 1, indent + 1)
        return (line, column)

    def find(self, needle: str, start: Position, occurrence: int = 0) -> Position | None:
        """Where the ``occurrence``-th ``needle`` stands in the file at or after ``start``."""
        lines = self.text.splitlines()
        seen = 0
        for number in range(start[0], len(lines) + 1):
            line = lines[number - 1]
            column = line.find(needle, start[1] - 1 if number == start[0] else 0)
            while column != -1:
                if seen == occurrence:
                    return (number, column + 1)
                seen += 1
                column = line.find(needle, column + 1)
        return None

    def diagnostic(self, loc: Loc, message: str, *, severity: str = "error",
                   at: Position | None = None) -> Diagnostic:
        line, column = at or self.position(loc)
        return _diagnostic(self.display, line, column, dotted(loc), message, severity)  # type: ignore[arg-type]


def dotted(loc: Loc) -> str:
    """``('citations', 0, 'quote')`` → ``citations.0.quote``; the empty loc is ``(file)``."""
    return ".".join(map(str, loc)) if loc else "(file)"


def _entry(node: yaml.Node | None, name: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    """The first ``(key, value)`` nodes of key ``name`` in a mapping node, if any."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == name:
                return key, value
    return None


def _child(node: yaml.Node | None, part: str | int) -> yaml.Node | None:
    """The node at ``part`` of a mapping (its first such key) or a sequence, if any."""
    if isinstance(node, yaml.SequenceNode):
        in_range = isinstance(part, int) and 0 <= part < len(node.value)
        return node.value[part] if in_range else None  # type: ignore[index]
    entry = _entry(node, part)
    return entry[1] if entry else None


class _Refused(Exception):
    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.node = node


class _Converter:
    """Turns a composed YAML node tree into Python data, refusing what content may not use."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.seen: set[int] = set()
        self.duplicates: list[tuple[yaml.MappingNode, yaml.Node]] = []
        """(mapping, repeated key): reported with their location once converted."""

    def convert(self, node: yaml.Node, depth: int = 0) -> Any:
        if id(node) in self.seen:
            raise _Refused(node, "YAML anchors and aliases (&name, *name) are not allowed; "
                                 "write the value out")
        self.seen.add(id(node))
        if len(self.seen) > MAX_NODES:
            raise _Refused(node, f"file has more than {MAX_NODES} values")
        if depth > MAX_DEPTH:
            raise _Refused(node, f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR_TAG and node.style not in _BLOCK_STYLES:  # most values
                if _CONTROL.search(node.value):
                    self.refuse_control(node, node.value)
                return node.value
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            self.expect_tag(node, _SEQ_TAG)
            return [self.convert(item, depth + 1) for item in node.value]
        self.expect_tag(node, _MAP_TAG)
        return self.mapping(node, depth)

    def expect_tag(self, node: yaml.Node, tag: str) -> None:
        if node.tag != tag:
            raise _Refused(node, f"YAML tag '{node.tag}' is not allowed")

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag not in _SCALAR_TAGS:
            raise _Refused(node, f"YAML tag '{node.tag}' is not allowed")
        self.refuse_control(node, node.value)
        if node.tag == _BOOL_TAG and node.value.lower() not in ("true", "false"):
            return node.value  # YAML 1.2 booleans: 'NO' (Norway), 'yes', 'off' stay text
        try:
            return _constructor.yaml_constructors[node.tag](_constructor, node)
        except (ValueError, ConstructorError) as exc:
            raise _Refused(node, f"'{node.value[:60]}' is not a valid value: {exc}") from None
        except (AttributeError, IndexError, TypeError):
            # PyYAML's constructors assume the text matched the tag's pattern, which an
            # explicit tag skips ("!!timestamp x", "!!int" with nothing after it).
            kind = node.tag.rsplit(":", 1)[-1]
            raise _Refused(node, f"'{node.value[:60]}' is not a valid {kind}; remove the "
                                 f"'!!{kind}' tag or fix the value") from None

    @staticmethod
    def refuse_control(node: yaml.Node, text: str) -> None:
        """Escapes in quoted YAML ("\\e", "\\0") can produce characters the YAML reader
        refuses when written raw; refuse them too."""
        found = control_character(text)
        if found:
            raise _Refused(node, f"control character {found} is not allowed in text; "
                                 "remove the escape sequence")

    def mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused(key_node, "YAML merge keys (<<) are not allowed")
            if not isinstance(key_node, yaml.ScalarNode):
                shape = "list" if isinstance(key_node, yaml.SequenceNode) else "mapping"
                raise _Refused(key_node, f"field names must be plain text (got a {shape})")
            if key_node.tag != "tag:yaml.org,2002:str":
                raise _Refused(key_node, "field names must be plain text "
                                         f"(got {key_node.value!r}); quote it or rename it")
            key = key_node.value
            if _CONTROL.search(key):
                self.refuse_control(key_node, key)
            if key in result:
                self.duplicates.append((node, key_node))
                continue
            result[key] = self.convert(value_node, depth + 1)
        return result

    def problems(self, root: yaml.Node) -> list[Diagnostic]:
        """The repeated keys found so far, each with its location and the first one's line."""
        found = []
        for mapping, key_node in self.duplicates:
            key = key_node.value
            loc = (*_loc_of(root, mapping), key)
            entry = _entry(mapping, key)
            first = self.document.mark(entry[0] if entry else key_node)
            found.append(_diagnostic(
                self.document.display, *self.document.mark(key_node), dotted(loc),
                f"duplicate key '{key}' (first set on line {first[0]}); "
                "a mapping may set each key once"))
        return found


def _loc_of(root: yaml.Node, target: yaml.Node) -> Loc:
    """Where ``target`` stands under ``root`` (first keys only: repeated ones are skipped)."""
    stack: list[tuple[yaml.Node, Loc]] = [(root, ())]
    while stack:
        node, loc = stack.pop()
        if node is target:
            return loc
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value not in seen:
                    seen.add(key.value)
                    stack.append((value, (*loc, key.value)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((value, (*loc, index)) for index, value in enumerate(node.value))
    return ()


def parse_yaml(document: Document, text: str, line_offset: int = 0) -> list[Diagnostic]:
    """Parse ``text`` into ``document.data``; return the problems found (all of them)."""
    document.yaml_text = text
    document.line_offset = line_offset
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        document.broken = True
        return [_yaml_error(document, exc, text, line_offset)]
    except yaml.reader.ReaderError as exc:  # a control character written raw
        document.broken = True
        index = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        line = text.count("\n", 0, max(index, 0)) + 1 + line_offset
        column = index - (text.rfind("\n", 0, index) + 1) + 1 if index >= 0 else 1
        return [_diagnostic(document.display, line, column, "yaml",
                            f"character U+{exc.character:04X} is not allowed in YAML "
                            f"({exc.reason}); remove it")]
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        document.broken = True
        return [document.diagnostic((), f"invalid YAML: {exc}")]
    if node is None:
        return []
    converter = _Converter(document)
    try:
        document.data = converter.convert(node)
    except _Refused as exc:
        document.data = None
        document.broken = True
        line, column = document.mark(exc.node)
        return [*converter.problems(node),
                _diagnostic(document.display, line, column, "yaml", str(exc))]
    except RecursionError:
        document.data = None
        document.broken = True
        return [document.diagnostic((), f"nesting deeper than {MAX_DEPTH} levels")]
    return converter.problems(node)


def _yaml_error(document: Document, exc: yaml.MarkedYAMLError, text: str,
                line_offset: int) -> Diagnostic:
    mark = error_mark(exc)
    line = (mark.line + 1 + line_offset) if mark else 1
    column = (mark.column + 1) if mark else 1
    source_lines = text.splitlines()
    at = source_lines[mark.line][mark.column:mark.column + 1] if mark and mark.line < len(
        source_lines) else ""
    problem = plain_problem(exc, at, line_offset)
    return _diagnostic(document.display, line, column, "yaml", f"invalid YAML: {problem}")


def read_text(path: Path, display: str) -> tuple[str | None, list[Diagnostic]]:
    """Read a UTF-8 file within the size limit; a BOM is dropped with a warning."""
    def problem(message: str, line: int = 1, column: int = 1,
                severity: Severity = "error") -> Diagnostic:
        return _diagnostic(display, line, column, "(file)", message, severity)

    # os.open and os.read: a third of the cost of open() for thousands of small files.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(descriptor).st_size
        if size > MAX_FILE_BYTES:
            return None, [problem(f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")]
        chunks = [os.read(descriptor, size + 1)]
        while chunks[-1]:  # until the end of the file, however it is read
            chunks.append(os.read(descriptor, 1 << 16))
    finally:
        os.close(descriptor)
    raw = b"".join(chunks)
    found: list[Diagnostic] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        found.append(problem("file starts with a byte-order mark (BOM); save it as UTF-8 "
                             "without BOM", severity="warning"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [problem(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
                              "save the file as UTF-8", line, column)]
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [problem("file contains a NUL character; is it a binary file?", line)]
    return text, found


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)(?:^|\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def load_document(path: Path, display: str, kind: str) -> tuple[Document, list[Diagnostic]]:
    """Load one YAML record, ``site.yaml``, or Markdown file with front matter."""
    document = Document(path=path, display=display, kind=kind, id=path.stem)
    text, found = read_text(path, display)
    if text is None:
        document.broken = True
        return document, found
    document.text = text
    if path.suffix != ".md":
        return document, found + parse_yaml(document, text)
    match = _FRONT_MATTER.match(text)
    if not match:
        document.body = text
        return document, [*found, document.diagnostic(
            (), "Markdown file needs YAML front matter between '---' lines at the top")]
    document.body = text[match.end():]
    document.body_line = text.count("\n", 0, match.end()) + 1
    found += parse_yaml(document, match.group(1), line_offset=1)
    control = _CONTROL.search(document.body)
    if control:
        offset = match.end() + control.start()
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        found.append(document.diagnostic(("body",), f"control character U+"
                                         f"{ord(control.group()):04X} is not allowed; remove it",
                                         at=(line, column)))
    return document, found


def _entries(folder: str, parts: tuple[str, ...] = ()
             ) -> Iterator[tuple[tuple[str, ...], os.DirEntry[str]]]:
    """Every entry under ``folder`` with its path parts, not following symbolic links and
    not entering hidden folders (whose files are skipped anyway)."""
    with os.scandir(folder) as found:
        entries = list(found)
    for entry in entries:
        here = (*parts, entry.name)
        yield here, entry
        if entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
            yield from _entries(entry.path, here)


def discover(root: Path) -> Iterator[tuple[Path, str, str] | Diagnostic]:
    """Yield ``(path, display, kind)`` for every content file, or a diagnostic for a stray."""
    content = root / "content"
    if content.is_symlink():
        yield _diagnostic("content", 1, 1, "(file)", "content/ is a symbolic link; it must be "
                          "a real folder in the repository")
        return
    if not content.is_dir():
        return
    for parts, entry in sorted(_entries(str(content)), key=lambda item: item[0]):
        if any(part.startswith(".") for part in parts):
            continue
        relative = "content/" + "/".join(parts)
        if entry.is_symlink():
            yield _diagnostic(relative, 1, 1, "(file)",
                              "symbolic links are not allowed in content/; copy the file instead")
            continue
        if entry.is_dir():
            if len(parts) == 1 and parts[0] not in ALL_KINDS:
                yield _diagnostic(relative, 1, 1, "(file)", f"unknown folder '{parts[0]}'; "
                                  f"content folders are: {', '.join(ALL_KINDS)}")
            elif len(parts) > 1 and parts[0] in ALL_KINDS:
                yield _diagnostic(relative, 1, 1, "(file)",
                                  f"sub-folders are not allowed in content/{parts[0]}/")
            continue
        path = Path(entry.path)
        if len(parts) == 1:
            if parts[0] == "site.yaml":
                yield path, relative, "site"
            else:
                yield _diagnostic(relative, 1, 1, "(file)", "unexpected file; content/ holds "
                                  "site.yaml and one folder per kind")
            continue
        kind = parts[0]
        if kind not in ALL_KINDS or len(parts) > 2:
            continue  # reported with its folder
        stem, suffix = os.path.splitext(parts[1])
        expected = (".md",) if kind in DOCUMENT_KINDS else (".yaml", ".yml")
        if suffix not in expected:
            yield _diagnostic(relative, 1, 1, "(file)", f"unexpected file in content/{kind}/; "
                              f"expected {' or '.join(expected)}")
            continue
        if not ID_PATTERN.match(stem) or len(stem) > ID_MAX_LENGTH:
            suggestion = slugify(stem)
            yield _diagnostic(relative, 1, 1, "(file)", f"file name '{stem}' is not a valid "
                              "id: use lower-case letters, digits and single hyphens (at most "
                              f"{ID_MAX_LENGTH} characters); rename it, e.g. '{suggestion}'")
            continue
        yield path, relative, kind


def load_tree(root: Path) -> tuple[list[Document], list[Diagnostic]]:
    """Load every file under ``root/content``; report every problem."""
    documents: list[Document] = []
    problems: list[Diagnostic] = []
    for item in discover(root):
        if isinstance(item, Diagnostic):
            problems.append(item)
            continue
        document, found = load_document(*item)
        documents.append(document)
        problems.extend(found)
    return documents, problems
