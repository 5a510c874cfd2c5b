"""Open data: factsite.json (schema, round trip), the CSVs, claimreview.json, the /data/ page."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import extruct
import pytest
import yaml
from conftest import FIXTURE, BuiltSite
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from generator.export import (
    EXPORT_VERSION,
    LIST_SEPARATOR,
    csv_columns,
    export_files,
    records_from_export,
)
from generator.graph import Graph
from generator.load import ALL_KINDS
from generator.models import MarkdownRecord
from generator.pipeline import build_graph

SITE_URL = "https://checks.example.org/"
BUILT_SITE_URL = "https://factsite.example.org/"  # mkdocs.yml's site_url


@pytest.fixture(scope="module")
def graph() -> Graph:
    result = build_graph(FIXTURE)
    assert not result.errors
    return result.graph


@pytest.fixture(scope="module")
def files(graph: Graph) -> dict[str, str | bytes]:
    return export_files(graph, SITE_URL)


@pytest.fixture(scope="module")
def payload(files: dict[str, str | bytes]) -> dict[str, Any]:
    return json.loads(files["data/factsite.json"])


def dumps(record: Any) -> dict[str, Any]:
    return record.model_dump(mode="json")


# -- factsite.json ----------------------------------------------------------------------------


def test_export_has_version_every_kind_and_every_record(graph: Graph, payload: dict) -> None:
    assert payload["version"] == EXPORT_VERSION
    assert payload["site_url"] == SITE_URL
    assert payload["updated"] == "2022-12-05"  # newest content date, never the build time
    assert payload["license"]["name"] == "CC BY 4.0"
    assert payload["counts"] == graph.count()
    for kind in ALL_KINDS:
        ids = [entry["id"] for entry in payload["records"][kind]]
        assert ids == sorted(graph.records[kind]), kind


def test_export_resolves_references_and_backlinks(graph: Graph, payload: dict) -> None:
    [claim] = payload["records"]["claims"]
    assert claim["url"] == f"{SITE_URL}claims/borduria-denies-involvement/"
    assert claim["file"] == "content/claims/borduria-denies-involvement.yaml"
    assert claim["links"]["statements"] == ["weiss-fake-accounts"]
    assert claim["links"]["actors"] == ["borduria-foreign-ministry", "borduria"]
    ministry = next(e for e in payload["records"]["actors"]
                    if e["id"] == "borduria-foreign-ministry")
    assert {"kind": "claims", "id": "borduria-denies-involvement",
            "field": "claimant"} in ministry["backlinks"]
    about = next(e for e in payload["records"]["pages"] if e["id"] == "about")
    assert about["url"] == f"{SITE_URL}about/"
    assert "Example Checks Desk" in about["body"]


def test_export_validates_against_its_published_schema(files: dict, payload: dict) -> None:
    schemas = {name.removeprefix("data/schema/"): json.loads(text)
               for name, text in files.items() if name.startswith("data/schema/")}
    assert set(schemas) == {"factsite.schema.json", "site.schema.json",
                            *(f"{kind}.schema.json" for kind in ALL_KINDS)}
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema)) for name, schema in schemas.items())
    validator = Draft202012Validator(schemas["factsite.schema.json"], registry=registry)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(payload)]
    assert errors == []
    broken = json.loads(json.dumps(payload))
    broken["records"]["claims"][0]["data"]["rating"] = 3
    assert not validator.is_valid(broken), "record data is checked against its kind's schema"


def test_export_round_trips_through_the_models(graph: Graph, payload: dict) -> None:
    rebuilt = records_from_export(json.loads(json.dumps(payload)))
    for kind in ALL_KINDS:
        assert set(rebuilt[kind]) == set(graph.records[kind])
        for record_id, record in rebuilt[kind].items():
            original = graph.records[kind][record_id]
            assert dumps(record) == dumps(original)
            assert record.file == original.file
            if isinstance(original, MarkdownRecord):
                assert isinstance(record, MarkdownRecord) and record.body == original.body


def write_tree(payload: dict, root: Path) -> None:
    """Turn an export back into a content tree: YAML records, Markdown with front matter."""
    (root / "content").mkdir(parents=True)
    (root / "content" / "site.yaml").write_text(yaml.safe_dump(payload["site"]), "utf-8")
    for entries in payload["records"].values():
        for entry in entries:
            path = root / entry["file"]
            path.parent.mkdir(parents=True, exist_ok=True)
            data = yaml.safe_dump(entry["data"], allow_unicode=True, sort_keys=False)
            text = f"---\n{data}---\n{entry['body']}" if "body" in entry else data
            path.write_text(text, encoding="utf-8")


def test_export_rebuilds_the_same_graph(graph: Graph, payload: dict, tmp_path: Path) -> None:
    """Load the export, write it out as content, run the whole pipeline: same graph."""
    write_tree(json.loads(json.dumps(payload)), tmp_path)
    shutil.copytree(FIXTURE / "seeds", tmp_path / "seeds")
    result = build_graph(tmp_path)
    assert result.errors == []
    for kind in ALL_KINDS:
        assert {k: dumps(r) for k, r in result.graph.records[kind].items()} == {
            k: dumps(r) for k, r in graph.records[kind].items()}
    assert {k: sorted(v, key=repr) for k, v in result.graph.backlinks.items()} == {
        k: sorted(v, key=repr) for k, v in graph.backlinks.items()}
    assert result.graph.aliases == graph.aliases
    assert export_files(result.graph, SITE_URL)["data/factsite.json"] == json.dumps(
        payload, ensure_ascii=False, separators=(",", ":")) + "\n"


def test_exports_are_byte_identical_across_builds(graph: Graph, files: dict) -> None:
    again = export_files(build_graph(FIXTURE).graph, SITE_URL)
    assert again == files


# -- CSV ------------------------------------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_csv_one_row_per_record_with_header(graph: Graph, files: dict, kind: str) -> None:
    text = files[f"data/{kind}.csv"]
    assert isinstance(text, str) and not text.startswith("\ufeff")
    header = next(csv.reader(io.StringIO(text, newline="")))
    assert header == csv_columns(kind)
    assert header[:3] == ["id", "page_url", "display_title"]
    assert len(set(header)) == len(header)
    rows = read_csv(text)
    assert len(rows) == len(graph.records[kind])
    assert [row["id"] for row in rows] == sorted(graph.records[kind])
    assert all(row["page_url"].startswith(SITE_URL) for row in rows)


def test_csv_lists_and_nested_values(files: dict) -> None:
    [claim] = read_csv(files["data/claims.csv"])
    assert claim["about.elections"] == "ruritania-general-2022"
    assert claim["about.tactics"] == ""
    assert claim["claimed"] == "2022-11"
    assert claim["published"] == "2022-12-01"
    assert json.loads(claim["evidence"])[0] == {"statement": "weiss-fake-accounts"}
    assert json.loads(claim["updates"])[0]["kind"] == "correction"
    assert "accusation, not proof." in claim["analysis"]  # multi-line Markdown kept whole
    [tactic] = [r for r in read_csv(files["data/tactics.csv"]) if r["id"] == "fake-accounts"]
    assert tactic["disarm"] == "T0143.002"
    [source] = [r for r in read_csv(files["data/sources.csv"]) if r["id"] == "commission-count"]
    assert source["reported_in"] == "example-report"
    [statement] = [r for r in read_csv(files["data/statements.csv"])
                   if r["id"] == "weiss-fake-accounts"]
    assert statement["about.countries"] == "RO"
    assert LIST_SEPARATOR == "; "


# -- claimreview.json ---------------------------------------------------------------------


def test_claimreview_feed_holds_every_claim_review(graph: Graph, files: dict) -> None:
    feed = json.loads(files["data/claimreview.json"])
    assert feed["@type"] == "DataFeed"
    assert feed["url"] == f"{SITE_URL}data/claimreview.json"
    reviews = [review for element in feed["dataFeedElement"] for review in element["item"]]
    assert len(reviews) == len(graph.records["claims"])
    assert {r["@type"] for r in reviews} == {"ClaimReview"}
    assert reviews[0]["reviewRating"]["alternateName"] == "Unproven"
    assert "ratingValue" not in reviews[0]["reviewRating"]  # off the scale: no number
    assert feed["dataFeedElement"][0]["dateModified"] == "2022-12-05"


# -- the built site -------------------------------------------------------------------------


def test_built_site_has_every_data_file(built_site: BuiltSite, files: dict) -> None:
    for name in files:
        if name.startswith("data/"):
            assert (built_site.site / name).is_file(), name
    payload = json.loads((built_site.site / "data/factsite.json").read_text("utf-8"))
    assert payload["site_url"] == BUILT_SITE_URL


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_built_csv_row_counts(built_site: BuiltSite, graph: Graph, kind: str) -> None:
    with (built_site.site / "data" / f"{kind}.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(graph.records[kind])


def test_data_page_explains_every_file_licence_and_citation(built_site: BuiltSite) -> None:
    soup = built_site.html("data/")
    article = soup.select_one("article")
    text = article.get_text(" ")
    for href in {a["href"] for a in article.select("table a[href]")}:
        assert (built_site.site / "data" / href).resolve().is_file(), href
    linked = {a["href"] for a in article.select("table a[href]")}
    assert {"factsite.json", "claimreview.json", "schema/factsite.schema.json",
            "../feed.xml", "../sitemap.xml", *(f"{kind}.csv" for kind in ALL_KINDS)} <= linked
    assert article.select_one('a[href="https://creativecommons.org/licenses/by/4.0/"]')
    assert "How to cite" in text and "CC BY 4.0" in text
    [crumbs] = [t for t in extruct.extract(str(soup), syntaxes=["json-ld"])["json-ld"]
                if t["@type"] == "BreadcrumbList"]
    assert crumbs["itemListElement"][-1]["item"] == f"{BUILT_SITE_URL}data/"


def test_sitemap_covers_every_record_page(built_site: BuiltSite, graph: Graph) -> None:
    from lxml import etree

    tree = etree.parse(str(built_site.site / "sitemap.xml"))
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {loc.text for loc in tree.iterfind(".//s:loc", namespace)}
    for entry in json.loads((built_site.site / "data/factsite.json").read_text("utf-8"))[
            "records"].values():
        for record in entry:
            assert record["url"] in locs, record["url"]
    assert f"{BUILT_SITE_URL}data/" in locs
