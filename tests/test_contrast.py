"""Rating colours: WCAG contrast of the badge's label, and the badge's CSS it assumes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.contrast import (
    BADGE_TEXT,
    MINIMUM_RATIO,
    badge_contrast_problem,
    contrast_ratio,
    relative_luminance,
)
from generator.pipeline import build_graph

ROOT = Path(__file__).resolve().parent.parent
CSS = ROOT / "theme" / "assets" / "factsite.css"


@pytest.mark.parametrize(("first", "second", "expected"), [
    ("#ffffff", "#000000", 21.0),
    ("#000000", "#ffffff", 21.0),
    ("#777777", "#ffffff", 4.48),  # the classic just-too-light grey
    ("#e65100", "#ffffff", 3.78),  # the reader audit's "Misleading" orange
    ("#d84315", "#ffffff", 4.43),
    ("#123456", "#123456", 1.0),
])
def test_contrast_ratio_matches_wcag(first: str, second: str, expected: float) -> None:
    assert contrast_ratio(first, second) == pytest.approx(expected, abs=0.01)


def test_relative_luminance_ends() -> None:
    assert relative_luminance("#000000") == 0
    assert relative_luminance("#ffffff") == pytest.approx(1)


def test_problem_names_the_colour_and_the_ratio_rounded_down() -> None:
    problem = badge_contrast_problem("#d84315")
    assert problem is not None and "'#d84315'" in problem and "4.43:1" in problem
    assert badge_contrast_problem("#767676") is None  # 4.54:1


def test_badge_css_writes_the_label_in_the_colour_the_check_assumes() -> None:
    """The check is only as true as the badge's CSS: white text on --fs-rating-color, with
    no other rule (dark mode included) changing the text colour of the badge."""
    css = re.sub(r"/\*.*?\*/", "", CSS.read_text("utf-8"), flags=re.DOTALL)
    rules = re.findall(r"([^{}]*\.fs-rating\b[^{}]*)\{([^}]*)\}", css)
    badge = [body for selector, body in rules if selector.strip() == ".md-typeset .fs-rating"]
    assert len(badge) == 1
    colour = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", badge[0])
    assert colour is not None
    expanded = "#" + "".join(c * 2 for c in colour.group(1)[1:]) \
        if len(colour.group(1)) == 4 else colour.group(1)
    assert expanded.lower() == BADGE_TEXT
    assert "var(--fs-rating-color" in badge[0]
    others = [selector for selector, body in rules
              if selector.strip() != ".md-typeset .fs-rating"
              and re.search(r"\.fs-rating\b", _without_conditions(selector))
              and re.search(r"(?<![-\w])color:", body)
              and not selector.strip().endswith(("__icon::before", "__icon"))]
    assert others == [], "another rule sets the badge's text colour: check it in contrast.py"


def _without_conditions(selector: str) -> str:
    """A selector without its ``:has(…)`` and ``:not(…)`` conditions (a rule for a cell
    that merely contains a badge does not style the badge)."""
    previous = None
    while previous != selector:
        previous, selector = selector, re.sub(r":(?:has|not)\([^()]*\)", "", selector)
    return selector


@pytest.mark.parametrize("root", [ROOT, ROOT / "tests" / "fixtures" / "basic"])
def test_shipped_rating_colours_are_legible(root: Path) -> None:
    site = build_graph(root).graph.site
    assert site is not None
    colours = [rating.color for rating in site.ratings if rating.color]
    assert colours
    for colour in colours:
        assert contrast_ratio(BADGE_TEXT, colour) >= MINIMUM_RATIO, colour
