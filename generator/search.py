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

A site of more than :data:`PAGES_PER_SHARD` searchable pages is indexed in shards that the
browser searches together, each given the words of the others (:func:`assemble`); files of
each page's facet values beside the bundle let the search panel count facets itself
(:func:`write_facets`, :data:`MANIFEST`).
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import gc
import gzip
import hashlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import cbor2

BUNDLE = "pagefind"
"""Folder of the search bundle inside the site (``pagefind/pagefind.js``)."""
UNINDEXED_LISTS = ("fs-said", "fs-associations", "fs-mentions", "fs-examples", "fs-scale")
"""Classes of the lists of other records on a page (an actor's, election's, tactic's or
source's statements and fact-checks, quoted: they are found on their own pages) and of a
fact-check's rating scale (every rating's name, on every fact-check). They made most pages
match a common word, and Pagefind's ranking costs the pages matched times the pages holding
the query's words (see "shards" below). Half the bytes of the articles: the slim copies
leave them out (:func:`without_unindexed_lists`)."""
NOT_INDEXED = ", ".join((".headerlink", ".md-content__button",
                         ".fs-search-meta[data-pagefind-ignore]",
                         *(f".{name}" for name in UNINDEXED_LISTS)))
"""Never words of a result: heading permalinks (¶), the edit button, the search metadata's
text (its values are read as metadata and filters), and :data:`UNINDEXED_LISTS`."""


PAGES_PER_SHARD = 2000
"""Searchable pages per index: a larger site is indexed in shards searched together
(:func:`assemble`; measured in ``benchmarks/README.md``, Search)."""
SHARD_PREFIX = "shard-"
MANIFEST = "factsite-search.json"
"""Beside ``pagefind.js``: the shards to merge and the facet files (``theme/assets/search.js``)."""
ALL_WORDS = "factsite-all-words"
"""Page id of each shard's page holding the words of the other shards (never shown)."""

SLIM_PLUGINS = frozenset({"factsite", "factsite-progress"})
"""MkDocs plugins that leave every page's article as the site gives it: with no others, the
articles are indexed while the pages render (:class:`BackgroundIndex`)."""


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site; the message says why."""


class LanguagesDiffer(SearchIndexError):
    """The shards of a site hold different languages: it is indexed in one piece."""


LANGUAGES_DIFFER = 3
"""The exit status of ``python -m generator.search assemble`` when the shards hold different
languages (:class:`LanguagesDiffer`)."""


@dataclass(frozen=True)
class IndexReport:
    pages: int
    """Pages in the index (every language together)."""
    bundle: Path


def index_site(site_dir: Path | str, *, timeout: float = 3600, nice: int = 0,
               pages_per_shard: int | None = None) -> IndexReport:
    """Index the built site at ``site_dir`` with Pagefind into ``site_dir/pagefind/``.

    The new bundle is written in a folder beside the site and then swapped in (two renames),
    so a site being served (``mkdocs serve``) never points at a half-written index and never
    holds a folder that is about to move. ``nice``: run Pagefind at a lower priority
    (``factsite serve`` indexes in the background while the editor's next rebuild should
    come first). A site of more than ``pages_per_shard`` searchable pages is indexed in
    shards (:func:`shard_count`).
    """
    site = Path(site_dir)
    if not site.is_dir():
        raise SearchIndexError(f"{site}: no built site here (build it first)")
    try:
        work = Path(tempfile.mkdtemp(prefix=".factsite-search-", dir=site.absolute().parent))
    except OSError as exc:
        raise SearchIndexError(f"{site}: no folder for the index beside the site: {exc}") from exc
    try:
        folders = _site_shards(site, work, pages_per_shard or PAGES_PER_SHARD)
        try:
            made = _index_shards(folders, work, Runner(nice, timeout), label=site)
        except LanguagesDiffer:  # a site of several languages: one index for all
            shutil.rmtree(work / "parts", ignore_errors=True)
            made = _index_shards([site], work / "whole", Runner(nice, timeout), label=site)
        return _swap_in(made, site)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _site_shards(site: Path, work: Path, pages_per_shard: int) -> list[Path]:
    """The site itself (one index), or its searchable pages spread over shard folders
    (hard links: the same paths, so the same URLs)."""
    pages = [path for path in site.rglob("*.html")
             if BUNDLE not in path.relative_to(site).parts[:1]]
    if len(pages) <= pages_per_shard:
        return [site]
    pages = [path for path in pages if _marked(path)]
    shards = shard_count(len(pages), pages_per_shard)
    if shards == 1:
        return [site]
    folders = [work / "pages" / str(number) for number in range(shards)]
    for path in pages:
        relative = path.relative_to(site).as_posix()
        target = folders[shard_of(relative, shards)] / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:  # another file system, or no hard links
            shutil.copyfile(path, target)
    return folders


def _marked(path: Path) -> bool:
    """Whether a built page has an article for search (the theme's ``data-pagefind-body``)."""
    try:
        return b"data-pagefind-body" in path.read_bytes()
    except OSError:
        return False


class Runner:
    """Runs Pagefind over one folder after another; :meth:`stop` kills the one running and
    runs no more."""

    def __init__(self, nice: int = 0, timeout: float = 3600) -> None:
        self.nice = nice
        self.timeout = timeout
        self.lock = threading.Lock()
        self.stopped = False
        self.process: subprocess.Popen[str] | None = None

    def run(self, pages: Path, output: Path) -> bool:
        """Pagefind over ``pages`` into ``output``; False if stopped."""
        return self._run(_pagefind_command(pages, output), pages, "Pagefind")

    def assemble(self, parts: list[Path], bundle: Path, label: Path) -> bool:
        """:func:`assemble` in a process of its own (``python -m generator.search``): giving
        each shard the others' words reads every word chunk of every shard (0.5 s of Python
        at 5,000 pages, 2 s at 20,000), which would hold the build's own interpreter lock
        while the site renders. False if stopped."""
        command = [sys.executable, "-m", "generator.search", "assemble", str(bundle),
                   *map(str, parts)]
        return self._run(command, label, "Assembling the index",
                         {LANGUAGES_DIFFER: LanguagesDiffer})

    def _run(self, command: list[str], label: Path, what: str,
             exits: Mapping[int, type[SearchIndexError]] | None = None) -> bool:
        with self.lock:
            if self.stopped:
                return False
            self.process = _start(command, label, what, self.nice)
        _finish(label, self.process, self.timeout, what, exits or {})
        return not self.stopped

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
            if self.process is not None and self.process.poll() is None:
                self.process.kill()


def _index_shards(folders: list[Path], work: Path, runner: Runner, label: Path) -> Path:
    """Pagefind over each folder; the bundle (``work/pagefind``) that searches them all."""
    parts = []
    for number, folder in enumerate(folders):
        part = work / "parts" / str(number)
        if not runner.run(folder, part):
            raise SearchIndexError(f"{label}: indexing stopped")
        parts.append(part)
    if len(parts) == 1:  # no words to share: quick, and no process to start
        return assemble(parts, work / BUNDLE)
    if not runner.assemble(parts, work / BUNDLE, label):
        raise SearchIndexError(f"{label}: indexing stopped")
    return work / BUNDLE


def _pagefind_command(pages: Path, output: Path) -> list[str]:
    """Pagefind over the HTML files in ``pages``, writing its bundle to ``output``."""
    return [*_pagefind(), "--site", str(pages), "--output-path", str(output),
            "--exclude-selectors", NOT_INDEXED, "--silent"]


@functools.cache
def _pagefind() -> tuple[str, ...]:
    """Pagefind's binary, as the ``pagefind`` package finds it (its wheel's, or
    ``PAGEFIND_BINARY_PATH``), run directly: ``python -m pagefind`` would start an
    interpreter to find it for every run (0.06 s of CPU, once a shard)."""
    from pagefind.service import get_executable

    found = get_executable()
    return (str(found),) if found is not None else (sys.executable, "-m", "pagefind")


def _start(command: list[str], label: Path, what: str, nice: int) -> subprocess.Popen[str]:
    try:
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True,
                                preexec_fn=(lambda: os.nice(nice)) if nice else None)
    except OSError as exc:
        raise SearchIndexError(f"{label}: {what} did not run: {exc}") from exc


def _finish(label: Path, process: subprocess.Popen[str] | subprocess.Popen[bytes],
            timeout: float, what: str, exits: Mapping[int, type[SearchIndexError]]) -> None:
    """Wait for ``process`` (closing its standard input, if piped); a failure names the site
    and the process's last line (as the error ``exits`` gives for its exit status, if any)."""
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        process.kill()
        process.communicate()
        raise SearchIndexError(f"{label}: {what} did not run: {exc}") from exc
    if process.returncode < 0:  # killed: the caller stopped it
        return
    if process.returncode != 0:
        output = stderr or stdout or ""
        if isinstance(output, bytes):
            output = output.decode("utf-8", "replace")
        detail = output.strip().splitlines()
        error = exits.get(process.returncode, SearchIndexError)
        raise error(f"{label}: {what} failed (exit {process.returncode}): "
                    + (detail[-1] if detail else "no output"))


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
    """Pagefind over slim copies of the pages (:func:`slim_page`), made beside the build
    while the site renders; :meth:`finish` moves the bundle into the built site.

    ``add`` every searchable page (``pages`` of them, which fixes the shards), then
    ``start``; ``finish`` or ``discard`` once. A page whose article has no ``<h1>`` (the
    theme would add one from the page title), or no page at all, makes it ``usable`` no
    more: index the built site instead.

    Nothing of it runs on the build's own core (:func:`cpus_beside_the_build`): a process of
    its own writes the copies as the pages are handed over (the build only sends each
    article down a pipe: at 20,000 pages, writing the copies itself took 2.6 s of the build's
    thread, creating files is slow right after many were deleted); then Pagefind and the
    shards' assembly run, from a thread that only waits for them. (Writing the copies in
    that thread instead made it wait for the interpreter lock between pages: at 5,000 pages
    Pagefind started 12 s late, and the render slowed by the switching.) The copies leave
    out the lists Pagefind skips (:func:`without_unindexed_lists`).
    """

    def __init__(self, language: str, beside: Path, *, pages: int, nice: int = 0,
                 timeout: float = 3600, pages_per_shard: int | None = None) -> None:
        self.language = language
        self.runner = Runner(nice, timeout)
        self.folder = Path(tempfile.mkdtemp(prefix=".factsite-search-", dir=beside))
        shards = shard_count(pages, pages_per_shard or PAGES_PER_SHARD)
        self.folders = [self.folder / "pages" / str(number) for number in range(shards)]
        self.writer: subprocess.Popen[bytes] | None = None  # started by the first page
        self.usable = True
        self.thread: threading.Thread | None = None
        self.bundle: Path | None = None
        self.error: SearchIndexError | None = None

    def add(self, output_path: str, article: str) -> None:
        """A searchable page: its output path in the site (``claims/x/index.html``) and its
        article's HTML, sent to the process that writes it as the page Pagefind reads."""
        if "<h1" not in article:
            self.usable = False
        if not self.usable:
            return
        writer = self.writer or self._start_writer()
        if writer is None:  # no process to write them: index the built site instead
            self.usable = False
            return
        path = self.folders[shard_of(output_path, len(self.folders))] / output_path
        record = [os.fsencode(path), article.encode("utf-8")]
        try:
            if writer.stdin is not None:
                writer.stdin.write(b"%d %d\n" % tuple(map(len, record)) + b"".join(record))
        except OSError:  # the writer stopped: index the built site instead
            self.usable = False

    def _start_writer(self) -> subprocess.Popen[bytes] | None:
        command = [sys.executable, "-m", "generator.search", "write-pages", self.language]
        try:
            self.writer = subprocess.Popen(command, stdin=subprocess.PIPE,
                                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError:
            return None
        leave_one_cpu(self.writer.pid)
        return self.writer

    def start(self) -> None:
        """Index the pages in the background, once the writer has written them."""
        if not self.usable or self.writer is None:  # no page, or none could be sent
            self.usable = False  # the built site says what Pagefind makes of it
            return
        self.thread = threading.Thread(target=self._run, args=(self.writer,),
                                       name="factsite-search", daemon=True)
        self.thread.start()

    def _run(self, writer: subprocess.Popen[bytes]) -> None:
        """Wait for the slim pages, run Pagefind over them, then delete them: all while the
        site renders, if Pagefind is done first."""
        leave_one_cpu()
        pages = self.folder / "pages"  # the writer's standard input is closed by _finish
        try:
            _finish(pages, writer, self.runner.timeout, "Writing the pages to index", {})
            if writer.returncode < 0:
                raise SearchIndexError(f"{pages}: indexing stopped")
            self.bundle = _index_shards(self.folders, self.folder, self.runner, label=pages)
        except SearchIndexError as exc:
            self.error = exc
        except OSError as exc:
            self.error = SearchIndexError(f"{pages}: {exc}")
        finally:
            shutil.rmtree(pages, ignore_errors=True)

    def finish(self, site_dir: Path) -> IndexReport:
        """Wait for Pagefind; its bundle as ``site_dir/pagefind/``. Raises
        :class:`SearchIndexError` (and leaves ``site_dir`` as it was) if it failed."""
        try:
            if self.thread is not None:
                self.thread.join()
            if self.error is not None:
                raise self.error
            if self.thread is None:
                raise SearchIndexError(f"{site_dir}: the search index was never started")
            if self.bundle is None:
                raise SearchIndexError(f"{site_dir}: the search index was stopped")
            return _swap_in(self.bundle, site_dir)
        finally:
            self.discard()

    def discard(self) -> None:
        """Stop Pagefind (and the writer) if it still runs; remove what it made."""
        self.runner.stop()
        if self.writer is not None and self.writer.poll() is None:
            self.writer.kill()
            self.writer.communicate()
        if self.thread is not None:
            self.thread.join()
        shutil.rmtree(self.folder, ignore_errors=True)


def cpus_beside_the_build() -> set[int]:
    """Every CPU this process may use but one, or none if it may use one only (or the system
    has no such control: macOS, Windows). MkDocs renders pages on one core: what runs beside
    a build (writing the slim pages, Pagefind's two busy threads, the shards' assembly) on
    these never takes the build's core from it."""
    if not hasattr(os, "sched_getaffinity"):
        return set()
    cpus = sorted(os.sched_getaffinity(0))
    return set(cpus[1:])


def leave_one_cpu(pid: int = 0) -> None:
    """Keep the calling thread (and so every process it starts from now on), or the process
    ``pid``, on :func:`cpus_beside_the_build`. A process that has already exited is left
    alone: whoever waits for it says why."""
    beside = cpus_beside_the_build()
    if beside:
        with contextlib.suppress(ProcessLookupError):
            os.sched_setaffinity(pid, beside)


def indexed_pages(bundle: Path) -> int:
    """How many pages the bundle's entry files list (every shard; not the shards' word
    lists, :data:`ALL_WORDS`)."""
    total = 0
    for part in _parts_of(bundle):
        try:
            entry = json.loads((part / "pagefind-entry.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SearchIndexError(f"{part}: no readable pagefind-entry.json ({exc})") from exc
        total += sum(int(language.get("page_count", 0))
                     for language in entry.get("languages", {}).values())
    return total


def indexed_pages_of(bundle: Path) -> list[dict[str, object]]:
    """What the index holds for each page (url, content, meta, filters), read back from
    the bundle's fragments (every shard): for checks and tests ("is this page
    searchable?")."""
    pages = []
    for part in _parts_of(bundle):
        for fragment in sorted((part / "fragment").glob("*.pf_fragment")):
            pages.append(json.loads(_unpacked(fragment)))
    return pages


def _parts_of(bundle: Path) -> list[Path]:
    """The bundle and its shards (:data:`MANIFEST`)."""
    try:
        manifest = json.loads((bundle / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [bundle]
    return [bundle, *(bundle / shard for shard in manifest.get("shards", []))]


# -- shards ----------------------------------------------------------------------------------
#
# Pagefind ranks a query's matches in the reader's browser by comparing every matching page
# with every page that holds a word of the query (``search_term`` in Pagefind's
# ``pagefind_web/src/search.rs``): a query matching most of 20,000 pages took 4-10 s. Split
# into N indexes searched together (Pagefind's ``mergeIndex``), the same query costs about
# 1/N of that. One thing must not change: Pagefind leaves out a query word its index does
# not hold, so a shard without a rare word would answer with every page matching the other
# words. Each shard is therefore given every word of the others, as the words of one page
# (:data:`ALL_WORDS`) that the search panel never shows: a shard without a page holding a
# query word then finds only that page, as the single index would find nothing there.


def shard_count(pages: int, pages_per_shard: int = 0) -> int:
    """How many indexes ``pages`` searchable pages are split into."""
    per_shard = pages_per_shard or PAGES_PER_SHARD
    return max(1, -(-pages // per_shard))


def shard_of(output_path: str, shards: int) -> int:
    """The shard of the page at ``output_path`` (stable from build to build)."""
    return zlib.crc32(output_path.encode("utf-8")) % shards


def assemble(parts: list[Path], bundle: Path) -> Path:
    """The Pagefind bundles in ``parts`` as one search bundle at ``bundle``: the first part
    with the others as ``shard-N/`` inside it, each holding every word of all, and the
    manifest the search panel reads (:data:`MANIFEST`)."""
    if len(parts) > 1:
        share_words(parts)
    for part in parts:
        make_reproducible(part)
    facets = [page_facets(part) for part in parts]
    parts[0].rename(bundle)
    shards = []
    for number, part in enumerate(parts[1:], start=1):
        for leftover in part.iterdir():  # the search code and UI: the first part's serve all
            if leftover.is_file() and leftover.name != "pagefind-entry.json" \
                    and not leftover.name.endswith(".pf_meta"):
                leftover.unlink()
        part.rename(bundle / f"{SHARD_PREFIX}{number}")
        shards.append(f"{SHARD_PREFIX}{number}/")
    _write_manifest(bundle, shards, facets)
    return bundle


def _write_manifest(bundle: Path, shards: list[str], facets: list[dict[str, list[Any]]]
                    ) -> None:
    merged = {page: values for part in facets for page, values in part.items()}
    manifest = {"shards": shards, "facets": write_facets(bundle, merged), "hidden": ALL_WORDS}
    (bundle / MANIFEST).write_text(json.dumps(manifest, separators=(",", ":")),
                                   encoding="utf-8")


# -- the facets, counted by the search panel -------------------------------------------------
#
# The panel counts each facet's values over a query's results itself (Pagefind's counting
# compares every result with every page of every value). It needs, for a result's page id,
# the page's values: one small file (``pages``) turns a page id into a page number (the
# place of its id among the sorted ids: Pagefind's ids are a language and hex digits, so
# the sorted numbers are stored as gaps), and one file per facet gives each page number's
# values (a table of the facet's values, then per page the count and value numbers). All
# are binary (no JSON to parse past a short header), gzip-compressed, named by their bytes.
# The panel fetches a facet's file only when the reader sees its counts or narrows by it
# (a facet of more than OPEN_VALUES values starts closed).

FACETS_FOLDER = "facets"
OPEN_VALUES = 30
"""A facet of at most this many values is shown open (its counts fetched with the first
results); a larger one (elections, tactics, actors of a large site) opens on request."""
_ID = re.compile(r"(.+)_([0-9a-f]{1,12})")


def write_facets(bundle: Path, pages: Mapping[str, list[Any]]) -> dict[str, Any]:
    """Write the facet files for ``pages`` (each page's ``[name, value]`` pairs by its
    Pagefind page id) into ``bundle/facets/``; what the manifest says of them."""
    folder = bundle / FACETS_FOLDER
    folder.mkdir(exist_ok=True)
    header, gaps, order = _page_numbers(list(pages))
    out: dict[str, Any] = {"pages": _write_facet_file(folder, header, gaps), "columns": {}}
    names = sorted({pair[0] for values in pages.values() for pair in values})
    for name in names:
        table = sorted({pair[1] for values in pages.values() for pair in values
                        if pair[0] == name})
        number = {value: at for at, value in enumerate(table)}
        column = bytearray()
        for page in order:
            own = sorted(number[pair[1]] for pair in pages[page] if pair[0] == name)
            column += _varints([len(own), *own])
        out["columns"][name] = {"file": _write_facet_file(folder, {"values": table}, column),
                                "values": len(table)}
    out["open"] = OPEN_VALUES
    return out


def _page_numbers(ids: list[str]) -> tuple[dict[str, Any], bytes, list[str]]:
    """The ids in page-number order, and how the panel finds an id's number: per group of
    ids with the same language and as many hex digits, the gaps between the sorted
    numbers; any other id by name."""
    groups: dict[tuple[str, int], list[int]] = {}
    other = []
    for page in ids:
        match = _ID.fullmatch(page)
        if match:
            groups.setdefault((match[1], len(match[2])), []).append(int(match[2], 16))
        else:
            other.append(page)
    header: dict[str, Any] = {"groups": [], "other": sorted(other)}
    gaps = bytearray()
    order = []
    for (prefix, digits), numbers in sorted(groups.items()):
        numbers.sort()
        header["groups"].append([prefix, digits, len(numbers)])
        gaps += _varints([b - a for a, b in zip([0, *numbers], numbers, strict=False)])
        order += [f"{prefix}_{number:0{digits}x}" for number in numbers]
    return header, bytes(gaps), order + header["other"]


def _varints(numbers: list[int]) -> bytes:
    """Unsigned LEB128: 7 bits a byte, the high bit set on every byte but a number's last."""
    out = bytearray()
    for number in numbers:
        while number > 0x7F:
            out.append(number & 0x7F | 0x80)
            number >>= 7
        out.append(number)
    return bytes(out)


def _write_facet_file(folder: Path, header: dict[str, Any], body: bytes) -> str:
    """A JSON header (no raw line break), a line break, then ``body``; gzip; named by a hash
    of its bytes. Its path in the bundle."""
    raw = json.dumps(header, ensure_ascii=False, separators=(",", ":"), sort_keys=True
                     ).encode("utf-8") + b"\n" + body
    name = f"{hashlib.sha256(raw).hexdigest()[:12]}.bin.gz"
    (folder / name).write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    return f"{FACETS_FOLDER}/{name}"


def page_facets(part: Path) -> dict[str, list[Any]]:
    """Each page's facet values (``[[name, value], …]``) by its Pagefind page id."""
    entry = json.loads((part / "pagefind-entry.json").read_text(encoding="utf-8"))
    out: dict[str, list[Any]] = {}
    for details in entry.get("languages", {}).values():
        meta = _read(part / f"pagefind.{details['hash']}.pf_meta")
        page_ids = [page[0] for page in meta[1]]
        for name, hashed in meta[3]:
            _, values = _read(part / "filter" / f"{hashed}.pf_filter")
            for value, page_numbers in values:
                for number in page_numbers:
                    out.setdefault(page_ids[number], []).append([name, value])
    for values in out.values():
        values.sort()
    return out


def share_words(parts: list[Path]) -> None:
    """Give each part's index, for each language, every word the other parts hold (see
    above)."""
    indexes = [_word_index(part) for part in parts]
    languages = {language for index in indexes for language in index}
    if any(set(index) != languages for index in indexes):
        raise LanguagesDiffer(f"{parts[0].parent}: the shards hold different languages")
    for language in sorted(languages):
        every = set().union(*(index[language].words for index in indexes))
        for index in indexes:
            index[language].add_words(sorted(every - index[language].words))


@dataclass
class _Chunk:
    """One word chunk of a Pagefind index, as Pagefind encoded it: CBOR of ``[[entry, …]]``,
    each entry ``[word, pages, variants]`` in the words' order. Only the words are kept
    decoded; each entry's bytes are copied as they are into the chunk written again."""

    cbor: bytes
    spans: list[tuple[str, int, int]]
    """Each entry's word, and where its bytes start and end in ``cbor``."""

    @property
    def words(self) -> list[str]:
        return [word for word, _, _ in self.spans]

    def entries(self) -> list[tuple[str, bytes]]:
        """Each entry's word and its bytes."""
        return [(word, self.cbor[start:end]) for word, start, end in self.spans]


@dataclass
class _LanguageIndex:
    """One language's index in a Pagefind bundle: its meta file, decoded, and its word
    chunks (:class:`_Chunk`)."""

    part: Path
    language: str
    meta_file: Path
    meta: list[Any]
    chunks: list[_Chunk]
    """In the meta file's order."""
    words: set[str]

    def add_words(self, words: list[str]) -> None:
        """``words`` as the words of one more page (:data:`ALL_WORDS`), in the chunks whose
        ranges they fall in (widened at the ends). A chunk that gains words is its old
        entries' bytes with the new entries' spliced in, in the words' order: the same bytes
        as decoding, inserting and encoding it again, without the decoding and encoding of
        every page number and position."""
        if not words:
            return
        pages = self.meta[1]
        length = round(sum(page[1] for page in pages) / len(pages)) if pages else 0
        page_number = len(pages)  # the only page of these words: its number, not a step
        pages.append([ALL_WORDS, length])
        ranges = self.meta[2]
        if not ranges:  # no words at all yet: one chunk for these
            ranges.append([words[0], words[-1], ""])
            self.chunks.append(_Chunk(b"", []))
        starts = [chunk_range[0] for chunk_range in ranges]
        gained: dict[int, list[tuple[str, bytes]]] = {}
        for word in words:
            at = max(0, bisect.bisect_right(starts, word) - 1)
            if word < ranges[at][0]:
                ranges[at][0] = starts[at] = word
            if word > ranges[at][1]:
                ranges[at][1] = word
            gained.setdefault(at, []).append(
                (word, cbor2.dumps([word, [[page_number, [-25, 0], []]], []])))
        for at, new in sorted(gained.items()):
            (self.part / "index" / f"{ranges[at][2]}.pf_index").unlink(missing_ok=True)
            entries = sorted(self.chunks[at].entries() + new, key=lambda entry: entry[0])
            cbor = _array_head(1) + _array_head(len(entries)) + b"".join(
                encoded for _, encoded in entries)
            ranges[at][2] = _write_cbor(self.part / "index", self.language, cbor, 7,
                                        ".pf_index")
        self.meta_file.write_bytes(gzip.compress(_MARK + cbor2.dumps(self.meta), mtime=0))


def _word_index(part: Path) -> dict[str, _LanguageIndex]:
    entry = json.loads((part / "pagefind-entry.json").read_text(encoding="utf-8"))
    out = {}
    for language, details in entry.get("languages", {}).items():
        meta_file = part / f"pagefind.{details['hash']}.pf_meta"
        meta = _read(meta_file)
        chunks = [_read_chunk(part / "index" / f"{chunk_range[2]}.pf_index")
                  for chunk_range in meta[2]]
        words = {word for chunk in chunks for word in chunk.words}
        out[language] = _LanguageIndex(part, language, meta_file, meta, chunks, words)
    return out


def _read_chunk(path: Path) -> _Chunk:
    """The words of a word chunk and where each one's entry lies in its CBOR."""
    try:
        cbor = _unpacked(path)
        count, start = _list_in_list(cbor)
        stream = io.BytesIO(cbor)
        stream.seek(start)
        decoder = cbor2.CBORDecoder(stream)
        spans = []
        for _ in range(count):
            word = decoder.decode()[0]
            spans.append((word, start, end := stream.tell()))
            start = end
    except (OSError, EOFError, zlib.error, cbor2.CBORDecodeError, TypeError, IndexError,
            KeyError) as exc:
        raise SearchIndexError(f"{path}: not a word chunk of Pagefind 1.x ({exc})") from exc
    if start != len(cbor) or not all(isinstance(word, str) for word, _, _ in spans):
        raise SearchIndexError(f"{path}: not a word chunk of Pagefind 1.x")
    return _Chunk(cbor, spans)


def _list_in_list(cbor: bytes) -> tuple[int, int]:
    """The length of the list inside the one-item list ``cbor`` begins with, and where the
    inner list's first item starts."""
    if cbor[:1] != _array_head(1) or cbor[1] >> 5 != _CBOR_ARRAY:
        raise KeyError("not a list in a list")
    argument = cbor[1] & 0x1F
    if argument < 24:
        return argument, 2
    size = _CBOR_ARGUMENT_BYTES[argument]
    return int.from_bytes(cbor[2:2 + size], "big"), 2 + size


_CBOR_ARRAY = 4
"""CBOR's major type of an array (RFC 8949, 3.1)."""
_CBOR_ARGUMENT_BYTES = {24: 1, 25: 2, 26: 4, 27: 8}
"""Bytes of a CBOR head's argument after its first byte, by that byte's low five bits
(fewer than 24: none, the value is in those bits)."""


def _array_head(length: int) -> bytes:
    """The CBOR head of an array of ``length`` items (its items follow it)."""
    stream = io.BytesIO()
    cbor2.CBOREncoder(stream).encode_length(_CBOR_ARRAY, length)
    return stream.getvalue()


# -- the same site, the same bundle ----------------------------------------------------------
#
# Pagefind writes each filter's values, and the list of filters, in an arbitrary order that
# changes from run to run (Pagefind issue #638), so the filter files, the language's meta
# file and the entry file would differ between two builds of the same site. They are
# rewritten here in sorted order, named by a hash of their new bytes as Pagefind names them
# (the browser finds each file by the name the meta file and the entry file give).

_MARK = b"pagefind_dcd"


def _unpacked(path: Path) -> bytes:
    """A file Pagefind wrote (fragment, meta, word chunk, filter): gzip, then its mark."""
    return gzip.decompress(path.read_bytes()).removeprefix(_MARK)


def _read(path: Path) -> Any:
    return cbor2.loads(_unpacked(path))


def _write(folder: Path, name: str, data: Any, digits: int, suffix: str) -> str:
    """Write ``data`` as Pagefind does (marked, CBOR, gzip); its hashed name."""
    return _write_cbor(folder, name, cbor2.dumps(data), digits, suffix)


def _write_cbor(folder: Path, name: str, cbor: bytes, digits: int, suffix: str) -> str:
    """Write data encoded as ``cbor`` as Pagefind does (marked, gzip); its hashed name."""
    raw = _MARK + cbor
    hashed = f"{name}_{hashlib.sha256(raw).hexdigest()[:digits]}"
    (folder / f"{hashed}{suffix}").write_bytes(gzip.compress(raw, compresslevel=6, mtime=0))
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


def write_pages(language: str, records: BinaryIO) -> None:
    """Write each (path, article) record of ``records`` as :func:`slim_page` at its path,
    without the lists Pagefind would skip (:func:`without_unindexed_lists`): ``LENGTH
    LENGTH\n`` (bytes of the path, of the article) then the two, until the end."""
    while header := records.readline():
        path_length, article_length = map(int, header.split())
        path = Path(os.fsdecode(records.read(path_length)))
        article = records.read(article_length).decode("utf-8")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(slim_page(language, without_unindexed_lists(article)),
                        encoding="utf-8")


# -- the lists Pagefind skips, left out of the slim copies ----------------------------------
#
# Pagefind spends its time reading HTML: a slim copy without the lists it is told to skip
# (UNINDEXED_LISTS, half the articles' bytes) costs it a quarter less CPU, for the same
# bundle byte for byte (tests/test_search_background.py). The cut is exact or not made: a
# page's HTML here is the sanitiser's serialisation (or the templates' own, escaped), where
# a tag's "<" is never text ("&lt;") and an attribute value is always double-quoted, its '"'
# escaped. Only an attribute value can hold "<" or ">" (html5ever does not escape them
# there): a list holding such a value, or any data-pagefind-* attribute, or no closing tag,
# is left for Pagefind to skip.

_LISTED = re.compile("(?:" + "|".join(map(re.escape, UNINDEXED_LISTS)) + r')(?=[\s"])')
"""A class of :data:`UNINDEXED_LISTS` followed by the end of a word (finding these first,
and only then the tag around each, costs a tenth of searching for the tags)."""
_OPENING = re.compile(r'<(ol|ul|dl|table|div|section|nav|aside)(?=\s)[^<>]*?\sclass="'
                      r'(?:[^"]*\s)?')
"""A block element's opening tag, up to a class named in it (a block element: leaving it out
keeps the words around it apart, as Pagefind's skipping it does)."""
_LONGEST_OPENING = 300
"""Characters from a list's "<" to its class (the templates' take 10-30): searching no
further back keeps a text full of these class names linear to read."""
_MARKUP_IN_VALUE = re.compile(r'="[^"]*[<>]')


def without_unindexed_lists(article: str) -> str:
    """``article`` without its elements of a class in :data:`UNINDEXED_LISTS`; unchanged
    where the cut could be wrong (see above)."""
    kept, at = [], 0
    for found in _LISTED.finditer(article):
        if found.start() < at:  # inside a list already left out
            continue
        start = article.rfind("<", max(at, found.start() - _LONGEST_OPENING), found.start())
        tag = _OPENING.fullmatch(article, start, found.start()) if start >= 0 else None
        if tag is None:
            continue  # the word in text, in another attribute, or on another element
        end = _element_end(article, tag.group(1), start)
        if end < 0 or _MARKUP_IN_VALUE.search(article, start, end) \
                or article.find("data-pagefind", start, end) >= 0:
            return article
        kept.append(article[at:start])
        at = end
    if not kept:
        return article
    kept.append(article[at:])
    return "".join(kept)


def _element_end(text: str, name: str, start: int) -> int:
    """Where the ``name`` element opened at ``start`` ends (after its closing tag, counting
    the same elements inside it), or -1. Linear: each character is read once."""
    opening, closing = f"<{name}", f"</{name}>"
    depth, at, close = 0, start, -1
    while True:
        if close < at:
            close = text.find(closing, at)
            if close < 0:
                return -1
        inner = text.find(opening, at, close)
        if inner >= 0:
            at = inner + len(opening)
            depth += text[at] in " \t\n>"  # <dl>, not <dlx>
            continue
        depth -= 1
        at = close + len(closing)
        if depth == 0:
            return at


def main(arguments: list[str]) -> None:
    """``python -m generator.search assemble BUNDLE PART…``: :func:`assemble` (the process
    :meth:`Runner.assemble` starts); ``python -m generator.search write-pages LANGUAGE``:
    :func:`write_pages` from standard input (the process :class:`BackgroundIndex` feeds)."""
    if arguments[:1] == ["write-pages"] and len(arguments) == 2:
        try:
            write_pages(arguments[1], sys.stdin.buffer)
        except (OSError, ValueError) as exc:
            print(f"could not write a page to index: {exc}", file=sys.stderr)
            raise SystemExit(1) from exc
        return
    if len(arguments) < 3 or arguments[0] != "assemble":
        raise SystemExit("usage: python -m generator.search assemble BUNDLE PART… | "
                         "write-pages LANGUAGE")
    gc.disable()  # a short process making no cycles to collect: 10-15 % of its CPU went there
    try:
        assemble([Path(part) for part in arguments[2:]], Path(arguments[1]))
    except LanguagesDiffer as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(LANGUAGES_DIFFER) from exc
    except SearchIndexError as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(1) from exc


if __name__ == "__main__":
    main(sys.argv[1:])
