"""The whole pipeline in one call: check → render → export, into a :class:`~.site.Site`."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .diagnostics import Diagnostic
from .export import export_assets
from .jsonld import jsonld_hook
from .pipeline import build_graph, collection_paused
from .render import RATINGS_CSS, page_url, rating_css, render_pages
from .site import Asset, Page, Site, SiteOptions


def build_site(root: Path, options: SiteOptions) -> Site:
    """Every page and file of the site built from ``root/content``; never raises on content
    and never touches the file system outside ``root`` (which it only reads).

    With content errors (or outputs that would overwrite each other) the site is empty and
    ``diagnostics`` says why: an engine must not publish anything then."""
    with collection_paused():
        checked = build_graph(root)
        if checked.errors:
            return Site(diagnostics=tuple(checked.diagnostics))
        graph = checked.graph
        jsonld = jsonld_hook(graph, options.site_url, options.use_directory_urls)
        pages = render_pages(graph, options, jsonld)
        assets = [Asset(RATINGS_CSS, rating_css(graph).encode("utf-8")),
                  *export_assets(graph, options.site_url,
                                 use_directory_urls=options.use_directory_urls)]
        site = Site(tuple(pages), tuple(assets), tuple(checked.diagnostics))
        clashes = clashing_outputs(site, options)
        if clashes:
            return Site(diagnostics=(*checked.diagnostics, *clashes))
        return site


def output_file(path: str, use_directory_urls: bool) -> str:
    """The built file that serves a page (``claims/x.md`` → ``claims/x/index.html``)."""
    url = page_url(path, use_directory_urls)
    return url + "index.html" if url.endswith("/") or not url else url


def clashing_outputs(site: Site, options: SiteOptions) -> list[Diagnostic]:
    """An error for every built file two outputs would both write (an alias redirect in
    place of a page, two pages at one address): caught before any engine writes a file."""
    owners: dict[str, list[Page | Asset]] = {}
    for page in site.pages:
        owners.setdefault(output_file(page.path, options.use_directory_urls), []).append(page)
    for asset in site.assets:
        owners.setdefault(asset.path, []).append(asset)
    counts = Counter({path: len(found) for path, found in owners.items()})
    return [clash(path, owners[path]) for path, count in sorted(counts.items()) if count > 1]


def clash(path: str, outputs: list[Page | Asset]) -> Diagnostic:
    sources = sorted({f"content/{o.source}" for o in outputs if isinstance(o, Page) and o.source})
    where = sources[0] if sources else "content/site.yaml"
    names = ", ".join(o.path for o in outputs)
    return Diagnostic(where, 1, 1, "(site)",
                      f"{path} would be written twice ({names}): an alias or page id takes "
                      "the address of another page; rename it or remove the alias")
