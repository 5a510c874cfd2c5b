"""Site build benchmark: factsite at N records against a plain MkDocs site of N pages.

For each size it writes a synthetic content tree (statements, claims, sources with seed
texts, actors, elections, tactics), builds it with ``mkdocs build --strict`` (the real
plugin, timed hook by hook), then builds a plain MkDocs + Material site with the same number
of pages of similar length and a small explicit nav, in the same run. It reports the
CPU ratio, the peak memory of both builds (factsite's with and without its Pagefind
indexing step, measured inside the same runs), the generator's own share (load, validate,
link, render, sanitise) and the size of one claim page, which must not grow with the number
of records.

    .venv/bin/python benchmarks/bench_site.py            # 1,000 and 5,000 records, best of 5
    .venv/bin/python benchmarks/bench_site.py --sizes 5000 20000 --repeat 2
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import paragraph, write_tree  # noqa: E402

OUT = ROOT / "benchmarks" / "out"


def write_site(root: Path, total: int) -> dict[str, int]:
    """The synthetic content tree plus this repository's mkdocs.yml and theme/."""
    n = write_tree(root, total)
    shutil.copytree(ROOT / "theme", root / "theme", dirs_exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return n


def write_plain(root: Path, pages: int, seed: int = 2) -> None:
    """A plain MkDocs + Material site: ``pages`` prose pages, 10 links each, 2-entry nav.
    Their article text (tags stripped) is 3,420 characters on average, as long as the
    synthetic tree's pages' (3,380 at 5,000 records: 1,540 a statement, 3,660 a claim,
    11,600 an actor)."""
    rng = random.Random(seed)
    docs = root / "docs" / "pages"
    docs.mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text("# Home\n\n" + paragraph(rng) + "\n")
    for i in range(pages):
        links = "\n".join(f"- [Page {j}](page-{j:05d}.md)"
                          for j in (rng.randrange(pages) for _ in range(10)))
        body = "\n\n".join(paragraph(rng, 5) for _ in range(5))
        (docs / f"page-{i:05d}.md").write_text(
            f"# Page {i}\n\n{body}\n\n## Details\n\n{paragraph(rng, 5)}\n\n## Related\n\n"
            f"{links}\n")
    (root / "mkdocs.yml").write_text(yaml.safe_dump(plain_config(), sort_keys=False))


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: ``!ENV [NAME, default]`` becomes its default."""


_ConfigLoader.add_constructor(
    "!ENV", lambda loader, node: loader.construct_sequence(node)[-1]  # type: ignore[arg-type]
    if isinstance(node, yaml.SequenceNode) else None)


def plain_config() -> dict[str, object]:
    """The repo's mkdocs.yml (same theme, features, palette, repo link, nav shape) with the
    factsite plugin and custom_dir taken out: the same site written by hand."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_ConfigLoader)
    config["docs_dir"] = "docs"
    config["edit_uri"] = "edit/main/docs/"
    config["theme"].pop("custom_dir", None)
    config["plugins"] = ["search"]
    pages = iter(range(100))

    def replace(entry: object) -> object:
        if isinstance(entry, dict):
            return {key: replace(value) for key, value in entry.items()}
        if isinstance(entry, list):
            return [replace(item) for item in entry]
        return "index.md" if entry == "index.md" else f"pages/page-{next(pages):05d}.md"

    config["nav"] = replace(config["nav"])
    config["validation"] = {"nav": {"omitted_files": "ignore"}}
    return config


CHILD = """
import json, os, resource, sys, time
from mkdocs.commands.build import build
from mkdocs.config import load_config
import generator.build as build_module
import generator.mkdocs_plugin as plugin_module

spent = {}
def timed(name, function):
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.process_time() - start
    return wrapper

cls = plugin_module.FactsitePlugin
for hook in ("on_config", "on_pre_build", "on_files", "on_page_content"):
    setattr(cls, hook, timed(hook, getattr(cls, hook)))
# Inside on_pre_build (build_site): the core stages, and the JSON-LD each page asks for.
build_module.build_graph = timed("load+validate+link", build_module.build_graph)
build_module.render_pages = timed("render", build_module.render_pages)
build_module.export_assets = timed("export", build_module.export_assets)
make_hook = build_module.jsonld_hook
build_module.jsonld_hook = lambda *args, **kwargs: timed("json-ld", make_hook(*args, **kwargs))
# Pagefind (on_post_build) is left to the benchmark, which runs it on the built site as a
# process of its own right after (``factsite index``), so its time and peak memory are
# measured apart; here, this process's size when it would have started it.
pagefind = {}
def skipped_index(site_dir, **kwargs):
    pagefind["build_rss_mb"] = os.sysconf("SC_PAGE_SIZE") * int(
        open("/proc/self/statm").read().split()[1]) / 2**20
plugin_module.index_site = skipped_index
plugin_module.FactsitePlugin.background_index = lambda self, config, pages: None
start = time.process_time()
config = load_config("mkdocs.yml", strict=True)
build(config)
print(json.dumps({"total": time.process_time() - start, "hooks": spent,
                  "rss_at_index_mb": pagefind["build_rss_mb"],
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


SHIPPED = """
import json, resource
from mkdocs.__main__ import cli
cli(["build", "--strict"], standalone_mode=False)
peak = {"build_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "pagefind_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}
print(json.dumps(peak))
"""
"""``mkdocs build --strict`` (MkDocs' own command line, in this process), then the peak of
the build process and of its largest child (Pagefind, indexing in the background)."""


@dataclass(frozen=True)
class Run:
    """One build process: wall time, CPU time (user + system, its waited-for children
    included), peak RSS (the largest of it and its children) and its stdout."""

    wall: float
    cpu: float
    peak_mb: float
    stdout: str


def run(args: list[str], cwd: Path) -> Run:
    """Run a build; its times and peak memory from ``os.wait4``'s resource usage."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # Let Python cache bytecode as it does by default, so every run after the first measures
    # the build rather than compiling generator/ (the installed packages ship theirs).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise SystemExit(f"build failed in {cwd}:\n{err.read()[-3000:]}")
        return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.read())


def runs_of(builds: list[tuple[list[str], Path, bool]], repeat: int
            ) -> list[list[Run]]:
    """Every run of each build, ``repeat`` times, the builds taking turns so a busy spell
    on the machine hits both. A build (third item true) starts from a project with no
    built site, as in a fresh clone (CI): otherwise one build would time
    deleting the previous site (MkDocs before it builds, factsite after its swap) and the
    other not, and deleting some 10,000-17,000 files takes 2-25 s on this machine's disk."""
    rounds = [[run_fresh(args, cwd) if fresh else run(args, cwd) for args, cwd, fresh in builds]
              for _ in range(repeat)]
    return [[round_[i] for round_ in rounds] for i in range(len(builds))]


def run_fresh(args: list[str], cwd: Path) -> Run:
    """:func:`run` in a project whose built site is deleted first (not timed)."""
    shutil.rmtree(cwd / "site", ignore_errors=True)
    subprocess.run(["sync"], check=False)  # the deleted files' writes are not timed
    return run(args, cwd)


def fastest(values: list[float]) -> float:
    """The least of several measurements of one quantity: other load on the machine only
    ever adds time, so the minimum is the best estimate (as with ``timeit``)."""
    return min(values)


def bench(total: int, repeat: int = 1) -> dict[str, object]:
    base = OUT / f"site-{total}"
    shutil.rmtree(base, ignore_errors=True)
    n = write_site(base / "factsite", total)
    records = sum(n.values())
    # Pages: one per record, plus pages, indexes and overviews.
    plain_pages = records + 3
    write_plain(base / "plain", plain_pages)
    load_before = os.getloadavg()[0]
    factsite_runs, index_runs, plain_runs, shipped_runs = runs_of([
        ([sys.executable, "-c", CHILD], base / "factsite", True),
        ([sys.executable, "-m", "generator.cli", "index", "site"], base / "factsite", False),
        ([sys.executable, "-m", "mkdocs", "build", "--strict"], base / "plain", True),
        # The build as a user runs it: Pagefind indexes in the background while MkDocs
        # renders (on the second core), so its wall time is what a deploy waits for.
        ([sys.executable, "-c", SHIPPED], base / "factsite", True),
    ], repeat)
    load_after = os.getloadavg()[0]
    # The full build is the build and its Pagefind step, run one after the other.
    full = [(f.cpu + i.cpu, f.wall + i.wall) for f, i in zip(factsite_runs, index_runs,
                                                             strict=True)]
    factsite_cpu = fastest([cpu for cpu, _ in full])
    plain_cpu = fastest([r.cpu for r in plain_runs])
    # The two builds of one round ran back to back, so their ratio is the least touched by
    # the machine's slower and faster spells; the median of the rounds' ratios.
    paired = sorted(f[0] / p.cpu for f, p in zip(full, plain_runs, strict=True))
    # Each quantity's best run: the build total and every hook (a busy spell in one run
    # inflates whichever hook it falls in).
    reports = [json.loads(r.stdout.strip().splitlines()[-1]) for r in factsite_runs]
    measured = {"total": fastest([report["total"] for report in reports])}
    hooks = {name: fastest([report["hooks"].get(name, 0.0) for report in reports])
             for name in reports[0]["hooks"]}
    own = sum(hooks.get(hook, 0.0) for hook in ("on_config", "on_pre_build", "on_files",
                                                "on_page_content"))
    markdown_stages = (hooks.get("on_pre_build", 0.0) - hooks.get("json-ld", 0.0)
                       - hooks.get("export", 0.0))
    without_index = fastest([r.cpu for r in factsite_runs])
    build_peak = max(report["peak_mb"] for report in reports)
    index_peak = max(r.peak_mb for r in index_runs)
    # The process tree's peak when Pagefind runs inside the build: the build process's own
    # peak, or its size when it starts Pagefind plus Pagefind's peak, whichever is larger.
    tree_peak = max(build_peak, max(report["rss_at_index_mb"] for report in reports)
                    + index_peak)
    plain_peak = max(r.peak_mb for r in plain_runs)
    claim = base / "factsite" / "site" / "claims" / "claim-00000" / "index.html"
    return {
        "records": records, "pages": plain_pages,
        "load_average": [round(load_before, 1), round(load_after, 1)],
        "factsite_cpu_s": round(factsite_cpu, 2), "plain_cpu_s": round(plain_cpu, 2),
        "ratio_cpu": round(factsite_cpu / plain_cpu, 2),
        "ratio_rounds": [round(ratio, 2) for ratio in paired],
        "ratio_median": round(statistics.median(paired), 2),
        "factsite_wall_s": round(fastest([wall for _, wall in full]), 2),
        "plain_wall_s": round(fastest([r.wall for r in plain_runs]), 2),
        "without_pagefind_cpu_s": round(without_index, 2),
        "ratio_without_pagefind": round(without_index / plain_cpu, 2),
        "pagefind_cpu_s": round(fastest([r.cpu for r in index_runs]), 2),
        "pagefind_wall_s": round(fastest([r.wall for r in index_runs]), 2),
        "shipped_wall_s": round(fastest([r.wall for r in shipped_runs]), 2),
        "shipped_cpu_s": round(fastest([r.cpu for r in shipped_runs]), 2),
        "shipped_peak_mb": round(max(r.peak_mb for r in shipped_runs)),
        "shipped_peaks_mb": {key: round(max(json.loads(r.stdout.strip().splitlines()[-1])[key]
                                            for r in shipped_runs))
                             for key in ("build_peak_mb", "pagefind_peak_mb")},
        "shipped_memory_ratio": round(max(r.peak_mb for r in shipped_runs) / plain_peak, 2),
        "shipped_ratio_wall": round(fastest([r.wall for r in shipped_runs])
                                    / fastest([r.wall for r in plain_runs]), 2),
        "peak_mb": {"factsite_tree": round(tree_peak), "factsite_build": round(build_peak),
                    "pagefind": round(index_peak),
                    "plain": round(plain_peak)},
        "memory_ratio": round(tree_peak / plain_peak, 2),
        "memory_ratio_without_pagefind": round(build_peak / plain_peak, 2),
        "generator_s": round(own, 2), "generator_share": round(own / measured["total"], 3),
        # The issue's own-work stages (load, validate, link, render Markdown): on_pre_build
        # (build_site) without the JSON-LD the render stage puts in each page's head and
        # without the exports (issue 5's structured data and open data, reported apart).
        "pipeline_share": round(markdown_stages / measured["total"], 3),
        "pipeline_with_jsonld_share": round(hooks.get("on_pre_build", 0.0) / measured["total"],
                                            3),
        "jsonld_s": round(hooks.get("json-ld", 0.0), 2),
        "exports_s": round(hooks.get("export", 0.0), 2),
        "hooks_cpu_s": {k: round(v, 2) for k, v in hooks.items()},
        "claim_page_bytes": claim.stat().st_size,
        "factsite_html_mb": round(_size(base / "factsite" / "site") / 1e6, 1),
        "plain_html_mb": round(_size(base / "plain" / "site") / 1e6, 1),
    }


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*.html"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeat", type=int, default=5,
                        help="builds of each site per size; the fastest counts (default 5)")
    parser.add_argument("--keep", action="store_true", help="keep benchmarks/out/")
    args = parser.parse_args()
    results = []
    for size in args.sizes:
        result = bench(size, args.repeat)
        results.append(result)
        print(json.dumps(result), flush=True)
    if not args.keep:
        shutil.rmtree(OUT, ignore_errors=True)
    print("\n| records | load avg | factsite (CPU) | plain (CPU) | ratio | rounds | without "
          "Pagefind | ratio | Pagefind (CPU) | peak: factsite tree | build process | Pagefind | "
          "plain | ratio | ratio without Pagefind | own work | render | one claim page | "
          "mkdocs build as shipped: wall | plain: wall | ratio | CPU | peak | of which: "
          "build process | Pagefind | peak ratio |")
    print("|---" * 26 + "|")
    for r in results:
        peak = r["peak_mb"]
        print(f"| {r['records']:,} | {r['load_average'][0]}–{r['load_average'][1]} | "
              f"{r['factsite_cpu_s']} s | {r['plain_cpu_s']} s | {r['ratio_cpu']} | "
              f"{min(r['ratio_rounds'])}–{max(r['ratio_rounds'])} | "
              f"{r['without_pagefind_cpu_s']} s | {r['ratio_without_pagefind']} | "
              f"{r['pagefind_cpu_s']} s | {peak['factsite_tree']} MB | "
              f"{peak['factsite_build']} MB | {peak['pagefind']} MB | {peak['plain']} MB | "
              f"{r['memory_ratio']} | {r['memory_ratio_without_pagefind']} | "
              f"{r['generator_s']} s | {r['hooks_cpu_s'].get('render', 0.0)} s | "
              f"{r['claim_page_bytes']:,} B | {r['shipped_wall_s']} s | "
              f"{r['plain_wall_s']} s | {r['shipped_ratio_wall']} | {r['shipped_cpu_s']} s | "
              f"{r['shipped_peak_mb']} MB | {r['shipped_peaks_mb']['build_peak_mb']} MB | "
              f"{r['shipped_peaks_mb']['pagefind_peak_mb']} MB | {r['shipped_memory_ratio']} |")


if __name__ == "__main__":
    main()
