"""Hostile inputs of the red-team report (issue 20), each grown x1, x2, x4, x8: time to check
(load → validate → link) and render every page, and the growth ratio. Linear time gives a
ratio near 8 from x1 to x8; the report measured these inputs growing as a square or worse.

    python benchmarks/bench_hostile.py [--scale 1.0] [--only NAME ...] [--build [--plain]]
                                       [--repeat 3]

``--scale`` multiplies every size (the default x8 is a few hundred kilobytes of content);
``--build`` also runs ``mkdocs build`` on the x8 case of each input that passes the check
(slower: a real site), with the CPU seconds of each of the factsite plugin's hooks;
``--plain`` then builds a plain MkDocs + Material site (``bench_site.py``'s configuration,
no factsite plugin) with as many one-line pages, for MkDocs' own cost per page. Each case
is a copy of ``tests/fixtures/basic`` with the hostile files added, in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_site import plain_config, run
from generator.models import MAX_NAMED
from generator.pipeline import build_graph, collection_paused
from generator.quotes import seed_index
from generator.render import render_pages

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "basic"
Files = dict[str, str]
SOURCE = "kind: report\npublisher: P\npublished: 2022\n"


def failing_quote(n: int) -> Files:
    """F9: a quote that is not in a large seed (the did-you-mean searched quote x seed)."""
    words = " ".join(f"w{i % 9973}x{i % 7}" for i in range(n * 11_000))  # 100 kB per n
    quote = " ".join(f"w{i}x{i % 7}" for i in range(40, 440)) + " missing"
    return {"seeds/big.txt": words,
            "content/sources/big.yaml": f"title: B\n{SOURCE}seed: big.txt\n",
            "content/statements/big.yaml": "speaker: anna-weiss\ndate: 2022\nform: paraphrase\n"
                                           "text: T.\ncitations:\n  - source: big\n"
                                           f"    quote: {quote}\n"}


def explainer(body: str) -> Files:
    return {"content/explainers/hostile.md": "---\ntitle: T\nsummary: S\npublished: 2022-12-01\n"
                                             f"authors: [A]\n---\n{body}"}


def nested_quotes(n: int) -> Files:
    """F10: block quotes nested n x 5,000 deep (refused by the check now)."""
    return explainer("> " * (5000 * n) + "deep\n")


def unresolved_refs(n: int) -> Files:
    """F11: unresolved [[refs]], one diagnostic each (positions were found per problem)."""
    return explainer("[[actors/nobody]]\n" * (1000 * n))


def raw_html(n: int) -> Files:
    """F11: raw HTML tags in a block scalar (the file was re-split per problem)."""
    lines = "".join(f"  <b>x</b> {i}\n\n" for i in range(1000 * n))
    return {"content/actors/hostile.yaml": f"name: H\nkind: person\ndescription: |\n{lines}"}


def duplicate_keys(n: int) -> Files:
    """F11: repeated keys (each looked up by a scan of its mapping)."""
    keys = "".join(f"  k{i}: 1\n  k{i}: 2\n" for i in range(1000 * n))
    return {"content/actors/hostile.yaml": f"name: H\nkind: person\nnested:\n{keys}"}


def chain(n: int) -> Files:
    """F12: a reported_in chain of sources (each page walked the chain quadratically)."""
    size = 100 * n
    files = {f"content/sources/c{i}.yaml": f"title: C{i}\n{SOURCE}availability: reported-only"
                                           f"\nreported_in: [c{i + 1}]\n" for i in range(size)}
    files[f"content/sources/c{size}.yaml"] = (f"title: End\n{SOURCE}url: https://example.org/\n"
                                              "archived_url: https://web.archive.org/x\n")
    return files


def matrix(n: int) -> Files:
    """F13: statements each naming as many elections and tactics as a record may
    (``MAX_NAMED``, 20 of each: more are refused), n x 10 of them over n x 40 elections and
    n x 40 tactics, their blocks of 20 x 20 spread over the matrix. One statement naming
    every election and tactic made the matrix grow as elections x tactics x statements."""
    side, statements = 40 * n, 10 * n
    files = {f"content/elections/e{i}.yaml": "name: E\ncountry: RO\ndate: 2022\ntype: general\n"
             for i in range(side)}
    files.update({f"content/tactics/t{i}.yaml": "name: T\nsummary: S.\ncategory: malign-finance\n"
                  for i in range(side)})
    windows = side // MAX_NAMED
    for i in range(statements):
        first_election = i % windows * MAX_NAMED
        first_tactic = (3 * i + i // windows) % windows * MAX_NAMED
        elections = ", ".join(f"e{first_election + j}" for j in range(MAX_NAMED))
        tactics = ", ".join(f"t{first_tactic + j}" for j in range(MAX_NAMED))
        files[f"content/statements/s{i}.yaml"] = (
            "speaker: anna-weiss\ndate: 2022\nform: paraphrase\ntext: Several.\n"
            f"about:\n  elections: [{elections}]\n  tactics: [{tactics}]\n"
            "citations:\n  - source: example-report\n")
    return files


def matrix_one_record(n: int) -> Files:
    """F13 as the report built it: four statements each naming every one of n x 20
    elections and n x 20 tactics (the matrix grew as n² x 4); refused by the check now."""
    side = 20 * n
    files = {f"content/elections/e{i}.yaml": "name: E\ncountry: RO\ndate: 2022\ntype: general\n"
             for i in range(side)}
    files.update({f"content/tactics/t{i}.yaml": "name: T\nsummary: S.\ncategory: malign-finance\n"
                  for i in range(side)})
    about = (f"about:\n  elections: [{', '.join(f'e{i}' for i in range(side))}]\n"
             f"  tactics: [{', '.join(f't{i}' for i in range(side))}]\n")
    files.update({f"content/statements/s{i}.yaml": "speaker: anna-weiss\ndate: 2022\nform: "
                  f"paraphrase\ntext: All.\n{about}citations:\n  - source: example-report\n"
                  for i in range(4)})
    return files


def missing_seeds(n: int) -> Files:
    """F14: missing seeds among many seed files (each error listed seeds/ again)."""
    files = {f"seeds/s{i:05d}.txt": "x" for i in range(500 * n)}
    files.update({f"content/sources/m{i}.yaml": f"title: M\n{SOURCE}seed: t{i:05d}.txt\n"
                  for i in range(50 * n)})
    return files


def big_prose(n: int) -> Files:
    """Content that passes the check, n x 120 kB: explainers of paragraphs, emphasis,
    [[refs]], links and tables (what the build must render in linear time)."""
    paragraph = ("Officials *said* that [[actors/borduria]] ran a **campaign** "
                 "([report](https://example.org/r)) &amp; more.\n\n")
    table = "| a | b |\n|---|---|\n" + "| `x` | [[tactics/fake-accounts]] |\n" * 20 + "\n"
    return {f"content/explainers/big-{i}.md":
            "---\ntitle: Big\nsummary: S\npublished: 2022-12-01\nauthors: [A]\n---\n"
            + (paragraph * 40 + table) * 20 for i in range(n)}


TINY_RECORDS = {
    "actors": "{name: A, kind: person}\n",
    "sources": "{title: S, kind: report, publisher: P, published: 2022, url: 'https://e.org', "
               "archived_url: 'https://web.archive.org/e.org'}\n",
    "elections": "{name: E, country: RO, date: 2022, type: general}\n",
    "tactics": "{name: T, summary: S., category: malign-finance}\n",
    "statements": "{speaker: anna-weiss, date: 2022, form: paraphrase, text: T., "
                  "citations: [{source: example-report}]}\n",
    "claims": "{claim: C., claimant: borduria, claimed: 2022, appearances: [{source: "
              "example-report}], rating: unproven, verdict: V., analysis: A., evidence: "
              "[{source: example-report}], published: 2022-12-01}\n",
    "explainers": "---\n{title: E, summary: S, published: 2022-12-01, authors: [A]}\n---\n",
    "pages": "---\n{title: P}\n---\n",
}
"""The smallest valid record of each kind, on one line (front matter for Markdown kinds)."""
TINY_BYTES = 125_000


def tiny_records(n: int) -> Files:
    """Many valid records that are as small as a record can be, n x 125 kB (x8: 1 MB, about
    13,000 pages): the cost of a page, not of its content."""
    files: Files = {}
    size, index = 0, 0
    while size < TINY_BYTES * n:
        kind = list(TINY_RECORDS)[index % len(TINY_RECORDS)]
        path = f"content/{kind}/t{index}.{'md' if TINY_RECORDS[kind].startswith('-') else 'yaml'}"
        files[path] = TINY_RECORDS[kind]
        size, index = size + len(TINY_RECORDS[kind]), index + 1
    return files


INPUTS: dict[str, Callable[[int], Files]] = {
    "big-prose": big_prose, "tiny-records": tiny_records,
    "failing-quote": failing_quote, "nested-quotes": nested_quotes,
    "unresolved-refs": unresolved_refs, "raw-html": raw_html, "duplicate-keys": duplicate_keys,
    "reported-in-chain": chain, "matrix": matrix, "matrix-one-record": matrix_one_record,
    "missing-seeds": missing_seeds,
}


def project(folder: Path, files: Files) -> Path:
    root = folder / "project"
    shutil.copytree(FIXTURE, root)
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def content_bytes(files: Files) -> int:
    return sum(len(text.encode("utf-8")) for text in files.values())


def check_and_render(root: Path, repeat: int) -> tuple[float, float, bool]:
    """Wall and CPU seconds, each the best of ``repeat`` runs (other load on the machine only
    ever adds time; CPU seconds, of this process, are the less disturbed by it)."""
    best, best_cpu, ok = float("inf"), float("inf"), False
    for _ in range(repeat):
        seed_index.cache_clear()  # each run indexes its seeds again
        started, started_cpu = time.perf_counter(), time.process_time()
        with collection_paused():  # as `factsite check` and the plugin run
            result = build_graph(root)
            if result.ok():
                render_pages(result.graph)
        best = min(best, time.perf_counter() - started)
        best_cpu, ok = min(best_cpu, time.process_time() - started_cpu), result.ok()
    return best, best_cpu, ok


TIMED_BUILD = """
import json, resource, time
from mkdocs.commands.build import build
from mkdocs.config import load_config
from generator.mkdocs_plugin import FactsitePlugin

def cpu():
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                         resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

spent = {}
def timed(name, function):
    def wrapper(*args, **kwargs):
        start = cpu()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + cpu() - start
    return wrapper

for name in [name for name in vars(FactsitePlugin) if name.startswith("on_")]:
    setattr(FactsitePlugin, name, timed(name, getattr(FactsitePlugin, name)))
start = cpu()
build(load_config("mkdocs.yml", strict=True))
print(json.dumps({"build": cpu() - start, "hooks": spent}))
"""
"""A strict ``mkdocs build`` with the CPU time (processes it starts included: Pagefind) of
each hook of the factsite plugin."""


def mkdocs_build(root: Path) -> tuple[float, float, dict[str, float], int, float]:
    """Wall and CPU seconds of the whole build, CPU seconds per plugin hook, pages built:
    of a second build, which finds the share cards in the card cache as a deploy that keeps
    the cache does; and the CPU seconds of the first build (every card drawn)."""
    shutil.copytree(ROOT / "theme", root / "theme")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    first = run([sys.executable, "-c", TIMED_BUILD], root)
    build = run([sys.executable, "-c", TIMED_BUILD], root)
    hooks = json.loads(build.stdout.strip().splitlines()[-1])["hooks"]
    return (build.wall, build.cpu, hooks, len(list((root / "site").rglob("*.html"))),
            first.cpu)


def plain_build(folder: Path, pages: int) -> tuple[float, float]:
    """Wall and CPU seconds of a plain MkDocs + Material build of ``pages`` one-line pages."""
    docs = folder / "plain" / "docs"
    (docs / "pages").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n")
    for i in range(pages - 1):
        (docs / "pages" / f"page-{i:05d}.md").write_text(f"# Page {i}\n\nP.\n")
    (folder / "plain" / "mkdocs.yml").write_text(yaml.safe_dump(plain_config(), sort_keys=False))
    build = run([sys.executable, "-m", "mkdocs", "build", "--strict"], folder / "plain")
    return build.wall, build.cpu


def build_report(root: Path, plain: bool) -> str:
    wall, cpu, hooks, pages, first_cpu = mkdocs_build(root)
    own = {name.removeprefix("on_"): seconds for name, seconds in hooks.items()
           if seconds >= 0.05}
    line = (f"\n    mkdocs build: {pages:,} pages, {wall:.1f} s wall, {cpu:.1f} s CPU "
            f"({cpu / pages * 1000:.1f} ms a page; the first build, drawing every share "
            f"card, {first_cpu:.1f} s); factsite hooks (CPU): "
            + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in own.items())
            + f" = {sum(hooks.values()):.1f} s")
    if plain:
        plain_wall, plain_cpu = plain_build(root.parent, pages)
        line += (f"\n    plain MkDocs + Material, {pages:,} one-line pages: {plain_wall:.1f} s "
                 f"wall, {plain_cpu:.1f} s CPU ({plain_cpu / pages * 1000:.1f} ms a page)")
    return line


def bench(name: str, scale: float, build: bool, repeat: int, plain: bool = False) -> None:
    make = INPUTS[name]
    times: list[float] = []
    for factor in (1, 2, 4, 8):
        files = make(max(1, round(factor * scale)) if scale != 1 else factor)
        with tempfile.TemporaryDirectory() as folder:
            root = project(Path(folder), files)
            seconds, cpu, ok = check_and_render(root, repeat)
            times.append(seconds)
            line = (f"{name:18} x{factor}: {content_bytes(files) / 1000:8.0f} kB  "
                    f"{seconds:6.2f} s ({cpu:.2f} s CPU)  {'passes' if ok else 'refused'}")
            if build and factor == 8 and ok:
                line += build_report(root, plain)
            print(line, flush=True)
    print(f"{name:18} ratio x8/x1: {times[-1] / max(times[0], 1e-3):5.1f} "
          f"(linear: about 8; the first size includes fixed costs)\n", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--only", nargs="*", choices=sorted(INPUTS), default=sorted(INPUTS))
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--plain", action="store_true",
                        help="with --build: a plain MkDocs site of as many pages too")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (best counts)")
    args = parser.parse_args()
    for name in args.only:
        bench(name, args.scale, args.build, args.repeat, args.plain)


if __name__ == "__main__":
    main()
