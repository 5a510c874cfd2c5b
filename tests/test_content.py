"""The real content tree: it checks cleanly, nothing has gone missing, and every quoted
utterance in the seed report is carried verbatim into the content.

The counts below are hard-coded on purpose: deleting or renaming a record by accident must
fail here. When you add or remove records deliberately, update the numbers in the same change.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

import pytest

from generator.pipeline import build_graph

ROOT = Path(__file__).parents[1]
SEED = ROOT / "seeds" / "bloomberg-2023-10-20-russia-undermining-elections.txt"
SEED_SHA256 = "f955a1636c3602ad5f2c3e5660c4ed2cdb75906c1793085184503b912e7ef80b"
REPORT = "bloomberg-2023-10-20-russia-undermining-elections"

EXPECTED_COUNTS = {
    "sources": 11,
    "actors": 14,
    "elections": 2,
    "tactics": 10,
    "statements": 24,
    "claims": 1,
    "explainers": 1,
    "pages": 3,
}

# Spans in “…” in the seed that do NOT report anyone's words (scare quotes, titles). None in
# this seed; list a span here, normalised, only with a comment saying why it is not speech.
NOT_SPEECH: set[str] = set()

# The contract's normalisation (content-model.md, principle 3), written out independently of
# the generator so that this test checks the content against the contract, not the code.
_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY).split())


@pytest.fixture(scope="module")
def result():
    return build_graph(ROOT)


@pytest.fixture(scope="module")
def records(result):
    return result.graph.records


def test_content_checks_with_no_errors_and_no_warnings(result):
    problems = [str(d) for d in result.diagnostics if d.severity in ("error", "warning")]
    assert problems == []


def test_record_counts_per_kind(records):
    counts = {kind: len(records.get(kind, {})) for kind in EXPECTED_COUNTS}
    assert counts == EXPECTED_COUNTS


def test_seed_is_an_unchanged_copy_of_the_report():
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == SEED_SHA256


def _verbatim_quotes(records) -> list[str]:
    """Every statement text with form quote, and every citation quote anywhere."""
    found: list[str] = []
    for statement in records["statements"].values():
        if statement.form == "quote":
            found.append(statement.text)
        found.extend(c.quote for c in statement.citations if c.quote)
    for claim in records["claims"].values():
        found.extend(c.quote for c in claim.appearances if c.quote)
        found.extend(e.quote for e in claim.evidence if getattr(e, "quote", None))
    return [normalise(quote) for quote in found]


def _quoted_spans(text: str) -> list[str]:
    spans = [normalise(span) for span in re.findall(r"\u201c(.+?)\u201d", text, flags=re.S)]
    # Punctuation inside the closing quotation mark belongs to the reporter's sentence.
    return [span.rstrip(",.;:") for span in spans]


def test_seed_has_the_quoted_spans_we_expect():
    spans = _quoted_spans(SEED.read_text(encoding="utf-8"))
    assert len(spans) == 4
    assert "undermine public confidence" in spans


def test_every_quoted_utterance_in_the_seed_is_a_verified_quote(records):
    quotes = _verbatim_quotes(records)
    spans = [s for s in _quoted_spans(SEED.read_text(encoding="utf-8")) if s not in NOT_SPEECH]
    missing = [span for span in spans if not any(span in quote for quote in quotes)]
    assert missing == []


def test_documents_known_only_through_the_report_point_to_it(records):
    reported_only = {
        sid: s for sid, s in records["sources"].items() if s.availability == "reported-only"
    }
    assert len(reported_only) == 2
    for source in reported_only.values():
        assert REPORT in source.reported_in
        assert source.url is None and source.seed is None
    report = records["sources"][REPORT]
    assert report.seed == SEED.name


def test_unnamed_things_stay_unidentified(records):
    for actor_id in (
        "anonymous-senior-us-intelligence-official",
        "russian-top-spy-agency-unnamed",
        "russian-intelligence-proxies-unnamed",
        "russian-state-media",
    ):
        assert records["actors"][actor_id].identified is False
    election = records["elections"]["unnamed-european-election-2020"]
    assert election.identified is False
    assert election.country is None
    assert election.region == "Europe"


def test_figures_match_the_counts_in_the_report(records):
    figures = {(f.value, f.qualifier) for s in records["statements"].values() for f in s.figures}
    assert (11, "at-least") in figures  # "at least 11 elections"
    assert (17, "exactly") in figures  # "an additional 17 democracies"
