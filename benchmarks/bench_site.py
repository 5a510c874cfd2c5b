"""Site build benchmark: factsite at N records against a plain MkDocs site of N pages.

For each size it writes a synthetic content tree (statements, claims, sources with seed
texts, actors, elections, tactics), builds it with ``mkdocs build --strict`` (the real
plugin, timed hook by hook), then builds a plain MkDocs + Material site with the same number
of pages of similar length and a small explicit nav, in the same run. It reports the
ratio, the generator's own share (load, validate, link, render, sanitise) and the size of
one claim page, which must not grow with the number of records.

    .venv/bin/python benchmarks/bench_site.py            # 1,000 and 5,000 records, best of 5
    .venv/bin/python benchmarks/bench_site.py --sizes 100 1000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
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
    """A plain MkDocs + Material site: ``pages`` prose pages, 10 links each, 2-entry nav."""
    rng = random.Random(seed)
    docs = root / "docs" / "pages"
    docs.mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text("# Home\n\n" + paragraph(rng) + "\n")
    for i in range(pages):
        links = "\n".join(f"- [Page {j}](page-{j:05d}.md)"
                          for j in (rng.randrange(pages) for _ in range(10)))
        body = "\n\n".join(paragraph(rng, 5) for _ in range(4))
        (docs / f"page-{i:05d}.md").write_text(
            f"# Page {i}\n\n{body}\n\n## Details\n\n{paragraph(rng)}\n\n## Related\n\n{links}\n")
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
import json, sys, time
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
start = time.process_time()
config = load_config("mkdocs.yml", strict=True)
build(config)
print(json.dumps({"total": time.process_time() - start, "hooks": spent}))
"""


def run(args: list[str], cwd: Path) -> tuple[float, float, str]:
    """Run a build; return its wall time, its CPU time (user + system) and its stdout."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # Let Python cache bytecode as it does by default, so every run after the first measures
    # the build rather than compiling generator/ (the installed packages ship theirs).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"build failed in {cwd}:\n{result.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, result.stdout


def runs_of(builds: list[tuple[list[str], Path]], repeat: int
            ) -> list[list[tuple[float, float, str]]]:
    """Every run of each build, ``repeat`` times, the builds taking turns so a busy spell
    on the machine hits both."""
    rounds = [[run(args, cwd) for args, cwd in builds] for _ in range(repeat)]
    return [[round_[i] for round_ in rounds] for i in range(len(builds))]


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
    factsite_runs, plain_runs = runs_of([
        ([sys.executable, "-c", CHILD], base / "factsite"),
        ([sys.executable, "-m", "mkdocs", "build", "--strict"], base / "plain"),
    ], repeat)
    factsite_cpu = fastest([cpu for _, cpu, _ in factsite_runs])
    plain_cpu = fastest([cpu for _, cpu, _ in plain_runs])
    # The two builds of one round ran back to back, so their ratio is the least touched by
    # the machine's slower and faster spells; the median of the rounds' ratios.
    paired = sorted(f[1] / p[1] for f, p in zip(factsite_runs, plain_runs, strict=True))
    factsite_wall = fastest([wall for wall, _, _ in factsite_runs])
    plain_wall = fastest([wall for wall, _, _ in plain_runs])
    # Each quantity's best run: the build total and every hook (a busy spell in one run
    # inflates whichever hook it falls in).
    reports = [json.loads(output.strip().splitlines()[-1]) for _, _, output in factsite_runs]
    measured = {"total": fastest([report["total"] for report in reports])}
    hooks = {name: fastest([report["hooks"].get(name, 0.0) for report in reports])
             for name in reports[0]["hooks"]}
    own = sum(hooks.get(hook, 0.0) for hook in ("on_config", "on_pre_build", "on_files",
                                                "on_page_content"))
    markdown_stages = (hooks.get("on_pre_build", 0.0) - hooks.get("json-ld", 0.0)
                       - hooks.get("export", 0.0))
    claim = base / "factsite" / "site" / "claims" / "claim-00000" / "index.html"
    return {
        "records": records, "pages": plain_pages,
        "factsite_cpu_s": round(factsite_cpu, 2), "plain_cpu_s": round(plain_cpu, 2),
        "ratio_cpu": round(factsite_cpu / plain_cpu, 2),
        "ratio_rounds": [round(ratio, 2) for ratio in paired],
        "ratio_median": round(statistics.median(paired), 2),
        "factsite_wall_s": round(factsite_wall, 2), "plain_wall_s": round(plain_wall, 2),
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
    print("\n| records | factsite build (CPU) | plain MkDocs (CPU) | ratio | ratio, median of "
          "rounds | generator's own work | share | of which load…render Markdown | JSON-LD | "
          "exports | one claim page |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['records']:,} | {r['factsite_cpu_s']} s | {r['plain_cpu_s']} s | "
              f"{r['ratio_cpu']} | {r['ratio_median']} ({min(r['ratio_rounds'])}–"
              f"{max(r['ratio_rounds'])}) | {r['generator_s']} s | {r['generator_share']:.1%} | "
              f"{r['pipeline_share']:.1%} | {r['jsonld_s']} s | {r['exports_s']} s | "
              f"{r['claim_page_bytes']:,} B |")


if __name__ == "__main__":
    main()
