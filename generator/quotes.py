"""Quote verification: is a quote verbatim in a source text, up to typography?"""

from __future__ import annotations

import unicodedata

_TYPOGRAPHY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u2039": "'", "\u203a": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-",
})


def normalise(text: str) -> str:
    """NFKC, typographic quotes/apostrophes/dashes to ASCII, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    return " ".join(text.split())


def occurs_in(quote: str, normalised_text: str) -> bool:
    """True when ``quote`` occurs verbatim in an already normalised text."""
    needle = normalise(quote)
    return bool(needle) and needle in normalised_text
