"""Hostile-content fuzzing (issue 20): file names, aliases and every field of a record, filled
with the characters the red team used (newlines, noncharacters, bidi controls, control
characters, markup) and huge numbers. Whatever a contributor writes, ``factsite check``
either refuses it with a printable diagnostic or accepts it, and what it accepts renders to
a well-formed Atom feed, JSON that parses and a ``_redirects`` file no value can split:
never a traceback.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.diagnostics import Diagnostic
from generator.export import atom_feed, claimreview_feed, netlify_redirects
from generator.ids import is_id
from generator.pipeline import build_graph

BASE = Path(__file__).parent / "fixtures" / "basic"
CLAIM = "content/claims/borduria-denies-involvement.yaml"
ACTOR = "content/actors/anna-weiss.yaml"
SITE_URL = "https://checks.example.org/"
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff"
                         "\ufffe\uffff]")

HOSTILE_CHARACTERS = [
    "\n", "\r", "\t", "\x00", "\x1b", "\x85", "\u2028", "\u2029", "\ufffe", "\uffff",
    "\ufdd0", "\U0010ffff", "\u202e", "\u2066", "\u200b", "\ufeff", "\ud7ff", "]]>", "<",
    "&", "'", '"', "`", "|", "[[", "]]", "/", "\\", ":", "#", "-", " ", "a", "z", "0", "9",
    "__config", "index", "claims", "\u00e9", "\u2070", "\uff11",
]
hostile_text = st.lists(st.sampled_from(HOSTILE_CHARACTERS), min_size=1, max_size=12).map(
    "".join)
huge_numbers = st.one_of(st.integers(min_value=2**53, max_value=10**400),
                         st.integers(max_value=-(2**53), min_value=-(10**400)))
FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def fixture_copy() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        shutil.copytree(BASE, root)
        yield root


def yaml_value(value: str | int) -> str:
    """A YAML double-quoted scalar (JSON is one: every character escaped) or a number."""
    return str(value) if isinstance(value, int) else json.dumps(value)


def assert_printable(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        assert not UNPRINTABLE.search(diagnostic.format()), repr(diagnostic.format())


def assert_outputs_well_formed(root: Path) -> None:
    """Whatever passed the check renders to a feed, JSON and redirects that hold."""
    result = build_graph(root)
    assert_printable(result.diagnostics)
    if not result.ok():
        return
    ET.fromstring(atom_feed(result.graph, SITE_URL))  # raises if not well-formed XML
    json.loads(json.dumps(claimreview_feed(result.graph, SITE_URL)))
    redirects = netlify_redirects(result.graph, SITE_URL)
    aliases = sum(len(record.aliases) for record in result.graph.all())
    lines = redirects.splitlines()
    assert len(lines) == aliases == redirects.count("\n")
    for line in lines:
        old, new, status = line.split(" ")
        assert status == "301" and old.startswith("/") and new.startswith("/")


@FUZZ
@given(name=hostile_text)
def test_fuzz_file_names(name: str) -> None:
    if "/" in name or "\x00" in name or name in (".", ".."):
        return  # not a file name on this file system
    with fixture_copy() as root:
        try:
            (root / "content" / "actors" / f"{name}.yaml").write_text(
                "name: Fuzzed\nkind: person\n", encoding="utf-8")
        except (OSError, UnicodeEncodeError):
            return  # a name the file system refuses (surrogates, length)
        result = build_graph(root)
        assert_printable(result.diagnostics)
        assert result.ok() == (is_id(name) and name != "index"), name
        assert_outputs_well_formed(root)


@FUZZ
@given(alias=hostile_text)
def test_fuzz_aliases(alias: str) -> None:
    with fixture_copy() as root:
        actor = root / ACTOR
        actor.write_text(actor.read_text(encoding="utf-8")
                         + f"aliases: [{yaml_value(alias)}]\n", encoding="utf-8")
        result = build_graph(root)
        if result.ok():
            assert is_id(alias) and alias != "index"
        assert_outputs_well_formed(root)


CLAIM_FIELDS = ["claim", "verdict", "analysis", "rating", "claimant", "claimed", "published"]
ACTOR_FIELDS = ["name", "kind", "country", "role", "part_of", "identified", "description"]


@FUZZ
@given(field=st.sampled_from(CLAIM_FIELDS), value=st.one_of(hostile_text, huge_numbers))
def test_fuzz_every_claim_field(field: str, value: str | int) -> None:
    with fixture_copy() as root:
        claim = root / CLAIM
        text = claim.read_text(encoding="utf-8")
        text = re.sub(rf"^{field}: .*(\n  .*)*$", lambda _: f"{field}: {yaml_value(value)}",
                      text, count=1, flags=re.M)
        claim.write_text(text, encoding="utf-8")
        assert_outputs_well_formed(root)


@FUZZ
@given(field=st.sampled_from(ACTOR_FIELDS), value=st.one_of(hostile_text, huge_numbers),
       note=hostile_text)
def test_fuzz_every_actor_field_and_update_note(field: str, value: str | int,
                                                note: str) -> None:
    with fixture_copy() as root:
        actor = root / ACTOR
        kept = [line for line in actor.read_text(encoding="utf-8").splitlines()
                if not line.startswith(f"{field}:")]
        actor.write_text("\n".join([*kept, f"{field}: {yaml_value(value)}",
                                    "updates:", "  - date: 2022-12-01", "    kind: correction",
                                    f"    note: {yaml_value(note)}", ""]), encoding="utf-8")
        assert_outputs_well_formed(root)


@FUZZ
@given(value=st.one_of(hostile_text, huge_numbers))
def test_fuzz_figures_and_ratings(value: str | int) -> None:
    with fixture_copy() as root:
        statement = root / "content/statements/commission-fake-sites.yaml"
        statement.write_text(statement.read_text(encoding="utf-8").replace(
            "value: 3", f"value: {yaml_value(value)}"), encoding="utf-8")
        site = root / "content/site.yaml"
        site.write_text(site.read_text(encoding="utf-8").replace(
            "value: 4", f"value: {yaml_value(value)}"), encoding="utf-8")
        assert_outputs_well_formed(root)


def scalar_fields() -> list[tuple[str, str]]:
    """``(file, field)`` for every top-level one-line field of every fixture record."""
    found = []
    for path in sorted((BASE / "content").rglob("*.yaml")):
        for field in re.findall(r"^([a-z_]+): \S.*$", path.read_text(encoding="utf-8"), re.M):
            found.append((path.relative_to(BASE).as_posix(), field))
    return found


SCALAR_FIELDS = scalar_fields()


def test_every_record_kind_is_fuzzed() -> None:
    kinds = {path.split("/")[1] for path, _ in SCALAR_FIELDS}
    assert kinds == {"actors", "claims", "elections", "sources", "statements", "tactics",
                     "site.yaml"} and len(SCALAR_FIELDS) > 40


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=st.sampled_from(SCALAR_FIELDS), value=st.one_of(hostile_text, huge_numbers))
def test_fuzz_every_field_of_every_record(target: tuple[str, str], value: str | int) -> None:
    path, field = target
    with fixture_copy() as root:
        record = root / path
        text = re.sub(rf"^{field}: .*$", lambda _: f"{field}: {yaml_value(value)}",
                      record.read_text(encoding="utf-8"), count=1, flags=re.M)
        record.write_text(text, encoding="utf-8")
        assert_outputs_well_formed(root)


def test_fuzz_hostile_markdown_body_in_a_page() -> None:
    """The Markdown body is not YAML: raw characters reach the loader as written."""
    with fixture_copy() as root:
        for index, character in enumerate(HOSTILE_CHARACTERS):
            if character in ("\x00",):
                continue
            page = root / "content" / "pages" / f"fuzz-{index}.md"
            page.write_text(f"---\ntitle: Fuzz\n---\nBefore {character} after.\n",
                            encoding="utf-8", newline="")
        assert_outputs_well_formed(root)
        assert os.path.isdir(root / "content")


EXPLAINER = "content/explainers/borduria-campaign.md"
NESTED_FIELDS = [  # (file, the line as the fixture writes it, the same line with {value})
    (EXPLAINER, "title: What Ruritania says Borduria did", "title: {value}"),
    (EXPLAINER, "summary: A walk through the accusations and the denial.", "summary: {value}"),
    (EXPLAINER, "authors: [Desk Editor]", "authors: [{value}]"),
    (EXPLAINER, "  elections: [ruritania-general-2022]", "  elections: [{value}]"),
    (EXPLAINER, "  actors: [borduria]", "  actors: [borduria]\n  countries: [{value}]"),
    ("content/statements/commission-fake-sites.yaml", "  - label: websites posing as local "
     "news outlets", "  - label: {value}"),
    ("content/statements/commission-fake-sites.yaml", "    unit: websites", "    unit: {value}"),
    ("content/statements/commission-fake-sites.yaml", "  tactics: [fake-news-sites]",
     "  tactics: [{value}]"),
    ("content/statements/commission-fake-sites.yaml", "  - source: commission-count",
     "  - source: commission-count\n    locator: {value}\n    note: {value}"),
    (CLAIM, "  - statement: weiss-fake-accounts", "  - statement: {value}"),
]


def test_nested_fields_are_in_the_fixture() -> None:
    for path, line, _ in NESTED_FIELDS:
        assert line in (BASE / path).read_text(encoding="utf-8").splitlines(), (path, line)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=st.sampled_from(NESTED_FIELDS), value=st.one_of(hostile_text, huge_numbers))
def test_fuzz_list_items_nested_fields_and_front_matter(target: tuple[str, str, str],
                                                        value: str | int) -> None:
    """Items of lists (authors, about's ids and countries, evidence), fields of nested
    mappings (figures, citations) and an explainer's front matter (in the feed)."""
    path, line, replacement = target
    with fixture_copy() as root:
        record = root / path
        text = record.read_text(encoding="utf-8").replace(
            line, replacement.replace("{value}", yaml_value(value)), 1)
        record.write_text(text, encoding="utf-8")
        assert_outputs_well_formed(root)


FEED_FIELDS = [  # a text the Atom feed carries, as the fixture writes it
    (CLAIM, "claim: Borduria had no involvement in the 2022 Ruritanian election campaign."),
    (EXPLAINER, "title: What Ruritania says Borduria did"),
    (EXPLAINER, "summary: A walk through the accusations and the denial."),
]


@pytest.mark.parametrize(("path", "line"), FEED_FIELDS,
                         ids=["claim", "explainer-title", "explainer-summary"])
def test_every_hostile_character_in_a_feed_field(path: str, line: str) -> None:
    """Each character of the list inside a field the feed carries, one build each (random
    draws rarely put a noncharacter alone among accepted ones): refused, or a feed that
    parses."""
    field = line.split(":", 1)[0]
    for character in HOSTILE_CHARACTERS:
        with fixture_copy() as root:
            record = root / path
            value = yaml_value(f"Before {character} after")
            record.write_text(record.read_text(encoding="utf-8").replace(
                line, f"{field}: {value}", 1), encoding="utf-8")
            assert_outputs_well_formed(root)
