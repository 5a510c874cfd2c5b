"""The shipped content keeps its invariants, whatever records it holds.

Nothing here counts records or names them: adding, renaming (with an alias) or retiring
records must never fail these tests (``published.yaml`` guards against records vanishing).
Each invariant runs twice: on the shipped tree, and on a copy of it that an editor has
grown through ``factsite new`` (a new election and a new claim, filled in), which proves
the invariants hold for content they have never seen.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.graph import Graph
from generator.models import Citation, Claim, Source, Statement
from generator.pipeline import BuildResult, build_graph
from generator.published import load_manifest
from generator.quotes import normalise

ROOT = Path(__file__).parents[1]
PROJECT_FILES = ("content", "seeds", "published.yaml")
FACTSITE = Path(sys.executable).with_name("factsite")

NOT_SPEECH: dict[str, set[str]] = {}
"""Seed → spans in “…” that do NOT report anyone's words (scare quotes, titles), normalised.
List a span only with a comment saying why it is not speech."""


def new_record(root: Path, kind: str, record_id: str, *fields: str) -> Path:
    """``factsite new`` as an editor runs it; the path of the file it created."""
    command = [str(FACTSITE), "--root", str(root), "new", kind, record_id,
               *(arg for field in fields for arg in ("--field", field))]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    (path,) = (root / "content" / kind).glob(f"{record_id}.*")
    return path


def fill(path: Path, values: dict[str, object]) -> None:
    """Fill in the fields the template left empty, as an editor does in their editor."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(values)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def a_quote_from(text: str) -> str:
    """Eight words of a seed, copied as an editor copies a quote (verbatim)."""
    words = text.split()
    assert len(words) >= 8, "a seed has at least a sentence"
    return " ".join(words[:8])


def grow(root: Path) -> None:
    """Add an actor, an election and a claim through the CLI, filled in with what the
    content has (a source, a quote copied from its seed if it has one, a rating)."""
    graph = build_graph(root).graph
    assert graph.site is not None, "the content has a valid site.yaml"
    sources = [s for s in graph.records["sources"].values() if isinstance(s, Source)]
    assert sources, "the content cites at least one source"
    source = next((s for s in sources if s.seed in graph.seeds), sources[0])
    citation: dict[str, str] = {"source": source.id}
    if source.seed in graph.seeds:
        citation["quote"] = a_quote_from(graph.seeds[source.seed])
    new_record(root, "actors", "invariant-test-actor", "name=An actor added by the tests",
               "kind=organisation")
    election = new_record(root, "elections", "invariant-test-election",
                          "type=local", "identified=false")
    fill(election, {"name": "An election added by the content tests", "date": "2021-06",
                    "region": "Europe"})
    claim = new_record(root, "claims", "invariant-test-claim", "claimant=invariant-test-actor",
                       f"rating={graph.site.ratings[0].id}")
    fill(claim, {
        "claim": "A claim added by the content tests.",
        "claimed": "2021-06",
        "appearances": [dict(citation)],
        "verdict": "The test says so.",
        "analysis": f"See [[sources/{source.id}]] and [[elections/invariant-test-election]].",
        "evidence": [dict(citation)],
        "about": {"elections": ["invariant-test-election"], "actors": ["invariant-test-actor"]},
    })


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """A copy of the project with records added through ``factsite new``."""
    root = tmp_path_factory.mktemp("grown")
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        elif source.is_file():
            shutil.copyfile(source, root / name)
    grow(root)
    return root, build_graph(root)


@pytest.fixture(scope="module", params=["shipped", "grown"])
def tree(request: pytest.FixtureRequest) -> tuple[Path, BuildResult]:
    if request.param == "shipped":
        return ROOT, build_graph(ROOT)
    return request.getfixturevalue("grown")


def test_content_checks_with_no_errors_and_no_warnings(tree: tuple[Path, BuildResult]) -> None:
    _, result = tree
    assert [d.format() for d in result.diagnostics] == []


def test_every_published_page_still_resolves(tree: tuple[Path, BuildResult]) -> None:
    root, result = tree
    manifest = load_manifest(root)
    if manifest is None:
        pytest.skip("nothing published yet")
    retired = {entry.page for entry in manifest.retired}
    graph = result.graph
    for entry in manifest.published:
        key = (entry.kind, entry.id)
        assert (graph.get(*key) is not None or key in graph.aliases
                or entry.page in retired), f"{entry.page} no longer resolves"


def _verbatim_quotes(graph: Graph) -> list[str]:
    """Every statement text with form quote, and every citation quote anywhere."""
    found: list[str] = []
    for record in graph.all():
        if isinstance(record, Statement):
            if record.form == "quote":
                found.append(record.text)
            citations = list(record.citations)
        elif isinstance(record, Claim):
            citations = [*record.appearances, *record.evidence]
        else:
            continue
        found += [c.quote for c in citations if isinstance(c, Citation) and c.quote]
    return [normalise(quote) for quote in found]


def _quoted_spans(text: str) -> list[str]:
    spans = [normalise(span) for span in re.findall(r"\u201c(.+?)\u201d", text, flags=re.S)]
    # Punctuation inside the closing quotation mark belongs to the reporter's sentence.
    return [span.rstrip(",.;:") for span in spans]


def test_every_quoted_span_of_a_seed_is_a_verified_quote(tree: tuple[Path, BuildResult]
                                                         ) -> None:
    _, result = tree
    graph = result.graph
    quotes = _verbatim_quotes(graph)
    missing = [(seed, span) for seed, text in graph.seeds.items()
               for span in _quoted_spans(text) if span not in NOT_SPEECH.get(seed, set())
               and not any(span in quote for quote in quotes)]
    assert missing == []


def test_documents_known_only_through_reporting_point_to_their_reporter(
        tree: tuple[Path, BuildResult]) -> None:
    _, result = tree
    for source in result.graph.records["sources"].values():
        assert isinstance(source, Source)
        if source.availability == "reported-only":
            assert source.reported_in, f"{source.id} is reported-only but names no reporter"


def test_the_grown_tree_really_holds_the_new_records(grown: tuple[Path, BuildResult]) -> None:
    _, result = grown
    claim = result.graph.get("claims", "invariant-test-claim")
    assert isinstance(claim, Claim)
    assert {r.id for r in result.graph.referrers("elections", "invariant-test-election")} == {
        "invariant-test-claim"}
