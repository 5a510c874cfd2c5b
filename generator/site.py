"""The built site as data: every page and every other file, before any engine sees it.

:func:`generator.build.build_site` returns a :class:`Site`; the adapters only hand it
over (the MkDocs plugin as generated files, ``factsite build --out`` as a docs folder).
Nothing here touches the file system.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

from .diagnostics import Diagnostic
from .markdown import escape_inline


@dataclass(frozen=True)
class SiteOptions:
    """What the engine decides about the output: the site's address and its URL style."""

    use_directory_urls: bool = True
    site_url: str = ""
    links_from_source: bool = False
    """Write links in raw HTML relative to the page's Markdown file instead of its URL, for
    engines that rewrite such links as they do Markdown links (Zensical)."""
    card_cache: Path | None = None
    """Where share-card images are kept between builds (the adapters use the project's
    ``.cache/factsite/cards/``); None: drawn every time, nothing written."""


@dataclass(frozen=True)
class Section:
    """A heading of a page, with the anchor the page gives it (``## Title {#anchor}``)."""

    level: int
    title: str
    anchor: str

    @property
    def markdown(self) -> str:
        """The heading line; ``_`` in the anchor escaped, or Markdown could read ``_x_`` in
        it as emphasis before ``attr_list`` takes the id."""
        anchor = self.anchor.replace("_", "\\_")
        return f"{'#' * self.level} {escape_inline(self.title)} {{#{anchor}}}"


class Packed:
    """Text held as compressed UTF-8 (a quarter of its size or less: most pages' text holds
    a typographic character, so as a string it would take two bytes a character)."""

    __slots__ = ("data",)

    def __init__(self, text: str) -> None:
        self.data = zlib.compress(text.encode("utf-8"), 1)

    def text(self) -> str:
        return zlib.decompress(self.data).decode("utf-8")


class PackedBlocks(Sequence[str]):
    """A page's HTML blocks, held as compressed UTF-8 and read back whole on each access: a
    rendered site's pages, held until an engine takes them, would otherwise be the largest
    part of a build's memory (most pages' text holds a typographic character, so as strings
    they take two bytes a character: :class:`Packed`)."""

    __slots__ = ("lengths", "packed")

    def __init__(self, blocks: Iterable[str]) -> None:
        texts = tuple(blocks)
        self.packed = Packed("".join(texts))
        self.lengths = tuple(map(len, texts))

    def unpacked(self) -> tuple[str, ...]:
        text = self.packed.text()
        out, start = [], 0
        for length in self.lengths:
            out.append(text[start:start + length])
            start += length
        return tuple(out)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[str, ...]: ...
    def __getitem__(self, index: int | slice) -> str | tuple[str, ...]:
        return self.unpacked()[index]

    def __len__(self) -> int:
        return len(self.lengths)

    def __iter__(self) -> Iterator[str]:
        return iter(self.unpacked())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedBlocks):
            return self.packed.data == other.packed.data and self.lengths == other.lengths
        if isinstance(other, tuple):
            return self.unpacked() == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PackedBlocks({self.unpacked()!r})"


@dataclass(frozen=True)
class Page:
    """One page: where it goes, what its head says, and its body: raw HTML blocks between
    headings that carry their own anchors."""

    path: str
    """The page's Markdown path in the docs tree (``claims/x.md``, ``index.md``)."""
    title: str
    blocks: Sequence[str]
    """The HTML before the first heading, then the HTML after each of ``sections`` (as the
    render stage makes them: :class:`PackedBlocks`)."""
    meta: dict[str, Any] = field(default_factory=dict)
    """The front matter as data (``title``, ``description``, ``search``, ``jsonld``)."""
    sections: tuple[Section, ...] = ()
    source: str | None = None
    """The content file it shows, relative to ``content/`` (``claims/x.yaml``): the edit
    link's target. None for generated pages."""
    updated: str | None = None
    """ISO date of the page's newest content (the sitemap's ``lastmod``), if known."""
    kind: str = "index"
    record_id: str | None = None

    @property
    def jsonld(self) -> str | None:
        """The page's schema.org JSON-LD (already safe inside ``<script>``), if any."""
        value = self.meta.get("jsonld")
        return value if isinstance(value, str) else None

    @property
    def body(self) -> str:
        """The body as Markdown: each heading as ``## Title {#anchor}`` (``attr_list``)."""
        first, *rest = self.blocks
        out = [first]
        for section, block in zip(self.sections, rest, strict=True):
            out += [section.markdown, "\n", block]
        return "".join(out)

    @property
    def markdown(self) -> str:
        """The whole page as one Markdown file: YAML front matter, then the body."""
        return front_matter_text(self.meta) + self.body


@dataclass(frozen=True)
class Asset:
    """Any other file of the site (open data, feeds, redirects, stylesheets)."""

    path: str
    content: bytes = b""
    source: Path | None = None
    """A file holding the content, when it is kept on disk (a share card in the card cache):
    ``content`` is then empty, and an engine copies the file rather than hold its bytes."""

    def data(self) -> bytes:
        """The file's bytes, wherever they are kept."""
        return self.source.read_bytes() if self.source is not None else self.content


@dataclass(frozen=True)
class Site:
    """Everything the engine publishes, plus what the check found.

    ``pages`` and ``assets`` are empty when the content has errors."""

    pages: tuple[Page, ...] = ()
    assets: tuple[Asset, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def errors(self) -> list[Diagnostic]:
        return sorted(d for d in self.diagnostics if d.severity == "error")

    def paths(self) -> list[str]:
        """Every page's and asset's path in the docs tree, sorted."""
        return sorted([page.path for page in self.pages] + [a.path for a in self.assets])


_YAML_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar that PyYAML reads back exactly (JSON's escapes, plus
    YAML's own line breaks and non-printables escaped; astral characters left as they are,
    since PyYAML cannot join JSON's surrogate-pair escapes)."""
    if value.isascii() and "\x7f" not in value:  # JSON-LD: JSON escapes all it needs
        return json.dumps(value)
    text = json.dumps(value, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def front_matter_text(meta: dict[str, Any]) -> str:
    """``meta`` as YAML front matter that reads back as exactly ``meta``."""
    lines = ["---"]
    for key, value in meta.items():
        # JSON for the rest: YAML reads a JSON value as the same value.
        encoded = yaml_string(value) if isinstance(value, str) else json.dumps(value)
        lines.append(f"{key}: {encoded}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"
