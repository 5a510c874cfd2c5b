"""Share-card benchmark: what drawing (cold cache) and reusing (warm cache) the fact-check
cards costs, against the whole site build, at N records.

It writes the synthetic content tree of ``bench_site.py`` (28 % of the records are
fact-checks, each with a card), then measures in one process the CPU time of
:func:`generator.cards.share_cards` over the rendered pages with an empty cache (every
card drawn) and again with the cache it filled (every card read), and finally runs
``mkdocs build --strict`` (the real plugin, Pagefind included) twice in a subprocess: with
the cache emptied first and with the warm cache. Times are CPU seconds (user + system).

    .venv/bin/python benchmarks/bench_cards.py                  # 5,000 records
    .venv/bin/python benchmarks/bench_cards.py --records 1000
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_site import OUT, run, write_site  # noqa: E402
from generator.cards import CARD_CACHE, share_cards  # noqa: E402
from generator.jsonld import jsonld_hook  # noqa: E402
from generator.pipeline import build_graph  # noqa: E402
from generator.render import render_pages  # noqa: E402
from generator.site import SiteOptions  # noqa: E402

SITE_URL = "https://factsite.example.org/"


def cpu_of(function, *args):  # type: ignore[no-untyped-def]
    start = time.process_time()
    result = function(*args)
    return time.process_time() - start, result


def cards_alone(root: Path) -> dict[str, float]:
    """CPU seconds of ``share_cards`` with an empty cache, then with the cache it filled."""
    graph = build_graph(root).graph
    options = SiteOptions(site_url=SITE_URL, card_cache=root / CARD_CACHE)
    pages = render_pages(graph, options, jsonld_hook(graph, SITE_URL, True))
    shutil.rmtree(root / CARD_CACHE, ignore_errors=True)
    cold, (_, assets, problems) = cpu_of(share_cards, graph, pages, options)
    assert not problems, problems
    warm, _ = cpu_of(share_cards, graph, pages, options)
    return {"cards": len(assets), "cold_s": round(cold, 2), "warm_s": round(warm, 2),
            "per_card_ms": round(1000 * cold / max(1, len(assets)), 1),
            "bytes_per_card": round(sum(len(a.content) for a in assets) / max(1, len(assets)))}


def whole_build(root: Path, cold: bool) -> float:
    if cold:
        shutil.rmtree(root / CARD_CACHE, ignore_errors=True)
    _, cpu, _ = run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], root)
    return round(cpu, 1)


def bench(total: int) -> dict[str, object]:
    root = OUT / f"cards-{total}"
    shutil.rmtree(root, ignore_errors=True)
    write_site(root, total)
    alone = cards_alone(root)
    build_cold = whole_build(root, cold=True)
    build_warm = whole_build(root, cold=False)
    return {"records": total, **alone, "build_cold_s": build_cold, "build_warm_s": build_warm,
            "cold_share": round(alone["cold_s"] / build_cold, 3),
            "warm_share": round(alone["warm_s"] / build_warm, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5000)
    result = bench(parser.parse_args().records)
    print(json.dumps(result, indent=1))
    print(f"\n| records | cards | cold: draw all | warm: read all | build, cold cache | "
          f"build, warm cache | cards' share cold / warm |\n|---|---|---|---|---|---|---|\n"
          f"| {result['records']:,} | {result['cards']:,} | {result['cold_s']} s | "
          f"{result['warm_s']} s | {result['build_cold_s']} s | {result['build_warm_s']} s | "
          f"{result['cold_share']:.1%} / {result['warm_share']:.1%} |")


if __name__ == "__main__":
    main()
