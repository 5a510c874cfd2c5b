"""Structured data: the pure JSON-LD builders, then the built pages read with extruct."""

from __future__ import annotations

import json
import re
from pathlib import Path

import extruct
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import BuiltSite, build_project, make_project
from hypothesis import given
from hypothesis import strategies as st

from generator.export import REDIRECT_MARK
from generator.graph import Graph
from generator.jsonld import Context, absolute, jsonld_hook, page_things, script_json
from generator.models import Actor, Claim, Explainer, Statement
from generator.pipeline import build_graph

FIXTURE = Path(__file__).parent / "fixtures" / "basic"
SITE_URL = "https://checks.example.org/factsite/"
BUILT_URL = "https://factsite.example.org/"  # mkdocs.yml's site_url
CLAIM = "borduria-denies-involvement"


@pytest.fixture(scope="module")
def graph() -> Graph:
    result = build_graph(FIXTURE)
    assert not result.errors, result.errors
    return result.graph


@pytest.fixture
def ctx(graph: Graph) -> Context:
    assert graph.site is not None
    return Context(graph, graph.site, SITE_URL)


def things(ctx: Context, kind: str, record_id: str) -> list[dict]:
    return page_things(ctx, kind, ctx.graph.get(kind, record_id))


def review(ctx: Context) -> dict:
    [found] = [t for t in things(ctx, "claims", CLAIM) if t["@type"] == "ClaimReview"]
    return found


def test_claim_review_has_google_required_and_recommended_fields(ctx: Context) -> None:
    found = review(ctx)
    claim = ctx.graph.get("claims", CLAIM)
    assert isinstance(claim, Claim)
    assert found["@context"] == "https://schema.org"
    assert found["claimReviewed"] == claim.claim
    assert found["url"] == f"{SITE_URL}claims/{CLAIM}/"
    assert found["author"] == {"@type": "Organization", "name": "Example Checks Desk",
                               "url": "https://checks.example.org/"}
    assert found["datePublished"] == "2022-12-01"
    assert found["dateModified"] == "2022-12-05"  # the correction
    assert found["reviewRating"] == {  # unproven is off the scale: its label, no number
        "@type": "Rating", "alternateName": "Unproven", "ratingExplanation": claim.verdict,
    }
    item = found["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Organization", "name": "Bordurian foreign ministry"}
    assert item["datePublished"] == "2022-11"


def test_appearances_are_creative_works_not_strings(ctx: Context) -> None:
    item = review(ctx)["itemReviewed"]
    assert item["firstAppearance"] == item["appearance"][0]
    for work in [*item["appearance"], item["firstAppearance"]]:
        assert isinstance(work, dict) and work["@type"] == "CreativeWork"
        assert work["name"] == "Ruritania accuses Borduria of election meddling"
        assert work["publisher"] == {"@type": "Organization", "name": "Example Wire"}
        assert work["datePublished"] == "2022-11-14"
        assert "url" not in work  # the source has a seed, no URL: none is invented


def test_appearance_url_and_archive_when_the_source_has_them(ctx: Context) -> None:
    claim = ctx.graph.get("claims", CLAIM)
    assert isinstance(claim, Claim)
    original = claim.appearances
    claim.appearances = [original[0].model_copy(update={"source": "commission-website"}),
                         *original]
    try:
        item = review(ctx)["itemReviewed"]
    finally:
        claim.appearances = original
    first = item["firstAppearance"]
    assert first["url"] == "https://commission.example.org/"
    assert first["archivedAt"].startswith("https://web.archive.org/")
    assert first["datePublished"] == "2022"  # a partial date keeps its precision
    assert len(item["appearance"]) == 2


@pytest.mark.parametrize(("actor_kind", "expected"), [
    ("person", "Person"), ("anonymous", "Person"), ("state", "Organization"),
    ("government-body", "Organization"), ("media-outlet", "Organization"),
])
def test_claimant_type_follows_actor_kind(ctx: Context, actor_kind: str, expected: str) -> None:
    actor = ctx.graph.get("actors", "borduria-foreign-ministry")
    assert isinstance(actor, Actor)
    original = actor.kind
    actor.kind = actor_kind
    try:
        assert review(ctx)["itemReviewed"]["author"]["@type"] == expected
    finally:
        actor.kind = original


def test_no_date_modified_without_updates(ctx: Context) -> None:
    claim = ctx.graph.get("claims", CLAIM)
    assert isinstance(claim, Claim)
    original, claim.updates = claim.updates, []
    try:
        assert "dateModified" not in review(ctx)
    finally:
        claim.updates = original


@pytest.mark.parametrize(("rating_id", "expected"), [
    ("false", (1, 1, 3, "False")),
    ("misleading", (2, 1, 3, "Misleading")),
    ("true", (3, 1, 3, "True")),  # counted over the on-scale ratings: unproven is not one
])
def test_rating_bounds_count_the_ratings_on_the_scale(ctx: Context, rating_id: str,
                                                      expected: tuple) -> None:
    claim = ctx.graph.get("claims", CLAIM)
    assert isinstance(claim, Claim)
    original, claim.rating = claim.rating, rating_id
    try:
        rating = review(ctx)["reviewRating"]
    finally:
        claim.rating = original
    assert (rating["ratingValue"], rating["worstRating"], rating["bestRating"],
            rating["alternateName"]) == expected


def test_one_claim_review_per_claim_page(ctx: Context) -> None:
    types = [t["@type"] for t in things(ctx, "claims", CLAIM)]
    assert types.count("ClaimReview") == 1
    assert types.count("BreadcrumbList") == 1


def test_quote_is_a_quotation_with_speaker_date_and_source(ctx: Context) -> None:
    [found, _] = things(ctx, "statements", "weiss-fake-accounts")
    statement = ctx.graph.get("statements", "weiss-fake-accounts")
    assert isinstance(statement, Statement)
    assert found["@type"] == "Quotation"
    assert found["text"] == statement.text
    speaker = {"@type": "Person", "name": "Anna Weiss",
               "jobTitle": "Interior minister of Ruritania"}
    assert found["spokenByCharacter"] == found["creator"] == speaker
    assert found["dateCreated"] == "2022-11-14"
    assert [w["name"] for w in found["isBasedOn"]] == [
        "Ruritania accuses Borduria of election meddling"]


def test_paraphrase_is_never_marked_up_as_a_quotation(ctx: Context) -> None:
    [found, _] = things(ctx, "statements", "commission-fake-sites")
    assert found["@type"] == "Statement"
    assert "spokenByCharacter" not in found
    assert found["creator"]["@type"] == "Organization"
    assert found["isBasedOn"][0]["name"].startswith("Electoral commission count")


def test_on_behalf_of_is_the_source_organization(ctx: Context) -> None:
    [found, _] = things(ctx, "statements", "borduria-denial")
    assert found["sourceOrganization"] == {"@type": "Organization", "name": "Borduria"}


def test_explainer_is_an_article(ctx: Context) -> None:
    [found, _] = things(ctx, "explainers", "borduria-campaign")
    explainer = ctx.graph.get("explainers", "borduria-campaign")
    assert isinstance(explainer, Explainer)
    assert found["@type"] == "Article"
    assert found["headline"] == explainer.title
    assert found["datePublished"] == "2022-12-02"
    assert "dateModified" not in found
    assert found["author"] == [{"@type": "Person", "name": "Desk Editor"}]
    assert found["publisher"]["name"] == "Example Checks Desk"
    assert found["mainEntityOfPage"] == found["url"] == f"{SITE_URL}explainers/borduria-campaign/"


@pytest.mark.parametrize(("kind", "record_id"), [
    ("claims", CLAIM), ("statements", "borduria-denial"), ("actors", "borduria"),
    ("elections", "ruritania-general-2022"), ("tactics", "fake-accounts"),
    ("sources", "example-report"), ("explainers", "borduria-campaign"),
])
def test_every_record_page_has_breadcrumbs_home_index_record(ctx: Context, kind: str,
                                                             record_id: str) -> None:
    [crumbs] = [t for t in things(ctx, kind, record_id) if t["@type"] == "BreadcrumbList"]
    items = crumbs["itemListElement"]
    assert [i["position"] for i in items] == [1, 2, 3]
    assert [i["item"] for i in items] == [SITE_URL, f"{SITE_URL}{kind}/",
                                          f"{SITE_URL}{kind}/{record_id}/"]
    record = ctx.graph.get(kind, record_id)
    assert record is not None
    assert items[-1]["name"] == ctx.graph.title(record)


def test_home_page_has_website_and_breadcrumb(ctx: Context) -> None:
    found = page_things(ctx, None, None)
    assert [t["@type"] for t in found] == ["WebSite", "BreadcrumbList"]
    assert found[0]["url"] == SITE_URL


def test_index_page_breadcrumbs(ctx: Context) -> None:
    found = page_things(ctx, "claims", None)
    assert [i["item"] for i in found[-1]["itemListElement"]] == [SITE_URL, f"{SITE_URL}claims/"]


@pytest.mark.parametrize(("site_url", "path", "expected"), [
    ("https://a.example/", "claims/x/", "https://a.example/claims/x/"),
    ("https://a.example", "claims/x/", "https://a.example/claims/x/"),
    ("https://a.example/sub", "/claims/x/", "https://a.example/sub/claims/x/"),
    ("https://a.example/sub/", "", "https://a.example/sub/"),
])
def test_absolute_urls_keep_the_sub_path(site_url: str, path: str, expected: str) -> None:
    assert absolute(site_url, path) == expected


@given(st.text())
def test_script_json_is_inert_in_html_and_survives_yaml(text: str) -> None:
    payload = {"claimReviewed": text, "list": [text, "</script><!--"]}
    out = script_json(payload)
    assert out.isascii()
    assert not {"<", ">", "&"} & set(out)
    assert json.loads(out) == payload
    assert yaml.safe_load(json.dumps(out)) == out  # through JSON-encoded front matter
    assert json.loads(yaml.safe_load(json.dumps(out))) == payload


def test_pages_sit_at_the_top_like_render_puts_them(ctx: Context) -> None:
    [crumbs] = page_things(ctx, "pages", ctx.graph.get("pages", "about"))
    assert [(i["name"], i["item"]) for i in crumbs["itemListElement"]] == [
        ("Example Checks", SITE_URL), ("About", f"{SITE_URL}about/")]


@pytest.mark.parametrize(("kind", "markdown_file", "expected"), [
    ("home", "index.md", [SITE_URL]),
    ("index", "claims/index.md", [SITE_URL, f"{SITE_URL}claims/"]),
    ("matrix", "matrix.md", [SITE_URL, f"{SITE_URL}matrix/"]),
    ("corrections", "corrections.md", [SITE_URL, f"{SITE_URL}corrections/"]),
])
def test_hook_for_generated_pages(graph: Graph, kind: str, markdown_file: str,
                                  expected: list[str]) -> None:
    found = json.loads(jsonld_hook(graph, SITE_URL)(kind, None, markdown_file) or "")
    assert [i["item"] for i in found[-1]["itemListElement"]] == expected
    assert all(i["name"] for i in found[-1]["itemListElement"])


def test_hook_without_directory_urls(graph: Graph) -> None:
    claim = graph.get("claims", CLAIM)
    found = json.loads(jsonld_hook(graph, SITE_URL, False)("claims", claim, "x") or "")
    assert found[0]["url"] == f"{SITE_URL}claims/{CLAIM}.html"
    assert found[1]["itemListElement"][1]["item"] == f"{SITE_URL}claims/index.html"


# -- the built site, read the way aggregators read it ---------------------------------------


def built_pages(site: Path) -> list[Path]:
    """Every page MkDocs built (not alias redirects, not the 404 page, not the web editor's
    own ``admin/index.html``)."""
    return sorted(p for p in site.rglob("*.html")
                  if p.name != "404.html" and p.relative_to(site).parts[0] != "admin"
                  and REDIRECT_MARK not in p.read_text("utf-8"))


def extract(path: Path, site: Path) -> list[dict]:
    url = BUILT_URL + path.parent.relative_to(site).as_posix().removesuffix(".") + "/"
    found = extruct.extract(path.read_text("utf-8"), base_url=url, syntaxes=["json-ld"],
                            uniform=False)["json-ld"]
    return found


def test_every_built_page_has_breadcrumbs_in_its_head(built_site: BuiltSite) -> None:
    pages = built_pages(built_site.site)
    assert len(pages) > 20
    for path in pages:
        types = [item["@type"] for item in extract(path, built_site.site)]
        assert types.count("BreadcrumbList") == 1, path
        soup = BeautifulSoup(path.read_text("utf-8"), "lxml")
        scripts = soup.select('script[type="application/ld+json"]')
        assert len(scripts) == 1 and scripts[0].find_parent("head") is not None, path


@pytest.mark.parametrize("claim_id", sorted(build_graph(FIXTURE).graph.records["claims"]))
def test_every_claim_page_has_exactly_one_complete_claim_review(
        built_site: BuiltSite, claim_id: str) -> None:
    path = built_site.site / "claims" / claim_id / "index.html"
    reviews = [i for i in extract(path, built_site.site) if i["@type"] == "ClaimReview"]
    assert len(reviews) == 1, "one ClaimReview per page"
    [found] = reviews
    # Google's required fields
    assert found["claimReviewed"].strip()
    assert found["reviewRating"]["alternateName"].strip()
    assert found["url"] == f"{BUILT_URL}claims/{claim_id}/"
    # recommended fields
    assert found["author"]["@type"] == "Organization" and found["author"]["name"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", found["datePublished"])
    rating = found["reviewRating"]
    assert rating["@type"] == "Rating"
    if "ratingValue" in rating:
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    item = found["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"]["@type"] in ("Person", "Organization") and item["author"]["name"]
    assert item["datePublished"]
    assert item["appearance"] and all(isinstance(w, dict) and w["@type"] == "CreativeWork"
                                      for w in item["appearance"])
    assert isinstance(item["firstAppearance"], dict)
    assert item["firstAppearance"]["@type"] == "CreativeWork"


def test_claim_markup_matches_the_visible_page(built_site: BuiltSite) -> None:
    path = built_site.site / "claims" / CLAIM / "index.html"
    [found] = [i for i in extract(path, built_site.site) if i["@type"] == "ClaimReview"]
    article = BeautifulSoup(path.read_text("utf-8"), "lxml").select_one("article")
    assert article is not None
    visible = " ".join(article.get_text(" ").split())
    assert found["claimReviewed"] in visible
    rating = article.select_one(".fs-verdict__rating .fs-rating")
    assert rating is not None
    assert rating.get_text(strip=True) == found["reviewRating"]["alternateName"]
    assert found["reviewRating"]["ratingExplanation"] in visible
    assert found["itemReviewed"]["author"]["name"] in visible
    assert found["itemReviewed"]["firstAppearance"]["name"] in visible
    claim_review = json.loads((built_site.site / "data/claimreview.json").read_text("utf-8"))
    in_feed = [r for e in claim_review["dataFeedElement"] for r in e["item"]
               if r["url"] == found["url"]]
    assert in_feed == [found], "the feed and the page carry the same ClaimReview"


@pytest.mark.parametrize(("url", "expected"), [
    ("statements/weiss-fake-accounts/", "Quotation"),
    ("statements/commission-fake-sites/", "Statement"),
    ("explainers/borduria-campaign/", "Article"),
    ("", "WebSite"),
])
def test_statement_explainer_and_home_markup(built_site: BuiltSite, url: str,
                                             expected: str) -> None:
    path = built_site.site / url / "index.html"
    items = extract(path, built_site.site)
    [main] = [i for i in items if i["@type"] != "BreadcrumbList"]
    assert main["@type"] == expected
    visible = " ".join(BeautifulSoup(path.read_text("utf-8"), "lxml").get_text(" ").split())
    for key in ("text", "headline"):
        if key in main:
            assert main[key] in visible


# -- ratings off the false–true scale ----------------------------------------------------


@pytest.fixture(scope="module")
def two_ratings_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The fixture plus a claim rated 'misleading' (on the scale), built with MkDocs."""
    project = make_project(tmp_path_factory.mktemp("ratings") / "project")
    source = project / "content" / "claims" / f"{CLAIM}.yaml"
    text = source.read_text("utf-8").replace("rating: unproven", "rating: misleading")
    (project / "content" / "claims" / "misleading-claim.yaml").write_text(text, "utf-8")
    return build_project(project)


def built_review(site: BuiltSite, claim_id: str) -> dict:
    path = site.site / "claims" / claim_id / "index.html"
    [found] = [i for i in extract(path, site.site) if i["@type"] == "ClaimReview"]
    return found


def test_off_scale_rating_publishes_no_number(two_ratings_site: BuiltSite) -> None:
    rating = built_review(two_ratings_site, CLAIM)["reviewRating"]
    assert rating["alternateName"] == "Unproven"
    assert not {"ratingValue", "bestRating", "worstRating"} & set(rating)


def test_on_scale_rating_is_counted_over_the_scale_only(two_ratings_site: BuiltSite) -> None:
    rating = built_review(two_ratings_site, "misleading-claim")["reviewRating"]
    assert (rating["ratingValue"], rating["worstRating"], rating["bestRating"]) == (2, 1, 3)
    assert rating["alternateName"] == "Misleading"


def test_data_feed_carries_the_same_ratings(two_ratings_site: BuiltSite) -> None:
    feed = json.loads((two_ratings_site.site / "data/claimreview.json").read_text("utf-8"))
    ratings = {r["url"].rstrip("/").rsplit("/", 1)[-1]: r["reviewRating"]
               for e in feed["dataFeedElement"] for r in e["item"]}
    assert ratings[CLAIM] == built_review(two_ratings_site, CLAIM)["reviewRating"]
    assert ratings["misleading-claim"] == \
        built_review(two_ratings_site, "misleading-claim")["reviewRating"]
    assert "ratingValue" not in ratings[CLAIM]


def test_methodology_lists_the_scale_once_and_off_scale_apart(
        two_ratings_site: BuiltSite) -> None:
    page = two_ratings_site.html("methodology/")
    scale = [dt.get_text(strip=True) for dt in page.select(".fs-ratings--scale dt")]
    apart = [dt.get_text(strip=True) for dt in page.select(".fs-ratings--off-scale dt")]
    assert scale == ["False", "Misleading", "True"]
    assert apart == ["Unproven"]
    assert len(page.select(".fs-ratings dt")) == 4, "each rating shown once"
