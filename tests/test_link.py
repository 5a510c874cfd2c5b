"""Link stage: backlinks both ways, associations with attribution, integrity checks."""

from __future__ import annotations

import os
from pathlib import Path

from generator.pipeline import build_graph

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
