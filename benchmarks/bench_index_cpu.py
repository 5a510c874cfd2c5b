"""Where the search index's CPU goes in ``mkdocs build``: each Pagefind run, the shards'
assembly, the whole build, and the same build without the index (``benchmarks/README.md``,
Search, "Indexing's CPU").

CPU seconds are user + system of child processes (``resource.RUSAGE_CHILDREN``), which
other load on the machine distorts much less than wall time.

    NO_MKDOCS_2_WARNING=1 nice -n 19 .venv/bin/python benchmarks/bench_index_cpu.py \
        /tmp/tree --records 5000 --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import WITHOUT_INDEX, checked, timed, warm_up
from bench_site import write_site

WITH_INDEX = """\
import json, resource, shutil, sys
from pathlib import Path
from mkdocs.__main__ import cli
from generator import search

runs = []
keep = sys.argv[1] if len(sys.argv) > 1 else ""

def cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime

def measured(what, method):
    def wrapper(self, *args, **kwargs):
        if keep and what == "pagefind":
            shutil.copytree(args[0], Path(keep) / str(len(runs)), dirs_exist_ok=True)
        before = cpu()
        try:
            return method(self, *args, **kwargs)
        finally:
            runs.append([what, cpu() - before])
    return wrapper

search.Runner.run = measured("pagefind", search.Runner.run)
search.Runner.assemble = measured("assemble", search.Runner.assemble)
try:
    cli(["build", "-q"])
finally:
    print(json.dumps(runs), file=sys.stderr)
"""
"""``mkdocs build`` as shipped, printing (last line of stderr) each index process's CPU
seconds; given a folder, it copies each shard's slim pages there."""


def build(root: Path, script: str, *arguments: str) -> tuple[float, list[list[Any]]]:
    """``mkdocs build`` in ``root`` by ``script``: its CPU seconds (every process) and the
    index processes' (``WITH_INDEX``)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    results: list[subprocess.CompletedProcess[str]] = []
    _, cpu = timed(lambda: results.append(checked(subprocess.run(
        [sys.executable, "-c", script, *arguments], cwd=root, env=env, capture_output=True,
        text=True, check=False), root)))
    stderr = results[0].stderr
    runs = json.loads(stderr.strip().splitlines()[-1]) if script == WITH_INDEX else []
    return cpu, runs


def measure(root: Path, runs: int) -> dict[str, Any]:
    """``runs`` builds with and without the index, alternating, after one not timed (the
    share cards drawn: :func:`bench_search.warm_up`); medians."""
    warm_up(root)
    shipped, bare, pagefind, assemble = [], [], [], []
    for _ in range(runs):
        cpu, processes = build(root, WITH_INDEX)
        shipped.append(cpu)
        pagefind.append(sum(seconds for what, seconds in processes if what == "pagefind"))
        assemble.append(sum(seconds for what, seconds in processes if what == "assemble"))
        bare.append(build(root, WITHOUT_INDEX)[0])
    out = {name: round(statistics.median(values), 2) for name, values in [
        ("build_cpu_s", shipped), ("build_without_index_cpu_s", bare),
        ("pagefind_cpu_s", pagefind), ("assemble_cpu_s", assemble)]}
    out["index_share_cpu"] = round(
        (out["build_cpu_s"] - out["build_without_index_cpu_s"]) / out["build_cpu_s"], 3)
    return {**out, "runs": {"shipped": shipped, "without_index": bare, "pagefind": pagefind,
                            "assemble": assemble}, "load_average": os.getloadavg()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="the synthetic tree (written if missing)")
    parser.add_argument("--records", type=int, default=5000,
                        help="records of the tree to write (if ROOT has none)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep-pages", type=Path,
                        help="copy each shard's slim pages here (one build, no measurement)")
    options = parser.parse_args()
    if not (options.root / "mkdocs.yml").exists():
        write_site(options.root, options.records)
    else:  # the tree written earlier: its size is what it is
        options.records = None
    if options.keep_pages:
        start = time.perf_counter()
        cpu, processes = build(options.root, WITH_INDEX, str(options.keep_pages.absolute()))
        print(json.dumps({"build_cpu_s": round(cpu, 2), "processes": processes,
                          "wall_s": round(time.perf_counter() - start, 1)}))
        return
    print(json.dumps({"records": options.records, **measure(options.root, options.runs)}))


if __name__ == "__main__":
    main()
