"""Search index: Pagefind over the built site (no MkDocs imports).

Pagefind (``pagefind[extended]`` from PyPI ships its binary; it runs offline) reads the
built HTML and writes a static, chunked index into ``SITE_DIR/pagefind/``. The browser
loads only the chunks a query needs, and only once the reader starts to search
(``theme/assets/search.js``).

What gets indexed is decided by the pages themselves: the theme marks the article of every
page that is not excluded from search with ``data-pagefind-body`` (so index and overview
pages, the error page, the 404 page and redirect pages are left out), and the record
builders add ``data-pagefind-filter`` / ``data-pagefind-meta`` / ``data-pagefind-weight``
(:mod:`generator.render.searchmeta`).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cbor2

BUNDLE = "pagefind"
"""Folder of the search bundle inside the site (``pagefind/pagefind.js``)."""
_STAGING = f"{BUNDLE}.new"
NOT_INDEXED = ".headerlink, .md-content__button, .fs-search-meta[data-pagefind-ignore]"
"""Never words of a result: heading permalinks (¶), the edit button."""


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site; the message says why."""


@dataclass(frozen=True)
class IndexReport:
    pages: int
    """Pages in the index (every language together)."""
    bundle: Path


def index_site(site_dir: Path | str, *, timeout: float = 3600, nice: int = 0) -> IndexReport:
    """Index the built site at ``site_dir`` with Pagefind into ``site_dir/pagefind/``.

    The new bundle is written beside the old one and then swapped in, so a site being
    served (``mkdocs serve``) never points at a half-written index. ``nice``: run Pagefind
    at a lower priority (``factsite serve`` indexes in the background while the editor's
    next rebuild should come first).
    """
    site = Path(site_dir)
    if not site.is_dir():
        raise SearchIndexError(f"{site}: no built site here (build it first)")
    staging = site / _STAGING
    shutil.rmtree(staging, ignore_errors=True)
    command = [sys.executable, "-m", "pagefind", "--site", str(site),
               "--output-subdir", _STAGING, "--exclude-selectors", NOT_INDEXED, "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              check=False, preexec_fn=(lambda: os.nice(nice)) if nice else None)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"{site}: Pagefind did not run: {exc}") from exc
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise SearchIndexError(f"{site}: Pagefind failed (exit {done.returncode}): "
                               + (detail[-1] if detail else "no output"))
    make_reproducible(staging)
    bundle = site / BUNDLE
    shutil.rmtree(bundle, ignore_errors=True)
    staging.rename(bundle)
    return IndexReport(indexed_pages(bundle), bundle)


def indexed_pages(bundle: Path) -> int:
    """How many pages the bundle's entry file lists."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SearchIndexError(f"{bundle}: no readable pagefind-entry.json ({exc})") from exc
    return sum(int(language.get("page_count", 0))
               for language in entry.get("languages", {}).values())




def indexed_pages_of(bundle: Path) -> list[dict[str, object]]:
    """What the index holds for each page (url, content, meta, filters), read back from
    the bundle's fragments: for checks and tests ("is this page searchable?")."""
    pages = []
    for fragment in sorted((bundle / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(fragment.read_bytes())
        pages.append(json.loads(raw.removeprefix(_MARK)))
    return pages


# -- the same site, the same bundle ----------------------------------------------------------
#
# Pagefind writes each filter's values, and the list of filters, in an arbitrary order that
# changes from run to run (Pagefind issue #638), so the filter files, the language's meta
# file and the entry file would differ between two builds of the same site. They are
# rewritten here in sorted order, named by a hash of their new bytes as Pagefind names them
# (the browser finds each file by the name the meta file and the entry file give).

_MARK = b"pagefind_dcd"


def _read(path: Path) -> Any:
    return cbor2.loads(gzip.decompress(path.read_bytes()).removeprefix(_MARK))


def _write(folder: Path, name: str, data: Any, digits: int, suffix: str) -> str:
    """Write ``data`` as Pagefind does (marked, CBOR, gzip); its hashed name."""
    raw = _MARK + cbor2.dumps(data)
    hashed = f"{name}_{hashlib.sha256(raw).hexdigest()[:digits]}"
    (folder / f"{hashed}{suffix}").write_bytes(gzip.compress(raw, mtime=0))
    return hashed


def make_reproducible(bundle: Path) -> None:
    """Sort the filter values and the filter list of every language of ``bundle``."""
    entry_file = bundle / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    for language, details in entry.get("languages", {}).items():
        meta_file = bundle / f"pagefind.{details['hash']}.pf_meta"
        meta = _read(meta_file)
        filters = []
        for name, hashed in meta[3]:
            old = bundle / "filter" / f"{hashed}.pf_filter"
            key, values = _read(old)
            old.unlink()
            values = sorted(values, key=lambda value: str(value[0]))
            filters.append([name, _write(bundle / "filter", language, [key, values], 7,
                                         ".pf_filter")])
        meta[3] = sorted(filters)
        meta_file.unlink()
        details["hash"] = _write(bundle, f"pagefind.{language}", meta, 10, ".pf_meta"
                                 ).removeprefix("pagefind.")
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                          encoding="utf-8")
