"""The red-team findings of November 2026 (``shared/reviews/redteam-2026-11.md``, issue 20),
one test per finding, named after it. Each rebuilds the report's reproduction on a copy of
the clean fixture (``tests/fixtures/basic``) and checks that ``factsite check`` now refuses
it with a clear message, or that the output stays inert and the time linear.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import build_project, make_project, mkdocs

from generator.diagnostics import Diagnostic
from generator.pipeline import build_graph

BASE = Path(__file__).parent / "fixtures" / "basic"
WEISS = "content/statements/weiss-fake-accounts.yaml"
ABOUT = "content/pages/about.md"


def project(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    for relative, text in (files or {}).items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def errors(root: Path) -> list[Diagnostic]:
    return build_graph(root).errors


def messages(root: Path, path: str | None = None) -> str:
    return "\n".join(d.format() for d in errors(root) if path is None or d.path == path)


def fixture_text(relative: str) -> str:
    return (BASE / relative).read_text(encoding="utf-8")


def timed(root: Path) -> tuple[float, list[Diagnostic]]:
    started = time.perf_counter()
    found = errors(root)
    return time.perf_counter() - started, found


# -- F1, F2: an id, file name or alias is exactly the slug ------------------------------------


def test_f1_id_with_trailing_newline_refused(tmp_path: Path) -> None:
    root = project(tmp_path)
    twin = root / "content" / "claims" / "borduria-denies-involvement\n.yaml"
    twin.write_text(fixture_text("content/claims/borduria-denies-involvement.yaml")
                    .replace("rating: unproven", 'rating: "true"'), encoding="utf-8")
    found = [d for d in errors(root) if d.path.startswith("content/claims/borduria")]
    assert len(found) == 1 and "is not a valid id" in found[0].message
    assert "\\n" in found[0].path  # shown escaped: the name cannot forge a line


def test_f2_alias_with_trailing_newline_refused(tmp_path: Path) -> None:
    root = project(tmp_path, {ABOUT: '---\ntitle: About\naliases: ["moved\\n"]\n---\nAbout.\n'})
    found = messages(root, ABOUT)
    assert "aliases.0" in found and "is not a valid id" in found


def test_f2_rating_id_with_trailing_newline_refused(tmp_path: Path) -> None:
    site = fixture_text("content/site.yaml").replace('id: "true"', 'id: "true\\n"')
    root = project(tmp_path, {"content/site.yaml": site})
    assert "is not a valid id" in messages(root, "content/site.yaml")


@pytest.mark.parametrize("disarm", ["T0143.002\\n", "T\\u0660\\u0661\\u0664\\u0663",
                                    "T\\uff10143"])
def test_f1_disarm_id_is_exactly_the_pattern(tmp_path: Path, disarm: str) -> None:
    """A DISARM id is shown and linked as written: like an id, it must be exactly the
    pattern (no trailing newline), in ASCII digits (no look-alike Arabic-Indic or
    full-width ones)."""
    tactic = "content/tactics/fake-accounts.yaml"
    text = fixture_text(tactic).replace("disarm: [T0143.002]", f'disarm: ["{disarm}"]')
    found = messages(project(tmp_path, {tactic: text}), tactic)
    assert "disarm.0:" in found and "is not a DISARM technique id" in found


# -- F7: no traceback on huge numbers ---------------------------------------------------------


@pytest.mark.parametrize("yaml_value", ["1" + "0" * 400, "0x" + "f" * 4000, "-" + "9" * 17])
def test_f7_huge_integer_figure_refused(tmp_path: Path, yaml_value: str) -> None:
    text = fixture_text("content/statements/commission-fake-sites.yaml").replace(
        "value: 3", f"value: {yaml_value}")
    root = project(tmp_path, {"content/statements/commission-fake-sites.yaml": text})
    assert "is too large" in messages(root, "content/statements/commission-fake-sites.yaml")


def test_f7_huge_integer_in_a_mapping_field_refused(tmp_path: Path) -> None:
    text = fixture_text(WEISS).replace("about:\n", "about: 0x" + "f" * 4000 + "\nabout_:\n")
    root = project(tmp_path, {WEISS: text})
    assert "is too large" in messages(root, WEISS)


def test_f7_huge_rating_value_refused(tmp_path: Path) -> None:
    site = fixture_text("content/site.yaml").replace("value: 4", "value: 0x" + "f" * 4000)
    root = project(tmp_path, {"content/site.yaml": site})
    assert "is too large" in messages(root, "content/site.yaml")


# -- F8: hidden symbolic links ----------------------------------------------------------------


def test_f8_hidden_symlinks_refused(tmp_path: Path) -> None:
    root = project(tmp_path)
    content = root / "content"
    (content / ".a").symlink_to(root, target_is_directory=True)
    (content / ".b").symlink_to(root, target_is_directory=True)
    (content / "actors" / ".hidden.yaml").symlink_to(content / "actors" / "borduria.yaml")
    started = time.perf_counter()
    found = {d.path for d in errors(root) if "symbolic links" in d.message}
    assert time.perf_counter() - started < 10
    assert found == {"content/.a", "content/.b", "content/actors/.hidden.yaml"}


# -- F11: diagnostic positions in one pass per file -------------------------------------------


def explainer(body: str) -> dict[str, str]:
    return {"content/explainers/hostile.md": "---\ntitle: T\nsummary: S\npublished: 2022-12-01\n"
                                             f"authors: [A]\n---\n{body}"}


def test_f11_many_unresolved_references_are_linear(tmp_path: Path) -> None:
    root = project(tmp_path, explainer("[[actors/nobody]]\n" * 8000))
    seconds, found = timed(root)
    assert len(found) == 8000 and seconds < 10  # 37 s when each position rescanned the file
    assert [(d.line, d.column) for d in found] == [(line, 1) for line in range(7, 8007)]


def test_f11_many_raw_html_tags_in_a_block_scalar_are_linear(tmp_path: Path) -> None:
    lines = "".join(f"  <b>x</b> {i}\n\n" for i in range(8000))
    actor = f"name: Hostile\nkind: person\ndescription: |\n{lines}"
    root = project(tmp_path, {"content/actors/hostile.yaml": actor})
    seconds, found = timed(root)
    # one problem per line: <b> and its </b> are reported once (24 s when each problem
    # re-split the file)
    assert len(found) == 8000 and seconds < 10
    assert (found[0].line, found[0].column) == (4, 3)


def test_f11_many_duplicate_keys_are_linear(tmp_path: Path) -> None:
    keys = "".join(f"k{i}: 1\nk{i}: 2\n" for i in range(8000))
    actor = "name: Hostile\nkind: person\nnested:\n" + keys.replace("k", "  k")
    root = project(tmp_path, {"content/actors/hostile.yaml": actor})
    seconds, found = timed(root)
    duplicates = [d for d in found if "duplicate key" in d.message]
    assert len(duplicates) == 1001 and seconds < 10  # 10 s, growing 4x per doubling
    assert any(d.message == "7,000 more duplicate keys not listed" for d in duplicates)
    last = max(d for d in duplicates if d.location == "nested.k999")
    assert last.line == 2003 and "first set on line 2002" in last.message


def test_f11_duplicate_keys_count_towards_the_value_limit(tmp_path: Path) -> None:
    keys = "".join("k: 1\n" for _ in range(60_000))
    root = project(tmp_path, {"content/actors/hostile.yaml": "name: H\nkind: person\n" + keys})
    assert "more than 50000 values" in messages(root, "content/actors/hostile.yaml")


# -- F16b: noncharacters ----------------------------------------------------------------------


@pytest.mark.parametrize("escape", ["\\ufffe", "\\uffff", "\\ufdd0", "\\U0010FFFF"])
def test_f16_noncharacters_refused(tmp_path: Path, escape: str) -> None:
    text = fixture_text("content/claims/borduria-denies-involvement.yaml").replace(
        "claim: Borduria had no involvement in the 2022 Ruritanian election campaign.",
        f'claim: "{escape} Borduria had no involvement."')
    root = project(tmp_path, {"content/claims/borduria-denies-involvement.yaml": text})
    assert "noncharacter U+" in messages(root, "content/claims/borduria-denies-involvement.yaml")


def test_f16_noncharacter_in_a_markdown_body_refused(tmp_path: Path) -> None:
    root = project(tmp_path, {ABOUT: "---\ntitle: About\n---\nAbout \ufffe us.\n"})
    assert "noncharacter U+FFFE" in messages(root, ABOUT)


def test_f8_symlink_loops_are_never_followed(tmp_path: Path) -> None:
    root = project(tmp_path)
    folder = root / "content" / "actors"
    for name in ("l1", "l2"):
        os.symlink(folder, folder / name, target_is_directory=True)
    started = time.perf_counter()
    assert "symbolic links" in messages(root)
    assert time.perf_counter() - started < 10


def test_f8_build_with_hidden_symlink_loops_fails_fast(tmp_path: Path) -> None:
    """The report's reproduction, built: ``content/.a`` and ``content/.b`` both link to the
    project. MkDocs lists ``docs_dir`` following links (exponential here); the build must
    refuse the links before anything lists content/, quickly and without a traceback."""
    root = make_project(tmp_path / "project")
    for name in (".a", ".b"):
        (root / "content" / name).symlink_to(root, target_is_directory=True)
    started = time.perf_counter()
    result = mkdocs(root, "build", "--strict", timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and time.perf_counter() - started < 60
    assert "content/.a:1:1: (file): symbolic links are not allowed in content/" in output
    assert "Traceback" not in output and not (root / "site").exists()


# -- F3: ids and aliases that take a generated page's address ---------------------------------

CLAIM = "content/claims/borduria-denies-involvement.yaml"


def test_f3_record_renamed_to_index_refused(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / CLAIM).rename(root / "content/claims/index.yaml")
    text = (root / "content/claims/index.yaml").read_text(encoding="utf-8")
    (root / "content/claims/index.yaml").write_text(
        text + "aliases: [borduria-denies-involvement]\n", encoding="utf-8")
    found = messages(root, "content/claims/index.yaml")
    assert "the id 'index' is reserved" in found


@pytest.mark.parametrize("name", ["index", "claims", "matrix", "data", "search", "assets",
                                  "timeline", "corrections", "feed", "admin", "pagefind"])
def test_f3_page_named_like_a_generated_page_refused(tmp_path: Path, name: str) -> None:
    root = project(tmp_path, {f"content/pages/{name}.md": "---\ntitle: Hijacked\n---\nx\n"})
    assert f"the id '{name}' is reserved" in messages(root, f"content/pages/{name}.md")


def test_f3_alias_taking_a_generated_address_refused(tmp_path: Path) -> None:
    claim = fixture_text(CLAIM) + "aliases: [index]\n"
    root = project(tmp_path, {ABOUT: "---\ntitle: About\naliases: [claims, matrix]\n---\nx\n",
                              CLAIM: claim})
    assert messages(root, ABOUT).count("is reserved") == 2
    assert "aliases.0: alias 'index' is reserved" in messages(root, CLAIM)


def test_f3_reserved_names_cover_every_generated_top_level_name(built_site) -> None:
    from generator.integrity import GENERATED_AT_TOP

    pages = {path.stem for path in (built_site.root / "content" / "pages").glob("*.md")}
    generated = {entry.name.split(".")[0] for entry in built_site.site.iterdir()
                 if not entry.name.startswith(("_", "."))}
    assert generated - pages <= GENERATED_AT_TOP
    assert not pages & GENERATED_AT_TOP


# -- F4: quote verification means verbatim ----------------------------------------------------


def quote_statement(text: str, speaker: str = "anna-weiss", quote: str | None = None) -> str:
    cited = f"\n    quote: {quote}" if quote else ""
    return (f"speaker: {speaker}\ndate: 2022-11-14\nform: quote\ntext: {text}\n"
            f"citations:\n  - source: example-report{cited}\n")


@pytest.mark.parametrize("text", [
    "We saw thousands of fake accounts repeating the same li",  # cut mid-word
    "eighbouring state of Borduria ran a campaign",  # a prefix cut off
    "Borduria respects the sovereignty of every nation",  # whole: accepted below
])
def test_f4_quote_cut_mid_word_refused(tmp_path: Path, text: str) -> None:
    root = project(tmp_path, {WEISS: quote_statement(text, "borduria-foreign-ministry")})
    found = messages(root, WEISS)
    if text.startswith("Borduria respects"):
        assert found == ""
    else:
        assert "not verbatim" in found


def test_f4_citation_quote_cut_mid_word_refused(tmp_path: Path) -> None:
    text = fixture_text(WEISS).replace("    locator: para. 2\n", "").replace(
        "“We saw thousands of fake accounts repeating the same lies,” the interior minister, "
        "Anna Weiss, told reporters.", "the interior minister, Anna Weiss, told report")
    root = project(tmp_path, {WEISS: text})
    assert "citations.0.quote: quote is not verbatim" in messages(root, WEISS)


@pytest.mark.parametrize("quote", ["at least ³ websites", "at least ３ websites",
])
def test_f4_nfkc_folded_digits_refused(tmp_path: Path, quote: str) -> None:
    statement = "content/statements/commission-fake-sites.yaml"
    text = fixture_text(statement).replace("at least 3 websites posing", quote + " posing")
    root = project(tmp_path, {statement: text})
    assert "quote is not verbatim" in messages(root, statement)


def test_f4_typography_only_is_still_normalised(tmp_path: Path) -> None:
    text = quote_statement("We saw thousands of fake accounts repeating the same lies",
                           quote="“We saw thousands of fake accounts repeating the same lies,” "
                                 "the interior minister, Anna Weiss, told reporters\u2026")
    seed = fixture_text("seeds/example-report.txt").replace("told reporters.",
                                                            "told reporters...")
    root = project(tmp_path, {WEISS: text, "seeds/example-report.txt": seed})
    assert messages(root) == ""


FAKE_TRANSCRIPT = ("title: Transcript of the Bordurian president's remarks\nkind: "
                   "official-statement\npublisher: Bordurian presidential office\n"
                   "published: 2022-11\nseed: example-report.txt\n")


def test_f4_seed_shared_by_two_sources_refused(tmp_path: Path) -> None:
    root = project(tmp_path, {"content/sources/fake-transcript.yaml": FAKE_TRANSCRIPT})
    found = messages(root, "content/sources/fake-transcript.yaml")
    assert "seeds/example-report.txt is already the text of sources/example-report" in found


def test_f4_seed_shared_with_the_report_it_is_known_through_is_allowed(tmp_path: Path) -> None:
    leak = FAKE_TRANSCRIPT + "availability: reported-only\nreported_in: [example-report]\n"
    root = project(tmp_path, {"content/sources/fake-transcript.yaml": leak})
    assert messages(root) == ""


PRESIDENT = "name: Vladan Bordurski\nkind: person\ncountry: BG\n"


def test_f4_quote_from_a_speaker_the_seed_does_not_name_refused(tmp_path: Path) -> None:
    text = quote_statement("the neighbouring state of Borduria ran a campaign", "bordurski")
    root = project(tmp_path, {WEISS: text, "content/actors/bordurski.yaml": PRESIDENT})
    found = messages(root, WEISS)
    assert "text: form is quote, but no cited seed names Vladan Bordurski" in found


def test_f4_quote_from_the_speakers_own_document_is_allowed(tmp_path: Path) -> None:
    transcript = FAKE_TRANSCRIPT.replace("Bordurian presidential office",
                                         "Office of Vladan Bordurski").replace(
        "example-report.txt", "transcript.txt")
    text = quote_statement("We will never interfere", "bordurski").replace(
        "example-report", "transcript")
    root = project(tmp_path, {WEISS: text, "content/actors/bordurski.yaml": PRESIDENT,
                              "content/sources/transcript.yaml": transcript,
                              "seeds/transcript.txt": "We will never interfere.\n"})
    assert messages(root) == ""


# -- F16c: corrections dated in the future ----------------------------------------------------


def test_f16_future_dated_correction_refused(tmp_path: Path) -> None:
    text = fixture_text(CLAIM).replace("date: 2022-12-05", "date: 2099-12-31")
    root = project(tmp_path, {CLAIM: text})
    assert "updates.0.date: correction dated 2099-12-31, after today" in messages(root, CLAIM)


# -- F5: no association without attribution ---------------------------------------------------

HOSTILE_TACTIC = "name: Hostile tactic\nsummary: Never cited.\ncategory: malign-finance\n"


def rendered(root: Path) -> dict[str, str]:
    from generator.render import render_pages

    result = build_graph(root)
    assert result.ok(), [d.format() for d in result.errors]
    return {page.path: page.markdown for page in render_pages(result.graph)}


@pytest.mark.parametrize("where", ["update note", "context"])
def test_f5_mention_in_update_note_or_context_creates_no_association(tmp_path: Path,
                                                                     where: str) -> None:
    statement = "content/statements/commission-fake-sites.yaml"
    mention = "Removed the link to [[tactics/hostile]], which did not come into play."
    text = fixture_text(statement) + (
        f"updates:\n  - date: 2022-12-05\n    kind: correction\n    note: {mention}\n"
        if where == "update note" else f"context: {mention}\n")
    pages = rendered(project(tmp_path, {statement: text,
                                        "content/tactics/hostile.yaml": HOSTILE_TACTIC}))
    election = pages["elections/ruritania-general-2022.md"]
    assert "Hostile tactic" not in election
    assert "#tactic-hostile" not in pages["matrix.md"]  # every tactic a column: none filled
    tactic = pages["tactics/hostile.md"]
    assert "ruritania-general-2022" not in tactic
    if where == "update note":  # history, not what the statement says: not even a mention
        assert "commission-fake-sites" not in tactic


STRUCTURAL = {  # kind/id written, the page it reaches, what it may say, what it may not
    "part_of": ("content/actors/troll-farm.yaml",
                "name: Hostile troll farm\nkind: organisation\npart_of: borduria\n",
                "actors/borduria.md", "Listed as part of it", "Includes"),
    "parent": ("content/tactics/hostile.yaml",
               "name: Hostile tactic\nsummary: S.\ncategory: malign-finance\n"
               "parent: fake-accounts\n",
               "tactics/fake-accounts.md", "Listed as its sub-tactics", "Sub-tactics"),
    "reported_in": ("content/sources/hostile.yaml",
                    "title: Secret memo proving Borduria ran the campaign\nkind: other\n"
                    "publisher: Unknown\npublished: 2022\navailability: reported-only\n"
                    "reported_in: [example-report]\n",
                    "sources/example-report.md", "Documents said to be reported here",
                    "Documents reported here"),
}


@pytest.mark.parametrize("field", sorted(STRUCTURAL))
def test_f5_structural_links_shown_as_what_they_are(tmp_path: Path, field: str) -> None:
    """A structural link needs no citation: the other record's page says it is listed so,
    never as what it includes, and it associates nothing (no statement lists it)."""
    path, text, page_path, said, not_said = STRUCTURAL[field]
    record_id = Path(path).stem
    pages = rendered(project(tmp_path, {path: text}))
    page = pages[page_path]
    assert said in page and not_said not in page.replace(said, "")
    listed = page.split(said, 1)[1].split("\n## ", 1)[0]  # up to the next section
    assert f"/{Path(path).parent.name}/{record_id}/" in listed
    election = pages["elections/ruritania-general-2022.md"]  # what the other is cited for
    assert f"/{record_id}/" not in election


# -- F12, F13: chains and the matrix stay linear and bounded ----------------------------------


def test_f12_long_reported_in_chain_is_linear(tmp_path: Path) -> None:
    files = {f"content/sources/c{i}.yaml": (
        f"title: C{i}\nkind: report\npublisher: P\npublished: 2022\n"
        f"availability: reported-only\nreported_in: [c{i + 1}]\n") for i in range(800)}
    files["content/sources/c800.yaml"] = ("title: C800\nkind: report\npublisher: P\n"
                                          "published: 2022\nurl: https://example.org/\n"
                                          "archived_url: https://web.archive.org/x\n")
    result = build_graph(project(tmp_path, files))
    sources = list(result.graph.records["sources"].values())
    started = time.perf_counter()
    chains = [result.graph.chain(source) for source in sources]  # type: ignore[arg-type]
    assert time.perf_counter() - started < 5  # about a minute when each walk was quadratic
    assert [s.id for s in result.graph.chain(result.graph.records["sources"]["c0"])] == [
        f"c{i}" for i in range(1, 52)]  # the nearest 51: the page links on from the 50th
    assert max(len(chain) for chain in chains) == 51


def test_f12_cycle_check_walks_the_graph_once(tmp_path: Path) -> None:
    files = {f"content/tactics/t{i}.yaml": f"name: T{i}\nsummary: S.\ncategory: malign-finance"
                                           f"\nparent: t{(i + 1) % 5000}\n" for i in range(5000)}
    files["content/tactics/t5000.yaml"] = "name: Apart\nsummary: S.\ncategory: malign-finance\n"
    seconds, found = timed(project(tmp_path, files))
    cycles = {d.path for d in found if "forms a cycle" in d.message}
    assert len(cycles) == 5000 and "content/tactics/t5000.yaml" not in cycles
    assert seconds < 10  # a walk per record: 5000 x 5000


def elections_and_tactics(side: int) -> dict[str, str]:
    files = {f"content/elections/e{i}.yaml": f"name: E{i}\ncountry: RO\ndate: 2022\n"
                                             "type: general\n" for i in range(side)}
    files.update({f"content/tactics/t{i}.yaml": f"name: T{i}\nsummary: S.\n"
                                                "category: malign-finance\n"
                  for i in range(side)})
    return files


def naming(elections: range, tactics: range, kind: str = "statements") -> str:
    """A statement (or, with ``kind`` claims, a fact-check) about these elections and tactics."""
    about = (f"about:\n  elections: [{', '.join(f'e{i}' for i in elections)}]\n"
             f"  tactics: [{', '.join(f't{i}' for i in tactics)}]\n")
    if kind == "claims":
        claim = fixture_text("content/claims/borduria-denies-involvement.yaml")
        return re.sub(r"about:\n(  .*\n)+", about, claim)
    return ("speaker: anna-weiss\ndate: 2022\nform: paraphrase\ntext: Everything.\n" + about
            + "citations:\n  - source: example-report\n")


@pytest.mark.parametrize("kind", ["statements", "claims"])
def test_f13_record_naming_too_many_elections_or_tactics_refused(tmp_path: Path, kind: str,
                                                                 capsys) -> None:
    """One record naming every election and every tactic made elections x tactics cells: the
    output grew with the product of what one record names. A record names at most
    ``MAX_NAMED`` of each; both lists are reported at once, at the list, without a
    traceback, and in linear time."""
    from generator.cli import main
    from generator.models import MAX_NAMED

    side = 2000
    path = f"content/{kind}/everything.yaml"
    files = {**elections_and_tactics(side), path: naming(range(side), range(side), kind)}
    root = project(tmp_path, files)
    seconds, found = timed(root)
    assert seconds < 30, "refused early, before any cell is made"
    shown = "\n".join(d.format() for d in found if d.path == path)
    line = files[path].split("\n").index("about:") + 1
    assert (f"{path}:{line + 1}:14: about.elections: names {side} elections, more than "
            f"{MAX_NAMED}") in shown
    assert f"{path}:{line + 2}:12: about.tactics: names {side} tactics" in shown
    assert main(["--root", str(root), "check"]) == 1
    printed = capsys.readouterr()
    assert "Traceback" not in printed.out + printed.err and "about.tactics" in printed.out


def test_f13_record_naming_the_limit_is_accepted_and_the_schema_shows_it(tmp_path: Path
                                                                         ) -> None:
    from generator.models import MAX_NAMED
    from generator.schema import schemas

    files = {**elections_and_tactics(MAX_NAMED),
             "content/statements/s.yaml": naming(range(MAX_NAMED), range(MAX_NAMED))}
    cells = rendered(project(tmp_path, files))["matrix.md"].count('data-count="1"')
    shutil.rmtree(tmp_path / "project")
    before = rendered(project(tmp_path))["matrix.md"].count('data-count="1"')
    assert cells - before == MAX_NAMED * MAX_NAMED
    for kind in ("statements", "claims", "explainers"):
        about = schemas()[f"{kind}.schema.json"]["$defs"]["About"]["properties"]
        assert about["elections"]["maxItems"] == about["tactics"]["maxItems"] == MAX_NAMED


def test_f13_matrix_is_bounded(tmp_path: Path) -> None:
    """80 x 80 cells each counted by 8 statements (128 statements, each naming a block of
    20 elections x 20 tactics): one link and its count a cell, not 8 links."""
    side, blocks = 80, range(0, 80, 20)
    files = elections_and_tactics(side)
    for copy in range(8):
        for first_election in blocks:
            for first_tactic in blocks:
                files[f"content/statements/s{copy}-{first_election}-{first_tactic}.yaml"] = \
                    naming(range(first_election, first_election + 20),
                           range(first_tactic, first_tactic + 20))
    pages = rendered(project(tmp_path, files))
    matrix = [pages["matrix.md"], pages["matrix/page-2.md"]]  # at most 60 tactics a page
    assert "matrix/page-3.md" not in pages
    assert max(map(len, matrix)) < 2_000_000  # 80 x 80 cells x 8 links each: 11 MB before
    assert sum(page.count('data-count="8"') for page in matrix) == side * side  # none hidden
    election = pages["elections/e0.md"]
    assert election.count("<li>") < 200 and "and 30 more, through the statements" in election


def test_f13_benchmark_matrix_input_is_within_the_limit_and_the_report_shape_refused(
        tmp_path: Path) -> None:
    """``bench_hostile.py``'s ``matrix`` input must pass the check (or it would time a
    refusal, not the matrix), and the report's shape (``matrix-one-record``) must not."""
    from benchmarks.bench_hostile import matrix, matrix_one_record

    assert errors(project(tmp_path / "within", matrix(2))) == []
    refused = {d.location for d in errors(project(tmp_path / "report", matrix_one_record(2)))}
    assert refused == {"about.elections", "about.tactics"}


def spread_links(side: int) -> dict[str, str]:
    """``side`` elections, ``side`` tactics and ``side`` statements, each linking one
    election to one tactic, no two the same pair, spread over every block of the matrix
    (election i with tactic 37 i mod side); and as many elections and tactics nothing
    links."""
    files = {}
    for i in range(2 * side):
        files[f"content/elections/e{i}.yaml"] = f"name: E{i}\ncountry: RO\ndate: 2022\n" \
                                                "type: general\n"
        files[f"content/tactics/t{i}.yaml"] = f"name: T{i}\nsummary: S.\n" \
                                              "category: malign-finance\n"
    for i in range(side):
        files[f"content/statements/s{i}.yaml"] = (
            "speaker: anna-weiss\ndate: 2022\nform: paraphrase\ntext: One pair.\n"
            f"about:\n  elections: [e{i}]\n  tactics: [t{37 * i % side}]\n"
            "citations:\n  - source: example-report\n")
    return files


def test_f13_matrix_grows_with_the_links_not_their_product(tmp_path: Path) -> None:
    """Four times the elections, tactics and links: about four times the matrix (before,
    every block of elections × tactics had a page, and every page listed every page)."""
    sizes = []
    for side in (150, 600):
        pages = rendered(project(tmp_path / str(side), spread_links(side)))
        matrix = {path: page for path, page in pages.items()
                  if path == "matrix.md" or path.startswith("matrix/")}
        sizes.append(sum(map(len, matrix.values())))
        shown = " ".join(matrix.values())
        for i in range(2 * side):  # every election and tactic, on some page of the matrix
            assert f'href="../elections/e{i}/"' in shown or f'"../../elections/e{i}/"' in shown
            assert f'href="../tactics/t{i}/"' in shown or f'"../../tactics/t{i}/"' in shown
        for page in matrix.values():
            soup = BeautifulSoup(page, "lxml")
            assert all(len(nav.select("a")) <= 3 for nav in soup.select("nav.fs-matrix-pages"))
            cells = soup.select("table.fs-matrix td")
            assert len(cells) <= 100 * 60
        first = BeautifulSoup(matrix["matrix.md"], "lxml")
        assert len(first.select("nav#matrix-pages li")) == len(matrix)
        assert len(matrix) <= side + 2, "at most a page per link (the fixture has 2)"
    assert sizes[1] < 6 * sizes[0], f"matrix {sizes}: 16x and more when it was the product"


def many_statements(count: int) -> dict[str, str]:
    """``count`` statements, each attributing tactic ``t0`` in election ``e0``; the oldest
    is also about Borduria."""
    files = {"content/elections/e0.yaml": "name: E0\ncountry: RO\ndate: 2022\ntype: general\n",
             "content/tactics/t0.yaml": "name: T0\nsummary: S.\ncategory: malign-finance\n"}
    files.update({f"content/statements/s{i:03}.yaml": (
        f"speaker: anna-weiss\ndate: 2022-01-{1 + i % 28:02}\nform: paraphrase\n"
        f"text: Statement {i}.\nabout:\n  elections: [e0]\n  tactics: [t0]\n"
        + ("  actors: [borduria]\n" if i == 0 else "")  # the oldest: numbered last
        + "citations:\n  - source: example-report\n") for i in range(count)})
    return files


def test_f13_numbered_statements_continue_on_pages_of_bounded_size(tmp_path: Path) -> None:
    """A record named by 250 statements lists 100 on its page and the rest on two more, so
    no page grows with what names its record; every number is listed once, on one page."""
    pages = rendered(project(tmp_path, many_statements(250)))
    for own in ("tactics/t0", "elections/e0"):
        listed = [pages[f"{own}.md"], pages[f"{own}/statements-2.md"],
                  pages[f"{own}/statements-3.md"]]
        assert f"{own}/statements-4.md" not in pages
        numbers = [re.findall(r'id="said-(\d+)"', page) for page in listed]
        assert list(map(len, numbers)) == [100, 100, 50], own
        assert sorted(int(n) for found in numbers for n in found) == list(range(1, 251))
        if own == "elections/e0":  # a numbered list: each item shows its own number
            assert re.findall(r'<li id="said-(\d+)" value="(\d+)"', listed[2])[0] == (
                "201", "201")
        assert all(f'{own}/statements-3/"' in page and f'{own}/"' in page
                   for page in listed), own  # every page links to the others
    assert "Statement 0." not in pages["tactics/t0.md"]  # the oldest, on the last page
    assert "Statement 0." in pages["tactics/t0/statements-3.md"]


def test_f13_statement_numbers_lead_to_the_page_that_lists_them(tmp_path: Path) -> None:
    """In the built site, each number the lists by role give ([150]) leads to the page
    and item that holds that statement."""
    from conftest import build_project
    root = project(tmp_path, many_statements(150))
    shutil.copytree(Path(__file__).parents[1] / "theme", root / "theme")
    shutil.copy(Path(__file__).parents[1] / "mkdocs.yml", root / "mkdocs.yml")
    site = build_project(root).site
    page = site / "elections" / "e0" / "index.html"
    targets = [a["href"] for a in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
               .select(".fs-associations a[href*='#said-']")]
    assert any(not href.startswith("#") for href in targets)  # Borduria's: to page 2
    for href in targets:
        address, _, anchor = href.partition("#")
        target = (page.parent / address / "index.html") if address else page
        html = target.resolve().read_text(encoding="utf-8")
        assert f'id="{anchor}"' in html, href


# -- F9, F14: did-you-mean hints stay bounded ---------------------------------------------------


def test_f9_failing_quote_against_a_huge_seed_is_fast(tmp_path: Path) -> None:
    words = [f"w{i % 9973}x{i % 7}" for i in range(120_000)]  # about 900 KB of text
    seed = " ".join(words)
    quote = " ".join(words[500:800]) + " not in the seed " + " ".join(words[900:1100])
    source = ("title: Huge\nkind: report\npublisher: P\npublished: 2022\n"
              "seed: huge.txt\n")
    statement = (f"speaker: anna-weiss\ndate: 2022\nform: paraphrase\ntext: Said.\n"
                 f"citations:\n  - source: huge\n    quote: {quote}\n")
    root = project(tmp_path, {"seeds/huge.txt": seed, "content/sources/huge.yaml": source,
                              "content/statements/huge.yaml": statement})
    seconds, found = timed(root)
    assert seconds < 10  # minutes with difflib over quote x seed
    assert "the longest part that matches is 'w500x3 w501x4" in found[0].message


def test_f14_many_missing_seeds_among_many_seed_files_are_fast(tmp_path: Path) -> None:
    files = {f"seeds/s{i:05d}.txt": "x" for i in range(3000)}
    files.update({f"content/sources/m{i}.yaml": (
        f"title: M\nkind: report\npublisher: P\npublished: 2022\nseed: t{i:05d}.txt\n")
        for i in range(300)})
    root = project(tmp_path, files)
    seconds, found = timed(root)
    missing = [d for d in found if "does not exist" in d.message]
    assert len(missing) == 300 and seconds < 10
    assert "did you mean 's00007.txt'" in next(d.message for d in missing
                                              if d.path == "content/sources/m7.yaml")


# -- F10, F15: the checker sees what the renderer renders ---------------------------------------


def body_problems(tmp_path: Path, body: str) -> str:
    return messages(project(tmp_path, {ABOUT: f"---\ntitle: About\n---\n{body}\n"}), ABOUT)


def test_f10_deeply_nested_blockquotes_refused(tmp_path: Path) -> None:
    started = time.perf_counter()
    found = body_problems(tmp_path, "> " * 20_000 + "deep")
    assert time.perf_counter() - started < 10
    assert "nested more than 12 deep" in found
    assert found.count("nested more than") == 1


def test_f10_nested_lists_refused_but_ordinary_nesting_accepted(tmp_path: Path) -> None:
    assert "nested more than 12 deep" in body_problems(tmp_path, "* " * 40 + "deep")
    assert body_problems(tmp_path / "ok", "> > quoted\n\n- a\n  - b\n    - c\n") == ""


@pytest.mark.parametrize(("cell", "expected"), [
    ("<img src=x onerror=alert(1)>", "raw HTML (<img>)"),
    ("[c](javascript:alert(1))", "link 'javascript:alert(1)' is not allowed"),
    ("[Official](//evil.example/login)", "link '//evil.example/login' is not allowed"),
])
def test_f15_table_code_span_differential_refused(tmp_path: Path, cell: str,
                                                  expected: str) -> None:
    body = f"| a | b |\n|---|---|\n| `x | {cell} ` |"
    assert expected in body_problems(tmp_path, body)


@pytest.mark.parametrize("source", ["https://tracker.example/p.gif?reader=1",
                                    "//tracker.example/p.gif", "http://tracker.example/p.gif",
                                    " HTTPS://tracker.example/p.gif"])
def test_f15_images_from_other_origins_refused(tmp_path: Path, source: str) -> None:
    found = body_problems(tmp_path, f"![pixel](<{source}>)")
    assert "is on another site" in found or "is not allowed" in found


def test_f15_sanitiser_drops_protocol_relative_links_and_foreign_images() -> None:
    from generator.markdown import render

    html = render("[a](//evil.example/x) ![p](https://tracker.example/p.gif) ![ok](img/a.png)")
    assert "evil.example" not in html and "tracker.example" not in html
    assert 'src="img/a.png"' in html


# -- F16a: a title cannot take the theme's element ids ------------------------------------------


def test_f16_title_cannot_clobber_theme_element_ids(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site")
    (root / "content" / "actors" / "config.yaml").write_text(
        "name: __config\nkind: person\n", encoding="utf-8")
    site = build_project(root)
    page = BeautifulSoup((site.site / "actors" / "config" / "index.html").read_text(
        encoding="utf-8"), "lxml")
    owners = page.find_all(id="__config")
    assert [tag.name for tag in owners] == ["script"]
    assert page.find("h1").get("id") == "h__config"


@pytest.mark.parametrize("note", [
    "Minor wording fix.\\n\\n**1 January 2024: Fact-check retracted** — the rating was wrong.",
    "- 1 January 2024: we retract this fact-check",
    "# Retraction",
    "> quoted",
])
def test_f16_update_note_cannot_fake_corrections_log_entries(tmp_path: Path, note: str) -> None:
    text = fixture_text(CLAIM).replace("note: Corrected the date of the election.",
                                       f'note: "{note}"')
    root = project(tmp_path, {CLAIM: text})
    assert "updates.0.note: an update note is one paragraph" in messages(root, CLAIM)
