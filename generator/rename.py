"""``factsite rename KIND OLD NEW``: give a record a new id without breaking anything.

The record's file moves (``git mv`` inside a repository), the old id is added to its
``aliases`` (so the old address redirects), and every reference to it (reference fields
and ``[[kind/old]]`` in Markdown) is rewritten across ``content/``. Only those spans of text
change: each edit is made at the position the loader reports for the value, so comments,
key order and formatting stay as they were.

Nothing is written until everything is known to work: the content must be free of errors
before, every edited file must parse to exactly the data expected, and a copy of the
project with the edits applied must check without errors. Files are then replaced
atomically (temporary file, then rename), and if any step fails the files already
replaced are restored.
"""

from __future__ import annotations

import copy
import functools
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import changes
from .diagnostics import did_you_mean, format_text
from .graph import SINGULAR, Graph
from .ids import ID_MAX_LENGTH, ID_PATTERN
from .link import walk
from .load import DOCUMENT_KINDS, Document, Loc, load_document, load_tree
from .pipeline import build_graph
from .published import MANIFEST

BOM = "\ufeff"


class RenameError(Exception):
    """Why the rename was refused; nothing has been written."""


@dataclass
class Edit:
    """Replace ``text[start:end]`` (offsets in the file's text) with ``new``."""

    start: int
    end: int
    new: str
    what: str
    """``location: before → after``, for the report."""


@dataclass
class FileChange:
    """The edits to one content file, and the data it must parse to afterwards."""

    document: Document
    edits: list[Edit] = field(default_factory=list)
    expected: Any = None
    expected_body: str | None = None
    bom: bool = False

    @property
    def display(self) -> str:
        return self.document.display

    def new_text(self) -> str:
        text = self.document.text
        for edit in sorted(self.edits, key=lambda e: e.start, reverse=True):
            text = text[:edit.start] + edit.new + text[edit.end:]
        return text

    def new_bytes(self) -> bytes:
        return ((BOM if self.bom else "") + self.new_text()).encode("utf-8")

    def old_bytes(self) -> bytes:
        return ((BOM if self.bom else "") + self.document.text).encode("utf-8")

    def position(self, offset: int) -> str:
        text = self.document.text
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return f"{self.display}:{line}:{column}"


@dataclass
class Plan:
    """Everything a rename will do, worked out and verified before anything is written."""

    root: Path
    kind: str
    old: str
    new: str
    source: str
    """The record's file now, relative to the root."""
    target: str
    """Where it goes."""
    files: list[FileChange]
    git: bool

    def report(self) -> list[str]:
        """What the rename changed, one line per edit."""
        how = "git mv" if self.git else "renamed"
        lines = [f"{self.source} → {self.target} ({how}); '{self.old}' added to its aliases"]
        for change in self.files:
            for edit in sorted(change.edits, key=lambda e: e.start):
                if edit.what:
                    lines.append(f"{change.position(edit.start)}: {edit.what}")
        references = sum(1 for change in self.files for edit in change.edits if edit.what)
        touched = sum(1 for change in self.files if any(edit.what for edit in change.edits))
        lines.append(f"renamed {self.kind}/{self.old} to {self.kind}/{self.new}: "
                     f"{_plural(references, 'reference')} updated in "
                     f"{_plural(touched, 'file')}")
        return lines


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# -- planning ------------------------------------------------------------------------------


def plan(root: Path, kind: str, old: str, new: str) -> Plan:
    """Work out and verify a rename; raise :class:`RenameError` if it cannot be done
    safely. Reads only."""
    root = Path(root)
    _check_new_id(kind, old, new)
    source = _record_file(root, kind, old)
    target = source.with_name(new + source.suffix)
    relative_source = source.relative_to(root).as_posix()
    relative_target = target.relative_to(root).as_posix()
    if target.exists() or target.is_symlink():
        raise RenameError(f"{relative_target} already exists; choose another id, or remove "
                          "that file first")
    before = build_graph(root)
    if before.errors:
        raise RenameError("the content has errors; fix them first (nothing was changed):\n"
                          + format_text(before.errors))
    _check_not_an_alias(before.graph, kind, old, new)
    documents, _ = load_tree(root)
    files = [change for document in documents
             if (change := _changes_in(document, before.graph, kind, old, new)) is not None]
    renamed = next((c for c in files if c.display == relative_source), None)
    if renamed is None:
        record = next(d for d in documents if d.display == relative_source)
        renamed = FileChange(record, expected=copy.deepcopy(record.data),
                             expected_body=record.body)
        files.append(renamed)
    _add_alias(renamed, old)
    for change in files:
        _read_bom(root, change)
    git = changes.in_repository(root)
    result = Plan(root, kind, old, new, relative_source, relative_target, files, git)
    if git:
        _refuse_uncommitted(result)
    _verify(result)
    return result


def _check_new_id(kind: str, old: str, new: str) -> None:
    if not ID_PATTERN.match(new) or len(new) > ID_MAX_LENGTH:
        raise RenameError(f"'{new}' is not a valid id: use lower-case letters, digits and "
                          f"single hyphens (at most {ID_MAX_LENGTH} characters)")
    if new == old:
        raise RenameError(f"{kind}/{old} already has the id '{new}'")


def _record_file(root: Path, kind: str, old: str) -> Path:
    folder = root / "content" / kind
    suffixes = (".md",) if kind in DOCUMENT_KINDS else (".yaml", ".yml")
    for suffix in suffixes:
        path = folder / (old + suffix)
        if path.is_file() and not path.is_symlink():
            return path
    known = sorted(p.stem for p in folder.glob("*") if p.suffix in suffixes) \
        if folder.is_dir() else []
    raise RenameError(f"no {SINGULAR[kind]} '{old}' (content/{kind}/{old}{suffixes[0]})"
                      f"{did_you_mean(old, known)}")


def _check_not_an_alias(graph: Graph, kind: str, old: str, new: str) -> None:
    owner = graph.aliases.get((kind, new))
    if owner == old:
        raise RenameError(f"'{new}' is an old id of {kind}/{old} (in its aliases); remove it "
                          "from aliases first, then rename")
    if owner is not None:
        raise RenameError(f"'{new}' is an old id of {kind}/{owner} (in its aliases); choose "
                          "another id")


def _reference_pattern(kind: str, old: str) -> re.Pattern[str]:
    """``[[kind/old]]`` and ``[[kind/old|label]]`` as the Markdown stage reads them (space
    allowed around the reference), capturing what comes before and after the id."""
    return re.compile(r"(\[\[[^\S\n]*" + re.escape(kind) + "/)" + re.escape(old)
                      + r"([^\S\n]*(?:\|[^\[\]\n]*?)?\]\])")


def _changes_in(document: Document, graph: Graph, kind: str, old: str, new: str
                ) -> FileChange | None:
    """The edits ``document`` needs, or None when it does not refer to ``kind/old``."""
    instance = graph.site if document.kind == "site" else graph.get(document.kind, document.id)
    if instance is None:
        return None
    change = FileChange(document, expected=copy.deepcopy(document.data),
                        expected_body=document.body)
    pattern = _reference_pattern(kind, old)
    for loc, value, role in walk(instance):
        if kind in role.refs and value == old:
            change.edits.append(_reference_edit(change, loc, old, new))
            _set(change.expected, loc, new)
        elif role.markdown and isinstance(value, str) and pattern.search(value):
            change.edits.extend(_markdown_edits(change, loc, value, pattern, kind, new))
            _set(change.expected, loc, pattern.sub(_replacement(new), value))
    if document.body is not None and pattern.search(document.body):
        start = len(document.text) - len(document.body)
        change.edits.extend(_span_edits(change, ("body",), start, len(document.text),
                                        document.body, pattern, kind, new))
        change.expected_body = pattern.sub(_replacement(new), document.body)
    return change if change.edits else None


def _replacement(new: str) -> str:
    return r"\g<1>" + new.replace("\\", r"\\") + r"\g<2>"


def _yaml_offset(document: Document) -> int:
    """Where the YAML that positions refer to starts in the file's text."""
    return document.text.index("\n") + 1 if document.body is not None else 0


def _node(change: FileChange, loc: Loc) -> yaml.Node:
    found = change.document.nodes(loc)
    if len(found) != len(loc) + 1:
        raise RenameError(f"{change.display}: cannot find {'.'.join(map(str, loc))} in the "
                          "file; nothing was changed")
    return found[-1]


def _reference_edit(change: FileChange, loc: Loc, old: str, new: str) -> Edit:
    node = _node(change, loc)
    offset = _yaml_offset(change.document)
    start, end = node.start_mark.index + offset, node.end_mark.index + offset
    written = change.document.text[start:end]
    for quote in ("", "'", '"'):
        if written == f"{quote}{old}{quote}":
            return Edit(start, end, f"{quote}{new}{quote}",
                        f"{'.'.join(map(str, loc))}: {old} → {new}")
    raise RenameError(f"{change.position(start)}: the reference is written as {written!r}, "
                      f"which factsite rename does not rewrite; write it as {old} and try "
                      "again (nothing was changed)")


def _markdown_edits(change: FileChange, loc: Loc, value: str, pattern: re.Pattern[str],
                    kind: str, new: str) -> list[Edit]:
    node = _node(change, loc)
    offset = _yaml_offset(change.document)
    return _span_edits(change, loc, node.start_mark.index + offset,
                       node.end_mark.index + offset, value, pattern, kind, new)


def _span_edits(change: FileChange, loc: Loc, start: int, end: int, value: str,
                pattern: re.Pattern[str], kind: str, new: str) -> list[Edit]:
    """Edits of every ``[[kind/old]]`` written between ``start`` and ``end``; as many as the
    parsed ``value`` holds, or the rename is refused."""
    text = change.document.text
    written = list(pattern.finditer(text, start, end))
    parsed = len(pattern.findall(value))
    if len(written) != parsed:
        raise RenameError(f"{change.position(start)}: {'.'.join(map(str, loc))}: a reference "
                          f"to {kind}/… is split across lines or escaped, so factsite rename "
                          "cannot rewrite it; write it on one line and try again (nothing "
                          "was changed)")
    where = ".".join(map(str, loc))
    return [Edit(match.start(), match.end(), match.expand(_replacement(new)),
                 f"{where}: {match.group()} → {match.expand(_replacement(new))}")
            for match in written]


def _set(data: Any, loc: Loc, value: Any) -> None:
    for part in loc[:-1]:
        data = data[part]
    data[loc[-1]] = value


def _add_alias(change: FileChange, old: str) -> None:
    """Add ``old`` to the record's ``aliases``, in the style the list is written in."""
    document = change.document
    data = change.expected
    data.setdefault("aliases", [])
    data["aliases"].append(old)
    found = document.nodes(("aliases",))
    offset = _yaml_offset(document)
    newline = "\r\n" if "\r\n" in document.text else "\n"
    if len(found) < 2:
        change.edits.append(_new_aliases_field(document, offset, old, newline))
        return
    node = found[-1]
    if not isinstance(node, yaml.SequenceNode):
        raise RenameError(f"{change.position(node.start_mark.index + offset)}: aliases: "
                          "expected a list (nothing was changed)")
    if node.flow_style:
        if node.value:
            at = node.value[-1].end_mark.index + offset
            change.edits.append(Edit(at, at, f", {old}", ""))
        else:
            at = node.end_mark.index + offset - 1  # before ']'
            change.edits.append(Edit(at, at, old, ""))
        return
    last = node.value[-1].end_mark.index + offset
    line_end = document.text.find("\n", last)
    line_end = len(document.text) if line_end == -1 else line_end
    if line_end > 0 and document.text[line_end - 1] == "\r":
        line_end -= 1
    indent = " " * node.start_mark.column
    change.edits.append(Edit(line_end, line_end, f"{newline}{indent}- {old}", ""))


def _new_aliases_field(document: Document, offset: int, old: str, newline: str) -> Edit:
    """``aliases: [old]`` as the last field; as the first when the YAML ends in a block of
    text without a final line break (a field added after it would change that text)."""
    end = offset + len(document.yaml_text)
    if document.yaml_text.endswith("\n"):
        return Edit(end, end, f"aliases: [{old}]{newline}", "")
    if not _ends_in_block_text(document.root):
        after = newline if end == len(document.text) else ""
        return Edit(end, end, f"{newline}aliases: [{old}]{after}", "")
    start = offset + document.root.start_mark.index  # type: ignore[union-attr]
    return Edit(start, start, f"aliases: [{old}]{newline}", "")


def _ends_in_block_text(node: yaml.Node | None) -> bool:
    """Whether the last value in the YAML is text written as a ``|`` or ``>`` block."""
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")


def _read_bom(root: Path, change: FileChange) -> None:
    """Whether the file starts with a byte-order mark (the loader drops it), and that the
    file is still what was loaded."""
    raw = (root / change.display).read_bytes()
    change.bom = raw.startswith(BOM.encode("utf-8"))
    if raw.decode("utf-8").removeprefix(BOM) != change.document.text:
        raise RenameError(f"{change.display} changed while factsite rename was reading it; "
                          "try again (nothing was changed)")


def _refuse_uncommitted(result: Plan) -> None:
    paths = sorted({result.source, *(change.display for change in result.files)})
    dirty = changes.uncommitted(result.root, paths)
    if dirty:
        raise RenameError("uncommitted changes in " + ", ".join(dirty) + "; commit or stash "
                          "them first, so that the rename can be undone with git (nothing "
                          "was changed)")


# -- verification --------------------------------------------------------------------------


def _verify(result: Plan) -> None:
    """Apply the edits to a copy of the project: every edited file must parse to exactly the
    data expected, and the whole copy must check without errors."""
    with tempfile.TemporaryDirectory(prefix="factsite-rename-") as folder:
        copy_root = Path(folder)
        _copy_project(result.root, copy_root)
        for change in result.files:
            edited = copy_root / change.display
            edited.unlink()  # never write through to the project's own file
            edited.write_bytes(change.new_bytes())
        (copy_root / result.source).rename(copy_root / result.target)
        for change in result.files:
            display = result.target if change.display == result.source else change.display
            _verify_file(change, copy_root / display, display)
        after = build_graph(copy_root)
    if after.errors:
        raise RenameError("the renamed content would not check cleanly (nothing was "
                          "changed):\n" + format_text(after.errors))


def _copy_project(root: Path, target: Path) -> None:
    """``content/``, ``seeds/`` and the published manifest: what a check reads. Seeds,
    which are only read, are hard-linked where possible (they can be large)."""
    shutil.copytree(root / "content", target / "content")
    if (root / "seeds").is_dir():
        shutil.copytree(root / "seeds", target / "seeds", copy_function=_link_or_copy)
    if (root / MANIFEST).is_file():
        shutil.copy2(root / MANIFEST, target / MANIFEST)


def _link_or_copy(source: str, target: str) -> None:
    """A hard link where possible, else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _verify_file(change: FileChange, path: Path, display: str) -> None:
    document, problems = load_document(path, display, change.document.kind)
    errors = [p for p in problems if p.severity == "error"]
    if errors or document.data != change.expected or document.body != change.expected_body:
        detail = "".join(f"\n{p.format()}" for p in errors)
        raise RenameError(f"{change.display}: the edited file would not read back as "
                          f"expected, so factsite rename left it alone (nothing was "
                          f"changed){detail}")


# -- writing -------------------------------------------------------------------------------


def apply(result: Plan) -> None:
    """Write a verified plan: every file through a temporary file and an atomic replace,
    the record's file moved; on any failure, everything done so far is undone."""
    staged: list[tuple[FileChange, Path, Path]] = []
    try:
        for change in result.files:
            current = result.root / change.display
            final = result.root / result.target if current == result.root / result.source \
                else current
            staged.append((change, final, _temporary(final, change.new_bytes(), current)))
    except OSError as exc:
        _discard(staged)
        raise RenameError(f"could not write a temporary file: {exc} (nothing was "
                          "changed)") from exc
    undo: list[Callable[[], None]] = []
    try:
        _move(result, result.source, result.target)
        undo.append(functools.partial(_move, result, result.target, result.source))
        for change, final, temporary in staged:
            os.replace(temporary, final)
            undo.append(functools.partial(_restore, final, change.old_bytes()))
    except (OSError, changes.GitError) as exc:
        _discard(staged)
        for step in reversed(undo):
            step()
        raise RenameError(f"could not write the rename: {exc}; every file was restored") \
            from exc


def _temporary(final: Path, data: bytes, mode_of: Path) -> Path:
    """``data`` in a hidden temporary file next to ``final`` (the loader skips hidden
    files), with the permissions of ``mode_of``."""
    descriptor, name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp",
                                        dir=final.parent)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    shutil.copymode(mode_of, name)
    return Path(name)


def _move(result: Plan, source: str, target: str) -> None:
    """``git mv`` inside a repository, else a plain rename (paths relative to the root)."""
    if result.git:
        changes.move(result.root, source, target)
    else:
        os.rename(result.root / source, result.root / target)


def _restore(path: Path, data: bytes) -> None:
    os.replace(_temporary(path, data, path), path)


def _discard(staged: list[tuple[FileChange, Path, Path]]) -> None:
    for _change, _final, temporary in staged:
        temporary.unlink(missing_ok=True)


def rename(root: Path, kind: str, old: str, new: str) -> list[str]:
    """Rename ``kind/old`` to ``new``; return the report lines. Raises
    :class:`RenameError` (having written nothing) when it cannot be done safely."""
    result = plan(root, kind, old, new)
    apply(result)
    return result.report()
