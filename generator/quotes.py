"""Quote verification: is a quote verbatim in a source text, up to typography?

Verbatim means the same words, whole: the quote must start and end on word boundaries of
the source ("did" does not match inside "didn't", nor "democratic" inside
"undemocratic", nor "10" inside "100"). Before comparing, both texts are normalised in
exactly these ways, none of which can change what the words say (:func:`normalise`):

- Unicode canonical composition (NFC): "é" typed as one character or as "e" plus an accent;
- typographic single quotes, apostrophes and primes (‘ ’ ‚ ‛ ′ ‹ ›) become ``'``; double
  quotes (“ ” „ ‟ ″ « ») become ``"``; hyphens and dashes (‐ ‑ ‒ – — ― −) become ``-``;
- every run of whitespace (spaces, tabs, line breaks, no-break and thin spaces) becomes one
  space; soft hyphens (U+00AD) are dropped;
- the Latin ligatures U+FB00–U+FB06 (ﬁ ﬂ ﬀ ﬃ ﬄ ﬅ ﬆ) become their letters and the
  ellipsis character (…) becomes three full stops.

No other compatibility folding (NFKC) is done: superscripts, subscripts, fractions,
circled, full-width and other digits stay what they are, so ``10⁰`` never matches ``100``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

_TYPOGRAPHY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u2039": "'", "\u203a": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-",
    "\u00ad": None,
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st", "\u2026": "...",
})

_JOINERS = "'.,-"
"""Between two letters or digits these continue a word or number (didn't, 3.5, 1,000,
well-known): a quote may not start or end next to one that is followed by more word."""
_WORD_BEFORE = re.compile(rf"\w[{re.escape(_JOINERS)}]?\Z")
_WORD_AFTER = re.compile(rf"[{re.escape(_JOINERS)}]?\w")

HINT_NGRAM = 3
"""Words per n-gram in a seed's index for the did-you-mean of a failed quote."""
HINT_MIN_CHARS = 8


def normalise(text: str) -> str:
    """The text as compared (see the module docstring for exactly what changes)."""
    text = unicodedata.normalize("NFC", text).translate(_TYPOGRAPHY)
    return " ".join(text.split())


def _whole_words(text: str, start: int, end: int, needle: str) -> bool:
    """Whether ``text[start:end]`` (equal to ``needle``) neither begins nor ends inside a
    word of ``text``."""
    starts_a_word = needle[0].isalnum() or needle[0] == "_"
    ends_a_word = needle[-1].isalnum() or needle[-1] == "_"
    if starts_a_word and _WORD_BEFORE.search(text, max(0, start - 2), start):
        return False
    return not (ends_a_word and _WORD_AFTER.match(text, end, end + 2))


def find_in(quote: str, normalised_text: str) -> tuple[int, int] | None:
    """Where ``quote`` first occurs verbatim, as whole words, in an already normalised text
    (start and end offsets), or None. Linear in the text: ``str.find`` from occurrence to
    occurrence."""
    needle = normalise(quote)
    if not needle:
        return None
    at = normalised_text.find(needle)
    while at != -1:
        if _whole_words(normalised_text, at, at + len(needle), needle):
            return at, at + len(needle)
        at = normalised_text.find(needle, at + 1)
    return None


def occurs_in(quote: str, normalised_text: str) -> bool:
    """True when ``quote`` occurs verbatim, as whole words, in an already normalised text."""
    return find_in(quote, normalised_text) is not None


_TOKEN = re.compile(r"\w+")


class SeedIndex:
    """The word n-grams of one normalised seed (words without their punctuation), built
    once, for the did-you-mean of failed quotes: each hint then costs time linear in the
    quote, not quote × seed."""

    def __init__(self, normalised_text: str) -> None:
        self.text = normalised_text
        words = _TOKEN.findall(normalised_text)
        self.ngrams = {tuple(words[i:i + HINT_NGRAM]) for i in range(len(words))}

    def longest_part(self, quote: str) -> str:
        """The longest run of the quote's words whose every n-gram is in the seed, as the
        quote writes it, if the seed holds it as written (else the empty string)."""
        needle = normalise(quote)
        spans = [match.span() for match in _TOKEN.finditer(needle)]
        words = [needle[start:end] for start, end in spans]
        present = [tuple(words[i:i + HINT_NGRAM]) in self.ngrams
                   for i in range(len(words) - HINT_NGRAM + 1)]
        best, run_start, best_span = 0, 0, (0, 0)
        for index, found in enumerate([*present, False]):
            if not found:
                if index - run_start > best:
                    best, best_span = index - run_start, (run_start, index)
                run_start = index + 1
        if not best:
            return ""
        first, last = best_span[0], best_span[1] + HINT_NGRAM - 2
        part = needle[spans[first][0]:spans[last][1]]
        return part if part in self.text else ""


@functools.lru_cache(maxsize=64)
def seed_index(normalised_text: str) -> SeedIndex:
    """One index per seed text (a string caches its hash: a lookup is cheap)."""
    return SeedIndex(normalised_text)


def closest(quote: str, texts: Iterable[tuple[str, str]]) -> str:
    """A hint naming the longest run of the quote that one of the seeds does contain
    (``texts``: ``(seed, normalised text)`` pairs)."""
    best = max((seed_index(text).longest_part(quote) for _, text in texts), key=len,
               default="")
    if len(best.strip()) < HINT_MIN_CHARS:
        return ""
    return f"; the longest part that matches is '{best.strip()}'"
