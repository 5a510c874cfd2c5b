"""Share cards: Open Graph and Twitter metadata for every page, and for every fact-check a
1200×630 PNG image of the claim (framed as a claim), the claimant and the verdict.

:func:`share_cards` is the one entry point: :func:`generator.build.build_site` hands it the
rendered pages and gets back the pages with their ``share`` metadata (which
``theme/main.html`` writes as ``og:`` and ``twitter:`` tags) and the card images as assets.

Cards are drawn with Pillow in DejaVu Sans (Debian's ``fonts-dejavu-core``, which the
Makefile installs; nothing is downloaded at build time), from glyphs Pillow rasterises once
per font and size (:class:`Face`) on a template drawn once per site and rating. Each card is
kept in a cache outside the site, named by a hash of everything drawn on it and
:data:`RENDERER_VERSION`, so a rebuild reads unchanged cards instead of drawing them again.
When many cards are missing (a fresh clone), :func:`drawn_ahead` draws them into the cache in
a separate process while the pages render; what is still missing then is drawn in two
threads.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from functools import cache, cached_property, lru_cache
from itertools import repeat
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from .diagnostics import Diagnostic
from .graph import Graph
from .models import Claim, Site
from .render.formatting import display_date
from .render.urls import absolute, page_url
from .site import Asset, Page, SiteOptions

RENDERER_VERSION = "4"
"""Part of every card's cache key: raise it whenever the drawing changes."""

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
CARDS_FOLDER = "assets/cards"
CARD_CACHE = Path(".cache") / "factsite" / "cards"
"""Where the adapters keep the cards, relative to the project root (git-ignored, never
inside ``site/``)."""

FONT_FOLDERS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
                Path("/usr/share/fonts/TTF"))
REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"

BAND_TOP = HEIGHT - 150
INK, MUTED, RULE, WHITE = 26, 77, 208, 255
"""Greys of the page (#1a1a1a, #4d4d4d, #d0d0d0): 17:1, 8.5:1 and the rule's 1.5:1 on white."""
NEUTRAL = "#37474f"
"""The verdict band when a rating has no colour (white text on it: 10:1)."""

CLAIM_SIZES = (54, 48, 42, 36)
"""Font sizes tried for the claim, largest first, until it fits; at the smallest it is cut."""
CLAIM_TOP, CLAIM_BOTTOM = 150, 410


class CardFontMissing(Exception):
    """DejaVu Sans is not installed."""


@dataclass(frozen=True)
class Card:
    """Everything drawn on one card (plain text, never markup), and nothing else."""

    site_name: str
    claim: str
    claimant: str
    claimed: str
    rating: str
    position: int | None
    """The rating's place on the false–true scale (1 = worst), None when it is off the scale."""
    scale_size: int
    color: str | None

    @cached_property
    def key(self) -> str:
        """The cache key: a hash of the card's content and the renderer's version."""
        data = json.dumps([RENDERER_VERSION, asdict(self)], ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()

    @property
    def claim_line(self) -> str:
        return f"Claim: “{nested_quotes(self.claim)}”"

    @property
    def byline(self) -> str:
        return f"Claimed by {self.claimant}, {self.claimed}" if self.claimed else \
            f"Claimed by {self.claimant}"

    @property
    def verdict(self) -> str:
        return f"Our verdict: {self.rating}"

    @property
    def alt(self) -> str:
        """The image's text alternative: what it says, in reading order."""
        return f"{self.claim_line} {self.byline}. {self.verdict}."


# -- the entry point ------------------------------------------------------------------------


def share_cards(graph: Graph, pages: Sequence[Page], options: SiteOptions
                ) -> tuple[list[Page], list[Asset], list[Diagnostic]]:
    """Every page with its ``share`` metadata, a card image for each fact-check (from
    ``options.card_cache`` when it has it), and an error (no pages, no cards) when the font
    to draw them with is missing."""
    site = graph.site
    assert site is not None
    cards = {claim.id: card_of(graph, site, claim) for page in pages
             if isinstance(claim := graph.get("claims", fact_check(page) or ""), Claim)}
    try:
        images = {claim_id: asset for claim_id, asset
                  in zip(cards, card_assets(cards, options.card_cache), strict=True)}
    except CardFontMissing as exc:
        return [], [], [Diagnostic(str(exc), 1, 1, "share cards",
                                   "no font to draw the share cards with: install Debian's "
                                   "fonts-dejavu-core (make site does)")]
    if options.card_cache:
        prune(options.card_cache, {card.key for card in cards.values()})
    shared = [with_share(page, site, options, cards.get(fact_check(page) or ""),
                         images.get(fact_check(page) or "")) for page in pages]
    return shared, list(images.values()), []


def fact_check(page: Page) -> str | None:
    """The claim a page shows, if it is a fact-check page."""
    return page.record_id if page.kind == "claims" else None


def card_path(claim_id: str, card: Card) -> str:
    """The card's file in the site: named by content, so a changed card gets a new
    address and no platform shows a stale one."""
    return f"{CARDS_FOLDER}/{claim_id}-{card.key[:12]}.png"


def card_of(graph: Graph, site: Site, claim: Claim) -> Card:
    rating = site.rating(claim.rating)
    scale = site.scale
    claimant = graph.get("actors", claim.claimant)
    return Card(
        site_name=plain(site.name),
        claim=plain(claim.claim),
        claimant=plain(graph.title(claimant) if claimant is not None else claim.claimant),
        claimed=display_date(claim.claimed),
        rating=plain(rating.label if rating else claim.rating),
        position=scale.index(rating) + 1 if rating is not None and rating in scale else None,
        scale_size=len(scale),
        color=rating.color if rating else None,
    )


def nested_quotes(text: str) -> str:
    """Double quotation marks inside the claim as single ones (‘…’), since the card puts the
    claim itself in double quotation marks; straight ones paired open, close, open…"""
    out: list[str] = []
    opened = False
    for character in text.replace("“", "‘").replace("”", "’"):
        if character == '"':
            character = "’" if opened else "‘"
            opened = not opened
        out.append(character)
    return "".join(out)


def plain(text: str) -> str:
    """One line of text: runs of white space (line breaks included) as one space."""
    return " ".join(text.split())


# -- metadata -------------------------------------------------------------------------------


def with_share(page: Page, site: Site, options: SiteOptions, card: Card | None,
               image: Asset | None) -> Page:
    """The page with ``meta["share"]``: its title, description, type, address and image for
    ``og:`` and ``twitter:`` tags, HTML-escaped like the rest of the metadata."""
    share: dict[str, Any] = {
        "title": html.escape(f"Fact-check: {card.claim_line.removeprefix('Claim: ')} — "
                             f"{card.rating}") if card else page.meta.get("title", ""),
        "description": page.meta.get("description")
        or html.escape(plain(site.description or site.name)),
        "type": "article" if page.record_id else "website",
    }
    if card and "description" in page.meta:
        share["description"] = html.escape(f"{card.verdict}. ") + page.meta["description"]
    if options.site_url:
        share["url"] = absolute(options.site_url,
                                page_url(page.path, options.use_directory_urls))
        if card and image:
            share |= {"image": absolute(options.site_url, image.path),
                      "image_alt": html.escape(card.alt),
                      "image_width": WIDTH, "image_height": HEIGHT}
    return replace(page, meta={**page.meta, "share": share})


# -- drawing ahead, while the pages render -------------------------------------------------


AHEAD_MINIMUM = 200
"""Fewest missing cards worth a process of their own (starting one costs about half a second
of CPU: it imports Pillow and the models; 200 cards are about a second of drawing)."""


@contextmanager
def drawn_ahead(graph: Graph, options: SiteOptions) -> Iterator[None]:
    """While the block runs (the pages rendering), draw the fact-check cards the cache lacks
    in a separate process, on another core; on leaving, wait for it. :func:`share_cards`
    then finds them in the cache. Only an optimisation: when there is no cache, one CPU, or
    too few missing cards, nothing starts, and if the process fails, :func:`share_cards`
    draws what is missing itself (and reports a missing font).

    The process is ``python -m generator.cards CACHE`` reading the cards as JSON lines (not
    :mod:`multiprocessing`, whose "spawn" would run again any script that calls
    :func:`~generator.build.build_site` without an ``if __name__ == "__main__"`` guard)."""
    missing = missing_cards(graph, options.card_cache)
    if options.card_cache is None or len(missing) < AHEAD_MINIMUM or available_cpus() < 2:
        yield
        return
    lines = "".join(json.dumps(asdict(card), ensure_ascii=False) + "\n" for card in missing)
    with tempfile.TemporaryFile("w+", encoding="utf-8") as cards_file:
        cards_file.write(lines)
        cards_file.seek(0)
        process = subprocess.Popen([sys.executable, "-m", "generator.cards",
                                    str(options.card_cache)], stdin=cards_file,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        process.wait()


def missing_cards(graph: Graph, cache_folder: Path | None) -> list[Card]:
    """The cards of the graph's fact-checks that are not in the cache."""
    site = graph.site
    if cache_folder is None or site is None:
        return []
    listed = cached_names(cache_folder) or frozenset()
    cards = (card_of(graph, site, claim) for claim in graph.records["claims"].values()
             if isinstance(claim, Claim))
    return [card for card in cards if f"{card.key}.png" not in listed]


def available_cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        os.cpu_count() or 1


# -- the cache ------------------------------------------------------------------------------


DRAWING_THREADS = 2
"""Cards are drawn and read in this many threads: Pillow's PNG encoder (most of a card's
time) and file reads release the GIL, so one card's encoding runs beside the next one's
drawing on a second core. Each card's bytes depend on the card alone, whatever the order."""


def cached_pngs(cards: Sequence[Card], cache_folder: Path | None) -> list[bytes]:
    """Each card's PNG (:func:`cached_png`), in the order of ``cards``; the first error
    raised drawing any card is raised here. The cache folder is listed once, so a missing
    card costs no failed open."""
    listed = cached_names(cache_folder)
    if len(cards) < 2 * DRAWING_THREADS:
        return [cached_png(card, cache_folder, listed) for card in cards]
    with ThreadPoolExecutor(DRAWING_THREADS, thread_name_prefix="share-cards") as pool:
        return list(pool.map(cached_png, cards, repeat(cache_folder), repeat(listed)))


def card_assets(cards: dict[str, Card], cache_folder: Path | None) -> list[Asset]:
    """Each claim's card: a file of the cache (drawn into it first where missing), or, with
    no cache, the PNG in memory."""
    if cache_folder is None:
        pngs = cached_pngs(list(cards.values()), None)
        return [Asset(card_path(claim_id, card), png)
                for (claim_id, card), png in zip(cards.items(), pngs, strict=True)]
    return [Asset(card_path(claim_id, card), source=path)
            for (claim_id, card), path in zip(cards.items(),
                                              cached_files(list(cards.values()), cache_folder),
                                              strict=True)]


def cached_files(cards: Sequence[Card], cache_folder: Path) -> list[Path]:
    """Each card's file in the cache, in the order of ``cards``; those missing are drawn
    into it first (:func:`cached_png`), and none is read: the engine copies the files."""
    listed = cached_names(cache_folder) or frozenset()
    files = [cache_folder / f"{card.key}.png" for card in cards]
    missing = [card for card, file in zip(cards, files, strict=True)
               if file.name not in listed]
    with ThreadPoolExecutor(DRAWING_THREADS, thread_name_prefix="share-cards") as pool:
        for _ in pool.map(cached_png, missing, repeat(cache_folder)):
            pass  # each PNG is written to the cache; its bytes are not kept
    return files


def cached_names(cache_folder: Path | None) -> frozenset[str] | None:
    """The names of the files in the cache (None without a cache)."""
    if cache_folder is None:
        return None
    try:
        return frozenset(entry.name for entry in os.scandir(cache_folder))
    except FileNotFoundError:
        return frozenset()


def cached_png(card: Card, cache_folder: Path | None,
               listed: frozenset[str] | None = None) -> bytes:
    """The card's PNG from the cache, drawn (and kept) when it is not there (``listed``:
    the cache's file names, when known)."""
    if cache_folder is None:
        return draw(card)
    path = cache_folder / f"{card.key}.png"
    if listed is None or path.name in listed:
        try:
            return path.read_bytes()
        except FileNotFoundError:
            pass
    png = draw(card)
    cache_folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=cache_folder, suffix=".partial", delete=False) as file:
        file.write(png)
    os.replace(file.name, path)  # atomic: a parallel build never reads half a card
    return png


def prune(cache_folder: Path, keep: Iterable[str]) -> None:
    """Remove the cached cards this build did not use (old versions of changed claims)."""
    wanted = {f"{key}.png" for key in keep}
    if cache_folder.is_dir():
        for path in cache_folder.glob("*.png"):
            if path.name not in wanted:
                path.unlink(missing_ok=True)


# -- drawing --------------------------------------------------------------------------------


@cache
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    for folder in FONT_FOLDERS:
        if (folder / name).is_file():
            return ImageFont.truetype(str(folder / name), size)
    raise CardFontMissing(str(FONT_FOLDERS[0] / name))


COMPOSED_BLOCKS = ((0x20, 0x7E), (0xA0, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF),
                   (0x2010, 0x205E), (0x20A0, 0x20C0))
"""Latin, Greek and Cyrillic letters and common punctuation: scripts whose glyphs sit side
by side, moved only by kerning, so a line can be composed from glyphs drawn once."""
NOT_COMPOSED = frozenset(("Mn", "Mc", "Me", "Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp"))
"""Combining marks, controls, bidirectional and joiner formats, unassigned code points."""


@cache
def composable(character: str) -> bool:
    code = ord(character)
    return (any(low <= code <= high for low, high in COMPOSED_BLOCKS)
            and unicodedata.category(character) not in NOT_COMPOSED)


LIGATURES = ("ffi", "ffl", "ff", "fi", "fl", "ſt", "st")
"""The Latin ligatures Unicode knows (U+FB00–FB06), longest first: those Pillow draws as
ligatures in the font (DejaVu Sans: ffi, ffl, ff, fi, fl) are drawn as one glyph."""


class Face:
    """DejaVu Sans at one size, drawing and measuring text as Pillow (with Raqm) does, but
    from glyphs rasterised once: each glyph's mask and advance and each pair's kerning are
    measured by Pillow the first time they occur, then reused. A glyph is one character,
    or a ligature the font forms. Text with a character outside :data:`COMPOSED_BLOCKS`
    (Arabic, Hebrew, Devanagari…, which need shaping and bidirectional reordering) is
    measured and drawn by Pillow whole, as before."""

    def __init__(self, loaded: ImageFont.FreeTypeFont) -> None:
        self.font = loaded
        self.ascent = loaded.getmetrics()[0]
        self.ligatures = tuple(sequence for sequence in LIGATURES
                               if ligature(loaded, sequence))
        self.advances: dict[str, float] = {}
        self.kerning: dict[tuple[str, str], float] = {}
        self.glyphs: dict[str, tuple[int, int, Image.Image] | None] = {}
        self.words: dict[str, tuple[str, str, float] | None] = {}
        self.split = re.compile("|".join([*self.ligatures, "."]), re.S).findall

    def advance(self, glyph: str) -> float:
        if (width := self.advances.get(glyph)) is None:
            width = self.advances[glyph] = self.font.getlength(glyph)
        return width

    def kern(self, pair: tuple[str, str]) -> float:
        if (adjustment := self.kerning.get(pair)) is None:
            adjustment = self.kerning[pair] = (self.font.getlength("".join(pair))
                                               - self.advance(pair[0]) - self.advance(pair[1]))
        return adjustment

    def glyph(self, glyph: str) -> tuple[int, int, Image.Image] | None:
        """The glyph's mask and its offset from the pen on the baseline (None: blank)."""
        if glyph not in self.glyphs:
            left, top, right, bottom = self.font.getbbox(glyph, anchor="ls")
            mask = None
            if right > left and bottom > top:
                image = Image.new("L", (right - left, bottom - top))
                ImageDraw.Draw(image).text((-left, -top), glyph, font=self.font, fill=255,
                                           anchor="ls")
                mask = (left, top, image)
            self.glyphs[glyph] = mask
        return self.glyphs[glyph]

    def pens(self, text: str) -> Iterator[tuple[str, float]]:
        """Each glyph and where the pen stands when it is drawn; then "" and the end."""
        pen, previous = 0.0, ""
        for glyph in self.split(text):
            if previous:
                pen += self.kern((previous, glyph))
            yield glyph, pen
            pen += self.advance(glyph)
            previous = glyph
        yield "", pen

    def word(self, word: str) -> tuple[str, str, float] | None:
        """A word's first and last glyph and its width (None: not composable)."""
        if word not in self.words:
            glyphs = self.split(word)
            self.words[word] = None if not all(map(composable, word)) else (
                glyphs[0], glyphs[-1], list(self.pens(word))[-1][1])
        return self.words[word]

    def getlength(self, text: str) -> float:
        """The width of ``text`` in pixels, word by word (words repeat; a space never
        takes part in a ligature)."""
        width, previous = 0.0, ""
        for number, word in enumerate(text.split(" ")):
            if number:
                width += (self.kern((previous, " ")) if previous else 0) + self.advance(" ")
                previous = " "
            if not word:
                continue
            measured = self.word(word)
            if measured is None:
                return self.font.getlength(text)
            first, last, extent = measured
            width += (self.kern((previous, first)) if previous else 0) + extent
            previous = last
        return width

    def text(self, pen: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, fill: int
             ) -> None:
        """``text`` with its top-left corner at ``xy`` (Pillow's default "la" anchor)."""
        if not all(map(composable, text)):
            pen.text(xy, text, font=self.font, fill=fill)
            return
        x, y = xy[0], xy[1] + self.ascent
        for glyph, at in self.pens(text):
            if glyph and (mask := self.glyph(glyph)) is not None:
                left, top, image = mask
                pen.bitmap((x + math.floor(at + 0.5) + left, y + top), image, fill=fill)


def ligature(face: ImageFont.FreeTypeFont, sequence: str) -> bool:
    """Whether Pillow draws ``sequence`` as a ligature in this font (only with Raqm)."""
    if face.layout_engine != ImageFont.Layout.RAQM:
        return False
    return rendered(face, sequence, None) != rendered(face, sequence, ["-liga"])


def rendered(face: ImageFont.FreeTypeFont, text: str, features: list[str] | None) -> bytes:
    image = Image.new("L", (round(face.getlength(text)) + face.size, 2 * face.size))
    ImageDraw.Draw(image).text((0, 0), text, font=face, fill=255, features=features)
    return image.tobytes()


@cache
def face(name: str, size: int) -> Face:
    return Face(font(name, size))


def draw(card: Card) -> bytes:
    """The card as PNG bytes: site name, the claim in quotation marks, who claimed it and
    when, and the verdict (its label, and its place on the scale as a shape).

    Drawn directly in palette indices on a copy of the card's template (everything but the
    claim and the byline, drawn once per site and rating), then stored as a 128-colour
    indexed PNG: a third of the bytes of RGB to compress."""
    image = template(card.site_name, card.verdict, card.position, card.scale_size).copy()
    pen = ImageDraw.Draw(image)
    size, lines = fit(card.claim_line, WIDTH - 2 * MARGIN, CLAIM_BOTTOM - CLAIM_TOP)
    spacing = round(size * 1.25)
    for number, line in enumerate(lines):
        face(BOLD, size).text(pen, (MARGIN, CLAIM_TOP + number * spacing), line, page(INK))
    byline = truncate(card.byline, face(REGULAR, 30), WIDTH - 2 * MARGIN)
    face(REGULAR, 30).text(pen, (MARGIN, CLAIM_TOP + len(lines) * spacing + 18), byline,
                           page(MUTED))
    image.putpalette(palette(card.color or NEUTRAL))  # the indices become colours
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)  # zlib's fastest: ~30 KB, drawn once per card
    return out.getvalue()


def page(grey: int) -> int:
    """The palette index of a grey of the page (64 greys, white = 63)."""
    return grey >> 2


BAND_WHITE = 127
"""The palette index of white on the verdict band (64 = the band's colour)."""


@lru_cache(maxsize=256)
def template(site_name: str, verdict: str, position: int | None, scale_size: int
             ) -> Image.Image:
    """Everything on a card but the claim and the byline, in palette indices: the header
    (a site's) and the verdict band (a rating's); the band's colour is the palette's."""
    image = Image.new("L", (WIDTH, HEIGHT), page(WHITE))
    image.paste(64, (0, BAND_TOP, WIDTH, HEIGHT))
    pen = ImageDraw.Draw(image)
    pen.text((MARGIN, 52), "FACT-CHECK", font=font(BOLD, 26), fill=page(MUTED))
    pen.text((WIDTH - MARGIN, 52), site_name, font=font(REGULAR, 26), fill=page(MUTED),
             anchor="ra")
    pen.line((MARGIN, 104, WIDTH - MARGIN, 104), fill=page(RULE), width=2)
    verdict_band(pen, verdict, position, scale_size)
    return image


@cache
def palette(color: str) -> list[int]:
    """64 greys for the page, then 64 steps from the band's colour to white."""
    band = [int(color[i:i + 2], 16) for i in (1, 3, 5)]
    greys = [round(step * 255 / 63) for step in range(64) for _ in range(3)]
    blends = [round(channel + (255 - channel) * step / 63)
              for step in range(64) for channel in band]
    return greys + blends


def verdict_band(pen: ImageDraw.ImageDraw, verdict: str, position: int | None,
                 scale_size: int) -> None:
    """The bottom band (white on the rating's colour, which is a cue only): the label, and
    a shape that says where it sits: a marked scale, or a question mark for a rating off
    the scale."""
    middle = BAND_TOP + (HEIGHT - BAND_TOP) // 2
    label_font = face(BOLD, 44)
    pen.text((MARGIN, middle), truncate(verdict, label_font, 640), font=label_font.font,
             fill=BAND_WHITE, anchor="lm")
    if position is None:
        question_mark(pen, (WIDTH - MARGIN, middle))
    else:
        scale_meter(pen, position, scale_size, (WIDTH - MARGIN, middle))


def scale_meter(pen: ImageDraw.ImageDraw, position: int, size: int,
                right_middle: tuple[int, int]) -> None:
    """One box per step of the scale, false on the left, true on the right; this rating's
    step filled and pointed at, the others outlined."""
    box, gap = 34, 12
    right, middle = right_middle
    left = right - size * box - (size - 1) * gap
    small = font(REGULAR, 20)
    pen.text((left, middle - box // 2 - 10), "false", font=small, fill=BAND_WHITE,
             anchor="ld")
    pen.text((right, middle - box // 2 - 10), "true", font=small, fill=BAND_WHITE,
             anchor="rd")
    for step in range(1, size + 1):
        x = left + (step - 1) * (box + gap)
        shape = (x, middle - box // 2, x + box, middle + box // 2)
        if step == position:
            pen.rectangle(shape, fill=BAND_WHITE)
            tip = x + box // 2
            pen.polygon([(tip - 10, middle + box // 2 + 22), (tip + 10, middle + box // 2 + 22),
                         (tip, middle + box // 2 + 6)], fill=BAND_WHITE)
        else:
            pen.rectangle(shape, outline=BAND_WHITE, width=3)


def question_mark(pen: ImageDraw.ImageDraw, right_middle: tuple[int, int]) -> None:
    """A circled question mark and "not a point on the true–false scale"."""
    right, y = right_middle
    radius, gap = 30, 14
    small = font(REGULAR, 20)
    notes = ("not a point on the", "true–false scale")
    x = right - max(round(small.getlength(note)) for note in notes) - gap - radius
    pen.ellipse((x - radius, y - radius, x + radius, y + radius), outline=BAND_WHITE, width=4)
    pen.text((x, y + 2), "?", font=font(BOLD, 40), fill=BAND_WHITE, anchor="mm")
    for offset, note in zip((-14, 14), notes, strict=True):
        pen.text((x + radius + gap, y + offset), note, font=small, fill=BAND_WHITE,
                 anchor="lm")


def fit(text: str, width: int, height: int) -> tuple[int, list[str]]:
    """The largest size of :data:`CLAIM_SIZES` at which ``text`` fits in the box, and its
    lines; at the smallest size, as many lines as fit, the last cut with an ellipsis."""
    for size in CLAIM_SIZES:
        lines = wrap(text, face(BOLD, size), width)
        if len(lines) * round(size * 1.25) <= height:
            return size, lines
    size = CLAIM_SIZES[-1]
    most = max(1, height // round(size * 1.25))
    lines = wrap(text, face(BOLD, size), width)
    last = truncate(" ".join(lines[most - 1:]), face(BOLD, size), width, force=True,
                    closing="”")
    return size, [*lines[:most - 1], last]


def wrap(text: str, face: Face, width: int) -> list[str]:
    """Greedy word wrap by measured width; a word wider than a line is split."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if face.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while face.getlength(word) > width:
            cut = longest_prefix(word, face, width)
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def longest_prefix(text: str, face: Face, width: float) -> int:
    """How many leading characters of ``text`` fit in ``width`` (at least one)."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if face.getlength(text[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def truncate(text: str, face: Face, width: int, *, force: bool = False,
             closing: str = "") -> str:
    """``text`` as it is if it fits (and ``force`` is off), else cut at a word where possible
    and ended with "…" and ``closing``."""
    if not force and face.getlength(text) <= width:
        return text
    body = text.removesuffix(closing) if closing else text
    cut = longest_prefix(body, face, width - face.getlength("…" + closing))
    shortened = body[:cut]
    if cut < len(body) and " " in shortened:
        shortened = shortened.rsplit(" ", 1)[0]
    return shortened.rstrip(" ,;:.–—") + "…" + closing


def main(arguments: Sequence[str]) -> None:
    """``python -m generator.cards CACHE``: draw into CACHE the cards given on standard
    input, one JSON object per line (the process :func:`drawn_ahead` starts)."""
    cache_folder = Path(arguments[0])
    listed = cached_names(cache_folder)
    for line in sys.stdin:  # one card at a time: the build renders on the other core
        if line.strip():
            cached_png(Card(**json.loads(line)), cache_folder, listed)


if __name__ == "__main__":
    main(sys.argv[1:])
