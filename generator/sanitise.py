"""Allow-list sanitiser for whole generated pages (defence in depth after rendering)."""

from __future__ import annotations

import nh3

from .markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, SAFE_SCHEMES

PAGE_TAGS = ALLOWED_TAGS | {
    "div", "span", "dl", "dt", "dd", "figure", "figcaption", "time", "caption", "section",
    "details", "summary", "small", "mark", "nav", "aside",
}
GENERIC_ATTRIBUTES = {"class", "id", "title", "lang", "dir", "aria-hidden", "aria-label",
                      "aria-labelledby", "aria-describedby", "aria-current", "role"}
PAGE_ATTRIBUTES: dict[str, set[str]] = {
    "*": GENERIC_ATTRIBUTES,
    **{tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
}
PAGE_ATTRIBUTES["a"] = PAGE_ATTRIBUTES["a"] | {"rel", "hreflang"}
PAGE_ATTRIBUTES["ol"] = PAGE_ATTRIBUTES["ol"] | {"reversed"}
PAGE_ATTRIBUTES["time"] = {"datetime"}
PAGE_ATTRIBUTES["th"] = PAGE_ATTRIBUTES["th"] | {"colspan", "rowspan"}
PAGE_ATTRIBUTES["td"] = PAGE_ATTRIBUTES["td"] | {"colspan", "rowspan"}
# A scrolling region (the matrix) must be reachable from the keyboard: tabindex="0".
PAGE_ATTRIBUTES["div"] = PAGE_ATTRIBUTES.get("div", set()) | {"tabindex"}


_PAGE_CLEANER = nh3.Cleaner(tags=set(PAGE_TAGS), attributes=PAGE_ATTRIBUTES,
                            generic_attribute_prefixes={"data-"}, url_schemes=set(SAFE_SCHEMES),
                            link_rel=None, strip_comments=True)
"""Built once: ``nh3.clean`` would rebuild the allow-lists for every page."""


def sanitise_page(html: str) -> str:
    """Keep headings' anchors, tables' ``data-*`` filter attributes and the classes used by
    the theme; drop scripts, styles, event handlers and non-http(s) links."""
    return _PAGE_CLEANER.clean(html)
