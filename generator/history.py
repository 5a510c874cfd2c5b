"""A published record keeps its history: what a change to it may not do.

The content model makes ``updates`` an append-only log, and a fact-checker's corrections
policy (IFCN Code of Principles, commitment 5) makes every change to a published finding
visible. So, once a record is published:

- an entry of its ``updates`` is never removed or rewritten: a later correction is a new
  entry;
- a change to one of its findings (:attr:`generator.models.Record.findings`: a fact-check's
  claim, claimant, rating or verdict; a statement's speaker, form or words) comes with a new
  entry saying what changed and why.

These rules compare each changed record with its version at a base revision (git), so they
run only when the check has one: ``factsite check --changed`` or ``--history``. A record is
published at the base unless it was a draft there and no published page of it is listed in
``published.yaml``; a renamed record is compared with the record its ``aliases`` name.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .changes import files_at
from .diagnostics import Diagnostic
from .ids import is_id
from .load import ALL_KINDS, MAX_FILE_BYTES, Document, parse_document
from .published import load_manifest
from .registry import Kind, get


@dataclass(frozen=True)
class Versions:
    """A changed record file now (``head``) and as it was at the base (``base``)."""

    head: Document
    base: Document

    @property
    def kind(self) -> Kind:
        return get(self.head.kind)


def check_history(root: Path, documents: list[Document], base: str, described: str,
                  changed: list[str]) -> list[Diagnostic]:
    """The history problems of the records among ``changed`` (paths relative to ``root``)
    against revision ``base`` (``described`` names it in messages). ``documents``: the
    content as the check loaded it (so nothing is read twice, and nothing the loader
    refused, such as a symbolic link, is read at all)."""
    listed = _listed_pages(root)
    found: list[Diagnostic] = []
    for versions in _changed_records(root, documents, base, set(changed)):
        if _published_at_base(versions, listed):
            found += _problems(versions, described)
    return found


def _changed_records(root: Path, documents: list[Document], base: str, changed: set[str]
                     ) -> Iterator[Versions]:
    """Each changed record whose record existed at ``base`` (at the same path, or at the
    path of an id its ``aliases`` name), both readable."""
    heads = [document for document in documents
             if document.display in changed and document.kind in ALL_KINDS
             and not document.broken and isinstance(document.data, Mapping)]
    wanted = {document.display: [document.display, *_alias_paths(document)]
              for document in heads}
    texts = files_at(root, base, sorted({path for paths in wanted.values() for path in paths}))
    for document in heads:
        path = next((path for path in wanted[document.display] if path in texts), None)
        if path is None or len(texts[path]) > MAX_FILE_BYTES:
            continue  # a new record, or one too large to have been accepted
        before = Document(path=Path(path), display=path, kind=document.kind,
                          id=Path(path).stem)
        try:
            parse_document(before, texts[path].decode("utf-8"))
        except UnicodeDecodeError:
            continue
        if not before.broken and isinstance(before.data, Mapping):
            yield Versions(document, before)


def _alias_paths(document: Document) -> list[str]:
    aliases = document.data.get("aliases")
    if not isinstance(aliases, list):
        return []
    return [f"content/{document.kind}/{alias}{suffix}" for alias in aliases
            if isinstance(alias, str) and is_id(alias) for suffix in get(document.kind).suffixes]


def _listed_pages(root: Path) -> set[str]:
    """Pages ``published.yaml`` lists as published (``kind/id``)."""
    manifest = load_manifest(root)
    return {entry.page for entry in manifest.published} if manifest is not None else set()


def _published_at_base(versions: Versions, listed: set[str]) -> bool:
    if versions.base.data.get("status", "published") != "draft":
        return True
    return f"{versions.kind.folder}/{versions.base.id}" in listed


def _problems(versions: Versions, described: str) -> list[Diagnostic]:
    head, base = versions.head, versions.base
    before, now = _entries(base.data), _entries(head.data)
    before_keys, now_keys = list(map(_key, before)), list(map(_key, now))
    missing = Counter(before_keys) - Counter(now_keys)
    extra = Counter(now_keys) - Counter(before_keys)
    unmatched: dict[Any, list[int]] = {}  # entries not at the base, by date and kind
    for index in reversed(range(len(now))):
        if extra[now_keys[index]] > 0:
            unmatched.setdefault(_stamp(now[index]), []).append(index)
    found, new_entries = [], sum(extra.values())
    for entry, key in zip(before, before_keys, strict=True):
        if missing[key] > 0:
            missing[key] -= 1
            candidates = unmatched.get(_stamp(entry))
            rewritten = candidates.pop() if candidates else None
            new_entries -= rewritten is not None  # in the place of an old one: not new
            found.append(_lost_entry(head, entry, rewritten, described))
    for field in versions.kind.model.findings:
        if field in base.data and head.data.get(field) != base.data[field] \
                and not new_entries:
            found.append(head.diagnostic(
                (field,) if field in head.data else (),
                f"changed since {described} (it was {_shown(base.data[field])}) with no new "
                "entry in updates: a published finding changes only on the record; add an "
                "entry (date, kind: correction, note saying what changed and why)"))
    return found


def _entries(data: Mapping[str, Any]) -> list[Any]:
    updates = data.get("updates")
    return updates if isinstance(updates, list) else []


def _key(entry: Any) -> str:
    return json.dumps(entry, sort_keys=True, ensure_ascii=False, default=str)


def _stamp(entry: Any) -> tuple[str, str] | None:
    """An entry's date and kind: an entry rewritten keeps them, most likely."""
    if not isinstance(entry, Mapping):
        return None
    return str(entry.get("date")), str(entry.get("kind"))


def _lost_entry(head: Document, entry: Any, rewritten: int | None, described: str
                ) -> Diagnostic:
    """The problem of an entry of the base's ``updates`` that is no longer there as it was:
    at the entry of the same date and kind that took its place (``rewritten``), if any, else
    at ``updates``."""
    if rewritten is not None:
        return head.diagnostic(("updates", rewritten), (
            f"rewritten since {described}: it was {_described_entry(entry)}; a published "
            "record's entries are never rewritten: restore it and add a new entry for the "
            "change"))
    return head.diagnostic(("updates",) if "updates" in head.data else (), (
        f"an entry was removed since {described}: {_described_entry(entry)}; a published "
        "record's entries are never removed: restore it (a correction of it is a new entry)"))


def _described_entry(entry: Any) -> str:
    if not isinstance(entry, Mapping):
        return _shown(entry)
    return f"{entry.get('date', '?')}, {entry.get('kind', '?')}, {_shown(entry.get('note', ''))}"


def _shown(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                          default=str)
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[:limit - 1] + "…")
