"""The whole pipeline in one call: check → render → export, into a :class:`~.site.Site`."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .cards import drawn_ahead, share_cards
from .diagnostics import Diagnostic
from .export import export_assets
from .graph import Graph
from .jsonld import jsonld_hook
from .pipeline import build_graph, collection_paused
from .publication import published_graph
from .render import RATINGS_CSS, page_url, rating_css, record_path, render_pages
from .site import Asset, Page, Site, SiteOptions
from .types import build_time


def build_site(root: Path, options: SiteOptions) -> Site:
    """Every page and file of the site built from ``root/content``: check → render →
    export. Never raises on content, and only reads ``root`` (it writes only share cards
    into ``options.card_cache``, when given: see :mod:`generator.cards`).

    With content errors (or outputs that would overwrite each other) the site is empty and
    ``diagnostics`` says why: an engine must not publish anything then."""
    with collection_paused():
        checked = build_graph(root)
        if checked.errors:
            return Site(diagnostics=tuple(checked.diagnostics))
        graph = published_graph(checked.graph, build_time())
        jsonld = jsonld_hook(graph, options.site_url, options.use_directory_urls)
        with drawn_ahead(graph, options):  # missing share cards, on another core
            # the exports first: their working memory is free again before the pages exist
            exports = export_assets(graph, options.site_url,
                                    use_directory_urls=options.use_directory_urls)
            pages = render_pages(graph, options, jsonld)
        pages, cards, problems = share_cards(graph, pages, options)
        if problems:
            return Site(diagnostics=(*checked.diagnostics, *problems))
        assets = [Asset(RATINGS_CSS, rating_css(graph).encode("utf-8")), *cards, *exports]
        clashes = clashing_outputs(graph, pages, assets, options)
        if clashes:
            return Site(diagnostics=(*checked.diagnostics, *clashes))
        return Site(tuple(pages), tuple(assets), tuple(checked.diagnostics))


def output_file(path: str, use_directory_urls: bool) -> str:
    """The built file that serves a page (``claims/x.md`` → ``claims/x/index.html``)."""
    url = page_url(path, use_directory_urls)
    return url + "index.html" if url.endswith("/") or not url else url


def clashing_outputs(graph: Graph, pages: list[Page], assets: list[Asset],
                     options: SiteOptions) -> list[Diagnostic]:
    """An error for every built file two outputs would both write (an alias redirect in
    place of a page, two pages at one address): caught before any engine writes a file."""
    owners: dict[str, list[str]] = defaultdict(list)
    for page in pages:
        owners[output_file(page.path, options.use_directory_urls)].append(page.path)
    for asset in assets:
        owners[asset.path].append(asset.path)
    return [clash(graph, path, names, options) for path, names in sorted(owners.items())
            if len(names) > 1]


def clash(graph: Graph, path: str, names: list[str], options: SiteOptions) -> Diagnostic:
    """The clash, reported on the record whose alias or id causes it."""
    causes = [(record.file, f"aliases: '{old}'")
              for (kind, old), new in sorted(graph.aliases.items())
              if (record := graph.get(kind, new)) is not None
              and output_file(record_path(kind, old), options.use_directory_urls) == path]
    causes += [(record.file, "id") for record in graph.all()
               if output_file(record_path(record.collection, record.id),
                              options.use_directory_urls) == path]
    where, location = causes[0] if causes else ("content/site.yaml", "(site)")
    return Diagnostic(where, 1, 1, location.split(":")[0],
                      f"{path} would be written twice ({', '.join(names)}): "
                      f"{location} takes the address of another page; choose another")
