"""Share cards: og:/twitter: tags on every page of a real build, the fact-check card images
(1200×630 PNG, claim framed, wrapped and cut), and their cache across builds."""

from __future__ import annotations

import io
import shutil
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import BuiltSite, build_project, make_project
from PIL import Image, ImageChops, ImageDraw, ImageFont, features

from generator import cards
from generator.build import build_site
from generator.cards import CARD_CACHE, Card, draw, face, fit, font, wrap
from generator.export import REDIRECT_MARK
from generator.pipeline import build_graph
from generator.site import SiteOptions

SITE_URL = "https://factsite.example.org/"  # mkdocs.yml's site_url
CLAIM = "borduria-denies-involvement"
TAGS = ("og:title", "og:description", "og:url", "og:type", "og:site_name")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_project(make_project(tmp_path_factory.mktemp("cards") / "project"))


def pages(site: Path) -> list[Path]:
    """Every page of the site (not alias redirects, the 404 page or the web editor)."""
    return sorted(p for p in site.rglob("*.html")
                  if p.name != "404.html" and p.relative_to(site).parts[0] != "admin"
                  and REDIRECT_MARK not in p.read_text("utf-8"))


def tags(path: Path) -> dict[str, str]:
    head = BeautifulSoup(path.read_text("utf-8"), "lxml").head
    assert head is not None
    found: dict[str, str] = {}
    for meta in head.select("meta[property], meta[name]"):
        key = meta.get("property") or meta.get("name")
        if key.startswith(("og:", "twitter:")):
            assert key not in found, f"{key} twice in {path}"
            found[key] = meta["content"]
    return found


def page_url(site: Path, path: Path) -> str:
    relative = path.relative_to(site).as_posix()
    return SITE_URL + relative.removesuffix("index.html")


def card_file(site: Path, url: str) -> Path:
    assert url.startswith(SITE_URL)
    return site / urlsplit(url).path.removeprefix("/")


def test_every_page_kind_has_absolute_share_tags(built: BuiltSite) -> None:
    found = pages(built.site)
    graph = build_graph(built.root).graph
    records = {SITE_URL + (f"{r.id}/" if r.collection == "pages" else f"{r.collection}/{r.id}/")
               for r in graph.all()}
    kinds = {p.relative_to(built.site).parts[0] for p in found}
    assert {"claims", "statements", "actors", "sources", "tactics", "elections",
            "explainers", "matrix", "index.html", "data"} <= kinds
    for path in found:
        page = tags(path)
        for name in TAGS:
            assert page.get(name, "").strip(), f"{name} missing in {path}"
        assert page["og:url"] == page_url(built.site, path)
        assert page["twitter:card"] in ("summary", "summary_large_image")
        assert page["og:type"] == ("article" if page["og:url"] in records else "website")


def test_fact_check_pages_share_their_card(built: BuiltSite) -> None:
    claims = build_graph(built.root).graph.records["claims"]
    assert claims
    for claim_id in claims:
        page = tags(built.site / "claims" / claim_id / "index.html")
        assert page["twitter:card"] == "summary_large_image"
        assert page["og:title"].startswith("Fact-check: “") and page["og:title"].endswith(
            "” — Unproven")
        assert page["og:description"].startswith("Our verdict: Unproven. ")
        assert "Claimed by Bordurian foreign ministry" in page["og:image:alt"]
        image = card_file(built.site, page["og:image"])
        with Image.open(image) as card:
            assert card.format == "PNG"
            assert card.size == (1200, 630)
        assert (page["og:image:width"], page["og:image:height"]) == ("1200", "630")


def test_other_pages_have_no_image(built: BuiltSite) -> None:
    for url in ("", "claims/", "statements/weiss-fake-accounts/", "methodology/"):
        page = tags(built.site / url / "index.html")
        assert "og:image" not in page and page["twitter:card"] == "summary"


def test_a_rebuild_reads_cards_from_the_cache(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    first = build_project(project)
    cached = sorted((project / CARD_CACHE).glob("*.png"))
    assert len(cached) == 1
    stamp = cached[0].stat().st_mtime_ns
    card = card_file(first.site, tags(first.site / "claims" / CLAIM / "index.html")["og:image"])
    drawn = card.read_bytes()
    second = build_project(project)
    assert [p.stat().st_mtime_ns for p in (project / CARD_CACHE).glob("*.png")] == [stamp]
    assert card.read_bytes() == drawn and second.site == first.site
    # A changed claim gets a new card (and a new address); the old one leaves the cache.
    source = project / "content" / "claims" / f"{CLAIM}.yaml"
    source.write_text(source.read_text("utf-8").replace("had no involvement", "played no part"),
                      "utf-8")
    third = build_project(project)
    page = tags(third.site / "claims" / CLAIM / "index.html")
    assert card_file(third.site, page["og:image"]) != card
    assert [p.name for p in (project / CARD_CACHE).glob("*.png")] != [cached[0].name]
    assert len(list((project / CARD_CACHE).glob("*.png"))) == 1


def test_with_a_cache_cards_are_handed_over_as_its_files_not_their_bytes(tmp_path: Path
                                                                         ) -> None:
    """The site holds no card's PNG in memory: the engine copies each from the cache (and
    the built card is the cached file, byte for byte)."""
    project = make_project(tmp_path / "project")
    site = build_site(project, SiteOptions(site_url=SITE_URL, card_cache=project / CARD_CACHE))
    [card] = [a for a in site.assets if a.path.startswith("assets/cards/")]
    assert card.content == b"" and card.source is not None
    assert card.source.parent == project / CARD_CACHE and card.data()[:8] == b"\x89PNG\r\n\x1a\n"
    built = build_project(project)
    assert (built.site / card.path).read_bytes() == card.source.read_bytes()


def test_build_without_a_cache_draws_in_memory(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    site = build_site(project, SiteOptions(site_url=SITE_URL))
    [card] = [a for a in site.assets if a.path.startswith("assets/cards/")]
    with Image.open(io.BytesIO(card.content)) as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))
    assert not (project / ".cache").exists()


def test_missing_font_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cards, "FONT_FOLDERS", (tmp_path / "no-fonts",))
    caches = (font, face, cards.template)
    for cached in caches:
        cached.cache_clear()
    try:
        site = build_site(make_project(tmp_path / "project"), SiteOptions(site_url=SITE_URL))
    finally:
        for cached in caches:
            cached.cache_clear()
    [error] = site.errors
    assert "fonts-dejavu-core" in error.format() and not site.pages



def test_missing_cards_are_drawn_in_another_process_while_the_pages_render(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With enough missing cards and a second CPU, the cards are drawn by
    ``python -m generator.cards`` while the pages render: the build's own process draws none,
    and the site is the one drawn inline."""
    project = make_project(tmp_path / "project")
    options = SiteOptions(site_url=SITE_URL, card_cache=project / CARD_CACHE)
    inline = build_site(project, options)
    shutil.rmtree(project / CARD_CACHE)
    monkeypatch.setattr(cards, "AHEAD_MINIMUM", 1)
    monkeypatch.setattr(cards, "available_cpus", lambda: 2)

    def not_here(card: Card) -> bytes:
        raise AssertionError("a card was drawn in the build's own process")
    monkeypatch.setattr(cards, "draw", not_here)
    ahead = build_site(project, options)
    assert ahead == inline and len(list((project / CARD_CACHE).glob("*.png"))) == 1


def test_when_the_drawing_process_fails_the_build_draws_the_cards(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "project")
    options = SiteOptions(site_url=SITE_URL, card_cache=project / CARD_CACHE)
    monkeypatch.setattr(cards, "AHEAD_MINIMUM", 1)
    monkeypatch.setattr(cards, "available_cpus", lambda: 2)
    monkeypatch.setattr(cards.sys, "executable", shutil.which("false"))
    site = build_site(project, options)
    assert not site.errors and [a for a in site.assets if a.path.startswith("assets/cards/")]
    assert len(list((project / CARD_CACHE).glob("*.png"))) == 1


# -- the drawing ----------------------------------------------------------------------------


def test_card_text_is_plain_text_not_markup(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    source = project / "content" / "claims" / f"{CLAIM}.yaml"
    source.write_text(source.read_text("utf-8").replace(
        "claim: Borduria had no involvement in the 2022 Ruritanian election campaign.",
        'claim: "Borduria & its <b>allies</b>\\n  had *no* part."'), "utf-8")
    graph = build_graph(project).graph
    assert graph.site is not None
    card = cards.card_of(graph, graph.site, graph.get("claims", CLAIM))
    assert card.claim_line == "Claim: “Borduria & its <b>allies</b> had *no* part.”"
    assert "&amp;" not in card.alt and "&lt;" not in card.alt


LONG = " ".join(["Russia has never interfered with any election anywhere in the world"] * 12)


def test_long_claims_are_wrapped_and_cut_with_an_ellipsis() -> None:
    width, height = 1072, 260
    size, lines = fit(f"Claim: “{LONG}”", width, height)
    assert size == cards.CLAIM_SIZES[-1]
    assert len(lines) * round(size * 1.25) <= height
    assert lines[-1].endswith("…”")
    bold = font(cards.BOLD, size)
    assert all(bold.getlength(line) <= width for line in lines)
    assert " ".join(lines).replace("…”", "") in f"Claim: “{LONG}”"


def test_short_claims_keep_the_largest_size_and_every_word() -> None:
    size, lines = fit("Claim: “Elections were undemocratic.”", 1072, 260)
    assert size == cards.CLAIM_SIZES[0]
    assert " ".join(lines) == "Claim: “Elections were undemocratic.”"


def test_a_word_longer_than_a_line_is_split() -> None:
    lines = wrap("x" * 200, face(cards.BOLD, 40), 500)
    assert len(lines) > 1 and "".join(lines) == "x" * 200
    assert all(font(cards.BOLD, 40).getlength(line) <= 500 for line in lines)


@pytest.mark.parametrize(("position", "color"), [(None, "#616161"), (2, "#bf360c"), (5, None)])
def test_card_is_a_1200_by_630_png(position: int | None, color: str | None) -> None:
    card = Card("Example Checks", LONG, "Bordurian foreign ministry", "November 2022",
                "Mostly false", position, 5, color)
    with Image.open(io.BytesIO(draw(card))) as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))
        rgb = image.convert("RGB")
    band = rgb.getpixel((5, 625))
    assert band == tuple(int((color or cards.NEUTRAL)[i:i + 2], 16) for i in (1, 3, 5))
    assert rgb.getpixel((5, 5)) == (255, 255, 255)


def test_cache_key_follows_content_and_renderer(monkeypatch: pytest.MonkeyPatch) -> None:
    card = Card("S", "claim", "who", "2022", "False", 1, 3, "#b71c1c")
    same = Card("S", "claim", "who", "2022", "False", 1, 3, "#b71c1c")
    other = Card("S", "claim!", "who", "2022", "False", 1, 3, "#b71c1c")
    assert card.key == same.key != other.key
    monkeypatch.setattr(cards, "RENDERER_VERSION", "next")
    assert Card("S", "claim", "who", "2022", "False", 1, 3, "#b71c1c").key != card.key


def test_quotation_marks_inside_the_claim_become_single() -> None:
    card = Card("S", 'It is "highly likely" a “compilation”', "who", "2022", "False", 1, 3, None)
    assert card.claim_line == "Claim: “It is ‘highly likely’ a ‘compilation’”"


# -- text drawn from cached glyphs ----------------------------------------------------------

COMPOSED = [
    "Claim: “AVAT Type WAVY Yo, To. Ta”",  # kerning pairs
    "The official fluffy affine baffle office",  # ligatures: fi, fl, ff, ffi, ffl
    "Ελληνικά: «Δεν υπήρξε παρέμβαση» — Кириллица: «Выборы»",
    "Ærøskøbing, Łódź, Şanlıurfa… 1,234.5 % – naïve “quote” ‘single’",
]


def pillow_text(text: str, size: int, name: str) -> Image.Image:
    image = Image.new("L", (1400, 2 * size), 255)
    ImageDraw.Draw(image).text((7, 5), text, font=font(name, size), fill=0)
    return image


def composed_text(text: str, size: int, name: str) -> Image.Image:
    image = Image.new("L", (1400, 2 * size), 255)
    face(name, size).text(ImageDraw.Draw(image), (7, 5), text, 0)
    return image


@pytest.mark.parametrize("text", COMPOSED)
@pytest.mark.parametrize(("name", "size"), [(cards.BOLD, 54), (cards.BOLD, 36),
                                            (cards.REGULAR, 30)])
def test_composed_text_is_pillows_to_the_pixel(text: str, name: str, size: int) -> None:
    """Lines composed from cached glyphs (kerning and ligatures included) are the pixels
    and the width Pillow (Raqm) gives the whole line."""
    assert ImageChops.difference(pillow_text(text, size, name),
                                 composed_text(text, size, name)).getbbox() is None
    assert face(name, size).getlength(text) == pytest.approx(font(name, size).getlength(text))


@pytest.mark.skipif(not features.check("raqm"), reason="Pillow without Raqm forms no ligatures")
def test_ligatures_are_found_in_the_font() -> None:
    assert {"fi", "fl"} <= set(face(cards.BOLD, 54).ligatures)


@pytest.mark.parametrize("text", ["ادعاء: لم يكن هناك أي تدخل في الانتخابات",
                                  "טענה: לא הייתה התערבות", "दावा: कोई हस्तक्षेप नहीं"])
def test_scripts_that_need_shaping_are_drawn_by_pillow_whole(text: str) -> None:
    assert not all(map(cards.composable, text))
    assert ImageChops.difference(pillow_text(text, 54, cards.BOLD),
                                 composed_text(text, 54, cards.BOLD)).getbbox() is None
    assert face(cards.BOLD, 54).getlength(text) == font(cards.BOLD, 54).getlength(text)


def test_a_card_of_known_words_rasterises_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second card of a site and rating draws only from cached glyphs and template."""
    first = Card("Glyph Checks", "Turnout was fraud", "Actor", "May 2022", "False", 1, 3, None)
    draw(first)
    rasterised: list[str] = []
    original = ImageFont.FreeTypeFont.getmask2

    def spy(self: ImageFont.FreeTypeFont, text: str, *args: object, **kwargs: object
            ) -> object:
        rasterised.append(text)
        return original(self, text, *args, **kwargs)

    monkeypatch.setattr(ImageFont.FreeTypeFont, "getmask2", spy)
    second = replace(first, claim="fraud was Turnout", claimant="Tor")
    with Image.open(io.BytesIO(draw(second))) as image:
        assert image.size == (1200, 630)
    assert rasterised == []
    draw(replace(second, claim="Quixotic"))
    assert rasterised and all(len(glyph) <= 3 for glyph in rasterised)


def test_deploy_workflow_installs_the_font_and_keeps_the_cards() -> None:
    """A deploy draws only the cards the last deploy did not (actions/cache on the card
    cache), in the font the cards need, both before the build."""
    workflow = yaml.safe_load((Path(__file__).parents[1] / ".github" / "workflows"
                               / "deploy.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    build = next(n for n, step in enumerate(steps) if "mkdocs build" in step.get("run", ""))
    font_step = next(n for n, step in enumerate(steps)
                     if "apt-get install" in step.get("run", "")
                     and "fonts-dejavu-core" in step["run"])
    cache = next(n for n, step in enumerate(steps)
                 if step.get("uses", "").startswith("actions/cache@"))
    assert font_step < build and cache < build
    settings = steps[cache]["with"]
    assert Path(settings["path"]) == CARD_CACHE
    assert "generator/cards.py" in settings["key"] and settings["restore-keys"]


def many_cards(count: int) -> list[Card]:
    ratings = [("False", 1, "#b71c1c"), ("Unproven", None, "#616161"), ("True", 3, None)]
    return [Card("Thread Checks", f"Claim number {n} of {LONG[:40 + n]}", f"Actor {n}",
                 "May 2022", *ratings[n % 3][:2], 3, ratings[n % 3][2]) for n in range(count)]


def test_cards_drawn_in_threads_are_the_cards_drawn_one_by_one(tmp_path: Path) -> None:
    several = many_cards(4 * cards.DRAWING_THREADS + 1)
    threaded = cards.cached_pngs(several, tmp_path / "cache")
    assert threaded == [draw(card) for card in several]
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == sorted(
        f"{card.key}.png" for card in several)
    assert cards.cached_pngs(several, tmp_path / "cache") == threaded  # read back


def test_an_error_drawing_one_card_is_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    several = many_cards(4 * cards.DRAWING_THREADS)
    original = cards.draw

    def failing(card: Card) -> bytes:
        if card is several[5]:
            raise cards.CardFontMissing("/nowhere/DejaVuSans.ttf")
        return original(card)

    monkeypatch.setattr(cards, "draw", failing)
    with pytest.raises(cards.CardFontMissing, match="nowhere"):
        cards.cached_pngs(several, None)
