"""``mkdocs serve`` (and ``factsite serve``): the editor's loop.

One :class:`ServeSession` lives as long as the server (the plugin keeps it across rebuilds):

- every build goes through :class:`~generator.incremental.SiteBuilder`, so a save re-renders
  only the pages it touches; under ``--dirty`` (``factsite serve`` always) MkDocs then writes
  only the pages and files that differ from the previous build, and the outputs of records
  that disappeared (deleted, made drafts) are removed;
- on content errors the last good site stays served, and every page shows the errors at its
  top (:func:`banner_html`: escaped, ``role="alert"``); the banner goes away once they are
  fixed (pages MkDocs does not rewrite get it, or lose it, in place);
- the diagnostics are logged after MkDocs' own lines for the build, not before them.
"""

from __future__ import annotations

import html
import logging
import re
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from .build import output_file
from .diagnostics import Diagnostic, summary
from .incremental import SiteBuilder, SiteUpdate
from .search import SearchIndexError, index_site
from .site import Page, Section, Site, SiteOptions

log = logging.getLogger("mkdocs.plugins.factsite")

BANNER_START = "<!-- factsite-serve-errors -->"
BANNER_END = "<!-- /factsite-serve-errors -->"
_BANNER = re.compile(re.escape(BANNER_START) + ".*?" + re.escape(BANNER_END), re.S)
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">')
DIRTY_WARNING = "A 'dirty' build is being performed"


def stop_on_sigterm() -> None:
    """Stop the server on SIGTERM (``kill``, ``docker stop``, a process manager) as on
    Ctrl-C: MkDocs then deletes its temporary site (a whole built site in the system's
    temporary folder, left there by every SIGTERM before) and runs the plugins'
    ``on_shutdown``. Only from the main thread, and only if nobody else handles SIGTERM."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def banner_html(errors: list[Diagnostic]) -> str:
    """The error banner (empty without errors), between its markers."""
    if not errors:
        return ""
    items = "".join(f"<li><code>{html.escape(error.format(), quote=False)}</code></li>"
                    for error in errors)
    return (f'{BANNER_START}<div class="fs-serve-errors" role="alert">'
            f"<p><strong>{html.escape(summary(errors))}.</strong> This is the last good "
            "build; fix these and save, and the site rebuilds by itself:</p>"
            f"<ul>{items}</ul></div>{BANNER_END}")


def with_banner(page: str, banner: str) -> str:
    """``page`` (HTML) with its banner replaced by ``banner``, or added at the top of its
    article (else of its body); ``banner`` empty: without one."""
    if BANNER_START in page:
        return _BANNER.sub(lambda _: banner, page, count=1)
    if not banner:
        return page
    match = _ARTICLE.search(page) or re.search(r"<body[^>]*>", page)
    if match is None:
        return page
    return page[:match.end()] + banner + page[match.end():]


class _DirtyWarning(logging.Filter):
    """Drops MkDocs' warning that a dirty build may leave stale links: the session rewrites
    every page whose output changes, so it does not apply."""

    def filter(self, record: logging.LogRecord) -> bool:
        return DIRTY_WARNING not in record.getMessage()


class TemplateCache(BytecodeCache):
    """Compiled theme templates kept in memory between rebuilds (MkDocs makes a new Jinja
    environment for each; Jinja checks each template's source before reusing its code)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class SearchIndexer:
    """Indexes the served site with Pagefind in the background: one run at a time, and one
    more after the last request, so the index ends up matching the last build."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.wanted: Path | None = None
        self.thread: threading.Thread | None = None

    def request(self, site_dir: Path) -> None:
        with self.lock:
            self.wanted = site_dir
            if self.thread is None:
                self.thread = threading.Thread(target=self.run, name="factsite-search",
                                               daemon=True)
                self.thread.start()

    def run(self) -> None:
        while True:
            with self.lock:
                site_dir, self.wanted = self.wanted, None
                if site_dir is None:
                    self.thread = None
                    return
            try:
                index_site(site_dir, nice=10)  # after the editor's next rebuild
            except SearchIndexError as exc:
                log.error(str(exc))

    def wait(self) -> None:
        thread = self.thread
        if thread is not None:
            thread.join()


class ServeSession:
    def __init__(self, root: Path, *, dirty: bool) -> None:
        self.root = root
        self.dirty = dirty
        self.builder: SiteBuilder | None = None
        self.update = SiteUpdate(Site())
        self.errors: list[Diagnostic] = []
        self.diagnostics: tuple[Diagnostic, ...] = ()
        self.reported = True
        self.banner_on_disk = banner_html([])
        self.exporting: threading.Thread | None = None
        self.templates = TemplateCache()
        self.indexer = SearchIndexer()
        self.look: tuple[object, ...] = ()
        self.files: dict[str, Any] = {}
        """The MkDocs files (with their pages) of pages that did not change, by path: made
        once, not on every rebuild (only the changed pages cost MkDocs work)."""
        if dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(_DirtyWarning())

    def build(self, options: SiteOptions, look: tuple[object, ...] = ()) -> Site:
        """The site to serve now: the new one, or the last good one while there are
        errors (an error page when there never was a good one). ``look``: what says the
        theme and the configuration are unchanged (else every page is written again)."""
        self.wait_for_exports()
        if not self.dirty:
            self.indexer.wait()  # MkDocs empties the site folder before each build
        if self.builder is None or self.builder.options != options or look != self.look:
            self.builder = SiteBuilder(self.root, options)
            self.files.clear()
        self.look = look
        update = self.builder.build(defer_exports=self.dirty)
        self.diagnostics, self.errors = update.site.diagnostics, update.errors
        self.reported = False
        last_good = self.builder.site
        if not self.errors:
            self.update = update
        elif last_good is None:
            self.update = SiteUpdate(Site(pages=(error_page(),)))
        else:
            self.update = SiteUpdate(last_good, frozenset())
        return self.update.site

    @property
    def banner(self) -> str:
        return banner_html(self.errors)

    def unchanged(self, path: str) -> bool:
        """Whether MkDocs may leave this page's or file's output as the last build wrote
        it (only under ``--dirty``: otherwise MkDocs empties the site folder each time)."""
        changed = self.update.changed
        return self.dirty and changed is not None and path not in changed

    def after_build(self, site_dir: Path, use_directory_urls: bool) -> None:
        """Remove what the site no longer has, put the current banner on every page MkDocs
        did not rewrite, and start writing the deferred open data and feeds (then the
        search index)."""
        if not self.dirty:
            self.site_written(site_dir, self.update)
            return
        remove(site_dir, self.update.removed, use_directory_urls)
        banner = self.banner
        if banner != self.banner_on_disk:
            for page in site_dir.rglob("*.html"):
                text = page.read_text(encoding="utf-8")
                changed = with_banner(text, banner)
                if changed != text:
                    write_atomically(page, changed.encode("utf-8"))
            self.banner_on_disk = banner
        self.exporting = threading.Thread(target=self.export, name="factsite-exports",
                                          args=(site_dir, use_directory_urls), daemon=True)
        self.exporting.start()

    def export(self, site_dir: Path, use_directory_urls: bool) -> None:
        """Write the open data and feeds the build deferred (in the background, right after
        the pages are served), then tell :meth:`site_written`."""
        update = self.builder.finish_exports() if self.builder is not None else None
        if update is not None:
            by_path = {asset.path: asset for asset in update.site.assets}
            for path in sorted(update.changed or ()):
                write_atomically(site_dir / path, by_path[path].data())
            remove(site_dir, update.removed, use_directory_urls)
        if self.update.changed is None or self.update.changed or (update and update.changed):
            self.site_written(site_dir, self.update)

    def site_written(self, site_dir: Path, update: SiteUpdate) -> None:
        """Called once the served site is complete and consistent again after a build
        that changed it (``update.changed``: the pages changed, None for all). Outputs
        computed from the whole built site are refreshed here: the search index, in the
        background (Pagefind reads every page: seconds at thousands of records)."""
        if not self.errors or self.update.changed is None or not self.dirty:
            self.indexer.request(site_dir)

    def wait_for_exports(self) -> None:
        """Let the previous build's deferred files finish before the next build."""
        if self.exporting is not None:
            self.exporting.join()
            self.exporting = None

    def report(self) -> None:
        """Log the last build's diagnostics (once), errors last, then what is served."""
        if self.reported:
            return
        self.reported = True
        for diagnostic in sorted(self.diagnostics, key=lambda d: (d.severity == "error", d)):
            (log.error if diagnostic.severity == "error" else log.warning)(diagnostic.format())
        if self.errors:
            served = ("the last good build, with these errors at the top of every page"
                      if self.builder is not None and self.builder.site is not None
                      else "a page listing them")
            log.error(f"{summary(self.errors)}: serving {served}; fix them and save")

    def reporting(self, build: Callable[..., None]) -> Callable[..., None]:
        """``build``, then the diagnostics, so they come after MkDocs' own lines."""
        def build_and_report(*args: object, **kwargs: object) -> None:
            try:
                build(*args, **kwargs)
            finally:
                self.report()
        return build_and_report


def error_page() -> Page:
    """The home page while there never was a good build (the banner lists the errors)."""
    return Page("index.md", "Content errors",
                ("", "\n<p>The site has not been built yet: the content has errors.</p>\n"),
                {"title": "Content errors", "search": {"exclude": True}},
                (Section(1, "Content errors", "content-errors"),), kind="errors")



def remove(site_dir: Path, paths: frozenset[str], use_directory_urls: bool) -> None:
    """Delete the built files of pages and files the site no longer has."""
    for path in paths:
        built = output_file(path, use_directory_urls) if path.endswith(".md") else path
        (site_dir / built).unlink(missing_ok=True)


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``path`` so that the server never sends it half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(content)
    partial.replace(path)


def fingerprint(paths: list[Path]) -> tuple[object, ...]:
    """Size and modification time of every file in ``paths`` (files or folders)."""
    found: list[object] = []
    for path in paths:
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            try:
                stat = file.stat()
            except OSError:
                continue
            found.append((str(file), stat.st_size, stat.st_mtime_ns))
    return tuple(found)

