"""``factsite new``: templates follow the models, inputs are validated, nothing is overwritten."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from generator import scaffold
from generator.cli import main
from generator.fields import specs
from generator.load import ALL_KINDS, DOCUMENT_KINDS, load_document
from generator.pipeline import build_graph
from generator.registry import models
from generator.validate import validate_document

BASE = Path(__file__).parent / "fixtures" / "basic"
ROOT = Path(__file__).parents[1]
MODELS = models()
TODAY = dt.date(2024, 3, 9)

# Every required field of every kind, filled with ids that exist in the fixture.
COMPLETE: dict[str, list[str]] = {
    "sources": ["title=Commission press release", "kind=official-statement",
                "publisher=Ruritanian Electoral Commission", "published=2022-11-15",
                "url=https://commission.example.org/press/1",
                "archived_url=https://web.archive.org/web/2022/https://commission.example.org/"],
    "actors": ["name=Ruritanian interior ministry", "kind=government-body", "country=RO"],
    "elections": ["name=2023 Ruritanian local elections", "country=RO", "date=2023-05",
                  "type=local"],
    "tactics": ["name=Bot networks", "summary=Automated accounts amplify the same messages.",
                "category=information-manipulation", "parent=fake-accounts"],
    "statements": ["speaker=anna-weiss", "date=2022-11-14", "form=paraphrase",
                   "text=The minister said fake accounts spread lies.",
                   "citations=[{source: example-report, locator: para. 2}]"],
    "claims": ["claim=Borduria: we never meddled.", "claimant=borduria", "claimed=2022-11",
               "appearances=[{source: example-report}]", "rating=unproven",
               "verdict=The evidence cannot settle it.",
               "analysis=See [[statements/weiss-fake-accounts]].",
               "evidence=[{statement: weiss-fake-accounts}]"],
    "explainers": ["title=How fake accounts work", "summary=A short guide.",
                   "authors=[Desk Editor]"],
    "pages": ["title=Contact"],
}


def new(project: Path, *args: str) -> int:
    return main(["--root", str(project), "new", *args])


def fields(*pairs: str) -> list[str]:
    return [arg for pair in pairs for arg in ("--field", pair)]


def load_new(project: Path, kind: str, record_id: str) -> list[str]:
    """Validation problems of a new file, as dotted locations."""
    path = scaffold.target_path(project, kind, record_id)
    document, problems = load_document(path, f"content/{kind}/{path.name}", kind)
    assert problems == [], problems  # the template always parses
    _, found = validate_document(document)
    return sorted({d.location.split(".")[0] for d in found})


def test_every_model_field_has_help_declared_on_the_model() -> None:
    nested = {spec_model for model in MODELS.values() for spec in specs(model).values()
              for spec_model in spec.models}
    assert {"Citation", "StatementEvidence", "About", "Figure", "Update"} <= {
        model.__name__ for model in nested}
    for model in {*MODELS.values(), *nested}:
        for name, spec in specs(model).items():
            assert spec.description.strip(), f"{model.__name__}.{name} has no description"


def test_help_feeds_both_the_template_and_the_schema() -> None:
    help_text = specs(MODELS["claims"])["claimant"].description
    text = scaffold.template("claims", "x", today=dt.date(2026, 1, 1))
    assert " ".join(help_text.split()) in " ".join(
        line.removeprefix("# ") for line in text.splitlines() if line.startswith("#"))
    schema = json.loads((ROOT / "schemas" / "claims.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["claimant"]["description"] == help_text
    citation = specs(MODELS["claims"])["appearances"].models[0]
    assert (schema["$defs"]["Citation"]["properties"]["quote"]["description"]
            == specs(citation)["quote"].description)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_bare_template_names_exactly_the_required_fields(project: Path, kind: str) -> None:
    record = scaffold.scaffold(project, kind, "fresh", today=TODAY)
    scaffold.write(record)
    expected = {name for name in scaffold.required_fields(kind)
                if (kind, name) not in scaffold.TODAY_FIELDS}
    if MODELS[kind].rules:  # a rule across fields (a source's url, an election's country)
        expected.add("(file)")  # is reported in the same run, on the file
    assert set(load_new(project, kind, "fresh")) == expected


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_template_layout(project: Path, kind: str) -> None:
    text = scaffold.scaffold(project, kind, "fresh", today=TODAY).text
    lines = text.splitlines()
    modeline = f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json"
    if kind in DOCUMENT_KINDS:
        assert lines[:2] == ["---", modeline]
        assert lines[-1] == scaffold.BODY_PLACEHOLDER
    else:
        assert lines[0] == modeline
    for name in scaffold.required_fields(kind):
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{name}:"))
        assert lines[index - 1].startswith("# "), f"{name} has no comment above it"
    for name in MODELS[kind].model_fields:
        assert any(line.startswith((f"{name}:", f"# {name}:")) for line in lines), name


@pytest.mark.parametrize(("kind", "field"), sorted(scaffold.TODAY_FIELDS))
def test_todays_date_where_it_belongs(project: Path, kind: str, field: str) -> None:
    text = scaffold.scaffold(project, kind, "fresh", today=TODAY).text
    assert f"\n{field}: 2024-03-09\n" in text


def test_event_dates_are_never_guessed(project: Path) -> None:
    text = scaffold.scaffold(project, "statements", "fresh", today=TODAY).text
    assert "\ndate:\n" in text and "2024-03-09" not in text


def test_rating_comment_lists_the_site_ratings(project: Path) -> None:
    text = scaffold.scaffold(project, "claims", "fresh", today=TODAY).text
    assert "One of: false, misleading, unproven," in text


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_complete_fields_pass_check(project: Path, kind: str,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert new(project, kind, "fresh", *fields(*COMPLETE[kind])) == 0
    path = scaffold.target_path(project, kind, "fresh")
    assert f"created {path}" in capsys.readouterr().out
    if kind in DOCUMENT_KINDS:
        # The placeholder body is raw HTML: check refuses it until the text is written.
        errors = build_graph(project).errors
        assert [e.location for e in errors] == ["body"], errors
        assert "TODO: replace with the text" in errors[0].message
        path.write_text(path.read_text().replace(scaffold.BODY_PLACEHOLDER, "Some *text*."))
    result = build_graph(project)
    assert result.ok(strict=True), result.diagnostics


def test_text_values_are_taken_verbatim(project: Path) -> None:
    record = scaffold.scaffold(project, "claims", "fresh",
                               ["claim=Borduria: no involvement, # none", "tags=[a, b]"])
    assert "claim: 'Borduria: no involvement, # none'" in record.text
    assert "tags:\n- a\n- b\n" in record.text


@pytest.mark.parametrize(("args", "message"), [
    (["claims", "Bad_Id"], "invalid id: 'Bad_Id' is not a valid id: use lower-case letters, "
                           "digits and single hyphens; did you mean 'bad-id'?"),
    (["claims", "../escape"], "invalid id"),
    (["claims", "x" * 81], "the limit is 80"),
    (["actors", "borduria"], "the actor 'borduria' already exists in content/actors/"),
    (["statements", "x", "--field", "speaker=weiss"],
     "--field speaker: there is no actor 'weiss' in content/actors/; did you mean 'anna-weiss'?"),
    (["claims", "x", "--field", "claimnt=borduria"], "unknown field 'claimnt' for claims; "
                                                     "did you mean 'claimant'?"),
    (["claims", "x", "--field", "claimant"], "--field expects NAME=VALUE"),
    (["claims", "x", "--field", "claimant=nobody"],
     "--field claimant: there is no actor 'nobody' in content/actors/"),
    (["claims", "x", "--field", "rating=fals"], "'fals' is not a rating; expected one of: "
                                                "false, misleading, unproven, true; did you "
                                                "mean 'false'?"),
    (["claims", "x", "--field", "published=2024-02-30"], "--field published:"),
    (["statements", "x", "--field", "form=quot"], "did you mean 'quote'?"),
    (["statements", "x", "--field", "figures=[{label: x}]"], "--field figures.0.value: "
                                                             "required field 'value'"),
    (["claims", "x", "--field", "claim=a", "--field", "claim=b"], "is given twice"),
])
def test_usage_errors_exit_two_and_write_nothing(project: Path, args: list[str], message: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(p for p in (project / "content").rglob("*"))
    assert new(project, *args) == 2
    err = capsys.readouterr().err
    assert err.startswith("factsite new: error: ")
    assert message in err
    assert sorted(p for p in (project / "content").rglob("*")) == before


def test_existing_yml_counts_as_existing(project: Path) -> None:
    (project / "content" / "actors" / "other.yml").write_text("name: X\nkind: state\n")
    with pytest.raises(scaffold.ScaffoldError, match="already exists"):
        scaffold.scaffold(project, "actors", "other")


def test_never_overwrites_even_in_a_race(project: Path) -> None:
    record = scaffold.scaffold(project, "actors", "racer")
    record.path.write_text("name: First\nkind: state\n")
    with pytest.raises(scaffold.ScaffoldError, match="not overwriting"):
        scaffold.write(record)
    assert record.path.read_text() == "name: First\nkind: state\n"


def test_creates_a_missing_kind_folder(project: Path) -> None:
    shutil.rmtree(project / "content" / "explainers")
    assert new(project, "explainers", "first") == 0
    assert (project / "content" / "explainers" / "first.md").is_file()


def test_unknown_kind_is_refused_by_the_parser(project: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        new(project, "claimz", "x")
    assert exit_info.value.code == 2
