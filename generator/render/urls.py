"""Page paths and URLs: where a record's page goes and relative links between pages."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urljoin

from ..site import SiteOptions


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


def link_prefix(path: str, options: SiteOptions) -> str:
    """``../`` repeated to climb from the page at ``path`` to the site root: from its URL,
    or from its Markdown file for engines that resolve raw HTML links from there."""
    if options.links_from_source:
        return "../" * path.count("/")
    return root_prefix(path, options.use_directory_urls)


@lru_cache(maxsize=1 << 16)
def absolute(site_url: str, path: str) -> str:
    """Absolute URL of a site-relative ``path`` (``site_url`` may have a sub-path)."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return urljoin(base, path.lstrip("/"))
