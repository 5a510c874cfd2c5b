"""MkDocs pages whose HTML the pipeline already wrote.

The render stage writes each page as Markdown headings between raw HTML blocks. Handing
that to MkDocs would have Python-Markdown rebuild the HTML it was given (a Markdown
instance per page, every raw block parsed by the pure-Python ``HTMLParser``) and MkDocs
parse the YAML front matter the pipeline just wrote. A :class:`GeneratedPage` skips both:
its metadata is the pipeline's dict and its HTML is the blocks joined with the headings as
the site's Markdown configuration writes them (:class:`HeadingFormat`), table of contents
included. Should another plugin change the page's Markdown, the page is converted by
MkDocs as usual.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import markdown
from markdown.extensions.toc import nest_toc_tokens, unique
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import meta as front_matter

from .markdown import escape_inline, unescape_inline

PROBE = "Factsiteprobe"
"""Heading text whose slug differs from it (``factsiteprobe`` with the default slugify)."""

SELF_CHECK = ((1, "A \"quoted\" title & <b>co</b> ~ | *x* [y](z) &amp; 1.5\\"), (2, "Context"),
              (3, "Context"), (2, "Context"), (2, "Café: l'été — 2024"), (2, "Context_1"),
              (4, "Deep"), (5, "Deeper"), (6, "Deepest"))
"""Headings (level, text) whose output must match Markdown's, or the format is not used:
quoting, character references, duplicate ids, every level."""


@dataclass(frozen=True)
class HeadingFormat:
    """How this site's Markdown configuration writes a heading and its table-of-contents
    entry, learnt once per build by converting probe headings."""

    templates: dict[int, tuple[str, ...]]
    """Per source level: the heading's HTML split around the probe (even indexes are
    literal text, odd ones ``"text"`` or ``"id"``)."""
    tokens: dict[int, dict[str, Any] | None]
    """Per source level: the probe's table-of-contents token, or None when the level is
    outside ``toc_depth``."""
    slugify: Callable[[str, str], str]
    separator: str
    _slugs: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False, repr=False)
    _headings: dict[tuple[int, str, str], tuple[str, str]] = field(
        default_factory=dict, compare=False, repr=False)

    @classmethod
    def learn(cls, extensions: list[Any], configs: dict[str, Any] | None = None
              ) -> HeadingFormat | None:
        """The format of the Markdown ``extensions`` (MkDocs' ``markdown_extensions`` and
        ``mdx_configs``), or None when it can't be reproduced (no ``toc`` extension, or an
        extension that changes heading text)."""
        md = markdown.Markdown(extensions=extensions, extension_configs=configs or {})
        if "toc" not in md.treeprocessors:
            return None
        toc = md.treeprocessors["toc"]
        slugify, separator = toc.slugify, toc.sep  # type: ignore[attr-defined]
        probe_id = slugify(PROBE, separator)
        if not probe_id or probe_id == PROBE:
            return None
        templates: dict[int, tuple[str, ...]] = {}
        tokens: dict[int, dict[str, Any] | None] = {}
        for level in range(1, 7):
            output, found = _convert(md, [f"{'#' * level} {PROBE}"])
            pieces = re.split(f"({re.escape(PROBE)}|{re.escape(probe_id)})", output)
            if "\n" in output or len(found) > 1 or len(pieces) < 3:
                return None
            templates[level] = tuple(
                ("text" if piece == PROBE else "id") if index % 2 else piece
                for index, piece in enumerate(pieces))
            # The probe's token with its text and id marked, to be filled in per heading.
            tokens[level] = ({key: _slot(value, probe_id) for key, value in found[0].items()
                              if key != "children"} if found else None)
        heading_format = cls(templates, tokens, slugify, separator)
        return heading_format if heading_format.matches(md) else None

    def matches(self, md: markdown.Markdown) -> bool:
        """Whether the format writes the self-check headings as ``md`` does (compared as
        text: Markdown keeps ``&#126;`` where the format writes ``~``)."""
        lines = [heading_line(level, text) for level, text in SELF_CHECK]
        ours, toc, _ = self.page(headings_only(lines))
        theirs, expected = _convert(md, lines)
        return (html.unescape(ours) == html.unescape(theirs) and
                _comparable(get_toc(toc)) == _comparable(get_toc(expected)))

    def page(self, parts: tuple[str, ...]) -> tuple[str, list[dict[str, Any]], set[str]]:
        """A split page (HTML block, heading line, …, HTML block) → its HTML, table-of-
        contents tokens and heading ids."""
        out: list[str] = []
        flat: list[dict[str, Any]] = []
        used: set[str] = set()
        for index, part in enumerate(parts):
            if index % 2 == 0:
                if part.strip():
                    out.append(part.strip("\n"))
                continue
            hashes, _, source = part.partition(" ")
            text, slug = self.text_and_slug(source)
            ident = unique(slug, used)
            heading, escaped = self.heading(len(hashes), text, ident)
            out.append(heading)
            token = self.tokens[len(hashes)]
            if token is not None:
                named = {_TEXT: escaped, _ID: ident}
                flat.append({key: named.get(value, value) if isinstance(value, str) else value
                             for key, value in token.items()})
        return "\n".join(out), nest_toc_tokens(flat), used

    def heading(self, level: int, text: str, ident: str) -> tuple[str, str]:
        """A heading's HTML and its escaped text (the same headings recur on every page)."""
        key = (level, text, ident)
        found = self._headings.get(key)
        if found is None:
            values = {"text": html.escape(text), "id": html.escape(ident)}
            heading = "".join(values[piece] if index % 2 else piece
                              for index, piece in enumerate(self.templates[level]))
            found = self._headings[key] = (heading, values["text"])
        return found

    def text_and_slug(self, source: str) -> tuple[str, str]:
        """A heading line's text and its slug (headings repeat from page to page)."""
        found = self._slugs.get(source)
        if found is None:
            text = unescape_inline(source)
            found = self._slugs[source] = (text, self.slugify(text, self.separator))
        return found


class GeneratedPage(Page):
    """A page built from the pipeline's HTML: no front matter to parse, no Markdown to
    convert (unless another plugin changes the Markdown, which is then converted)."""

    def __init__(self, title: str | None, file: File, config: MkDocsConfig, *,
                 markdown: str, meta: dict[str, Any], content: str,
                 toc: list[dict[str, Any]], anchors: set[str]) -> None:
        super().__init__(title, file, config)
        self.source_markdown = markdown
        self.source_meta = meta
        self.prebuilt = content
        self.toc_tokens = toc
        self.anchors = anchors
        self.converted = False
        """True when MkDocs converted the Markdown after all (its HTML needs sanitising)."""

    def read_source(self, config: MkDocsConfig) -> None:
        source = config.plugins.on_page_read_source(page=self, config=config)
        if source is None:
            self.markdown, self.meta = self.source_markdown, dict(self.source_meta)
        else:
            self.markdown, self.meta = front_matter.get_data(source)

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown != self.source_markdown:  # another plugin changed it
            super().render(config, files)
            self.converted = True
            return
        self.content = self.prebuilt
        self.toc = get_toc(self.toc_tokens)
        self._title_from_render = next((html.unescape(token["name"]) for token in
                                        self.toc_tokens if token["level"] == 1), None)
        self.present_anchor_ids = set(self.anchors)
        self.links_to_anchors = {}


def nav_titles(nav: Any) -> dict[str, str]:
    """``{path: title}`` for the pages the ``nav`` configuration names with a title (MkDocs
    takes a page's nav title from there, not from the page)."""
    return dict(_nav_entries(nav))


def _nav_entries(entry: Any) -> Iterator[tuple[str, str]]:
    if isinstance(entry, list):
        for item in entry:
            yield from _nav_entries(item)
    elif isinstance(entry, dict):
        for title, value in entry.items():
            if isinstance(value, str):
                yield value.lstrip("/"), title
            else:
                yield from _nav_entries(value)


def heading_line(level: int, text: str) -> str:
    """A Markdown heading line as the render stage writes it."""
    return f"{'#' * level} {escape_inline(text)}"


def headings_only(lines: Iterable[str]) -> tuple[str, ...]:
    """Heading lines as a split page without HTML blocks (what :meth:`HeadingFormat.page`
    takes)."""
    return ("", *[part for line in lines for part in (line, "")])


def _convert(md: markdown.Markdown, lines: Iterable[str]) -> tuple[str, list[dict[str, Any]]]:
    md.reset()
    output = md.convert("\n\n".join(lines))
    return output, list(getattr(md, "toc_tokens", []))


_TEXT, _ID = "\x00text", "\x00id"
"""Marks in a learnt token (no Markdown output holds a NUL)."""


def _slot(value: Any, probe_id: str) -> Any:
    return _ID if value == probe_id else _TEXT if value == PROBE else value


def _comparable(toc: Iterable[Any]) -> list[tuple[Any, ...]]:
    return [(link.id, html.unescape(link.title), link.level, _comparable(link.children))
            for link in toc]
