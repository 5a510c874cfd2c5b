"""The kind registry is the one table of kinds, and the one field introspection reads the
models: every older name is derived from them."""

from __future__ import annotations

from generator import fields, graph, load, models, registry
from generator.models import Citation, Claim, Statement, StatementEvidence
from generator.render import base


def test_every_kind_table_is_derived_from_the_registry() -> None:
    assert registry.folders() == load.ALL_KINDS
    assert registry.folders() == load.RECORD_KINDS + load.DOCUMENT_KINDS
    assert registry.singulars() == graph.SINGULAR
    assert registry.models() == models.MODELS
    assert registry.labels() == base.KIND_LABELS
    assert registry.section_titles() == base.SECTION_TITLES
    assert tuple(registry.section_titles()) == base.RECORD_KINDS


def test_registry_entries_agree_with_their_models() -> None:
    for kind in registry.KINDS:
        assert registry.get(kind.folder) is kind
        assert kind.model.collection == kind.folder
        assert kind.schema_name == f"{kind.folder}.schema.json"
        assert kind.suffixes == ((".md",) if kind.document else (".yaml", ".yml"))
    assert registry.get("claims").label == "Fact-check"
    assert "pages" not in registry.section_folders()  # pages have no index
    assert registry.section_folders()[0] == "claims"


def test_one_introspection_answers_what_a_field_holds() -> None:
    claim = fields.specs(Claim)
    assert claim["claimant"].refs == ("actors",) and not claim["claimant"].many
    assert claim["analysis"].markdown
    assert claim["evidence"].many and claim["evidence"].models == (Citation, StatementEvidence)
    assert fields.specs(Statement)["form"].choices == ("quote", "paraphrase")
    assert fields.specs(Statement)["about"].models[0].__name__ == "About"
    assert fields.allowed_names(Claim, ("evidence", 0)) == [
        "locator", "note", "quote", "source", "statement"]
    assert fields.allowed_names(Claim, ("about",)) == ["actors", "countries", "elections",
                                                       "tactics"]
    checked = {spec.name for spec in fields.checked(Claim)}
    assert {"claimant", "analysis", "evidence", "about", "appearances", "updates"} <= checked
    assert "rating" not in checked and "verdict" not in checked
