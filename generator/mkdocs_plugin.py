"""MkDocs adapter: hands the core's :class:`~generator.site.Site` to MkDocs.

- ``on_config``: under ``mkdocs serve``, rebuild when ``content/``, ``seeds/`` or the theme
  change; under ``mkdocs build``, build into a staging folder beside ``site_dir``.
- ``on_pre_build``: :func:`~generator.build.build_site`, before MkDocs cleans anything. Content
  errors fail the build (under ``serve``: an error page instead, and the server stays up).
- ``on_files``: nothing MkDocs found in ``docs_dir`` (content is untrusted: no file is copied
  verbatim); every page and asset of the site as ``File.generated``, pages with their edit
  link.
- ``on_page_content``: the sitemap's ``lastmod`` from the records; the HTML re-sanitised with an
  allow-list (defence in depth).
- ``on_post_build``/``on_build_error``/``on_shutdown``: the staging folder is swapped in for
  ``site_dir`` once the whole build succeeded, else dropped (the previous site stays).
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

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
from .mkdocs_pages import GeneratedPage, page_html, prebuilt_supported
from .sanitise import sanitise_page
from .search import SearchIndexError, index_site
from .site import Page, Section, Site, SiteOptions
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
        self.valid = False
        """The content has no errors (else ``mkdocs serve`` shows the error page)."""

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool
                   ) -> None:
        self.command, self.dirty = command, dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        for folder in watched_folders(self.project_root(config), config):
            if str(folder) not in config.watch:
                config.watch.append(str(folder))
        if self.command in ("build", "gh-deploy") and not self.dirty:
            self.staged, self.built = StagedFolder.beside(config.site_dir), False
            config.site_dir = str(self.staged.staging)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        root = self.project_root(config)
        self.site = build_site(root, site_options(config, root))
        report(self.site.diagnostics)
        self.valid = not self.site.errors
        if self.site.errors:
            if self.command != "serve":
                raise PluginError(f"content has errors: {summary(list(self.site.diagnostics))}")
            self.site = Site(pages=(error_page(self.site.diagnostics),))
        else:
            try:
                self.site = with_web_editor(self.site, self.project_root(config))
            except CmsError as exc:
                raise PluginError(str(exc)) from None
        self.updated = {page.path: page.updated for page in self.site.pages if page.updated}
        self.newest = max(self.updated.values(), default=None)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        docs_dir = os.path.abspath(config.docs_dir)
        kept = Files([file for file in files if not _inside(file.abs_src_path, docs_dir)])
        nav = nav_titles(config.nav)
        pages = [(page_file(config, page, nav), page) for page in self.site.pages]
        for file, _ in pages:
            kept.append(file)
        for asset in self.site.assets:
            kept.append(File.generated(config, asset.path, content=asset.content))
        if self.config.prebuilt_html and prebuilt_supported(config):
            for file, page in pages:  # in one loop: nh3 is faster called back to back
                GeneratedPage((nav or {}).get(page.path), file, config, page,
                              self.clean(page_html(page)))
        return kept

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
        return html_text if prebuilt else self.clean(html_text)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.valid:  # the search index, after every build (mkdocs serve included)
            try:
                index_site(Path(config.site_dir))
            except SearchIndexError as exc:
                raise PluginError(str(exc)) from exc
        self.built = True

    def on_build_error(self, *, error: Exception) -> None:
        self.built = False  # e.g. warnings under --strict, counted after on_post_build

    def on_shutdown(self) -> None:
        if self.staged is None:
            return
        if self.built:
            self.staged.commit()
        else:
            self.staged.discard()
        self.staged = None

    def project_root(self, config: MkDocsConfig) -> Path:
        if self.config.root:
            return Path(self.config.root)
        return Path(config.config_file_path or ".").resolve().parent


def site_options(config: MkDocsConfig, root: Path) -> SiteOptions:
    return SiteOptions(use_directory_urls=config.use_directory_urls,
                       site_url=config.site_url or "", card_cache=root / CARD_CACHE)


def watched_folders(root: Path, config: MkDocsConfig) -> Iterator[Path]:
    """What ``mkdocs serve`` watches besides ``docs_dir``: content, seeds and the theme."""
    folders = [root / "content", root / "seeds"]
    if config.theme.custom_dir:
        folders.append(Path(config.theme.custom_dir))
    return (folder.resolve() for folder in folders if folder.is_dir())


def page_file(config: MkDocsConfig, page: Page, nav: dict[str, str | None] | None) -> File:
    """A page as a generated Markdown file whose edit link opens its content file."""
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


def error_page(diagnostics: tuple[Diagnostic, ...]) -> Page:
    """The page ``mkdocs serve`` shows while the content has errors."""
    lines = "\n".join(html.escape(d.format()) for d in sorted(diagnostics))
    body = ("\n<p>Fix these and save: the site rebuilds by itself.</p>\n\n"
            f"<pre class=\"fs-errors\"><code>{lines}\n"
            f"{html.escape(summary(list(diagnostics)))}</code></pre>\n")
    return Page("index.md", "Content errors", ("", body),
                {"title": "Content errors", "search": {"exclude": True}},
                (Section(1, "Content errors", "content-errors"),), kind="errors")


def _inside(path: str | None, folder: str) -> bool:
    if not path:
        return False
    return os.path.commonpath([os.path.abspath(path), folder]) == folder
