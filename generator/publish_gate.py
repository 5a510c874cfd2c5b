"""The release gate behind ``factsite check --publish``: is this a real publication?

``factsite check`` asks whether the content is valid. This gate asks whether it may go live
under a real publisher, as the IFCN Code of Principles expects of a fact-checker: a named
publisher at a real address, a licence, no placeholder text on public pages, and the pages a
reader needs to judge the site (about: ownership, funding and contact; methodology; corrections
policy; a nonpartisanship statement). Each problem is a :class:`Diagnostic` naming the file,
line and field. Plain functions; nothing here imports MkDocs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from markdown_it import MarkdownIt

from .diagnostics import Diagnostic
from .models import Site

SITE_FILE = "content/site.yaml"
MKDOCS_FILE = "mkdocs.yml"
PAGES_DIR = "content/pages"

PLACEHOLDER_HOSTS = ("example.org", "example.com", "example.net", "localhost", "127.0.0.1",
                     "example", "test", "invalid")
"""Hosts and top-level domains reserved for examples, tests or local work (RFC 2606, loopback):
never a publisher's site."""

PLACEHOLDER_NAMES = {"factsite", "example", "publisher", "your organisation", "your organization"}
"""Publisher names that stand for "fill this in": the generator's own name is the example's."""

MARKERS = re.compile(
    r"(?i:placeholder|lorem ipsum|example publication|\bexample\.(?:org|com|net)\b"
    r"|\blocalhost\b|\b127\.0\.0\.1\b)|\b(?:TODO|FIXME|TBD)\b")
"""Text that marks a page as unfinished: placeholder wording, example hosts, to-do markers."""


@dataclass(frozen=True)
class RequiredPage:
    page_id: str
    what: str


REQUIRED_PAGES = (
    RequiredPage("about", "who publishes the site, how it is funded and how to contact it"),
    RequiredPage("methodology", "how claims are chosen, researched and rated"),
    RequiredPage("corrections-policy", "how errors are corrected and how to ask for a correction"),
)

ABOUT_SECTIONS = (
    ("ownership", re.compile(r"(?i)\bown|publish|who (?:we are|runs)"),
     "who owns and runs the site: legal status, structure and key staff"),
    ("funding", re.compile(r"(?i)fund"), "who funds the site, and how"),
    ("contact", re.compile(r"(?i)contact"), "how readers can reach the publisher"),
)
NONPARTISAN = re.compile(r"(?i)non-?partisan")
NONPARTISAN_PAGE = "nonpartisanship"


def publish_gate(root: Path, site: Site | None) -> list[Diagnostic]:
    """Every reason the project at ``root`` may not be published yet (empty when it may)."""
    found = [*check_publisher(root, site), *check_site_url(root), *check_licence(root, site),
             *check_markers(root), *check_required_pages(root)]
    return sorted(found)


# -- site settings -------------------------------------------------------------------------

def check_publisher(root: Path, site: Site | None) -> list[Diagnostic]:
    if site is None:
        return []  # an invalid site.yaml is reported by the content check
    found = []
    if site.publisher.name.strip().casefold() in PLACEHOLDER_NAMES or MARKERS.search(
            site.publisher.name):
        line, column = _position(root / SITE_FILE, ("publisher", "name"))
        found.append(_error(SITE_FILE, line, column, "publisher.name",
                            f"'{site.publisher.name}' is a placeholder, not a publisher: give the "
                            "legal name of the person or organisation responsible for the site"))
    host = _placeholder_host(str(site.publisher.url))
    if host:
        line, column = _position(root / SITE_FILE, ("publisher", "url"))
        found.append(_error(SITE_FILE, line, column, "publisher.url",
                            f"{site.publisher.url} is on the placeholder host '{host}': give the "
                            "publisher's real web address (it is the author of every ClaimReview)"))
    return found


def check_licence(root: Path, site: Site | None) -> list[Diagnostic]:
    if site is None or site.license is not None:
        return []
    return [_error(SITE_FILE, 1, 1, "license",
                   "no licence is declared: add 'license:' with 'name' and 'url' so readers "
                   "know how they may reuse the pages and the data")]


def check_site_url(root: Path) -> list[Diagnostic]:
    """``site_url`` as the build will see it: mkdocs.yml, with ``!ENV`` read from the
    environment (``SITE_URL`` in the deploy workflow)."""
    path = root / MKDOCS_FILE
    node = _mkdocs_site_url_node(path)
    if node is None:
        return [_error(MKDOCS_FILE, 1, 1, "site_url",
                       "site_url is not set: give the site's public address, ending in '/'")]
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    url = resolve_env_tag(node)
    if not url:
        return [_error(MKDOCS_FILE, line, column, "site_url",
                       "site_url is empty: give the site's public address, ending in '/'")]
    host = _placeholder_host(url)
    if host:
        return [_error(MKDOCS_FILE, line, column, "site_url",
                       f"{url} is on the placeholder host '{host}': set SITE_URL, or the "
                       "fallback in mkdocs.yml, to the site's public address")]
    return []


def resolve_env_tag(node: yaml.Node) -> str:
    """A scalar as MkDocs reads it, ``!ENV NAME`` and ``!ENV [NAME, ..., default]`` included."""
    if node.tag != "!ENV":
        return str(node.value) if isinstance(node, yaml.ScalarNode) else ""
    names = [node.value] if isinstance(node, yaml.ScalarNode) else [
        item.value for item in node.value if isinstance(item, yaml.ScalarNode)]
    for name in names:
        if os.environ.get(name):
            return os.environ[name]
    return names[-1] if isinstance(node, yaml.SequenceNode) and len(names) > 1 else ""


def _mkdocs_site_url_node(path: Path) -> yaml.Node | None:
    try:
        document = yaml.compose(path.read_text(encoding="utf-8"))  # tags are not constructed
    except (OSError, yaml.YAMLError):
        return None
    return _child(document, "site_url")


def _placeholder_host(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").casefold().rstrip(".")
    return next((p for p in PLACEHOLDER_HOSTS if host == p or host.endswith("." + p)), None)


# -- public text ---------------------------------------------------------------------------

def check_markers(root: Path) -> list[Diagnostic]:
    """Placeholder markers in anything a reader sees: every value in the records and the site
    settings (not YAML comments), and the front matter and text of pages and explainers."""
    found = []
    for path in sorted((root / "content").rglob("*")):
        if path.suffix in (".yaml", ".yml", ".md") and path.is_file():
            found.extend(_markers_in(root, path))
    return found


def _markers_in(root: Path, path: Path) -> Iterator[Diagnostic]:
    relative = path.relative_to(root).as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return  # unreadable files are reported by the content check
    front, body, body_line = split_front_matter(text) if path.suffix == ".md" else (text, "", 0)
    for line, column, where, value in _scalars(front):
        if relative == SITE_FILE and where.startswith("publisher."):
            continue  # check_publisher says what is wrong with the publisher
        for match in MARKERS.finditer(value):
            yield _marker(relative, line, column, where, match.group())
    for offset, line_text in enumerate(body.splitlines()):
        for match in MARKERS.finditer(line_text):
            yield _marker(relative, body_line + offset, match.start() + 1, "body", match.group())


def _marker(path: str, line: int, column: int, where: str, marker: str) -> Diagnostic:
    return _error(path, line, column, where,
                  f"'{marker}' is placeholder or example text on a public page: replace it "
                  "with the publication's own text before publishing")


def _scalars(text: str) -> Iterator[tuple[int, int, str, str]]:
    """``(line, column, field path, value)`` of every scalar in a YAML text."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return  # invalid YAML is reported by the content check
    stack: list[tuple[yaml.Node, str]] = [(root, "")] if root is not None else []
    while stack:
        node, where = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            yield node.start_mark.line + 1, node.start_mark.column + 1, where or "value", node.value
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, f"{where}.{i}") for i, item in enumerate(node.value))
        elif isinstance(node, yaml.MappingNode):
            stack.extend((value, f"{where}.{key.value}".lstrip("."))
                         for key, value in node.value)


def split_front_matter(text: str) -> tuple[str, str, int]:
    """``(front matter, body, first body line number)`` of a Markdown page."""
    lines = text.splitlines(keepends=True)
    if lines and lines[0].strip() == "---":
        for index, line in enumerate(lines[1:], start=1):
            if line.strip() in ("---", "..."):
                return "".join(lines[1:index]), "".join(lines[index + 1:]), index + 2
    return "", text, 1


# -- the pages readers need ----------------------------------------------------------------

@dataclass(frozen=True)
class Section:
    title: str
    line: int
    has_text: bool


def check_required_pages(root: Path) -> list[Diagnostic]:
    found = []
    for page in REQUIRED_PAGES:
        found.extend(_check_page(root, page))
    found.extend(_check_about_sections(root))
    return found


def _check_page(root: Path, page: RequiredPage) -> list[Diagnostic]:
    relative = f"{PAGES_DIR}/{page.page_id}.md"
    body = _page_body(root / relative)
    if body is None:
        return [_error(relative, 1, 1, "page",
                       f"missing: publish a page that says {page.what}")]
    if not body.strip():
        return [_error(relative, 1, 1, "body", f"is empty: say {page.what}")]
    return []


def _check_about_sections(root: Path) -> list[Diagnostic]:
    relative = f"{PAGES_DIR}/about.md"
    text = _read(root / relative)
    if text is None:
        return []  # the missing page is reported once, above
    _front, body, body_line = split_front_matter(text)
    sections = page_sections(body, body_line)
    found = []
    for name, pattern, what in ABOUT_SECTIONS:
        found.extend(_section_problem(relative, sections, name, pattern, what))
    nonpartisan_page = _page_body(root / f"{PAGES_DIR}/{NONPARTISAN_PAGE}.md")
    if not (nonpartisan_page and nonpartisan_page.strip()):
        found.extend(_section_problem(
            relative, sections, "nonpartisanship", NONPARTISAN,
            "that every claim is checked to the same standard, whoever made it, and that the "
            f"site takes no policy positions (or publish pages/{NONPARTISAN_PAGE}.md)"))
    return found


def _section_problem(path: str, sections: list[Section], name: str, pattern: re.Pattern[str],
                     what: str) -> list[Diagnostic]:
    matching = [section for section in sections if pattern.search(section.title)]
    if not matching:
        return [_error(path, 1, 1, name,
                       f"no {name} section: add a heading (e.g. '## {name.capitalize()}') "
                       f"and say {what}")]
    if not any(section.has_text for section in matching):
        return [_error(path, matching[0].line, 1, name, f"the section is empty: say {what}")]
    return []


def page_sections(body: str, first_line: int = 1) -> list[Section]:
    """The headings of a Markdown body, each with its line and whether text follows it
    before the next heading of the same or a higher level."""
    tokens = MarkdownIt("commonmark").parse(body)
    headings = [(i, int(t.tag[1]), t.map[0] if t.map else 0) for i, t in enumerate(tokens)
                if t.type == "heading_open"]
    sections = []
    for position, (index, level, start) in enumerate(headings):
        end = next((other_start for _, other_level, other_start in headings[position + 1:]
                    if other_level <= level), None)
        following = [t for t in tokens[index + 3:] if t.map and (end is None or t.map[0] < end)]
        has_text = any(t.type != "heading_open" and t.nesting >= 0 for t in following)
        sections.append(Section(tokens[index + 1].content, first_line + start, has_text))
    return sections


def _page_body(path: Path) -> str | None:
    text = _read(path)
    return None if text is None else split_front_matter(text)[1]


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


# -- helpers -------------------------------------------------------------------------------

def _position(path: Path, keys: tuple[str, ...]) -> tuple[int, int]:
    """Line and column of a value in a YAML file (1, 1 when it cannot be found)."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return 1, 1
    for key in keys:
        node = _child(node, key)
    return (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (1, 1)


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for k, value in node.value if getattr(k, "value", None) == key), None)


def _error(path: str, line: int, column: int, location: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, column, location, message)
