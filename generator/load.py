"""Load stage: read ``content/`` safely into plain data, with a position for every value.

YAML is composed with PyYAML's safe C composer (no Python object tags can be built) and
converted here, node by node. Anchors and aliases, custom tags, duplicate keys, non-text
keys, oversized files, bad encodings and tabs are refused with a diagnostic, never a
traceback. Where a value, key or mapping stands (``line:column``) is worked out when a
diagnostic asks, from the document's YAML composed again (:meth:`Document.position`).
"""

from __future__ import annotations

import bisect
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
from .diagnostics import Diagnostic, Severity, did_you_mean
from .ids import ID_MAX_LENGTH, is_id, slugify
from .plain_yaml import error_mark, plain_problem

Loc = tuple[str | int, ...]
Position = tuple[int, int]

MAX_FILE_BYTES = 1_000_000
"""Largest content or seed file accepted (1 MB): real records are a few kilobytes."""
MAX_DEPTH = 40
"""Deepest nesting of lists and mappings accepted in one file."""
MAX_NODES = 50_000
"""Most YAML values accepted in one file (repeated keys count too)."""
MAX_DUPLICATES_SHOWN = 1000
"""Most repeated keys listed one by one for a file (the rest are counted)."""
MAX_INTEGER = 2**53 - 1
"""Largest whole number accepted (in either sign): the largest a JSON reader keeps exactly.
Bigger ones would crash float conversion and Python's int-to-text limit downstream."""

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
_INT_TAG = "tag:yaml.org,2002:int"
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
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff"
    "\ufdd0-\ufdef\ufffe\uffff" + "".join(f"{chr(plane << 16 | 0xfffe)}{chr(plane << 16 | 0xffff)}"
                                         for plane in range(1, 17)) + "]")
"""Control, bidi, zero-width characters, noncharacters, and the lone surrogates that stand
for the bytes of a file name that is not UTF-8."""
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
                      + "".join(f"{chr(plane << 16 | 0xfffe)}{chr(plane << 16 | 0xffff)}"
                                for plane in range(1, 17)) + "]")
"""Control characters other than tab, line feed and carriage return, and the Unicode
noncharacters (U+FFFE, U+FDD0…): XML, hence the Atom feed, cannot hold them."""
_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
"""Where ``str.splitlines`` breaks lines."""


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
    """``control character U+001B`` for the first control character (other than tab and
    newlines) or noncharacter (``noncharacter U+FFFE``), or None."""
    found = _CONTROL.search(text)
    if not found:
        return None
    code = ord(found.group())
    noun = "noncharacter" if code >= 0xfdd0 else "control character"
    return f"{noun} U+{code:04X}"


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

    @functools.cached_property
    def line_starts(self) -> list[int]:
        """Offset in ``text`` of each line's first character (lines as ``splitlines``)."""
        return [0, *(match.end() for match in _LINE_BREAK.finditer(self.text))]

    @functools.cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @functools.cached_property
    def _text_starts(self) -> dict[Loc, Position]:
        return {}

    def text_start(self, loc: Loc) -> Position:
        """Line and column where the text of the string at ``loc`` begins (remembered: every
        problem in one text asks)."""
        known = self._text_starts.get(loc)
        if known is None:
            known = self._text_starts[loc] = self._text_start(loc)
        return known

    def _text_start(self, loc: Loc) -> Position:
        found = self.nodes(loc)
        line, column = self.mark(found[-1]) if found else (1, 1)
        if len(found) == len(loc) + 1 and getattr(found[-1], "style", None) in _BLOCK_STYLES:
            # the text starts on the next line, at its indentation
            following = next((row for row in self.lines[line:] if row.strip()), "")
            return (line + 1, len(following) - len(following.lstrip(" ")) + 1)
        return (line, column)

    def occurrences(self, needle: str) -> list[int]:
        """Offsets of every ``needle`` in the file, found once per needle (one pass of the
        file for all ``[[references]]`` together: an index built on first use)."""
        index = self._needles
        if needle not in index:
            if not index and needle.startswith("[[") and needle.endswith("]]"):
                for match in re.finditer(r"\[\[[^\[\]\n]*\]\]", self.text):
                    index.setdefault(match.group(), []).append(match.start())
            if needle not in index:
                index[needle] = _all_offsets(self.text, needle)
        return index[needle]

    @functools.cached_property
    def _needles(self) -> dict[str, list[int]]:
        return {}

    def offset(self, position: Position) -> int:
        line, column = position
        starts = self.line_starts
        return starts[min(max(line, 1), len(starts)) - 1] + column - 1

    def find(self, needle: str, start: Position, occurrence: int = 0) -> Position | None:
        """Where the ``occurrence``-th ``needle`` stands in the file at or after ``start``."""
        offsets = self.occurrences(needle)
        index = bisect.bisect_left(offsets, self.offset(start)) + occurrence
        if index >= len(offsets):
            return None
        line = bisect.bisect_right(self.line_starts, offsets[index])
        return (line, offsets[index] - self.line_starts[line - 1] + 1)

    def diagnostic(self, loc: Loc, message: str, *, severity: str = "error",
                   at: Position | None = None) -> Diagnostic:
        line, column = at or self.position(loc)
        return _diagnostic(self.display, line, column, dotted(loc), message, severity)  # type: ignore[arg-type]


def _all_offsets(text: str, needle: str) -> list[int]:
    found: list[int] = []
    at = text.find(needle) if needle else -1
    while at != -1:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def dotted(loc: Loc) -> str:
    """``('citations', 0, 'quote')`` → ``citations.0.quote``; the empty loc is ``(file)``."""
    return ".".join(map(str, loc)) if loc else "(file)"


def _entry(node: yaml.Node | None, name: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    """The first ``(key, value)`` nodes of key ``name`` in a mapping node, if any (an index
    of the mapping's keys is kept on the node: a diagnostic per key costs one lookup)."""
    if not isinstance(node, yaml.MappingNode):
        return None
    index = node.__dict__.get("_first_entries")
    if index is None:
        index = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                index.setdefault(key.value, (key, value))
        node.__dict__["_first_entries"] = index
    return index.get(name) if isinstance(name, str) else None


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
        if len(self.seen) + len(self.duplicates) > MAX_NODES:
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
        if node.tag == _INT_TAG and len(node.value) > 40:  # before Python converts it
            raise self.too_large(node)
        if node.tag == _BOOL_TAG and node.value.lower() not in ("true", "false"):
            return node.value  # YAML 1.2 booleans: 'NO' (Norway), 'yes', 'off' stay text
        try:
            value = _constructor.yaml_constructors[node.tag](_constructor, node)
        except (ValueError, ConstructorError) as exc:
            raise _Refused(node, f"'{node.value[:60]}' is not a valid value: {exc}") from None
        except (AttributeError, IndexError, TypeError):
            # PyYAML's constructors assume the text matched the tag's pattern, which an
            # explicit tag skips ("!!timestamp x", "!!int" with nothing after it).
            kind = node.tag.rsplit(":", 1)[-1]
            raise _Refused(node, f"'{node.value[:60]}' is not a valid {kind}; remove the "
                                 f"'!!{kind}' tag or fix the value") from None
        if type(value) is int and abs(value) > MAX_INTEGER:
            raise self.too_large(node)
        return value

    @staticmethod
    def too_large(node: yaml.ScalarNode) -> _Refused:
        shown = node.value if len(node.value) <= 30 else node.value[:30] + "…"
        return _Refused(node, f"the number '{shown}' is too large: whole numbers must lie "
                              f"between -{MAX_INTEGER:,} and {MAX_INTEGER:,}")

    @staticmethod
    def refuse_control(node: yaml.Node, text: str) -> None:
        """Escapes in quoted YAML ("\\e", "\\0", "\\uFFFE") can produce characters the YAML
        reader refuses when written raw; refuse them too."""
        found = control_character(text)
        if found:
            raise _Refused(node, f"{found} is not allowed in text; "
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
                if len(self.seen) + len(self.duplicates) > MAX_NODES:
                    raise _Refused(key_node, f"file has more than {MAX_NODES} values")
                continue
            result[key] = self.convert(value_node, depth + 1)
        return result

    def problems(self, root: yaml.Node) -> list[Diagnostic]:
        """The repeated keys found so far, each with its location and the first one's line."""
        found = []
        shown = self.duplicates[:MAX_DUPLICATES_SHOWN]
        where = _locs_of(root, {id(mapping) for mapping, _ in shown})
        for mapping, key_node in shown:
            key = key_node.value
            loc = (*where.get(id(mapping), ()), key)
            entry = _entry(mapping, key)
            first = self.document.mark(entry[0] if entry else key_node)
            found.append(_diagnostic(
                self.document.display, *self.document.mark(key_node), dotted(loc),
                f"duplicate key '{key}' (first set on line {first[0]}); "
                "a mapping may set each key once"))
        if len(self.duplicates) > len(shown):
            found.append(self.document.diagnostic((), f"{len(self.duplicates) - len(shown):,} "
                                                      "more duplicate keys not listed"))
        return found


def _locs_of(root: yaml.Node, targets: set[int]) -> dict[int, Loc]:
    """Where each node whose ``id`` is in ``targets`` stands under ``root``, in one walk
    (first keys only: repeated ones are skipped)."""
    found: dict[int, Loc] = {}
    stack: list[tuple[yaml.Node, Loc]] = [(root, ())]
    while stack and len(found) < len(targets):
        node, loc = stack.pop()
        if id(node) in targets:
            found[id(node)] = loc
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value not in seen:
                    seen.add(key.value)
                    stack.append((value, (*loc, key.value)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((value, (*loc, index)) for index, value in enumerate(node.value))
    return found


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
    return document, found + parse_document(document, text)


def parse_document(document: Document, text: str) -> list[Diagnostic]:
    """Parse the text of ``document``'s file (YAML, or Markdown with front matter, by its
    path's suffix) into it; the problems found."""
    document.text = text
    if document.path.suffix != ".md":
        return parse_yaml(document, text)
    match = _FRONT_MATTER.match(text)
    if not match:
        document.body = text
        return [document.diagnostic(
            (), "Markdown file needs YAML front matter between '---' lines at the top")]
    document.body = text[match.end():]
    document.body_line = text.count("\n", 0, match.end()) + 1
    found = parse_yaml(document, match.group(1), line_offset=1)
    control = _CONTROL.search(document.body)
    if control:
        offset = match.end() + control.start()
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        found.append(document.diagnostic(("body",), f"{control_character(control.group())} "
                                         "is not allowed; remove it", at=(line, column)))
    return found


def _entries(folder: str, parts: tuple[str, ...] = ()
             ) -> Iterator[tuple[tuple[str, ...], os.DirEntry[str]]]:
    """Every entry under ``folder`` with its path parts, never following a symbolic link
    and not entering hidden folders (whose files are skipped; hidden links are reported)."""
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
        relative = "content/" + "/".join(parts)
        if entry.is_symlink():  # hidden ones too: a build would follow them (loops)
            yield _diagnostic(relative, 1, 1, "(file)",
                              "symbolic links are not allowed in content/; copy the file instead")
            continue
        if any(part.startswith(".") for part in parts):
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
        if not is_id(stem):
            suggestion = slugify(stem) or "new-name"
            yield _diagnostic(relative, 1, 1, "(file)", f"file name '{stem}' is not a valid "
                              "id: use lower-case letters, digits and single hyphens (at most "
                              f"{ID_MAX_LENGTH} characters); rename it, e.g. '{suggestion}'")
            continue
        yield path, relative, kind


SUGGESTION_POOL = 20
"""Most file names a did-you-mean compares a missing seed with (those sharing the most
three-letter runs with it)."""
_COMMON_TRIGRAM = 200
"""A run of three letters in more file names than this says nothing (``txt``)."""


def _trigrams(name: str) -> set[str]:
    padded = f"  {name} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


@dataclass
class SeedFolder:
    """The files under ``seeds/``, listed and indexed once per check (not once per missing
    seed), for the did-you-mean of a seed that does not exist."""

    folder: Path

    @functools.cached_property
    def by_trigram(self) -> dict[str, list[str]]:
        """Relative path of every file (symbolic links not followed), by its trigrams."""
        index: dict[str, list[str]] = {}
        for directory, _, files in os.walk(self.folder):
            for name in files:
                relative = Path(directory, name).relative_to(self.folder).as_posix()
                for trigram in _trigrams(relative):
                    index.setdefault(trigram, []).append(relative)
        return index

    def suggest(self, seed: str) -> str:
        """``; did you mean 'x'?`` among the ``SUGGESTION_POOL`` files that share the most
        distinctive trigrams with ``seed``: the cost of one suggestion is bounded."""
        shared: dict[str, int] = {}
        for trigram in _trigrams(seed):
            names = self.by_trigram.get(trigram, ())
            if len(names) <= _COMMON_TRIGRAM:
                for name in names:
                    shared[name] = shared.get(name, 0) + 1
        pool = sorted(shared, key=lambda name: (-shared[name], name))[:SUGGESTION_POOL]
        return did_you_mean(seed, pool)


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
