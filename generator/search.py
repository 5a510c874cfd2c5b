"""Search index: Pagefind over the pages (no MkDocs imports).

Pagefind (``pagefind[extended]`` from PyPI ships its binary; it runs offline) reads the
built HTML (:func:`index_site`), or slim copies of the pages' articles while MkDocs renders
(:class:`BackgroundIndex`), and writes a static, chunked index into ``SITE_DIR/pagefind/``.
The browser loads only the chunks a query needs, and only once the reader starts to search
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
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cbor2

BUNDLE = "pagefind"
"""Folder of the search bundle inside the site (``pagefind/pagefind.js``)."""
NOT_INDEXED = ".headerlink, .md-content__button, .fs-search-meta[data-pagefind-ignore]"
"""Never words of a result: heading permalinks (¶), the edit button."""


SLIM_PLUGINS = frozenset({"factsite", "factsite-progress"})
"""MkDocs plugins that leave every page's article as the site gives it: with no others, the
articles are indexed while the pages render (:class:`BackgroundIndex`)."""


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site; the message says why."""


@dataclass(frozen=True)
class IndexReport:
    pages: int
    """Pages in the index (every language together)."""
    bundle: Path


def index_site(site_dir: Path | str, *, timeout: float = 3600, nice: int = 0) -> IndexReport:
    """Index the built site at ``site_dir`` with Pagefind into ``site_dir/pagefind/``.

    The new bundle is written in a folder beside the site and then swapped in (two renames),
    so a site being served (``mkdocs serve``) never points at a half-written index and never
    holds a folder that is about to move. ``nice``: run Pagefind at a lower priority
    (``factsite serve`` indexes in the background while the editor's next rebuild should
    come first).
    """
    site = Path(site_dir)
    if not site.is_dir():
        raise SearchIndexError(f"{site}: no built site here (build it first)")
    try:
        work = Path(tempfile.mkdtemp(prefix=".factsite-search-", dir=site.absolute().parent))
    except OSError as exc:
        raise SearchIndexError(f"{site}: no folder for the index beside the site: {exc}") from exc
    try:
        made = work / BUNDLE
        _finish(site, _pagefind(site, made, nice), timeout, made)
        return _swap_in(made, site)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _pagefind(pages: Path, output: Path, nice: int) -> subprocess.Popen[str]:
    """Pagefind started over the HTML files in ``pages``, writing its bundle to ``output``."""
    command = [sys.executable, "-m", "pagefind", "--site", str(pages),
               "--output-path", str(output), "--exclude-selectors", NOT_INDEXED, "--silent"]
    try:
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True,
                                preexec_fn=(lambda: os.nice(nice)) if nice else None)
    except OSError as exc:
        raise SearchIndexError(f"{pages}: Pagefind did not run: {exc}") from exc


def _finish(site: Path, process: subprocess.Popen[str], timeout: float, bundle: Path) -> None:
    """Wait for ``process``; a failure names the site and Pagefind's last line."""
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        process.kill()
        process.communicate()
        raise SearchIndexError(f"{site}: Pagefind did not run: {exc}") from exc
    if process.returncode != 0:
        detail = (stderr or stdout).strip().splitlines()
        raise SearchIndexError(f"{site}: Pagefind failed (exit {process.returncode}): "
                               + (detail[-1] if detail else "no output"))
    make_reproducible(bundle)


def _swap_in(made: Path, site: Path) -> IndexReport:
    """``made`` as the site's bundle; the old one is moved out beside ``made`` (for its
    caller to delete)."""
    bundle = site / BUNDLE
    if bundle.exists():
        try:
            bundle.rename(made.parent / f"{BUNDLE}.previous")
        except OSError:  # another file system
            shutil.rmtree(bundle)
    try:
        made.rename(bundle)
    except OSError:  # another file system
        shutil.copytree(made, bundle)
    return IndexReport(indexed_pages(bundle), bundle)


# -- indexing while the site renders ----------------------------------------------------------
#
# Pagefind reads only a little of each built page: the language (<html lang>), the article
# the theme marks with data-pagefind-body, and the data-pagefind-* attributes inside it.
# When those are known before the pages are rendered, Pagefind can index copies holding only
# them (same output paths, so the same URLs) on the second core while the site renders,
# instead of parsing every finished page whole (header, navigation, footer) afterwards. The
# bundle is the same, byte for byte (tests/test_search.py).


def searchable(meta: Mapping[str, Any]) -> bool:
    """Whether the theme marks the page's article for search (``theme/main.html``: every
    page with front matter, unless it says ``search: exclude``)."""
    search = meta.get("search")
    return bool(meta) and not (isinstance(search, Mapping) and search.get("exclude"))


def slim_page(language: str, article: str) -> str:
    """What Pagefind reads of a built page whose article (the theme's content block,
    heading included) is ``article``."""
    return (f'<!doctype html>\n<html lang="{html.escape(language)}"><head><meta charset="utf-8">'
            f"</head><body><div data-pagefind-body>{article}</div></body></html>\n")


class BackgroundIndex:
    """Pagefind over slim copies of the pages (:func:`slim_page`), in a thread of its own
    while the site renders; :meth:`finish` moves the bundle into the built site.

    ``add`` every searchable page, then ``start``; ``finish`` or ``discard`` once. A page
    whose article has no ``<h1>`` (the theme would add one from the page title), or no page
    at all, makes it ``usable`` no more: index the built site instead.
    """

    def __init__(self, language: str, beside: Path, *, nice: int = 0,
                 timeout: float = 3600) -> None:
        self.language = language
        self.nice = nice
        self.timeout = timeout
        self.lock = threading.Lock()
        self.stopped = False
        self.folder = Path(tempfile.mkdtemp(prefix=".factsite-search-", dir=beside))
        self.pages: list[tuple[str, str | Callable[[], str]]] = []
        self.usable = True
        self.process: subprocess.Popen[str] | None = None
        self.thread: threading.Thread | None = None
        self.error: SearchIndexError | None = None

    def add(self, output_path: str, article: str,
            again: Callable[[], str] | None = None) -> None:
        """A searchable page: its output path in the site (``claims/x/index.html``) and its
        article's HTML; ``again``, if given, gives the article once more when its copy is
        written (so that the article need not be held meanwhile)."""
        if "<h1" not in article:
            self.usable = False
        self.pages.append((output_path, again or article))

    def start(self) -> None:
        if not self.pages:  # nothing to index: the built site says what Pagefind makes of it
            self.usable = False
            return
        self.thread = threading.Thread(target=self._run, name="factsite-search", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        """Write the slim pages, run Pagefind over them, then delete them: all while the
        site renders, if Pagefind is done first."""
        pages = self.folder / "pages"
        try:
            for output_path, article in self.pages:
                path = pages / output_path
                path.parent.mkdir(parents=True, exist_ok=True)
                text = article if isinstance(article, str) else article()
                path.write_text(slim_page(self.language, text), encoding="utf-8")
            self.pages = []
            with self.lock:
                if self.stopped:
                    return
                self.process = _pagefind(pages, self.folder / BUNDLE, self.nice)
            _finish(pages, self.process, self.timeout, self.folder / BUNDLE)
        except OSError as exc:
            self.error = SearchIndexError(f"{pages}: could not write the pages to index: {exc}")
        except SearchIndexError as exc:
            self.error = exc
        finally:
            shutil.rmtree(pages, ignore_errors=True)

    def finish(self, site_dir: Path) -> IndexReport:
        """Wait for Pagefind; its bundle as ``site_dir/pagefind/``. Raises
        :class:`SearchIndexError` (and leaves ``site_dir`` as it was) if it failed."""
        try:
            if self.thread is None:
                raise SearchIndexError(f"{site_dir}: the search index was never started")
            self.thread.join()
            if self.error is not None:
                raise self.error
            return _swap_in(self.folder / BUNDLE, site_dir)
        finally:
            self.discard()

    def discard(self) -> None:
        """Stop Pagefind if it still runs; remove what it made."""
        with self.lock:
            self.stopped = True
            if self.process is not None and self.process.poll() is None:
                self.process.kill()
        if self.thread is not None:
            self.thread.join()
        shutil.rmtree(self.folder, ignore_errors=True)


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
