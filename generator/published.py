"""Stable URLs: the manifest of every record page ever published, and its check.

``published.yaml`` (at the project root, next to ``content/``, committed) lists every
record page that has been published, as ``kind/id``. The maintainer adds to it with
``factsite published --update`` when publishing; the generator never writes into
``content/``. ``factsite check`` (and every build) then refuses a listed page that has
disappeared, unless a record names it in ``aliases`` (it redirects) or it is listed under
``retired`` with a reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic
from .graph import SINGULAR, Graph
from .load import ALL_KINDS, Document, parse_yaml, read_text

MANIFEST = "published.yaml"
PAGE = re.compile(r"^([a-z]+)/([a-z0-9]+(?:-[a-z0-9]+)*)$")
HEADER = """\
# Every record page ever published, as kind/id. Committed; never edit `published` by hand:
# `factsite published --update` adds the pages of the current content (it never removes).
# A listed page must keep working: keep its record, name its id in another record's
# `aliases` (the old address then redirects), or retire it below with a reason.
# This file is rewritten by --update: keep notes in `reason`, not in comments.
"""


@dataclass
class Entry:
    kind: str
    id: str
    line: int
    column: int
    reason: str = ""

    @property
    def page(self) -> str:
        return f"{self.kind}/{self.id}"


@dataclass
class Manifest:
    published: list[Entry] = field(default_factory=list)
    retired: list[Entry] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


def load_manifest(root: Path) -> Manifest | None:
    """Read ``root/published.yaml``; None when the project has not published yet."""
    path = Path(root) / MANIFEST
    if not path.is_file():
        return None
    document = Document(path=path, display=MANIFEST, kind="published", id="published")
    text, problems = read_text(path, MANIFEST)
    manifest = Manifest(problems=list(problems))
    if text is None:
        return manifest
    manifest.problems += parse_yaml(document, text)
    data = document.data if document.data is not None else {}
    if not isinstance(data, dict):
        manifest.problems.append(document.diagnostic((), "expected the keys published and "
                                                         "retired"))
        return manifest
    for key in data:
        if key not in ("published", "retired"):
            manifest.problems.append(document.diagnostic(
                (key,), f"unknown key '{key}'; expected published and retired",
                at=document.key_position((key,))))
    manifest.published = _entries(document, data.get("published"), "published", manifest)
    manifest.retired = _entries(document, data.get("retired"), "retired", manifest)
    return manifest


def _entries(document: Document, items: Any, key: str, manifest: Manifest) -> list[Entry]:
    if items is None:
        return []
    if not isinstance(items, list):
        manifest.problems.append(document.diagnostic((key,), "expected a list"))
        return []
    found = []
    for index, item in enumerate(items):
        loc: tuple[str | int, ...] = (key, index)
        page, reason = (item, "") if key == "published" else _retired(document, loc, item,
                                                                       manifest)
        if page is None:
            continue
        match = PAGE.fullmatch(page) if isinstance(page, str) else None
        page_loc = loc if key == "published" else (*loc, "page")
        if not match or match.group(1) not in ALL_KINDS:
            manifest.problems.append(document.diagnostic(
                page_loc, f"{page!r} is not kind/id (kinds: {', '.join(ALL_KINDS)})"))
            continue
        found.append(Entry(match.group(1), match.group(2), *document.position(page_loc),
                           reason=reason))
    return found


def _retired(document: Document, loc: tuple[str | int, ...], item: Any, manifest: Manifest
             ) -> tuple[str | None, str]:
    if not isinstance(item, dict) or set(item) - {"page", "reason"} or "page" not in item:
        manifest.problems.append(document.diagnostic(
            loc, "a retired entry is a mapping with 'page' (kind/id) and 'reason'"))
        return None, ""
    reason = item.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        manifest.problems.append(document.diagnostic(
            (*loc, "reason"), "a retired page needs a reason (shown to readers and "
                              "editors: why the record was taken down)"))
    return item["page"], reason if isinstance(reason, str) else ""


def current_pages(graph: Graph) -> list[str]:
    """``kind/id`` of every record page the content produces, sorted."""
    return sorted(f"{kind}/{record_id}" for kind in ALL_KINDS for record_id in graph.records[kind])


def check_published(root: Path, graph: Graph, present: Iterable[tuple[str, str]] = ()
                    ) -> list[Diagnostic]:
    """Errors for published pages that vanished without an alias or a retirement.

    ``present`` names records whose file exists but failed validation (already reported).
    """
    manifest = load_manifest(root)
    if manifest is None:
        return []
    problems = list(manifest.problems)
    retired = {entry.page for entry in manifest.retired}
    skip = set(present)
    for entry in manifest.published:
        key = (entry.kind, entry.id)
        if key in skip or graph.get(*key) is not None or key in graph.aliases:
            continue
        if entry.page in retired:
            continue
        problems.append(Diagnostic(
            MANIFEST, entry.line, entry.column, f"published.{entry.page}",
            f"{entry.page} was published but no {SINGULAR[entry.kind]} has this id any more: "
            f"restore content/{entry.kind}/{entry.id}, add '{entry.id}' to the 'aliases' of "
            f"the {SINGULAR[entry.kind]} that replaces it, or retire it in {MANIFEST} "
            "with a reason"))
    for entry in manifest.retired:
        if graph.get(entry.kind, entry.id) is not None:
            problems.append(Diagnostic(
                MANIFEST, entry.line, entry.column, f"retired.{entry.page}",
                f"{entry.page} is retired but its record still exists; remove one of them",
                "warning"))
    return problems


def unlisted(root: Path, graph: Graph) -> list[str]:
    """Current record pages that ``published.yaml`` does not list yet."""
    manifest = load_manifest(root) or Manifest()
    listed = {entry.page for entry in manifest.published}
    return [page for page in current_pages(graph) if page not in listed]


def render_manifest(published: Iterable[str], retired: list[Entry]) -> str:
    lines = [HEADER, "published:"]
    lines += [f"  - {page}" for page in sorted(set(published))]
    lines.append("retired:" if retired else "retired: []")
    for entry in sorted(retired, key=lambda e: e.page):
        lines += [f"  - page: {entry.page}", f"    reason: {json.dumps(entry.reason)}"]
    return "\n".join(lines) + "\n"


def update_manifest(root: Path, graph: Graph) -> tuple[list[str], list[Diagnostic]]:
    """Add every current record page to ``published.yaml``: the pages added, and the
    manifest's own problems.

    Never removes a page; keeps the retired list. Writes nothing while the manifest has an
    error (fix it by hand first); a warning (such as a byte-order mark) is reported, and the
    rewritten file no longer has it.
    """
    manifest = load_manifest(root) or Manifest()
    if any(problem.severity == "error" for problem in manifest.problems):
        return [], manifest.problems
    added = unlisted(root, graph)
    pages = [entry.page for entry in manifest.published] + added
    path = Path(root) / MANIFEST
    text = render_manifest(pages, manifest.retired)
    if not path.is_file() or path.read_bytes() != text.encode("utf-8"):
        path.write_text(text, encoding="utf-8")
    return added, manifest.problems
