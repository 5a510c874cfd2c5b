"""Editor Markdown: ``[[kind/id]]`` references, the no-raw-HTML rule, and safe rendering.

Checking parses with markdown-it-py, raw HTML *enabled*, so that every tag an editor wrote
is found and reported with its line, and with the same extension the renderer uses (GFM
tables: a table cell splits a code span, so a checker without tables would see less than
the page gets). Rendering uses cmark-gfm, GitHub's C implementation of CommonMark (plus GFM
tables), about 15x faster: in its default safe mode raw HTML is omitted and
``javascript:``-style links are dropped; the result then passes through ``nh3`` with an
allow-list, so nothing executable survives even if a check was skipped. The sanitiser also
drops protocol-relative links (``//host``) and images that are not served by the site.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit

import cmarkgfm
import nh3

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

REFERENCE = re.compile(r"\[\[([^\[\]|\n]*?)(?:\|([^\[\]\n]*?))?\]\]")
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul", "img",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "img": {"src", "alt", "title"},
    "th": {"align", "scope"},
    "td": {"align"},
    "ol": {"start"},
    "code": {"class"},
}


class Reference(NamedTuple):
    kind: str
    id: str
    label: str | None
    line: int  # 0-based line within the text
    column: int  # 1-based column within that line
    raw: str


class Problem(NamedTuple):
    line: int  # 0-based line within the text
    column: int
    message: str


def references(text: str) -> Iterator[Reference]:
    """Every ``[[kind/id]]`` or ``[[kind/id|label]]`` in ``text``, with its place (lines
    counted from the previous reference on: one pass over the text)."""
    line, line_start, counted = 0, 0, 0
    for match in REFERENCE.finditer(text):
        start = match.start()
        breaks = text.count("\n", counted, start)
        if breaks:
            line += breaks
            line_start = text.rfind("\n", counted, start) + 1
        counted = start
        yield _reference(match, line, start - line_start + 1)


def _reference(match: re.Match[str], line: int, column: int) -> Reference:
    kind, _, record_id = match.group(1).strip().partition("/")
    label = match.group(2).strip() if match.group(2) is not None else None
    return Reference(kind, record_id, label, line, column, match.group(0))


@cache
def _checking_parser() -> MarkdownIt:
    """Built on first use: most texts can't hold a problem (:func:`could_have_problems`),
    so a build of such content never imports markdown-it-py (≈ 20 ms)."""
    from markdown_it import MarkdownIt

    # Tables as the renderer; markdown-it stops nesting at maxNesting tokens (a list level
    # is two), so it must see deeper than MAX_NESTING to report it.
    parser = MarkdownIt("commonmark", {"html": True, "maxNesting": 4 * MAX_NESTING + 8}
                        ).enable("table")
    parser.validateLink = lambda url: True  # see every link, then judge it ourselves
    return parser


_HTML_TAG = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9-]*)")


def is_safe_url(url: str) -> bool:
    """http(s), mailto, or a relative URL / fragment."""
    cleaned = "".join(ch for ch in url if ch > " " and ch != "\x7f")
    scheme = urlsplit(cleaned).scheme.lower()
    return scheme in SAFE_SCHEMES if scheme else not cleaned.lower().startswith("//")


def is_local_image(url: str) -> bool:
    """An image the site serves itself: a relative address (no scheme, not ``//host``).
    Any other would make every reader's browser call a server the contributor chose."""
    cleaned = "".join(ch for ch in url if ch > " " and ch != "\x7f").replace("\\", "/")
    return not urlsplit(cleaned).scheme and not cleaned.startswith("//")


MAX_NESTING = 12
"""Deepest nesting of block quotes and lists accepted in editor Markdown: deeper costs the
sanitiser and the search indexer time that grows as its square, and no text needs it."""
_DEEP_PREFIX = re.compile(rf"^[ \t>*+\-0-9.)]{{{MAX_NESTING},}}", re.M)
"""Each level of nesting needs at least one character of a line's prefix: a sound test."""
_CONTAINERS = frozenset({"blockquote_open", "bullet_list_open", "ordered_list_open"})
_CONTAINERS_CLOSE = frozenset({"blockquote_close", "bullet_list_close", "ordered_list_close"})


def could_have_problems(text: str) -> bool:
    """Cheap, sound pre-test: raw HTML and autolinks need '<', inline links and images
    '](', link reference definitions ']:', deep nesting a long line prefix."""
    return ("<" in text or "](" in text or "]:" in text
            or _DEEP_PREFIX.search(text) is not None)


def problems(text: str) -> Iterator[Problem]:
    """Raw HTML, unsafe link schemes, links with credentials, images from other sites and
    deep nesting in editor Markdown, each once per line (``<b>`` and its ``</b>`` are one
    problem)."""
    if not could_have_problems(text):
        return
    seen: set[Problem] = set()
    for problem in _all_problems(text):
        if problem not in seen:
            seen.add(problem)
            yield problem


def _all_problems(text: str) -> Iterator[Problem]:
    depth = 0
    for token in _checking_parser().parse(text):
        line = token.map[0] if token.map else 0
        if token.type in _CONTAINERS:
            depth += 1
            if depth == MAX_NESTING + 1:
                yield Problem(line, 1, f"block quotes and lists are nested more than "
                                       f"{MAX_NESTING} deep; flatten them")
        elif token.type in _CONTAINERS_CLOSE:
            depth -= 1
        if token.type == "html_block":
            yield Problem(line, 1, _html_message(token.content))
        for child in token.children or ():
            yield from _inline_problems(child, line)


def block_tokens(text: str) -> list[Any]:
    """markdown-it's tokens for ``text``, parsed as the checker parses (tables included)."""
    return list(_checking_parser().parse(text))


def _inline_problems(child: Any, line: int) -> Iterator[Problem]:
    if child.type == "html_inline":
        yield Problem(line, 1, _html_message(child.content))
    href = child.attrs.get("href") or child.attrs.get("src")
    if isinstance(href, str) and not is_safe_url(href):
        yield Problem(line, 1, f"link '{href[:60]}' is not allowed: only http(s), "
                               "mailto and relative links")
    elif child.type == "image" and isinstance(href, str) and not is_local_image(href):
        yield Problem(line, 1, f"image '{href[:60]}' is on another site: readers' browsers "
                               "would fetch it from there (and tell it who they are); link to "
                               "it instead, or serve the image from the site")
    elif isinstance(href, str) and has_credentials(href):
        yield Problem(line, 1, f"link '{href[:60]}' contains credentials "
                               "(user:password@); remove them")


def has_credentials(url: str) -> bool:
    """Whether an absolute URL carries ``user[:password]@`` before its host."""
    cleaned = "".join(ch for ch in url if ch > " " and ch != "\x7f")
    parts = urlsplit(cleaned)
    return bool(parts.scheme) and "@" in parts.netloc and parts.scheme.lower() != "mailto"


def _html_message(content: str) -> str:
    tag = _HTML_TAG.search(content)
    shown = f"<{tag.group(1)}>" if tag else content.strip()[:40]
    return (f"raw HTML ({shown}) is not allowed in Markdown; use Markdown formatting "
            "(or write &lt; for a literal '<')")


def to_html(text: str, resolve: Callable[[Reference], tuple[str, str] | None]) -> str:
    """Render editor Markdown to sanitised HTML; ``resolve`` maps a reference to (url, label)."""
    return render(with_links(text, resolve))


def with_links(text: str, resolve: Callable[[Reference], tuple[str, str] | None]) -> str:
    """``text`` with each ``[[reference]]`` as a Markdown link (or its label, escaped, when
    ``resolve`` gives None): the Python half of :func:`to_html`."""

    def link(match: re.Match[str]) -> str:
        reference = _reference(match, line=0, column=1)  # where it stands doesn't matter here
        resolved = resolve(reference)
        if resolved is None:
            return _escape_markdown(reference.label or reference.raw)
        url, label = resolved
        return f"[{_escape_markdown(reference.label or label)}](<{url}>)"

    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates → '?'
    return REFERENCE.sub(link, text) if "[[" in text else text


def render(text: str) -> str:
    """Markdown (references already links) → sanitised HTML: the C half of :func:`to_html`
    (cmark-gfm, then nh3)."""
    return sanitise(commonmark(text))


def commonmark(text: str) -> str:
    """cmark-gfm's HTML for ``text`` (safe mode: raw HTML omitted) with GFM tables (always:
    a one-column table needs no '|', e.g. ``*a*`` over ``:--``)."""
    return cmarkgfm.markdown_to_html_with_extensions(
        text, options=cmarkgfm.cmark.Options.CMARK_OPT_DEFAULT, extensions=["table"])


def sanitise(html: str) -> str:
    """Allow-list sanitiser for HTML that came (even indirectly) from content."""
    html = html.encode("utf-8", "replace").decode("utf-8")  # lone surrogates → '?'
    return _CLEANER.clean(html)


def _same_site_only(element: str, attribute: str, value: str) -> str | None:
    """nh3's attribute filter: no protocol-relative link, no image from another site."""
    if attribute == "src":
        return value if is_local_image(value) else None
    if attribute == "href":
        cleaned = "".join(ch for ch in value if ch > " " and ch != "\x7f").replace("\\", "/")
        return None if cleaned.startswith("//") else value
    return value


_CLEANER = nh3.Cleaner(tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES,
                       url_schemes=set(SAFE_SCHEMES), link_rel="noopener noreferrer",
                       attribute_filter=_same_site_only)
"""Built once: ``nh3.clean`` rebuilds its allow-lists on every call (4x the cost of a
short fragment)."""


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~])")


def _escape_markdown(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "~": "&#126;", "|": "&#124;"}
_INLINE_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


def escape_inline(text: str) -> str:
    """Plain text made safe to place inside Python-Markdown source (headings, titles).

    Characters Python-Markdown can backslash-escape are escaped; the rest that could
    start markup (``& < > ~ |``) become character references.
    """
    escaped = _INLINE_SPECIAL.sub(r"\\\1", text)
    return re.sub("[&<>~|]", lambda m: _ENTITIES[m.group()], escaped)


_INLINE_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])|(&amp;|&lt;|&gt;|&#126;|&#124;)")
_CHARACTERS = {entity: character for character, entity in _ENTITIES.items()}


def unescape_inline(source: str) -> str:
    """The plain text ``escape_inline`` was given."""
    return _INLINE_ESCAPED.sub(lambda m: m.group(1) or _CHARACTERS[m.group(2)], source)
