"""Pages MkDocs need not convert: their HTML comes straight from the site's blocks.

Each generated page is raw HTML blocks between headings whose anchors the page already
knows, so converting its Markdown would only have Python-Markdown parse every block again
(with the pure-Python ``HTMLParser``): about half of a build's time. On the MkDocs versions
whose ``Page.render`` this module is written against, and with the site's own Markdown
settings, a :class:`GeneratedPage` fills in what ``render`` would (including the private
``_title_from_render``); anywhere else, MkDocs converts the Markdown as usual. Both give the
same page (tested).

Memory: MkDocs keeps every page's Markdown and HTML until the build ends. A generated page
keeps the site's page, whose blocks the render stage holds compressed
(:class:`~.site.PackedBlocks`), and derives its Markdown body from it (no Markdown file
content beside it: :class:`PageFile` writes that only if something reads it), and its HTML
once. A *packed* page (a one-off build whose only plugins leave the pages as they are:
``search.SLIM_PLUGINS``) keeps that HTML compressed too (:class:`~.site.Packed`): its
Markdown is a string only while MkDocs reads it, and its ``content`` is the HTML only while
its template renders (:meth:`GeneratedPage.unpack_content`, from ``on_page_context`` to
``on_post_page``), so MkDocs never holds every page's text as strings at once.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import mkdocs
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import get_toc
from mkdocs.utils import meta as front_matter

from .site import Packed, Page, Section, front_matter_text

PREBUILT_MKDOCS = ("1.6.1",)
"""MkDocs versions whose ``Page.render`` :class:`GeneratedPage` stands in for."""
PREBUILT_MARKDOWN = ({"toc", "tables", "fenced_code", "attr_list"}, {"toc": {"permalink": True}})
"""The Markdown settings whose heading HTML :func:`heading_html` writes (this site's)."""


def prebuilt_supported(config: MkDocsConfig) -> bool:
    """Whether this MkDocs and this site's Markdown settings are the ones pages are
    prebuilt for (else MkDocs converts every page)."""
    extensions, configs = PREBUILT_MARKDOWN
    return (mkdocs.__version__ in PREBUILT_MKDOCS
            and set(config.markdown_extensions) == extensions
            and {k: v for k, v in config.mdx_configs.items() if v} == configs)


def heading_html(section: Section) -> str:
    """A heading as Python-Markdown's ``toc`` extension writes it with ``permalink: true``."""
    anchor, text = html.escape(section.anchor), html.escape(section.title)
    return (f'<h{section.level} id="{anchor}">{text}<a class="headerlink" href="#{anchor}" '
            f'title="Permanent link">&para;</a></h{section.level}>')


def page_html(page: Page) -> str:
    """The page's HTML as MkDocs would convert its Markdown (blank lines aside)."""
    first, *rest = page.blocks
    out = [first.strip("\n")]
    for section, block in zip(page.sections, rest, strict=True):
        out += [heading_html(section), block.strip("\n")]
    return "\n".join(part for part in out if part.strip())


def toc_tokens(sections: tuple[Section, ...]) -> list[dict[str, Any]]:
    """The page's table of contents as Python-Markdown's nested ``toc_tokens``."""
    root: list[dict[str, Any]] = []
    stack: list[dict[str, Any]] = []
    for section in sections:
        token = {"level": section.level, "id": section.anchor,
                 "name": html.escape(section.title), "children": []}
        while stack and stack[-1]["level"] >= section.level:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root


class PageFile(File):
    """A generated page's file whose Markdown (front matter and body) is written only when
    read: MkDocs never reads it for a :class:`GeneratedPage`. Create it with
    ``PageFile.generated(config, path, content="")``; the page supplies the Markdown."""

    markdown_of: Callable[[], str] | None = None

    @property
    def content_string(self) -> str:
        if self.markdown_of is not None:
            return self.markdown_of()
        return File.content_string.fget(self)

    @content_string.setter
    def content_string(self, value: str) -> None:
        self.markdown_of = None
        File.content_string.fset(self, value)

    @property
    def content_bytes(self) -> bytes:
        if self.markdown_of is not None:
            return self.markdown_of().encode()
        return File.content_bytes.fget(self)

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        self.markdown_of = None
        File.content_bytes.fset(self, value)


def unpacked(kept: str | Packed) -> str:
    return kept.text() if isinstance(kept, Packed) else kept


PACKED_CONTENT = "<!-- factsite: this page's HTML, kept packed until its template renders -->"
"""A packed page's ``content`` outside its own template rendering."""

_BODY = Packed("")
"""A packed page's ``markdown`` when it is the page's own body (read back on demand)."""


class GeneratedPage(MkDocsPage):
    """A page whose HTML is given: no front matter to parse, no Markdown to convert (unless
    another plugin changes the Markdown, which is then converted as usual). It keeps the
    site's page, whose text the render stage holds packed, and derives its body from it."""

    def __init__(self, title: str | None, file: File, config: MkDocsConfig, page: Page,
                 content: str, packed: bool = False) -> None:
        self._markdown: str | Packed | None = None
        super().__init__(title, file, config)
        self.packed = packed
        self.page = page
        self.kept_html: str | Packed = Packed(content) if packed else content
        self.given: str | None = None
        """The body as handed to MkDocs by :meth:`read_source` (until :meth:`render`)."""
        self.converted = False
        """True when MkDocs converted the Markdown after all (its HTML needs sanitising)."""
        if isinstance(file, PageFile):
            file.markdown_of = self.source

    @property  # type: ignore[override]
    def markdown(self) -> str | None:  # MkDocs' attribute, read back when packed
        return self.body if self._markdown is _BODY else self._markdown  # type: ignore[return-value]

    @markdown.setter
    def markdown(self, value: str | None) -> None:
        self._markdown = value

    @property
    def body(self) -> str:
        """The page's Markdown body (without front matter)."""
        return self.page.body

    @property
    def prebuilt(self) -> str:
        """The page's HTML, sanitised."""
        return unpacked(self.kept_html)

    def source(self) -> str:
        """The page as one Markdown file (what :attr:`Page.markdown` would be)."""
        return front_matter_text(self.page.meta) + self.body

    def read_source(self, config: MkDocsConfig) -> None:
        source = config.plugins.on_page_read_source(page=self, config=config)
        if source is None:
            self.given = self.body
            self.markdown, self.meta = self.given, dict(self.page.meta)
        else:
            self.markdown, self.meta = front_matter.get_data(source)

    def render(self, config: MkDocsConfig, files: Files) -> None:
        given, self.given = self.given, None
        if self._markdown is not given and self.markdown != self.body:  # changed
            super().render(config, files)
            self.converted = True
            return
        self.toc = get_toc(toc_tokens(self.page.sections))
        self._title_from_render = next(
            (section.title for section in self.page.sections if section.level == 1), None)
        self.present_anchor_ids = {section.anchor for section in self.page.sections}
        self.links_to_anchors = {}
        if not self.packed:
            self.content = self.prebuilt
            return
        # MkDocs' title reads the Markdown (is it None?) on every call: fixed here, as a
        # plugin may set it; no plugin that could change the page's metadata is running.
        self.title = self.title
        self.markdown, self.content = _BODY, PACKED_CONTENT

    def unpack_content(self) -> None:
        """A packed page's HTML as its ``content``, while its template renders."""
        if self.packed and self.content is PACKED_CONTENT:
            self.content = self.prebuilt

    def pack_content(self) -> None:
        """A packed page's ``content`` back to :data:`PACKED_CONTENT`, once written."""
        if self.packed and not self.converted:
            self.content = PACKED_CONTENT
