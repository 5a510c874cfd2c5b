"""The edit loop: build the site again after a change, redoing only what the change touches.

:class:`SiteBuilder` gives the same :class:`~generator.site.Site` as
:func:`generator.build.build_site` (tested), faster on the second and later builds:

- load: a file whose size and modification time are unchanged keeps its parsed document;
- validate and link: the whole tree again (references, aliases and quotes span files);
- render: the pages of the records that changed (added, removed or edited: model
  instances compared) and of every record within two links of one, in either direction (a
  page shows its neighbours and their names: a statement's speaker, a source's publisher,
  associations through statements and claims); every index and overview page; the whole
  site after a change to ``site.yaml``, the seeds or the options;
- export: every file again (cheap next to the pages).

:meth:`SiteBuilder.build` also says which outputs differ from the previous build, so an
engine can rewrite only those (:class:`SiteUpdate`). Like ``build_site`` it never raises on
content; with errors the update carries them and the previous site stays the builder's
last good one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .build import clashing_outputs
from .cards import CARDS_FOLDER, share_cards
from .diagnostics import Diagnostic
from .export import (
    export_assets,
    netlify_redirects,
    page_file,
    redirect_html,
    relative_url,
)
from .export import redirects as export_redirects
from .graph import Graph
from .jsonld import file_urls, jsonld_hook
from .jsonld import record_path as record_url
from .load import Document, discover, load_document
from .pipeline import build_graph, collection_paused
from .publication import published_graph
from .render import RATINGS_CSS, RECORD_KINDS, rating_css, record_path, render_pages
from .site import Asset, Page, Site, SiteOptions
from .types import build_time
from .validate import Memo

NETLIFY_REDIRECTS = "_redirects"

Key = tuple[str, str]
StatKey = tuple[int, int, int]


@dataclass(frozen=True)
class SiteUpdate:
    """A build's site and what changed since the previous good one."""

    site: Site
    changed: frozenset[str] | None = None
    """Paths (in the docs tree) of the pages and assets that are new or differ; None when
    everything must be written (the first build, or after a change of the whole site)."""
    removed: frozenset[str] = frozenset()
    """Paths of the previous good site's pages and assets that no longer exist."""

    @property
    def errors(self) -> list[Diagnostic]:
        return self.site.errors


@dataclass
class _Loaded:
    stat: StatKey
    document: Document
    problems: list[Diagnostic]


@dataclass
class SiteBuilder:
    """Builds ``root``'s site again and again (``mkdocs serve``), reusing what is unchanged."""

    root: Path
    options: SiteOptions
    site: Site | None = None
    """The last good site (None before the first one)."""
    graph: Graph | None = None
    files: dict[Path, _Loaded] = field(default_factory=dict)
    memo: Memo = field(default_factory=dict)
    pending: Graph | None = None
    """The graph whose open data and feeds were deferred (:meth:`finish_exports`)."""
    redirects: frozenset[str] = frozenset()
    """Paths of the alias redirects the last quick build wrote."""
    cards: list[Asset] = field(default_factory=list)
    """The share cards of the last good site (:func:`generator.cards.share_cards`)."""

    def build(self, *, defer_exports: bool = False) -> SiteUpdate:
        """The site now. ``defer_exports`` (after a first build): keep the previous build's
        open data and feeds for now (the redirects and stylesheet are current), and leave
        them to :meth:`finish_exports`; the pages come sooner."""
        with collection_paused():
            checked = build_graph(self.root, self.load(), self.memo)
            if checked.errors:
                self.pending = None
                return SiteUpdate(Site(diagnostics=tuple(checked.diagnostics)))
            graph = published_graph(checked.graph, build_time())
            previous, old_graph = self.site, self.graph
            whole = old_graph is None or previous is None or not same_site(old_graph, graph)
            only = None if whole else affected(old_graph, graph)  # type: ignore[arg-type]
            jsonld = jsonld_hook(graph, self.options.site_url, self.options.use_directory_urls)
            rendered = render_pages(graph, self.options, jsonld, only=only)
            pages = rendered if only is None else merge(graph, rendered, previous)  # type: ignore[arg-type]
            pages, self.cards, problems = share_cards(graph, pages, self.options)
            if problems:
                self.pending = None
                return SiteUpdate(Site(diagnostics=(*checked.diagnostics, *problems)))
            deferred = defer_exports and previous is not None
            assets = (self.quick_assets(graph, previous) if deferred  # type: ignore[arg-type]
                      else self.all_assets(graph))
            clashes = clashing_outputs(graph, pages, assets, self.options)
            if clashes:
                self.pending = None
                return SiteUpdate(Site(diagnostics=(*checked.diagnostics, *clashes)))
            site = Site(tuple(pages), tuple(assets), tuple(checked.diagnostics))
            self.site, self.graph = site, graph
            self.pending = graph if deferred else None
            if whole:
                return SiteUpdate(site)
            return SiteUpdate(site, *differences(previous, site))  # type: ignore[arg-type]

    def all_assets(self, graph: Graph) -> list[Asset]:
        """Every file but the pages, as ``build_site`` makes them."""
        self.redirects = frozenset(self.redirect_files(graph))
        return [Asset(RATINGS_CSS, rating_css(graph).encode("utf-8")), *self.cards,
                *export_assets(graph, self.options.site_url,
                               use_directory_urls=self.options.use_directory_urls)]

    def quick_assets(self, graph: Graph, previous: Site) -> list[Asset]:
        """The stylesheet and the alias redirects now; the previous build's other files."""
        redirects = self.redirect_files(graph)
        kept = [asset for asset in previous.assets[1:] if asset.path not in self.redirects
                and not asset.path.startswith(f"{CARDS_FOLDER}/")]
        self.redirects = frozenset(redirects)
        others = sorted([*kept, *(Asset(name, data) for name, data in redirects.items())],
                        key=lambda asset: asset.path)
        return [Asset(RATINGS_CSS, rating_css(graph).encode("utf-8")), *self.cards, *others]

    def redirect_files(self, graph: Graph) -> dict[str, bytes]:
        """The alias redirect pages and ``_redirects``, as :mod:`.export` writes them."""
        path = record_url if self.options.use_directory_urls else file_urls
        site_url = self.options.site_url
        files = {page_file(old): redirect_html(title, relative_url(old, new), canonical)
                 .encode("utf-8")
                 for old, new, title, canonical in export_redirects(graph, site_url, path)}
        files[NETLIFY_REDIRECTS] = netlify_redirects(graph, site_url, path).encode("utf-8")
        return files

    def finish_exports(self) -> SiteUpdate | None:
        """The open data and feeds deferred by the last build, now: the site with them,
        and the files that changed (None when nothing was deferred)."""
        graph, previous = self.pending, self.site
        if graph is None or previous is None:
            return None
        self.pending = None
        with collection_paused():
            site = replace(previous, assets=tuple(self.all_assets(graph)))
        self.site = site
        return SiteUpdate(site, *differences(previous, site))

    def load(self) -> tuple[list[Document], list[Diagnostic]]:
        """Every file under ``content/``, parsing only those that changed since last time."""
        documents: list[Document] = []
        problems: list[Diagnostic] = []
        seen: dict[Path, _Loaded] = {}
        for item in discover(self.root):
            if isinstance(item, Diagnostic):
                problems.append(item)
                continue
            path = item[0]
            cached = self.files.get(path)
            stat = stat_key(path)
            if cached is None or cached.stat != stat or stat == (0, 0, 0):
                cached = _Loaded(stat, *load_document(*item))
            seen[path] = cached
            documents.append(cached.document)
            problems.extend(cached.problems)
        self.files = seen
        return documents, problems


def stat_key(path: Path) -> StatKey:
    """What tells a changed file: size, modification time and inode (0s if unreadable)."""
    try:
        stat = path.stat()
    except OSError:
        return (0, 0, 0)
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def same_site(old: Graph, new: Graph) -> bool:
    """Whether only records changed (not ``site.yaml``, the seeds or the aliases' targets)."""
    return old.site == new.site and old.seeds == new.seeds


def changed_records(old: Graph, new: Graph) -> set[Key]:
    """Records added, removed or edited (including their aliases) between two graphs."""
    found: set[Key] = set()
    for kind, records in new.records.items():
        before = old.records.get(kind, {})
        found.update((kind, record_id) for record_id, record in records.items()
                     if before.get(record_id) != record)
        found.update((kind, record_id) for record_id in before if record_id not in records)
    return found


def neighbours(graph: Graph, keys: Iterable[Key]) -> set[Key]:
    """The records that ``keys`` link to or are linked from."""
    found: set[Key] = set()
    for key in keys:
        for kind, targets in graph.outlinks.get(key, {}).items():
            found.update((kind, target) for target in targets)
        found.update((link.kind, link.id) for link in graph.backlinks.get(key, ()))
    return found


def affected(old: Graph, new: Graph) -> set[Key]:
    """The record pages that may differ: the changed records and those within two links of
    one, in the old graph or the new."""
    found = changed_records(old, new)
    for _ in range(2):
        found |= neighbours(old, found) | neighbours(new, found)
    return found


def merge(graph: Graph, rendered: list[Page], previous: Site) -> list[Page]:
    """The site's pages in ``render_pages``' order: the freshly rendered ones, and the
    previous build's for the records that were not rendered again."""
    fresh = _by_record(rendered)
    before = _by_record(previous.pages)
    pages = []
    for kind in (*RECORD_KINDS, "pages"):
        for record_id in graph.records[kind]:
            path = record_path(kind, record_id)
            pages.extend(fresh.get(path) or before.get(path, ()))
    return pages + [page for page in rendered if page.record_id is None]


def _by_record(pages: Iterable[Page]) -> dict[str, list[Page]]:
    """Each record's pages (its own, then those its numbered statements continue on), by
    the path of its own page."""
    found: dict[str, list[Page]] = {}
    for page in pages:
        if page.record_id is not None:
            found.setdefault(record_path(page.kind, page.record_id), []).append(page)
    return found


def differences(old: Site, new: Site) -> tuple[frozenset[str], frozenset[str]]:
    """The paths of the pages and assets that are new or differ, and those removed."""
    before: dict[str, Page | Asset] = {**{p.path: p for p in old.pages},
                                       **{a.path: a for a in old.assets}}
    after: dict[str, Page | Asset] = {**{p.path: p for p in new.pages},
                                      **{a.path: a for a in new.assets}}
    changed = frozenset(path for path, output in after.items()
                        if before.get(path) is not output and before.get(path) != output)
    return changed, frozenset(before.keys() - after.keys())
