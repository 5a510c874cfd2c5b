"""Text contrast of the rating badges (WCAG 2.x relative luminance and contrast ratio).

The badge (``theme/assets/factsite.css``, ``.md-typeset .fs-rating``) writes the rating's
label in :data:`BADGE_TEXT` on the rating's ``color`` from ``site.yaml``, in light and dark
mode alike; ``tests/test_contrast.py`` keeps the two in step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Site

BADGE_TEXT = "#ffffff"
"""The badge's text colour (``color: #fff`` in ``factsite.css``)."""

MINIMUM_RATIO = 4.5
"""WCAG 2.2 AA (1.4.3) for normal-size text."""


def _channel(value: int) -> float:
    srgb = value / 255
    return srgb / 12.92 if srgb <= 0.04045 else ((srgb + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour (0 = black, 1 = white)."""
    red, green, blue = (_channel(int(color[i:i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def badge_contrast_problem(color: str) -> str | None:
    """Why ``color`` cannot be a rating badge's background, or None if its text is legible.

    The ratio is rounded down in the message, so that 4.499 never reads as 4.50."""
    ratio = contrast_ratio(BADGE_TEXT, color)
    if ratio >= MINIMUM_RATIO:
        return None
    shown = int(ratio * 100) / 100
    return (f"'{color}' gives the badge's white label a contrast of {shown:.2f}:1, below the "
            f"{MINIMUM_RATIO}:1 that readers need (WCAG AA); choose a darker colour")


def rating_color_problems(site: Site) -> list[tuple[tuple[str, int, str], str]]:
    """Each rating colour in ``site.yaml`` that its badge's label is illegible on: the field's
    location and the message."""
    return [(("ratings", index, "color"), problem)
            for index, rating in enumerate(site.ratings)
            if rating.color and (problem := badge_contrast_problem(rating.color))]
