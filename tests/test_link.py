"""Link stage: backlinks both ways, associations with attribution, integrity checks."""

from __future__ import annotations

import os
from pathlib import Path

from generator.link import (
    Resolver,
    check_claimant,
    check_cycles,
    check_quotes,
    check_references,
    register,
    walk,
)
from generator.load import Document, parse_yaml
from generator.models import Record
from generator.pipeline import build_graph
from generator.seeds import Seeds
from generator.validate import validate_document, validation_context

BASE = Path(__file__).parent / "fixtures" / "basic"


def messages(root: Path) -> list[str]:
    return [d.format() for d in build_graph(root).diagnostics]


def test_backlinks_and_associations_come_with_their_statement() -> None:
    graph = build_graph(BASE).graph
    mentions = {r.id for r in graph.mentions("elections", "ruritania-general-2022")}
    assert mentions == {"weiss-fake-accounts", "commission-fake-sites",
                        "borduria-denies-involvement"}
    tactics = {t.id: [m.id for m in via]
               for t, via in graph.associations("elections", "ruritania-general-2022",
                                                "tactics")}
    assert tactics == {"fake-accounts": ["weiss-fake-accounts"],
                       "fake-news-sites": ["commission-fake-sites"]}
    elections = {e.id for e, _ in graph.associations("tactics", "fake-accounts", "elections")}
    assert elections == {"ruritania-general-2022"}
    cited_by = {r.id for r in graph.referrers("sources", "example-report")}
    assert {"weiss-fake-accounts", "borduria-denies-involvement"} <= cited_by
    # [[refs]] in Markdown are links too
    assert "borduria-campaign" in {r.id for r in graph.referrers("actors", "borduria")}


def test_quote_verified_through_reported_in(project: Path) -> None:
    statement = project / "content/statements/commission-fake-sites.yaml"
    statement.write_text(statement.read_text().replace("at least 3 websites",
                                                       "at least 4 websites"))
    assert any("citations.0.quote: quote is not verbatim in seeds/example-report.txt" in m
               for m in messages(project))


def test_typographic_quotes_and_whitespace_are_normalised(project: Path) -> None:
    statement = project / "content/statements/weiss-fake-accounts.yaml"
    statement.write_text(
        "speaker: anna-weiss\n"
        "date: 2022-11-14\n"
        "form: quote\n"
        "text: We   saw thousands of fake accounts repeating the same lies\n"
        "citations:\n"
        "  - source: example-report\n"
        "    quote: |\n"
        "      \"We saw thousands of fake accounts\n"
        "      repeating the same lies,\" the interior minister\n"
        "  - source: example-report\n"
        "    quote: Borduria's foreign ministry denied\n")
    assert messages(project) == []


def test_seed_symlink_out_of_seeds_is_refused(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("top secret")
    os.symlink(outside, project / "seeds" / "linked.txt")
    source = project / "content/sources/commission-website.yaml"
    source.write_text(source.read_text() + "seed: linked.txt\n")
    assert ("content/sources/commission-website.yaml:7:7: seed: seed 'linked.txt' leads "
            "outside seeds/ (through a symbolic link)") in messages(project)


def test_alias_conflicts_and_old_id_references(project: Path) -> None:
    actor = project / "content/actors/anna-weiss.yaml"
    actor.write_text(actor.read_text() + "aliases: [borduria, a-weiss]\n")
    other = project / "content/actors/electoral-commission.yaml"
    other.write_text(other.read_text() + "aliases: [a-weiss]\n")
    statement = project / "content/statements/weiss-fake-accounts.yaml"
    statement.write_text(statement.read_text().replace("speaker: anna-weiss",
                                                       "speaker: a-weiss"))
    found = messages(project)
    assert any("alias 'borduria' is the id of an existing actor" in m for m in found)
    assert any("alias 'a-weiss' is already an alias of actors/anna-weiss" in m for m in found)
    assert any("speaker: 'a-weiss' is an old id of actors/anna-weiss; refer to 'anna-weiss'"
               in m for m in found)


def test_parent_cycle_is_reported(project: Path) -> None:
    tactic = project / "content/tactics/fake-accounts.yaml"
    tactic.write_text(tactic.read_text() + "parent: fake-news-sites\n")
    found = messages(project)
    assert any("tactics/fake-accounts.yaml" in m and "parent: 'parent' forms a cycle" in m
               for m in found)


def test_claimant_cannot_be_publisher(project: Path) -> None:
    actor = project / "content/actors/borduria-foreign-ministry.yaml"
    actor.write_text(actor.read_text().replace("name: Bordurian foreign ministry",
                                               "name: Example Checks Desk"))
    assert any("claimant: the claimant cannot be the publisher itself" in m
               for m in messages(project))


def test_missing_site_yaml(project: Path) -> None:
    (project / "content/site.yaml").unlink()
    found = messages(project)
    assert "content/site.yaml:1:1: (file): content/site.yaml is missing: it names the " \
           "publisher and the rating scale" in found


# -- the checks as functions, on tiny graphs ------------------------------------------------

def _document(kind: str, record_id: str, text: str) -> tuple[Document, Record]:
    """A record loaded and validated from ``text`` (no files)."""
    document = Document(path=Path(f"{record_id}.yaml"), display=f"content/{kind}/{record_id}.yaml",
                        kind=kind, id=record_id, text=text)
    assert parse_yaml(document, text) == []
    record, problems = validate_document(document)
    assert problems == [] and isinstance(record, Record)
    return document, record


def test_check_references_returns_links_and_problems_without_touching_the_graph() -> None:
    actor = _document("actors", "anna-weiss", "name: Anna Weiss\nkind: person\n")
    statement = _document("statements", "s", "speaker: ana-weiss\non_behalf_of: anna-weiss\n"
                          "date: 2022\nform: paraphrase\ntext: Words.\n"
                          "citations:\n  - source: gone\n")
    graph, _, problems = register([actor])
    assert problems == []
    resolver = Resolver(graph, invalid={("sources", "gone")})
    links, found = check_references(resolver, *statement, walk(statement[1]))
    assert links == [("actors", "anna-weiss", ("on_behalf_of",))]
    assert [(d.line, d.column, d.location, d.message) for d in found] == [
        (1, 10, "speaker", "unknown actor 'ana-weiss'; did you mean 'anna-weiss'?")]
    assert graph.backlinks == {}  # the caller adds the links


def test_check_cycles_and_claimant_are_pure_functions() -> None:
    first = _document("tactics", "a", "name: A\nsummary: A.\ncategory: cyber-operations\n"
                      "parent: b\n")
    second = _document("tactics", "b", "name: B\nsummary: B.\ncategory: cyber-operations\n"
                       "parent: a\n")
    graph, documents, _ = register([first, second])
    assert sorted(d.format() for d in check_cycles(graph, documents)) == [
        "content/tactics/a.yaml:4:9: parent: 'parent' forms a cycle back to tactics/a",
        "content/tactics/b.yaml:4:9: parent: 'parent' forms a cycle back to tactics/b"]
    assert check_claimant(graph, [first, second]) == []  # no site: nothing to compare


def test_quotes_are_checked_against_the_seed_texts_given() -> None:
    source = _document("sources", "report", "title: R\nkind: report\npublisher: P\n"
                       "published: 2022\nseed: report.txt\n")
    statement = _document("statements", "s", "speaker: x\ndate: 2022\nform: quote\n"
                          "text: the exact words\ncitations:\n  - source: report\n"
                          "    quote: other words\n")
    graph, _, _ = register([source, statement])
    seeds = Seeds()
    seeds.add("report.txt", "He said “the exact words” and left.")
    found = [d.format() for d in check_quotes(graph, seeds, [statement])]
    assert found == ["content/statements/s.yaml:7:12: citations.0.quote: quote is not "
                     "verbatim in seeds/report.txt"]


def test_seeds_are_read_by_the_load_stage(project: Path) -> None:
    (project / "seeds" / "example-report.txt").unlink()
    result = build_graph(project)
    assert any("seed: seed file seeds/example-report.txt does not exist" in d.format()
               for d in result.diagnostics)
    assert "example-report.txt" not in result.graph.seeds


# -- every independent problem in one run ---------------------------------------------------

def test_references_in_valid_fields_of_an_invalid_record_are_reported(project: Path) -> None:
    statement = project / "content/statements/weiss-fake-accounts.yaml"
    statement.write_text(statement.read_text()
                         .replace("speaker: anna-weiss", "speaker: ana-weiss")
                         .replace("form: quote", "form: quoted")
                         .replace("tactics: [fake-accounts]", "tactics: [fake-acounts]")
                         .replace("Told reporters", "Told <b>reporters</b>"))
    found = messages(project)
    expected = ("speaker: unknown actor 'ana-weiss'; did you mean 'anna-weiss'?",
                "form: 'quoted' is not a statement form",
                "about.tactics.0: unknown tactic 'fake-acounts'; did you mean 'fake-accounts'?",
                "context: raw HTML (<b>) is not allowed")
    for message in expected:
        assert any(message in line for line in found), (message, found)
    # the invalid statement is not in the graph, and claims citing it are not blamed
    assert not any("unknown statement 'weiss-fake-accounts'" in line for line in found)


def test_rating_is_checked_when_another_field_fails(project: Path) -> None:
    claim = project / "content/claims/borduria-denies-involvement.yaml"
    claim.write_text(claim.read_text().replace("rating: unproven", "rating: unprovn")
                     .replace("claimed: 2022-11", "claimed: Nov 2022"))
    found = messages(project)
    assert any("rating: 'unprovn' is not a rating" in line for line in found)
    assert any("claimed: 'Nov 2022' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD; did you "
               "mean '2022-11'?" in line for line in found)


def test_partial_record_keeps_the_valid_items_of_a_broken_list(project: Path) -> None:
    claim = project / "content/claims/borduria-denies-involvement.yaml"
    claim.write_text(claim.read_text().replace(
        "  - statement: weiss-fake-accounts\n",
        "  - statement: weiss-fake-accounts\n    extra: 1\n  - statement: weiss-fake-acounts\n"))
    found = messages(project)
    assert any("evidence.0.extra: unknown key 'extra'" in line for line in found)
    assert any("evidence.1.statement: unknown statement 'weiss-fake-acounts'" in line
               for line in found)


def test_rating_ids_come_from_the_validation_context() -> None:
    document = Document(path=Path("c.yaml"), display="c.yaml", kind="claims", id="c",
                        data={"rating": "fals"})
    _, problems = validate_document(document, validation_context(["false", "true"]))
    assert ("rating: 'fals' is not a rating; expected one of: false, true; did you mean "
            "'false'?") in [f"{d.location}: {d.message}" for d in problems]
    _, problems = validate_document(document, validation_context(None))
    assert ("rating: cannot check the rating: content/site.yaml is missing or invalid"
            in [f"{d.location}: {d.message}" for d in problems])
    _, problems = validate_document(document)  # no context (an export read back): any id
    assert not any(d.location == "rating" for d in problems)


def test_a_rule_across_fields_is_reported_once(project: Path) -> None:
    source = project / "content/sources/commission-website.yaml"
    source.write_text("title: T\nkind: report\npublisher: P\npublished: 2022\n")
    found = [m for m in messages(project) if "commission-website" in m]
    assert found == ["content/sources/commission-website.yaml:1:1: (file): a source needs at "
                     "least one of: url, seed, reported_in"]
