"""Share-card benchmark: what drawing (cold cache) and reusing (warm cache) the fact-check
cards costs, against the whole site build, at N records.

It writes the synthetic content tree of ``bench_site.py`` (28 % of the records are
fact-checks, each with a card), then measures in one process
:func:`generator.cards.share_cards` over the rendered pages with an empty cache (every card
drawn) in one thread and again in :data:`generator.cards.DRAWING_THREADS` threads, then
with the cache it filled (every card read), and finally runs ``mkdocs build --strict``
(the real plugin, Pagefind included) twice in a subprocess: with the cache emptied first
and with the warm cache. Each time is given as wall time and as CPU time (user + system),
and the cards' share of the build both ways, with the machine's load average.

    .venv/bin/python benchmarks/bench_cards.py                  # 5,000 records
    .venv/bin/python benchmarks/bench_cards.py --records 1000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_site import OUT, run, write_site  # noqa: E402
from generator import cards  # noqa: E402
from generator.cards import CARD_CACHE, share_cards  # noqa: E402
from generator.jsonld import jsonld_hook  # noqa: E402
from generator.pipeline import build_graph  # noqa: E402
from generator.render import render_pages  # noqa: E402
from generator.site import SiteOptions  # noqa: E402

SITE_URL = "https://factsite.example.org/"


def timed(function, *args):  # type: ignore[no-untyped-def]
    """Wall and CPU seconds (user + system of this process, every thread) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def cards_alone(root: Path) -> dict[str, float]:
    """``share_cards`` with an empty cache drawn in one thread, again in
    :data:`~generator.cards.DRAWING_THREADS` threads, then with the cache it filled."""
    graph = build_graph(root).graph
    options = SiteOptions(site_url=SITE_URL, card_cache=root / CARD_CACHE)
    pages = render_pages(graph, options, jsonld_hook(graph, SITE_URL, True))
    share_cards(graph, pages[:50], SiteOptions(site_url=SITE_URL))  # fonts and templates
    result: dict[str, float] = {}
    threads = cards.DRAWING_THREADS
    for label, count in (("one_thread", 1), ("threads", threads)):
        cards.DRAWING_THREADS = count
        shutil.rmtree(root / CARD_CACHE, ignore_errors=True)
        wall, cpu, (_, assets, problems) = timed(share_cards, graph, pages, options)
        assert not problems, problems
        result |= {f"cold_{label}_wall_s": round(wall, 2), f"cold_{label}_cpu_s": round(cpu, 2)}
    wall, cpu, _ = timed(share_cards, graph, pages, options)
    count = max(1, len(assets))
    return {"cards": len(assets), "threads": threads, **result,
            "warm_wall_s": round(wall, 2), "warm_cpu_s": round(cpu, 2),
            "cpu_per_card_ms": round(1000 * result["cold_threads_cpu_s"] / count, 2),
            "bytes_per_card": round(sum(len(a.content) for a in assets) / count)}


def whole_build(root: Path, cold: bool) -> tuple[float, float]:
    """Wall and CPU seconds of ``mkdocs build --strict`` (the CPU of the child process)."""
    if cold:
        shutil.rmtree(root / CARD_CACHE, ignore_errors=True)
    build = run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], root)
    return round(build.wall, 1), round(build.cpu, 1)


def bench(total: int, build_runs: int) -> dict[str, object]:
    root = OUT / f"cards-{total}"
    shutil.rmtree(root, ignore_errors=True)
    write_site(root, total)
    load_before = os.getloadavg()[0]
    alone = cards_alone(root)
    # Cold and warm builds take turns; each figure is the median of its runs.
    builds = [(whole_build(root, cold=True), whole_build(root, cold=False))
              for _ in range(build_runs)]
    cold_wall, cold_cpu = (statistics.median(b[0][i] for b in builds) for i in (0, 1))
    warm_wall, warm_cpu = (statistics.median(b[1][i] for b in builds) for i in (0, 1))
    return {"records": total, **alone, "build_runs": build_runs,
            "build_cold_wall_s": cold_wall, "build_cold_cpu_s": cold_cpu,
            "build_warm_wall_s": warm_wall, "build_warm_cpu_s": warm_cpu,
            # What an empty cache adds to the build as shipped (where the cards are drawn
            # in a process of their own while the pages render), as a share of that build.
            "cold_added_wall": round((cold_wall - warm_wall) / cold_wall, 3),
            "cold_added_cpu": round((cold_cpu - warm_cpu) / cold_cpu, 3),
            "cold_share_cpu": round(alone["cold_threads_cpu_s"] / cold_cpu, 3),
            "cold_share_wall": round(alone["cold_threads_wall_s"] / cold_wall, 3),
            "warm_share_cpu": round(alone["warm_cpu_s"] / warm_cpu, 3),
            "warm_share_wall": round(alone["warm_wall_s"] / warm_wall, 3),
            "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--build-runs", type=int, default=3,
                        help="cold and warm whole builds, taking turns (median; default 3)")
    args = parser.parse_args()
    r = bench(args.records, args.build_runs)
    print(json.dumps(r, indent=1))
    print(f"\n| records | cards | cold, 1 thread (wall / CPU) | cold, {r['threads']} threads | "
          f"warm | build, cold cache (wall / CPU) | build, warm cache | cards' share cold "
          f"(wall / CPU) | warm |\n|---|---|---|---|---|---|---|---|---|\n"
          f"| {r['records']:,} | {r['cards']:,} | {r['cold_one_thread_wall_s']} / "
          f"{r['cold_one_thread_cpu_s']} s | {r['cold_threads_wall_s']} / "
          f"{r['cold_threads_cpu_s']} s | {r['warm_wall_s']} / {r['warm_cpu_s']} s | "
          f"{r['build_cold_wall_s']} / {r['build_cold_cpu_s']} s | {r['build_warm_wall_s']} / "
          f"{r['build_warm_cpu_s']} s | {r['cold_share_wall']:.1%} / {r['cold_share_cpu']:.1%} | "
          f"{r['warm_share_wall']:.1%} / {r['warm_share_cpu']:.1%} |")
    print(f"\nWhat an empty cache adds to the whole build (median of {r['build_runs']} cold and "
          f"warm builds): {r['cold_added_wall']:.1%} of its wall time, "
          f"{r['cold_added_cpu']:.1%} of its CPU time")
    print(f"load average (1 min) before / after: {r['load_average']}")


if __name__ == "__main__":
    main()
