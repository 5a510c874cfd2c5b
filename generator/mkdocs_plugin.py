"""MkDocs adapter: hands the core's :class:`~generator.site.Site` to MkDocs.

- ``on_config``: under ``mkdocs serve``, rebuild when ``content/``, ``seeds/`` or the theme
  change; under ``mkdocs build``, build into a staging folder beside ``site_dir``.
- ``on_pre_build``: :func:`~generator.build.build_site`, before MkDocs cleans anything. Content
  errors fail the build. Under ``serve``, :class:`~generator.mkdocs_serve.ServeSession`
  instead: incremental builds, the last good site with an error banner on every page
  (``on_post_page``), the diagnostics after MkDocs' lines (``on_serve``), and under
  ``--dirty`` only the changed pages and files handed over as modified.
- ``on_files``: nothing MkDocs found in ``docs_dir`` (content is untrusted: no file is copied
  verbatim); every page and asset of the site as ``File.generated``, pages with their edit
  link.
- ``on_page_content``: the sitemap's ``lastmod`` from the records; the HTML re-sanitised with an
  allow-list (defence in depth).
- ``on_post_build``/``on_build_error``/``on_shutdown``: the staging folder is swapped in for
  ``site_dir`` once the whole build succeeded, else dropped (the previous site stays).
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage

from .build import build_site
from .cards import CARD_CACHE
from .cms import CmsError, with_web_editor
from .diagnostics import Diagnostic, summary
from .mkdocs_pages import GeneratedPage, PageFile, page_html, prebuilt_supported
from .mkdocs_serve import ServeSession, fingerprint, stop_on_sigterm, with_banner
from .pipeline import collection_paused
from .sanitise import sanitise_page
from .search import SLIM_PLUGINS, BackgroundIndex, SearchIndexError, index_site, searchable
from .site import Page, Site, SiteOptions
from .staging import StagedFolder

log = logging.getLogger("mkdocs.plugins.factsite")


class FactsiteConfig(Config):
    root = c.Optional(c.Dir(exists=True))
    """Project folder holding ``content/`` and ``seeds/`` (default: next to mkdocs.yml)."""
    sanitise = c.Type(bool, default=True)
    """Re-sanitise every generated page's HTML with an allow-list."""
    prebuilt_html = c.Type(bool, default=True)
    """Hand pages over as finished HTML where the MkDocs version allows it (faster; the
    same pages as converting their Markdown)."""


class FactsitePlugin(BasePlugin[FactsiteConfig]):
    """Adds one page per record, the index pages, the overviews and the open data."""

    def __init__(self) -> None:
        self.command: str | None = None
        self.dirty = False
        self.site = Site()
        self.updated: dict[str, str] = {}
        """The sitemap's ``lastmod`` by page path, and the newest one (for the rest)."""
        self.newest: str | None = None
        self.staged: StagedFolder | None = None
        self.built = False
        """True once MkDocs has written every page and no error came after."""
        self.serving: ServeSession | None = None
        """Under ``mkdocs serve``: the state kept across rebuilds."""
        self.empty_dir: str | None = None
        self.valid = False
        """The content has no errors (else ``mkdocs serve`` shows the error page)."""
        self.search: BackgroundIndex | None = None
        """``mkdocs build``: the search index, made while the pages render."""

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool
                   ) -> None:
        self.command, self.dirty = command, dirty
        if command == "serve":
            stop_on_sigterm()

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """Report each rebuild's diagnostics after MkDocs' own lines (the first build's now)."""
        if self.serving is not None:
            server.builder = self.serving.reporting(server.builder)
            self.serving.report()
        return server

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        for folder in watched_folders(self.project_root(config), config):
            if str(folder) not in config.watch:
                config.watch.append(str(folder))
        if self.command in ("build", "gh-deploy") and not self.dirty:
            self.staged, self.built = StagedFolder.beside(config.site_dir), False
            config.site_dir = str(self.staged.staging)
        if self.command == "serve":
            # content/ is watched above, and the plugin drops every file MkDocs finds in
            # docs_dir: an empty one spares MkDocs listing content/ before each rebuild
            config.docs_dir = self.empty_docs_dir()
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        root = self.project_root(config)
        if self.command == "serve":
            if self.serving is None:
                self.serving = ServeSession(root, dirty=self.dirty)
            look = [Path(config.config_file_path or "mkdocs.yml")]
            if config.theme.custom_dir:
                look.append(Path(config.theme.custom_dir))
            self.site = self.serving.build(site_options(config, root), fingerprint(look))
            self.valid = not self.serving.errors
            if self.valid:
                self.site = web_editor(self.site, root)
            if self.serving.update.changed is None and self.serving.errors:
                config.nav = None  # no good site yet: the error page is the only page
            self.set_updated()
            return
        self.site = build_site(root, site_options(config, root))
        report(self.site.diagnostics)
        self.valid = not self.site.errors
        if self.site.errors:
            raise PluginError(f"content has errors: {summary(list(self.site.diagnostics))}")
        self.site = web_editor(self.site, self.project_root(config))
        self.set_updated()

    def set_updated(self) -> None:
        self.updated = {page.path: page.updated for page in self.site.pages if page.updated}
        self.newest = max(self.updated.values(), default=None)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        with collection_paused():  # every object made here stays alive (a tenth of the time)
            return self.hand_over(files, config)

    def hand_over(self, files: Files, config: MkDocsConfig) -> Files:
        """Every page and file of the site as MkDocs files (and pages); nothing of
        ``docs_dir``."""
        docs_dir = os.path.abspath(config.docs_dir)
        kept = Files([file for file in files if not _inside(file.abs_src_path, docs_dir)])
        nav = nav_titles(config.nav)
        unchanged = self.serving.unchanged if self.serving is not None else lambda _: False
        kept_files = self.serving.files if self.serving is not None else {}
        prebuilt = self.config.prebuilt_html and prebuilt_supported(config)
        pages = []
        for page in self.site.pages:
            if not unchanged(page.path):
                kept_files.pop(page.path, None)
                pages.append((page_file(config, page, nav, prebuilt=prebuilt), page))
                continue
            if page.path not in kept_files:  # kept, with its Page, for later rebuilds
                kept_files[page.path] = page_file(config, page, nav, unchanged=True)
            pages.append((kept_files[page.path], page))
        for file, _ in pages:
            kept.append(file)
        for asset in self.site.assets:
            kind = UnchangedFile if unchanged(asset.path) else File
            if asset.source is not None:  # copied from there as it is written
                kept.append(kind.generated(config, asset.path, abs_src_path=str(asset.source)))
            else:
                kept.append(kind.generated(config, asset.path, content=asset.content))
        pages = [(file, page) for file, page in pages if not isinstance(file, UnchangedFile)]
        if prebuilt:
            self.search = self.background_index(
                config, sum(searchable(page.meta) for _, page in pages))
            if self.serving is None:  # a one-off build: from here on MkDocs holds the pages
                self.site = replace(self.site, pages=())
            packed = self.serving is None and slim(config)
            pages.reverse()
            while pages:  # in one loop: nh3 is faster called back to back
                file, page = pages.pop()  # and the site's copy of the page goes
                content = self.clean(page_html(page))
                # MkDocs' Page sets itself as file.page: MkDocs builds it from there
                GeneratedPage((nav or {}).get(page.path), file, config, page, content,
                              packed)
                if self.search is not None and searchable(page.meta):
                    self.search.add(file.dest_uri, content)
            if self.search is not None:
                self.search.start()
        return kept

    def background_index(self, config: MkDocsConfig, pages: int) -> BackgroundIndex | None:
        """Under ``mkdocs build``, with no plugin that could change a page's article:
        Pagefind over the ``pages`` searchable articles while MkDocs renders
        (:class:`BackgroundIndex`)."""
        self.discard_search()
        if self.serving is not None or not self.valid or not slim(config):
            return None
        language = str(config.theme.get("language") or "en")
        return BackgroundIndex(language, Path(config.site_dir).absolute().parent, pages=pages)

    def discard_search(self) -> None:
        if self.search is not None:
            self.search.discard()
            self.search = None

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        if self.serving is not None:
            env.bytecode_cache = self.serving.templates  # compiled once per server
        return env

    def clean(self, html_text: str) -> str:
        return sanitise_page(html_text) if self.config.sanitise else html_text

    def on_page_content(self, html_text: str, *, page: MkDocsPage, config: MkDocsConfig,
                        files: Files) -> str | None:
        if page.file.generated_by != "factsite":
            return html_text
        updated = self.updated.get(page.file.src_uri, self.newest)
        if updated:
            page.update_date = updated  # the sitemap's <lastmod>
        prebuilt = isinstance(page, GeneratedPage) and not page.converted
        if not prebuilt and self.search is not None:
            self.search.usable = False  # its article is not the one given to the index
        return html_text if prebuilt else self.clean(html_text)

    def on_page_context(self, context: Any, *, page: MkDocsPage, config: MkDocsConfig,
                        nav: Any) -> Any:
        if isinstance(page, GeneratedPage):
            page.unpack_content()
        return context

    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        if isinstance(page, GeneratedPage):
            page.pack_content()
        if self.serving is None:
            return output
        return with_banner(output, self.serving.banner)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.serving is not None:  # the search index too, in the background
            self.serving.after_build(Path(config.site_dir), config.use_directory_urls)
        elif self.valid:  # the search index, made while the pages rendered, or now
            search, self.search = self.search, None
            try:
                if search is not None and search.usable:
                    pages = search.finish(Path(config.site_dir)).pages
                    log.info("Search index: %d pages, indexed while the pages rendered", pages)
                else:
                    index_site(Path(config.site_dir))
            except SearchIndexError as exc:
                raise PluginError(str(exc)) from exc
            finally:
                if search is not None:
                    search.discard()
        self.built = True

    def on_build_error(self, *, error: Exception) -> None:
        self.discard_search()
        self.built = False  # e.g. warnings under --strict, counted after on_post_build

    def on_shutdown(self) -> None:
        self.discard_search()
        if self.serving is not None:
            self.serving.wait_for_exports()
        if self.empty_dir is not None:
            os.rmdir(self.empty_dir)
        if self.staged is None:
            return
        if self.built:
            self.staged.commit()
        else:
            self.staged.discard()
        self.staged = None

    def empty_docs_dir(self) -> str:
        if self.empty_dir is None:
            self.empty_dir = tempfile.mkdtemp(prefix="factsite-serve-")
        return self.empty_dir

    def project_root(self, config: MkDocsConfig) -> Path:
        if self.config.root:
            return Path(self.config.root)
        return Path(config.config_file_path or ".").resolve().parent


def slim(config: MkDocsConfig) -> bool:
    """No plugin but factsite's own: none that could change or read a page's article."""
    return set(config.plugins) <= SLIM_PLUGINS


def web_editor(site: Site, root: Path) -> Site:
    """``site`` with the web editor at /admin/ (:func:`generator.cms.with_web_editor`)."""
    try:
        return with_web_editor(site, root)
    except CmsError as exc:
        raise PluginError(str(exc)) from None


def site_options(config: MkDocsConfig, root: Path) -> SiteOptions:
    return SiteOptions(use_directory_urls=config.use_directory_urls,
                       site_url=config.site_url or "", card_cache=root / CARD_CACHE)


def watched_folders(root: Path, config: MkDocsConfig) -> Iterator[Path]:
    """What ``mkdocs serve`` watches besides ``docs_dir``: content, seeds and the theme."""
    folders = [root / "content", root / "seeds"]
    if config.theme.custom_dir:
        folders.append(Path(config.theme.custom_dir))
    return (folder.resolve() for folder in folders if folder.is_dir())


class UnchangedFile(File):
    """A page or file whose output the previous build wrote as it is now (``mkdocs serve
    --dirty``): MkDocs neither reads nor writes it."""

    def is_modified(self) -> bool:
        return False


def page_file(config: MkDocsConfig, page: Page, nav: dict[str, str | None] | None,
              unchanged: bool = False, prebuilt: bool = False) -> File:
    """A page as a generated Markdown file whose edit link opens its content file (its
    Markdown written only if read, when the page is prebuilt: see :class:`PageFile`)."""
    if unchanged:
        file: File = UnchangedFile.generated(config, page.path, content="")
    elif prebuilt:
        file = PageFile.generated(config, page.path, content="")
    else:
        file = File.generated(config, page.path, content=page.markdown)
    file.edit_uri = page.source
    listed = page.path in nav if nav is not None else page.record_id is None
    if not listed:
        file.inclusion = InclusionLevel.NOT_IN_NAV
    return file


def nav_titles(nav: Any) -> dict[str, str | None] | None:
    """``{path: title or None}`` for every page the ``nav`` configuration lists (None when
    there is no ``nav``: MkDocs then lists the pages itself)."""
    if nav is None:
        return None
    found: dict[str, str | None] = {}
    stack: list[tuple[str | None, Any]] = [(None, nav)]
    while stack:
        title, entry = stack.pop()
        if isinstance(entry, str):
            found[entry.lstrip("/")] = title
        elif isinstance(entry, list):
            stack += [(None, item) for item in entry]
        elif isinstance(entry, dict):
            stack += list(entry.items())
    return found


def report(diagnostics: tuple[Diagnostic, ...]) -> None:
    """Log each diagnostic exactly as ``factsite check`` prints it."""
    for diagnostic in sorted(diagnostics):
        if diagnostic.severity == "error":
            log.error(diagnostic.format())
        else:
            log.warning(diagnostic.format())


def _inside(path: str | None, folder: str) -> bool:
    if not path:
        return False
    return os.path.commonpath([os.path.abspath(path), folder]) == folder
