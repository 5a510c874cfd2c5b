"""Render-stage benchmark: CPU time of :func:`generator.render.render_pages` per page kind.

Writes the synthetic content tree (``benchmarks/synthetic.py``) of N records, or reuses one
(``--tree``), checks and links it once, then in the same process renders it ``--repeat``
times with the garbage collector paused (as :func:`generator.build.build_site` renders):
the whole stage (its first run is what a build pays: templates compiled, memory grown),
each kind's record pages (ms a page, best run), and the indexes and overview pages.
Times are CPU seconds of this process (``time.process_time``), which other load on the
machine disturbs less than wall time; the best of the runs counts.

    .venv/bin/python benchmarks/bench_render.py --records 5000
    .venv/bin/python benchmarks/bench_render.py --tree /tmp/tree-20000 --repeat 2
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import write_tree  # noqa: E402
from generator.pipeline import build_graph  # noqa: E402
from generator.publication import published_graph  # noqa: E402
from generator.render import pages  # noqa: E402
from generator.site import SiteOptions  # noqa: E402
from generator.types import build_time  # noqa: E402


def timed_records(per_kind: dict[str, list[float]]) -> Callable[..., None]:
    """``_Renderer.record``, adding each page's CPU time to ``per_kind``."""
    record = pages._Renderer.record

    def timed(self: Any, kind: str, item: Any) -> None:
        start = time.process_time()
        record(self, kind, item)
        per_kind[kind].append(time.process_time() - start)
    return timed


def bench(tree: Path, repeat: int) -> None:
    checked = build_graph(tree)
    if checked.errors:
        raise SystemExit(f"{tree}: the content has errors")
    graph = published_graph(checked.graph, build_time())
    records = sum(len(found) for found in graph.records.values())
    per_kind: dict[str, list[float]] = defaultdict(list)
    best: dict[str, float] = {}
    totals = []
    pages._Renderer.record = timed_records(per_kind)  # type: ignore[method-assign]
    gc.collect()
    gc.disable()
    for _ in range(repeat):
        per_kind.clear()
        start = time.process_time()
        pages.render_pages(graph, SiteOptions())
        totals.append(time.process_time() - start)
        for kind, times in per_kind.items():
            best[kind] = min(best.get(kind, float("inf")), sum(times))
        best["indexes and overviews"] = min(best.get("indexes and overviews", float("inf")),
                                            totals[-1] - sum(map(sum, per_kind.values())))
    gc.enable()
    counts = {kind: len(times) for kind, times in per_kind.items()}
    print(f"{records:,} records, load average {os.getloadavg()[0]:.1f}")
    print(f"render_pages: first run {totals[0]:.2f} s CPU, best {min(totals):.2f} s "
          f"({1000 * min(totals) / records:.3f} ms a record; runs: "
          f"{', '.join(f'{total:.2f}' for total in totals)})")
    for kind, seconds in best.items():
        pages_of_kind = counts.get(kind)
        each = f", {1000 * seconds / pages_of_kind:.3f} ms a page" if pages_of_kind else ""
        print(f"  {kind:22s} {seconds:6.2f} s{each}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--tree", type=Path, help="a content tree to reuse (has content/)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.tree:
        bench(args.tree, args.repeat)
        return
    with tempfile.TemporaryDirectory(prefix="bench-render-") as folder:
        write_tree(Path(folder), args.records)
        bench(Path(folder), args.repeat)


if __name__ == "__main__":
    main()
