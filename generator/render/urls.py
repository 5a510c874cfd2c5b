"""Page paths and URLs: where a record's page goes and relative links between pages."""

from __future__ import annotations


def record_path(kind: str, record_id: str) -> str:
    """The Markdown path of a record's page (``claims/x.md``; pages sit at the top)."""
    return f"{record_id}.md" if kind == "pages" else f"{kind}/{record_id}.md"


def page_url(path: str, use_directory_urls: bool = True) -> str:
    """The URL MkDocs gives ``path`` (relative to the site root, no leading slash)."""
    stem = path.removesuffix(".md")
    if not use_directory_urls:
        return f"{stem}.html"
    if stem == "index":
        return ""
    return f"{stem.removesuffix('/index')}/" if stem.endswith("/index") else f"{stem}/"


def relative_url(from_path: str, to_path: str, use_directory_urls: bool = True) -> str:
    """Relative link from the page at ``from_path`` to the page at ``to_path``.

    Always goes up to the site root and down again (``../../actors/x/``): cheap, and the
    same for every page at one depth.
    """
    return (root_prefix(from_path, use_directory_urls) + page_url(to_path, use_directory_urls)
            or "./")


def root_prefix(path: str, use_directory_urls: bool = True) -> str:
    """``../`` repeated to climb from the page at ``path`` to the site root."""
    return "../" * page_url(path, use_directory_urls).count("/")
