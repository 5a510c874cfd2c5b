"""The web editor (Decap CMS at /admin/): its generated configuration, its bundle, and real
edits through the form in headless Chromium against decap-server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser_harness import chromium, serve
from cms_harness import free_port, web_editor, write_admin
from conftest import FIXTURE, BuiltSite, make_project

from generator import cms
from generator.cli import main
from generator.cms import (
    CONFIG,
    PARTIAL_DATE,
    admin_assets,
    config,
    ordered_fields,
    registry,
    render_config,
    write_config,
)
from generator.fields import specs
from generator.load import load_document
from generator.models import Claim, Statement
from generator.types import PartialDate

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def cms_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The basic fixture with the repository's mkdocs.yml (read-only)."""
    return make_project(tmp_path_factory.mktemp("cms") / "project")


def fields_of(project: Path, kind: str) -> dict[str, dict[str, Any]]:
    collection = next(c for c in config(project)["collections"] if c["name"] == kind)
    return {field["name"]: field for field in collection["fields"]}


# -- the generated configuration ----------------------------------------------------------


def test_committed_config_is_fresh() -> None:
    assert not write_config(ROOT, dry_run=True), "run 'factsite cms' and commit admin/config.yml"


def test_cms_check_command(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    assert main(["--root", str(project), "cms", "--check"]) == 1  # missing
    assert main(["--root", str(project), "cms"]) == 0
    assert main(["--root", str(project), "cms", "--check"]) == 0
    written = (project / CONFIG).read_text(encoding="utf-8")
    assert written == render_config(project)
    (project / CONFIG).write_text(written.replace("relation", "string"), encoding="utf-8")
    assert main(["--root", str(project), "cms", "--check"]) == 1


def test_one_collection_per_kind_with_id_rules(cms_project: Path) -> None:
    collections = config(cms_project)["collections"]
    assert [c["name"] for c in collections] == [kind.name for kind in registry()]
    claims = next(c for c in collections if c["name"] == "claims")
    assert (claims["folder"], claims["extension"], claims["format"]) == (
        "content/claims", "yaml", "yaml")
    assert claims["slug"] == "{{fields.claim | truncate(60, '')}}"
    pages = next(c for c in collections if c["name"] == "pages")
    assert (pages["extension"], pages["format"]) == ("md", "frontmatter")


def test_ratings_are_the_scale_of_site_yaml_in_order(cms_project: Path) -> None:
    site = yaml.safe_load((FIXTURE / "content" / "site.yaml").read_text(encoding="utf-8"))
    rating = fields_of(cms_project, "claims")["rating"]
    assert rating["widget"] == "select"
    assert rating["options"] == [{"label": r["label"], "value": r["id"]} for r in site["ratings"]]


def test_vocabularies_have_readable_labels(cms_project: Path) -> None:
    kind = fields_of(cms_project, "sources")["kind"]
    assert {"label": "News report", "value": "news-report"} in kind["options"]
    form = fields_of(cms_project, "statements")["form"]
    assert [o["value"] for o in form["options"]] == ["quote", "paraphrase"]


def _refs(model: Any) -> list[tuple[str, str]]:
    return [(spec.name, kind) for spec in specs(model).values() for kind in spec.refs]


def test_every_reference_is_a_relation_widget(cms_project: Path) -> None:
    for name, target in _refs(Statement) + _refs(Claim):
        field = {**fields_of(cms_project, "statements"), **fields_of(cms_project, "claims")}[name]
        assert field["widget"] == "relation", name
        assert field["collection"] == target
        assert field["value_field"] == "{{slug}}"
        assert field["search_fields"] and field["display_fields"]
    about = {f["name"]: f for f in fields_of(cms_project, "claims")["about"]["fields"]}
    assert about["actors"] == {**about["actors"], "widget": "relation", "multiple": True,
                               "collection": "actors"}
    assert fields_of(cms_project, "sources")["reported_in"]["widget"] == "relation"
    assert fields_of(cms_project, "actors")["part_of"]["collection"] == "actors"
    evidence = {f["name"]: f for f in fields_of(cms_project, "claims")["evidence"]["fields"]}
    assert evidence["statement"]["collection"] == "statements"
    assert evidence["source"]["collection"] == "sources"


def test_dates_lists_markdown_and_required_mirror_the_model(cms_project: Path) -> None:
    statement = fields_of(cms_project, "statements")
    assert statement["date"]["widget"] == "string"  # partial dates: YYYY, YYYY-MM, YYYY-MM-DD
    assert statement["date"]["pattern"][0] == PARTIAL_DATE
    assert fields_of(cms_project, "claims")["published"]["widget"] == "datetime"
    assert fields_of(cms_project, "claims")["published"]["format"] == "YYYY-MM-DD"
    assert statement["citations"]["widget"] == "list"
    assert statement["citations"]["min"] == 1
    assert [f["name"] for f in statement["citations"]["fields"]] == [
        "source", "quote", "locator", "note"]
    assert statement["figures"]["widget"] == "list"
    assert statement["updates"]["widget"] == "list"
    assert statement["context"]["widget"] == "markdown"
    assert statement["context"]["modes"] == ["raw"]
    for spec in ordered_fields(Statement):
        assert statement[spec.name]["required"] == spec.required, spec.name
        assert statement[spec.name].get("hint"), spec.name
    disarm = fields_of(cms_project, "tactics")["disarm"]
    assert disarm["field"]["pattern"][0] == r"^T[0-9]{4}(\.[0-9]{3})?$"


def test_modeline_is_the_first_fields_comment(cms_project: Path) -> None:
    for kind in ("claims", "statements", "sources"):
        first = next(iter(fields_of(cms_project, kind).values()))
        assert first["comment"] == f"yaml-language-server: $schema=../../schemas/{kind}.schema.json"


def test_backend_from_mkdocs_yml(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8")
                      .replace("github.com/factsite/factsite", "github.com/acme/checks")
                      .replace("edit/main/", "edit/live/"), encoding="utf-8")
    settings = config(project)
    assert settings["backend"]["repo"] == "acme/checks"
    assert settings["backend"]["branch"] == "live"
    assert settings["publish_mode"] == "editorial_workflow"
    assert settings["local_backend"]["url"].startswith("http://127.0.0.1:")
    assert "base_url" not in settings["backend"]
    with mkdocs.open("a", encoding="utf-8") as handle:
        handle.write("extra:\n  cms:\n    base_url: https://oauth.example.org\n"
                     "    auth_endpoint: auth\n")
    backend = config(project)["backend"]
    assert (backend["base_url"], backend["auth_endpoint"]) == ("https://oauth.example.org", "auth")


def test_cms_bad_mkdocs_yml_is_a_clear_error(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path / "p")
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8").replace(
        "repo_url: https://github.com/", "repo_url: https://gitlab.com/"), encoding="utf-8")
    assert main(["--root", str(project), "cms"]) == 2
    assert "repo_url must be https://github.com/OWNER/REPO" in capsys.readouterr().err
    site = project / "content" / "site.yaml"
    scale = site.read_text(encoding="utf-8")
    site.write_text("ratings: 3\n", encoding="utf-8")
    assert main(["--root", str(project), "cms"]) == 2
    assert "site.yaml has errors: run 'factsite check'" in capsys.readouterr().err
    site.unlink()
    assert main(["--root", str(project), "cms"]) == 2
    assert "site.yaml is missing" in capsys.readouterr().err
    site.write_text(scale, encoding="utf-8")
    mkdocs.write_text("site_name: x\nrepo_url: [\n", encoding="utf-8")
    assert main(["--root", str(project), "cms"]) == 2
    assert f"{mkdocs}:3:1: not valid YAML: expected the node content" in capsys.readouterr().err


# -- the bundle ---------------------------------------------------------------------------


def test_admin_assets_are_local_files(cms_project: Path) -> None:
    assets = dict(admin_assets(cms_project))
    assert {"admin/index.html", "admin/config.yml", "admin/decap-cms.js",
            "admin/factsite-cms.js", "admin/preview.css"} <= set(assets)
    index = assets["admin/index.html"].decode()
    assert "http" not in index.replace('rel="cms-config-url"', "")
    assert len(assets["admin/decap-cms.js"]) > 1_000_000  # the real bundle from npm


def test_missing_bundle_is_a_clear_error(cms_project: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cms, "PACKAGE_ROOT", tmp_path / "nowhere")
    with pytest.raises(cms.CmsError, match=r"Decap CMS is not installed .* run 'make decap'"):
        admin_assets(cms_project)


def test_site_build_serves_admin(built_site: BuiltSite) -> None:
    admin = built_site.site / "admin"
    assert (admin / "index.html").is_file()
    assert (admin / "decap-cms.js").stat().st_size > 1_000_000
    assert (admin / "config.yml").read_text(encoding="utf-8") == render_config(built_site.root)


# -- in the browser -----------------------------------------------------------------------


@pytest.fixture
def editor(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    project = make_project(tmp_path / "project")
    with web_editor(project, tmp_path / "site") as admin:
        yield project, admin


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


class Session:
    """A logged-in CMS page that records console errors and every request it makes."""

    def __init__(self, browser: Any, admin: str) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda dialog: dialog.accept())  # "leave unsaved changes?"
        self.admin = admin
        self.page.goto(admin)
        self.page.get_by_role("button", name="Login").click()
        self.page.get_by_text("Sources", exact=True).first.wait_for()

    def open(self, route: str) -> None:
        self.page.goto(f"{self.admin}#/{route}")

    def field(self, name: str, nth: int = 0) -> Any:
        return self.page.locator(f'[id^="{name}-field-"]').nth(nth)

    def choose(self, name: str, search: str, option: str, nth: int = 0) -> None:
        """Type ``search`` into a select or relation widget (react-select) and pick the
        option labelled ``option``."""
        box = self.field(name, nth)
        box.click()
        box.fill(search)
        exact = re.compile(f"^{re.escape(option)}$")
        self.page.locator('[class*="-option"]').filter(has_text=exact).first.click()

    def markdown(self, name: str, text: str) -> None:
        """Type into a Markdown field (Decap's raw-mode editor is a contenteditable box)."""
        label = self.page.locator(f'label[for^="{name}-field-"]')
        editor = self.page.locator('[aria-label="markdown field"]', has=label)
        editor.locator('[role="textbox"]').click()
        self.page.keyboard.type(text)

    def publish(self) -> None:
        self.page.get_by_role("button", name="Publish").first.click()
        self.page.get_by_text("Publish now", exact=True).click()


def strict_check(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator.cli", "--root", str(project),
                           "check", "--strict"], capture_output=True, text=True, check=False)


def wait_for(path: Path, page: Any, timeout: float = 30, before: str | None = None) -> str:
    """The file's text once decap-server has written it (different from ``before``) and
    it has stopped changing (a read can catch a write half-way)."""
    last = None
    for _ in range(int(timeout * 4)):
        text = path.read_text(encoding="utf-8") if path.is_file() else None
        if text is not None and text != before and text == last:
            return text
        last = text
        page.wait_for_timeout(250)
    raise AssertionError(f"{path} was not written")


@pytest.mark.browser
def test_cms_loads_without_errors_or_third_party_requests(editor: tuple[Path, str],
                                                          browser: Any) -> None:
    _project, admin = editor
    session = Session(browser, admin)
    for route in ("collections/claims/new", "collections/statements/entries/weiss-fake-accounts",
                  "collections/sources/new", "collections/explainers/new"):
        session.open(route)
        session.page.locator('[id*="-field-"]').first.wait_for()
        session.page.wait_for_timeout(1500)
    session.open("collections/sources")
    session.page.get_by_role("button", name="Media").click()  # the media library: seeds/
    session.page.get_by_text("example-report.txt").first.wait_for()
    session.page.wait_for_timeout(1500)
    assert session.errors == []
    foreign = [url for url in session.requests
               if not url.startswith(("http://127.0.0.1:", "data:", "blob:"))]
    assert foreign == []


@pytest.mark.browser
def test_create_claim_through_the_form(editor: tuple[Path, str], browser: Any) -> None:
    project, admin = editor
    session = Session(browser, admin)
    session.open("collections/claims/new")
    page = session.page
    session.field("claim").fill("Borduria never ran fake accounts")
    session.choose("claimant", "Bord", "Borduria")
    session.field("claimed").fill("2022-11")
    page.get_by_role("button", name="Add appearance").click()
    session.choose("source", "accuses", "Ruritania accuses Borduria of election meddling")
    session.field("quote").fill("Borduria’s foreign ministry denied any involvement")
    session.choose("rating", "Unpr", "Unproven")
    session.field("verdict").fill("One report of accusations cannot settle it.")
    session.markdown("analysis", "See [[statements/weiss-fake-accounts]].")
    page.get_by_role("button", name="Add evidence").click()
    session.choose("statement", "thousands of fake",
                   "We saw thousands of fake accounts repeating the same lies")
    session.field("published").fill("2022-12-01")
    session.publish()
    written = wait_for(project / "content" / "claims" / "borduria-never-ran-fake-accounts.yaml",
                       page)
    assert written.startswith("# yaml-language-server: $schema=../../schemas/claims.schema.json\n")
    checked = strict_check(project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    data = yaml.safe_load(written)
    assert data["rating"] == "unproven"
    assert data["claimant"] == "borduria"
    assert data["appearances"] == [{"source": "example-report",
                                    "quote": "Borduria’s foreign ministry denied any involvement"}]
    assert data["evidence"] == [{"statement": "weiss-fake-accounts"}]
    assert session.errors == []


def save_date(session: Session, path: Path, date: str) -> tuple[str, str]:
    """Set a statement's date in the form and save: the file's text before and after."""
    before = path.read_text(encoding="utf-8")
    session.open("collections/statements")  # leave the editor, if open, then come back
    session.page.locator(f'a[href$="entries/{path.stem}"]').wait_for()
    session.open(f"collections/statements/entries/{path.stem}")
    session.field("date").fill(date)
    session.publish()
    return before, wait_for(path, session.page, before=before)


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.mark.browser
def test_edit_statement_date_changes_only_that_line(editor: tuple[Path, str],
                                                    browser: Any) -> None:
    project, admin = editor
    path = project / "content" / "statements" / "weiss-fake-accounts.yaml"
    session = Session(browser, admin)
    # A hand-written file: the first save also rewrites it in Decap's style (block lists,
    # lines folded at 80 columns, the modeline added) without changing any value.
    original, saved = save_date(session, path, "2022-11-15")
    expected = {**yaml.safe_load(original), "date": dt.date(2022, 11, 15)}
    assert yaml.safe_load(saved) == expected
    assert saved.startswith("# yaml-language-server: $schema=../../schemas/statements.schema")
    # A file Decap wrote: editing one field changes that field's line and nothing else.
    before, after = save_date(session, path, "2022-11")
    assert changed_lines(before, after) == ["-date: 2022-11-15", "+date: 2022-11"]
    document, problems = load_document(path, "content/statements/weiss-fake-accounts.yaml",
                                       "statements")
    assert not problems
    assert Statement.model_validate(document.data).date == PartialDate(2022, 11)
    checked = strict_check(project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert session.errors == []


@pytest.mark.browser
def test_preview_shows_verdict_byline_and_quote(editor: tuple[Path, str], browser: Any) -> None:
    _project, admin = editor
    session = Session(browser, admin)
    session.open("collections/claims/entries/borduria-denies-involvement")
    preview = session.page.frame_locator("iframe").first
    verdict = preview.locator(".fs-verdict")
    verdict.locator(".fs-rating--unproven").wait_for()
    assert verdict.locator(".fs-rating").inner_text().strip() == "Unproven"  # the scale's label
    assert "The only evidence is one report" in verdict.locator(".fs-verdict__text").inner_text()
    session.choose("rating", "Fals", "False")  # the preview follows the form
    verdict.locator(".fs-rating--false").wait_for()
    assert session.errors == []

    session = Session(browser, admin)
    session.open("collections/statements/entries/weiss-fake-accounts")
    figure = session.page.frame_locator("iframe").first.locator("figure.fs-statement")
    figure.locator("blockquote").wait_for()
    assert figure.locator("blockquote").inner_text().strip() == (
        "We saw thousands of fake accounts repeating the same lies")
    caption = figure.locator("figcaption")
    caption.get_by_text("Anna Weiss", exact=False).wait_for()  # the speaker's name, not the id
    assert caption.inner_text().startswith("— Anna Weiss, 14 November 2022")
    assert session.errors == []


@pytest.mark.browser
def test_invalid_config_is_reported(editor: tuple[Path, str], browser: Any) -> None:
    """The check above can fail: Decap validates config.yml against its schema on load."""
    project, admin = editor
    site_config = project.parent / "site" / CONFIG
    site_config.write_text(site_config.read_text(encoding="utf-8").replace(
        "publish_mode: editorial_workflow", "publish_mode: sometimes"), encoding="utf-8")
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(admin)
    page.get_by_text("Error loading the CMS configuration").wait_for()
    assert any("Config Errors" in error for error in errors), errors
    assert page.get_by_text("publish_mode", exact=False).count() > 0


@pytest.mark.browser
def test_edit_explainer_keeps_front_matter_and_body(editor: tuple[Path, str],
                                                    browser: Any) -> None:
    project, admin = editor
    path = project / "content" / "explainers" / "borduria-campaign.md"
    before = path.read_text(encoding="utf-8")
    session = Session(browser, admin)
    session.open("collections/explainers/entries/borduria-campaign")
    session.field("summary").fill("The accusations and the denial, step by step.")
    session.publish()
    after = wait_for(path, session.page, before=before)
    body = before.split("\n---\n", 1)[1]
    assert after.startswith("---\n") and after.endswith(body)  # the Markdown body untouched
    front = yaml.safe_load(after.split("---\n")[1])
    assert front == {**yaml.safe_load(before.split("---\n")[1]),
                     "summary": "The accusations and the denial, step by step."}
    checked = strict_check(project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert session.errors == []


@pytest.mark.browser
def test_github_backend_login_page(tmp_path: Path, browser: Any) -> None:
    """As deployed (no local backend): the GitHub login, and no request anywhere before it."""
    project = make_project(tmp_path / "project")
    site = write_admin(project, tmp_path / "site", port=1)
    config_file = site / CONFIG
    text = config_file.read_text(encoding="utf-8")
    local = text[text.index("local_backend:"):text.index("publish_mode:")]
    config_file.write_text(text.replace(local, ""), encoding="utf-8")
    page = browser.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("request", lambda r: requests.append(r.url))
    with serve(site) as url:
        page.goto(f"{url}admin/")
        page.get_by_role("button", name="Login with GitHub").wait_for()
        page.wait_for_timeout(2000)
    assert errors == []
    assert [r for r in requests if not r.startswith(url)] == []


@pytest.mark.browser
def test_mkdocs_serve_does_not_reload_the_editor(tmp_path: Path, browser: Any) -> None:
    """Under ``mkdocs serve`` (make cms) a save rebuilds the site: its pages reload, the
    editor must not (it would lose the form)."""
    project = make_project(tmp_path / "project")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}/"
        for _ in range(240):
            with contextlib.suppress(OSError), urllib.request.urlopen(base + "admin/") as page:
                if page.status == 200:
                    break
            time.sleep(0.25)
        admin, home = browser.new_page(), browser.new_page()
        admin.goto(base + "admin/")
        home.goto(base)
        admin.evaluate("window.marker = 1")
        record = project / "content" / "actors" / "borduria.yaml"
        with home.expect_event("load", timeout=120_000):  # the rebuild reloads the site's page
            record.write_text(record.read_text(encoding="utf-8") + "tags: [rebuilt]\n",
                              encoding="utf-8")
        assert admin.evaluate("window.marker") == 1
    finally:
        server.terminate()
        server.wait(timeout=30)
