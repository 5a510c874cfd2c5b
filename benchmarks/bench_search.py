"""Search benchmark: Pagefind (this site's search) against Material's lunr search.

For each size it writes a synthetic content tree (``synthetic.py``), builds it twice with
``mkdocs build``: as this repository configures it (Pagefind, indexed by the factsite plugin
while the pages render), and with Material's ``search`` plugin and Material's own header
instead (the site as it was before). Both sites are served over local HTTP and searched in
headless Chromium, each run in a new browser context (cold cache):

- first results: from the last keystroke of the query (typed like a reader into a page that
  has finished loading) until the first result is on screen;
- bytes: every response body fetched for search, from the page view to the first results
  (Pagefind: nothing before the reader opens the search; lunr: its whole index, on every
  first page view); then once the facet counts are on screen (the facet files also counted
  on their own), and with every facet group opened;
- indexing share: what the search index adds to ``mkdocs build`` (the build as shipped,
  which indexes the articles with Pagefind while MkDocs renders, against the same build with
  the index left out), in wall time and in CPU time (user + system of the child processes;
  less sensitive to other load on a shared machine); and, for comparison, ``factsite index``
  over the finished site (every page whole) against the build. The alternative's share is
  measured the same way: the lunr site built with Material's ``search`` plugin against the
  same site built with that plugin disabled (``enabled: false``; both without Pagefind).

Each figure is the median of ``--runs`` runs.

    .venv/bin/python benchmarks/bench_search.py --sizes 1000
    .venv/bin/python benchmarks/bench_search.py --sizes 20000 --runs 3 --build-runs 1
    .venv/bin/python benchmarks/bench_search.py --sizes 20000 --reuse --no-lunr
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browser_harness import ARGS, CHROMIUM, serve  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

from benchmarks.synthetic import counts, write_tree  # noqa: E402
from generator.search import index_site  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
BROAD = "ballot fraud"


def queries(total: int) -> dict[str, str]:
    """The queries for a synthetic tree of ``total`` records: two words of its vocabulary
    (48 words in all), which match a large share of the pages (the worst case for both
    engines); a DISARM id, on a few tactic pages ("T0112"); and a name ("Actor 17": the
    actor's page, the statements and fact-checks that name it, and the pages whose words
    start with "17"). A small tree has fewer tactics and actors: then the last of them."""
    made = counts(total)
    tactic = min(12, made["tactics"] - 1)  # synthetic.py: tactic i has DISARM id T0(100 + i)
    return {"broad": BROAD, "selective": f"T0{100 + tactic}",
            "name": f"Actor {min(17, made['actors'] - 1)}"}


OUR_SEARCH_PARTIALS = ("partials/header.html", "partials/search.html")


def write_project(root: Path, total: int, *, lunr: bool) -> None:
    """A synthetic tree with this repository's theme and mkdocs.yml; ``lunr``: with
    Material's search plugin and header instead of Pagefind's."""
    write_tree(root, total)
    shutil.copytree(ROOT / "theme", root / "theme", dirs_exist_ok=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if lunr:
        for partial in OUR_SEARCH_PARTIALS:
            (root / "theme" / partial).unlink()
        config = config.replace("plugins:\n  - factsite\n", "plugins:\n  - search\n  - factsite\n")
        assert "  - search\n" in config, "mkdocs.yml's plugins list has changed"
        (root / LUNR_OFF).write_text(
            config.replace("  - search\n", "  - search:\n      enabled: false\n"), encoding="utf-8")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")


LUNR_OFF = "mkdocs.lunr-off.yml"
"""The lunr project's configuration with Material's search plugin disabled: the same build
(the same plugins, so the same page pipeline) without the lunr index."""


WITHOUT_INDEX = """\
import sys
from mkdocs.__main__ import cli
from generator import mkdocs_plugin
mkdocs_plugin.FactsitePlugin.background_index = lambda self, config, pages: None
mkdocs_plugin.index_site = lambda site_dir: None
sys.exit(cli(["build", *sys.argv[1:]]))
"""
"""``mkdocs build`` (its arguments after the script's) with the factsite plugin's two search
index calls left out."""


def build(root: Path, *, index: bool = True, config: str = "mkdocs.yml") -> tuple[float, float]:
    """``mkdocs build`` in ``root`` (``index``: with the Pagefind index, as shipped); its wall
    and CPU seconds. The build starts with no built site, as in a fresh clone: deleting the
    last build's (not timed) takes 2-25 s on this machine's disk, whichever build pays it."""
    shutil.rmtree(root / "site", ignore_errors=True)
    subprocess.run(["sync"], check=False)  # the deleted files' writes are not timed either
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = (["-m", "mkdocs", "build", "-f", config] if index
               else ["-c", WITHOUT_INDEX, "-f", config])
    return timed(lambda: checked(subprocess.run(
        [sys.executable, *command], cwd=root, env=env, capture_output=True,
        text=True, check=False), root))


def checked(result: subprocess.CompletedProcess[str], root: Path
            ) -> subprocess.CompletedProcess[str]:
    """``result`` of a build in ``root``; the benchmark stops with its error if it failed."""
    if result.returncode != 0:
        raise SystemExit(f"build failed in {root}:\n{result.stderr[-3000:]}")
    return result


Searcher = Callable[[Any, str], tuple[float, float]]
"""Search a page for a query: seconds from the last keystroke to the first result on
screen, and the moment (``time.perf_counter``) that result entered the page."""

FIRST_RESULT = """selector => {
  window.__firstResult = null;
  new MutationObserver((_, observer) => {
    if (document.querySelector(selector)) {
      window.__firstResult = performance.now();
      observer.disconnect();
    }
  }).observe(document.body, { childList: true, subtree: true });
}"""
"""Notes (in the page's clock) when the first result enters the page."""


def pagefind_search(page: Any, query: str) -> tuple[float, float]:
    page.keyboard.press("/")
    return type_and_wait(page, page.locator("#fs-search-input"), ".fs-result", query)


def lunr_search(page: Any, query: str) -> tuple[float, float]:
    box = page.locator("input.md-search__input")
    box.click()
    return type_and_wait(page, box, ".md-search-result__item", query)


def type_and_wait(page: Any, box: Any, result: str, query: str) -> tuple[float, float]:
    """Type the query like a reader; seconds from its last keystroke to the first result
    on screen, and when (this process's clock) the page shows it."""
    box.press_sequentially(query[:-1])
    page.evaluate(FIRST_RESULT, result)
    start = time.perf_counter()
    box.press(query[-1])
    try:
        page.locator(result).first.wait_for(timeout=120_000)
    except PlaywrightTimeout:
        raise SystemExit(f"no result for {query!r} in 120 s") from None
    seconds = time.perf_counter() - start
    now = time.perf_counter()
    page_now, page_shown = page.evaluate("() => [performance.now(), window.__firstResult]")
    shown_at = now - (page_now - page_shown) / 1000 if page_shown is not None else now
    return seconds, shown_at


def measure(browser: Any, url: str, searcher: Searcher, query: str) -> dict[str, float]:
    """One cold run: bytes fetched on the page view, bytes of the requests started before
    the first results are on screen, bytes once the facet counts are on screen too (the
    facet files counted on their own as well), bytes with every facet group opened, and
    seconds from typing to the first results. Every request must stay on the site's
    origin."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        finished: list[tuple[float, Any]] = []
        started: list[tuple[float, Any]] = []
        page.on("request", lambda request: started.append((time.perf_counter(), request)))
        page.on("requestfinished", lambda request: finished.append((time.perf_counter(),
                                                                    request)))
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        typed = time.perf_counter()
        seconds, shown = searcher(page, query)
        if searcher is pagefind_search:  # the facet counts must come too
            page.locator(".fs-facet__count").first.wait_for(timeout=120_000)
        quiet(page, started, finished)
        early = {id(request) for at, request in started if at <= shown}
        on_view = sum(_body(request) for at, request in finished if at < typed)
        first = sum(_body(request) for _, request in finished if id(request) in early)
        total = sum(_body(request) for _, request in finished)
        facets = sum(_body(request) for _, request in finished if _is_facets(request.url))
        html_and_assets = _page_bytes(finished, typed)
        every = total + open_every_facet(page, started, finished)
        foreign = [request.url for _, request in started
                   if not request.url.startswith(url.rstrip("/") + "/")]
        if foreign:
            raise SystemExit(f"requests left the site's origin: {foreign[:5]}")
        return {"first_results_s": seconds, "search_bytes": first - html_and_assets,
                "with_facets_bytes": total - html_and_assets, "facets_bytes": facets,
                "every_facet_bytes": every - html_and_assets,
                "page_view_search_bytes": on_view - html_and_assets}
    finally:
        context.close()


def open_every_facet(page: Any, started: list[Any], finished: list[Any]) -> int:
    """Open every closed facet group of the search panel (Pagefind only); the bytes that
    fetches."""
    before = len(finished)
    closed = page.locator("details.fs-facet:not([open]) > summary")
    while closed.count():
        closed.first.click()
        quiet(page, started, finished)
    return sum(_body(request) for _, request in finished[before:])


def _is_facets(url: str) -> bool:
    return "/pagefind/facets/" in url


def quiet(page: Any, started: list[Any], finished: list[Any], idle: float = 0.5) -> None:
    """Wait until every request has finished and none started for ``idle`` seconds."""
    seen, since = len(started), time.perf_counter()
    while len(started) != len(finished) or time.perf_counter() - since < idle:
        page.wait_for_timeout(50)
        if len(started) != seen:
            seen, since = len(started), time.perf_counter()


def _body(request: Any) -> int:
    return int(request.sizes()["responseBodySize"])


def _page_bytes(finished: list[tuple[float, Any]], before: float) -> int:
    """The page and its theme assets (not search): fetched before typing, not search."""
    return sum(_body(request) for at, request in finished
               if at < before and not _is_search(request.url))


def _is_search(url: str) -> bool:
    return "/pagefind/" in url or "/search/" in url or "workers/search" in url


def browser_runs(site: Path, searcher: Searcher, runs: int, total: int
                 ) -> dict[str, dict[str, float]]:
    from playwright.sync_api import sync_playwright

    out = {}
    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for name, query in queries(total).items():
                measured = [measure(browser, url, searcher, query) for _ in range(runs)]
                out[name] = {key: statistics.median(run[key] for run in measured)
                             for key in measured[0]}
        finally:
            browser.close()
    return out


def search_only(total: int, runs: int, lunr: bool, folder: Path = OUT) -> dict[str, Any]:
    """The browser measurements again, over the sites of an earlier run of this size."""
    base = folder / f"search-{total}"
    sites = {"pagefind": base / "pagefind" / "site", "lunr": base / "lunr" / "site"}
    if not sites["pagefind"].is_dir() or (lunr and not sites["lunr"].is_dir()):
        raise SystemExit(f"{base}: no sites built by an earlier run; run without --reuse")
    shutil.copytree(ROOT / "theme" / "assets", sites["pagefind"] / "assets",
                    dirs_exist_ok=True)
    out = {"records": total, "reused": True,
           "pagefind": browser_runs(sites["pagefind"], pagefind_search, runs, total)}
    if lunr:
        out["lunr"] = browser_runs(sites["lunr"], lunr_search, runs, total)
    return {**out, "load_average": os.getloadavg()}


def indexing_share(ours: Path, runs: int) -> dict[str, Any]:
    """The build with and without the search index, ``runs`` times each (alternating), and
    ``factsite index`` over the finished site."""
    warm_up(ours)
    shipped, bare = [], []
    for _ in range(runs):
        shipped.append(build(ours))
        bare.append(build(ours, index=False))
    whole = [timed(lambda: index_site(ours / "site")) for _ in range(runs)]
    return {"pagefind_share": share(shipped, bare),
            "index_whole_site_s": _rounded(_medians(whole)),
            "builds": {"shipped": shipped, "without_index": bare}}


def lunr_share(theirs: Path, runs: int) -> dict[str, Any]:
    """The same for Material's search: the lunr project built with its search plugin
    enabled and disabled (neither with Pagefind), ``runs`` times each, alternating; the last
    build is the lunr site, searched afterwards."""
    warm_up(theirs)
    enabled, disabled = [], []
    for _ in range(runs):
        disabled.append(build(theirs, index=False, config=LUNR_OFF))
        enabled.append(build(theirs, index=False))
    return {"lunr_share": share(enabled, disabled),
            "lunr_builds": {"enabled": enabled, "disabled": disabled}}


def warm_up(root: Path) -> None:
    """One build of ``root``, not timed, so that every timed build finds the share cards
    already drawn (``.cache/factsite/cards/``), as on a maintainer's machine or a deploy that
    keeps its cache. Without it the first timed build drew every card (5-7 s of CPU at 5,000
    records, on the other core) and the index's share counted them."""
    build(root, index=False)


def share(with_index: list[tuple[float, float]], without: list[tuple[float, float]]
          ) -> dict[str, Any]:
    """Median wall and CPU seconds of the builds with an index and without it, and what the
    index adds, as a share of the build with it."""
    built, bare = _medians(with_index), _medians(without)
    return {"build_s": _rounded(built), "build_without_index_s": _rounded(bare),
            "wall": round((built[0] - bare[0]) / built[0], 3),
            "cpu": round((built[1] - bare[1]) / built[1], 3)}


def _medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """The median wall and the median CPU seconds of ``runs``."""
    return statistics.median(run[0] for run in runs), statistics.median(run[1] for run in runs)


def _rounded(seconds: tuple[float, float]) -> dict[str, float]:
    return {"wall": round(seconds[0], 1), "cpu": round(seconds[1], 1)}


def bench(total: int, runs: int, build_runs: int, lunr: bool, folder: Path = OUT
          ) -> dict[str, Any]:
    base = folder / f"search-{total}"
    shutil.rmtree(base, ignore_errors=True)
    ours, theirs = base / "pagefind", base / "lunr"
    write_project(ours, total, lunr=False)
    out: dict[str, Any] = {"records": total, **indexing_share(ours, build_runs)}
    print(json.dumps(out), file=sys.stderr, flush=True)
    out["indexed_pages"] = index_site(ours / "site").pages
    out["pagefind_bundle_bytes"] = _size(ours / "site" / "pagefind")
    out["pagefind"] = browser_runs(ours / "site", pagefind_search, runs, total)
    if lunr:
        write_project(theirs, total, lunr=True)
        out.update(lunr_share(theirs, build_runs))
        print(json.dumps(out), file=sys.stderr, flush=True)
        out["lunr_index_bytes"] = (theirs / "site" / "search" / "search_index.json").stat().st_size
        out["lunr"] = browser_runs(theirs / "site", lunr_search, runs, total)
    return {**out, "load_average": os.getloadavg()}


def timed(function: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, of child processes: mkdocs, Pagefind)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    function()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--build-runs", type=int, default=3,
                        help="builds with and without the index (median)")
    parser.add_argument("--no-lunr", dest="lunr", action="store_false",
                        help="leave out Material's lunr search")
    parser.add_argument("--out", type=Path, default=OUT, metavar="DIR",
                        help="where the trees and sites are written (default: benchmarks/out; "
                             "a memory file system such as /dev/shm leaves out the disk's own "
                             "time, which on some disks varies by seconds between builds)")
    parser.add_argument("--reuse", action="store_true",
                        help="only search again, in the sites an earlier run built (with the "
                             "theme's current search script)")
    args = parser.parse_args()
    for total in args.sizes:
        print(f"load average before {total}: {os.getloadavg()}", file=sys.stderr, flush=True)
        result = (search_only(total, args.runs, args.lunr, args.out) if args.reuse
                  else bench(total, args.runs, args.build_runs, args.lunr, args.out))
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
