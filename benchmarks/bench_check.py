"""Time the core pipeline (load → validate → link) on a synthetic tree of N records.

    python benchmarks/bench_check.py [--records 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synthetic import write_tree
from generator.link import link
from generator.load import load_tree
from generator.pipeline import collection_paused
from generator.seeds import read_seeds, wanted_seeds
from generator.validate import validate_all


def timed_run(root: Path) -> dict[str, float]:
    started = time.perf_counter()
    documents, problems = load_tree(root)
    loaded = time.perf_counter()
    validated_all = validate_all(documents)
    problems += [d for v in validated_all for d in v.diagnostics]
    entries = [(v.document, v.instance) for v in validated_all if v.instance is not None]
    validated = time.perf_counter()
    seeds, found = read_seeds(root, wanted_seeds(entries))
    problems += found
    _, found = link(entries, seeds)
    problems += found
    linked = time.perf_counter()
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise SystemExit(f"synthetic tree has errors, e.g. {errors[0].format()}")
    return {"load": loaded - started, "validate": validated - loaded, "link": linked - validated,
            "total": linked - started, "records": len(documents)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/check"))
    args = parser.parse_args()
    if args.out.exists():
        shutil.rmtree(args.out)
    write_tree(args.out, args.records)
    with collection_paused():  # as `factsite check` runs
        runs = [timed_run(args.out) for _ in range(args.repeat)]
    best = min(runs, key=lambda run: run["total"])
    print(f"{int(best['records'])} files: load {best['load']:.2f} s, validate "
          f"{best['validate']:.2f} s, link {best['link']:.2f} s, total {best['total']:.2f} s "
          f"(best of {args.repeat})")


if __name__ == "__main__":
    main()
