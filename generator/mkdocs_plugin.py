"""MkDocs adapter: run the core pipeline and hand its pages to MkDocs.

A thin layer over :mod:`generator.pipeline` and :mod:`generator.render`:

- ``on_pre_build`` loads, validates and links ``content/``; on errors it logs every
  diagnostic (``path:line:col: location: message``) and fails the build before MkDocs
  cleans ``site_dir``. Under ``mkdocs serve`` it shows the errors on an error page instead,
  so the server stays up and rebuilds when the content is fixed.
- ``on_files`` drops every file MkDocs found in ``docs_dir`` (content is untrusted: nothing
  is copied verbatim) and adds the generated pages, each with its edit link.
- ``on_page_content`` sets the sitemap's ``lastmod`` from the records, and re-sanitises the
  HTML of any generated page MkDocs converted from Markdown.

Record, index and overview pages reach MkDocs as :class:`~.mkdocs_pages.GeneratedPage`:
their HTML is the pipeline's, put together with the headings as this site's Markdown
configuration writes them, and re-sanitised with an allow-list (defence in depth) in one
pass in ``on_files``. MkDocs neither re-parses the front matter nor converts the Markdown,
which would only rebuild the same HTML (with the pure-Python ``HTMLParser`` over every raw
block).
"""

from __future__ import annotations

import html
import logging
import os
from pathlib import Path
from typing import Literal

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from .diagnostics import Diagnostic, summary
from .export import data_page, write_exports
from .graph import Graph
from .jsonld import jsonld_hook
from .markdown import heading_id
from .mkdocs_pages import GeneratedPage, HeadingFormat, nav_titles
from .pipeline import BuildResult, build_graph, collection_paused
from .render import RATINGS_CSS, RenderedPage, RenderOptions, rating_css, render_pages
from .sanitise import sanitise_page

log = logging.getLogger("mkdocs.plugins.factsite")

NAV_PAGES = frozenset({"index.md", "matrix.md", "timeline.md", "corrections.md", "about.md",
                       "methodology.md", "corrections-policy.md"})


class FactsiteConfig(Config):
    root = c.Optional(c.Dir(exists=True))
    """Project folder holding ``content/`` and ``seeds/`` (default: next to mkdocs.yml)."""
    sanitise = c.Type(bool, default=True)
    """Re-sanitise every generated page's HTML with an allow-list."""


class FactsitePlugin(BasePlugin[FactsiteConfig]):
    """Adds one page per record, the index pages and the overviews to the build."""

    def __init__(self) -> None:
        self.command: str = "build"
        self.result: BuildResult | None = None
        self.pages: list[RenderedPage] = []
        self.updated: dict[str, str] = {}
        self.newest: str | None = None

    @property
    def graph(self) -> Graph | None:
        return self.result.graph if self.result else None

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool
                   ) -> None:
        self.command = command

    def project_root(self, config: MkDocsConfig) -> Path:
        if self.config.root:
            return Path(self.config.root)
        return Path(config.config_file_path or ".").resolve().parent

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Rebuild under ``mkdocs serve`` when content, seeds or the theme change."""
        root = self.project_root(config)
        folders = [root / "content", root / "seeds"]
        if config.theme.custom_dir:
            folders.append(Path(config.theme.custom_dir))
        for folder in folders:
            if folder.is_dir() and str(folder.resolve()) not in config.watch:
                config.watch.append(str(folder.resolve()))
        # heading ids never start with '_': a title cannot take Material's #__config
        config.mdx_configs.setdefault("toc", {})["slugify"] = heading_id
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        with collection_paused():
            self.build(config)

    def build(self, config: MkDocsConfig) -> None:
        """Load, validate, link and render: ``self.pages``, or an error page under serve."""
        self.result = build_graph(self.project_root(config))
        report(self.result.diagnostics)
        if self.result.errors:
            if self.command != "serve":
                raise PluginError(f"content has errors: {summary(self.result.diagnostics)}")
            self.pages = [error_page(self.result.diagnostics)]
            return
        options = RenderOptions(use_directory_urls=config.use_directory_urls)
        site_url = config.site_url or ""
        jsonld = jsonld_hook(self.result.graph, site_url, config.use_directory_urls)
        self.pages = render_pages(self.result.graph, options, jsonld=jsonld)
        self.pages.append(data_page(self.result.graph, site_url, jsonld))

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        with collection_paused():  # builds up thousands of pages, all kept
            return self.add_pages(files, config)

    def add_pages(self, files: Files, config: MkDocsConfig) -> Files:
        """``files`` without what MkDocs found in ``docs_dir``, plus the generated pages."""
        docs_dir = os.path.abspath(config.docs_dir)
        result = Files([f for f in files if not _inside(f.abs_src_path, docs_dir)])
        headings = HeadingFormat.learn(config.markdown_extensions, config.mdx_configs)
        prebuilt = []
        self.updated = {}
        for page in self.pages:
            file = generated_file(config, page)
            result.append(file)
            if page.updated:
                self.updated[page.path] = page.updated
            if page.parts and headings is not None:
                prebuilt.append((file, page, *headings.page(page.parts)))
        self.newest = max(self.updated.values(), default=None)
        titles = nav_titles(config.nav)
        # Every page in one go: nh3 is ~2.5x faster in a tight loop than called once per
        # page between MkDocs' own work.
        for file, page, content, toc, anchors in prebuilt:
            GeneratedPage(titles.get(page.path), file, config,
                          markdown=page.markdown[len(page.front):].lstrip("\n"),
                          meta=page.meta, toc=toc, anchors=anchors,
                          content=sanitise_page(content) if self.config.sanitise else content)
        if self.graph is not None and not (self.result and self.result.errors):
            result.append(File.generated(config, RATINGS_CSS, content=rating_css(self.graph)))
        return result

    def on_page_content(self, html_text: str, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str | None:
        if page.file.generated_by != "factsite":
            return html_text
        updated = self.updated.get(page.file.src_uri, self.newest)
        if updated:
            page.update_date = updated  # the sitemap's <lastmod>
        prebuilt = isinstance(page, GeneratedPage) and not page.converted
        if self.config.sanitise and not prebuilt:
            html_text = sanitise_page(html_text)
        return html_text

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Hook for site-wide outputs written after the pages (exports, feeds)."""
        if self.graph is not None and self.result is not None and not self.result.errors:
            with collection_paused():
                write_exports(self.graph, Path(config.site_dir), config.site_url or "",
                              use_directory_urls=config.use_directory_urls)


def report(diagnostics: list[Diagnostic]) -> None:
    """Log each diagnostic exactly as ``factsite check`` prints it."""
    for diagnostic in sorted(diagnostics):
        if diagnostic.severity == "error":
            log.error(diagnostic.format())
        else:
            log.warning(diagnostic.format())


def generated_file(config: MkDocsConfig, page: RenderedPage) -> File:
    file = File.generated(config, page.path, content=page.markdown)
    file.edit_uri = page.source
    if page.path not in NAV_PAGES and not page.path.endswith("/index.md"):
        file.inclusion = InclusionLevel.NOT_IN_NAV
    return file


def error_page(diagnostics: list[Diagnostic]) -> RenderedPage:
    """The page ``mkdocs serve`` shows while the content has errors."""
    lines = "\n".join(html.escape(d.format()) for d in sorted(diagnostics))
    markdown = ("---\ntitle: Content errors\nsearch:\n  exclude: true\n---\n\n"
                "# Content errors\n\n<p>Fix these and save: the site rebuilds by itself.</p>\n\n"
                f"<pre class=\"fs-errors\"><code>{lines}\n{html.escape(summary(diagnostics))}"
                "</code></pre>\n")
    return RenderedPage("index.md", markdown, None, "errors")


def _inside(path: str | None, folder: str) -> bool:
    if not path:
        return False
    return os.path.commonpath([os.path.abspath(path), folder]) == folder
