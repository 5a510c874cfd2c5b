"""Every built page passes the Nu HTML Checker (npm vnu-jar, on Java), apart from the
errors listed below, which come from Material for MkDocs' own templates."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from browser_harness import ROOT, require
from conftest import BuiltSite

VNU = ROOT / "tools" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# (start of the message, text in the extract, why it is allowed). Matched on the message.
MATERIAL_ERRORS = [
    ("Attribute \u201cautocomplete\u201d is only allowed when the input type is",
     'class="md-toggle"',
     "Material's base.html puts autocomplete=off on its drawer and search toggles (hidden "
     "checkboxes), so browsers do not restore them as open."),
    ("The value of the \u201cfor\u201d attribute of the \u201clabel\u201d element must be the "
     "ID of a non-hidden form control.", 'for="__toc"',
     "Material's partials/toc.html labels the phone-drawer toggle #__toc, which Material "
     "renders only for pages in the navigation; record pages are not (their table of "
     "contents on phones is factsite's, theme/main.html)."),
    ("Bad value \u201c\u201d for attribute \u201ctabindex\u201d on element \u201clabel\u201d",
     'class="md-nav__link"',
     "Material's partials/nav-item.html writes tabindex=\"\" on the label of a navigation "
     "section (About) that has no index page."),
]


def allowed(message: dict[str, str]) -> bool:
    return any(message.get("message", "").startswith(start) and part in message.get("extract", "")
               for start, part, _why in MATERIAL_ERRORS)


@pytest.fixture(scope="module")
def checked(built_site: BuiltSite) -> list[dict[str, str]]:
    """The checker's errors on every HTML page of the built site (not the search index's)."""
    require(VNU, "The Nu HTML Checker (vnu.jar)")
    java = shutil.which("java")
    if java is None:
        pytest.fail("java not found: make test installs default-jre-headless")
    pages = sorted(str(p) for p in built_site.site.rglob("*.html")
                   if "pagefind" not in p.relative_to(built_site.site).parts)
    assert len(pages) > 10
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json",
                             *pages], capture_output=True, text=True, timeout=600, check=False)
    return [m for m in json.loads(result.stderr or result.stdout)["messages"]
            if m.get("type") == "error"]


def test_built_pages_are_valid_html_apart_from_materials_own_errors(
        checked: list[dict[str, str]]) -> None:
    unexpected = [f"{m.get('url', '')}:{m.get('lastLine', '')}: {m['message']}\n  "
                  f"{m.get('extract', '').strip()}" for m in checked if not allowed(m)]
    assert not unexpected, "\n".join(unexpected)


def test_every_allowed_error_still_occurs(checked: list[dict[str, str]]) -> None:
    """An allow-list entry Material no longer needs is removed, not kept 'just in case'."""
    for start, part, _why in MATERIAL_ERRORS:
        assert any(m["message"].startswith(start) and part in m.get("extract", "")
                   for m in checked), start


def test_the_checker_reports_errors(built_site: BuiltSite, tmp_path: object) -> None:
    """The check can fail: a page with a duplicate id and a stray end tag is reported."""
    require(VNU, "The Nu HTML Checker (vnu.jar)")
    bad = tmp_path / "bad.html"  # type: ignore[operator]
    bad.write_text('<!doctype html><html lang="en"><title>x</title><p id="a">x</p>'
                   '<p id="a">y</div>', encoding="utf-8")
    result = subprocess.run([shutil.which("java") or "java", "-jar", str(VNU), "--errors-only",
                             "--format", "json", str(bad)], capture_output=True, text=True,
                            timeout=120, check=False)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert any("Duplicate ID" in m["message"] for m in messages)
    assert not all(allowed(m) for m in messages)
