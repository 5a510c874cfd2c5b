"""Search benchmark: Pagefind (this site's search) against Material's lunr search.

For each size it writes a synthetic content tree (``synthetic.py``), builds it twice with
``mkdocs build``: as this repository configures it (Pagefind, indexed by the factsite plugin
after the build), and with Material's ``search`` plugin and Material's own header instead (the
site as it was before). Both sites are served over local HTTP and searched in headless
Chromium, each run in a new browser context (cold cache):

- first results: from the last keystroke of the query (typed like a reader into a page that
  has finished loading) until the first result is on screen;
- bytes: every response body fetched for search, from the page view to the first results
  (Pagefind: nothing before the reader opens the search; lunr: its whole index, on every
  first page view);
- indexing share: ``factsite index`` over the built site against the whole build (which
  includes one indexing run), in wall time and in CPU time (user + system of the child
  processes; less sensitive to other load on a shared machine).

Each figure is the median of ``--runs`` runs.

    .venv/bin/python benchmarks/bench_search.py --sizes 1000
    .venv/bin/python benchmarks/bench_search.py --sizes 20000 --runs 3
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import write_tree  # noqa: E402
from generator.search import index_site  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
QUERY = "ballot fraud"
"""Two words of the synthetic vocabulary (48 words): they match a large share of the
pages, the worst case for both engines."""
CHROMIUM = os.environ.get("FACTSITE_CHROMIUM") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
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
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")


def build(root: Path) -> tuple[float, float]:
    """``mkdocs build`` in ``root``; its wall and CPU seconds."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return _timed(lambda: _check(subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"], cwd=root, env=env, capture_output=True,
        text=True, check=False), root))


def _check(result: subprocess.CompletedProcess[str], root: Path) -> None:
    if result.returncode != 0:
        raise SystemExit(f"build failed in {root}:\n{result.stderr[-3000:]}")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


Searcher = Callable[[Any], float]


def pagefind_search(page: Any) -> float:
    page.keyboard.press("/")
    return type_and_wait(page, page.locator("#fs-search-input"), ".fs-result")


def lunr_search(page: Any) -> float:
    box = page.locator("input.md-search__input")
    box.click()
    return type_and_wait(page, box, ".md-search-result__item")


def type_and_wait(page: Any, box: Any, result: str) -> float:
    """Type the query like a reader; seconds from its last keystroke to the first result
    on screen."""
    box.press_sequentially(QUERY[:-1])
    start = time.perf_counter()
    box.press(QUERY[-1])
    page.locator(result).first.wait_for(timeout=600_000)
    return time.perf_counter() - start


def measure(browser: Any, url: str, searcher: Searcher) -> dict[str, float]:
    """One cold run: bytes fetched on the page view, bytes up to the first results, and
    seconds from typing to the first results."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        finished: list[tuple[float, Any]] = []
        started: list[Any] = []
        page.on("request", lambda request: started.append(request))
        page.on("requestfinished", lambda request: finished.append((time.perf_counter(),
                                                                    request)))
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        typed = time.perf_counter()
        seconds = searcher(page)
        shown = time.perf_counter()
        quiet(page, started, finished)  # then the facets (Pagefind) arrive
        on_view = sum(_body(request) for at, request in finished if at < typed)
        first = sum(_body(request) for at, request in finished if at <= shown)
        total = sum(_body(request) for _, request in finished)
        html_and_assets = _page_bytes(finished, typed)
        return {"first_results_s": seconds, "search_bytes": first - html_and_assets,
                "with_facets_bytes": total - html_and_assets,
                "page_view_search_bytes": on_view - html_and_assets}
    finally:
        context.close()


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


def browser_runs(site: Path, searcher: Searcher, runs: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            measured = [measure(browser, url, searcher) for _ in range(runs)]
        finally:
            browser.close()
    return {key: statistics.median(run[key] for run in measured) for key in measured[0]}


def bench(total: int, runs: int) -> dict[str, Any]:
    base = OUT / f"search-{total}"
    shutil.rmtree(base, ignore_errors=True)
    ours, theirs = base / "pagefind", base / "lunr"
    write_project(ours, total, lunr=False)
    write_project(theirs, total, lunr=True)
    build_wall, build_cpu = build(ours)
    indexing = [_timed(lambda: index_site(ours / "site")) for _ in range(runs)]
    index_wall = statistics.median(wall for wall, _ in indexing)
    index_cpu = statistics.median(cpu for _, cpu in indexing)
    pages = index_site(ours / "site").pages
    build(theirs)
    lunr_index = theirs / "site" / "search" / "search_index.json"
    return {
        "records": total, "indexed_pages": pages,
        "build_wall_s": round(build_wall, 1), "build_cpu_s": round(build_cpu, 1),
        "index_wall_s": round(index_wall, 1), "index_cpu_s": round(index_cpu, 1),
        "index_share_wall": round(index_wall / build_wall, 3),
        "index_share_cpu": round(index_cpu / build_cpu, 3),
        "pagefind_bundle_bytes": _size(ours / "site" / "pagefind"),
        "lunr_index_bytes": lunr_index.stat().st_size,
        "pagefind": browser_runs(ours / "site", pagefind_search, runs),
        "lunr": browser_runs(theirs / "site", lunr_search, runs),
        "load_average": os.getloadavg(),
    }


def _timed(function: Callable[[], object]) -> tuple[float, float]:
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
    args = parser.parse_args()
    for total in args.sizes:
        print(f"load average before {total}: {os.getloadavg()}", file=sys.stderr, flush=True)
        print(json.dumps(bench(total, args.runs)), flush=True)


if __name__ == "__main__":
    main()
