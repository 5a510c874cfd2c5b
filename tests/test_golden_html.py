"""Golden HTML: one page of each kind from the fixture site, compared with a snapshot in
``tests/golden/html/``, so any change to the markup shows up as a precise diff.

A change on purpose: regenerate with ``FACTSITE_UPDATE_GOLDEN=1 pytest
tests/test_golden_html.py`` and review the diff of the snapshots."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import BuiltSite

GOLDEN = Path(__file__).parent / "golden" / "html"
PAGES = {
    "claim": "claims/borduria-denies-involvement/",
    "statement": "statements/weiss-fake-accounts/",
    "election": "elections/ruritania-general-2022/",
    "tactic": "tactics/fake-accounts/",
    "actor": "actors/borduria/",
    "source": "sources/example-report/",
    "explainer": "explainers/borduria-campaign/",
    "page": "methodology/",
    "index": "claims/",
    "home": "",
    "matrix": "matrix/",
    "timeline": "timeline/",
    "corrections": "corrections/",
    "data": "data/",
}


def normalised(html: str) -> str:
    """What a page of the site says and shows: its title, description and structured data,
    then its article, without blank lines (the theme's frame and scripts left out)."""
    page = BeautifulSoup(html, "lxml")
    title = page.title.get_text() if page.title else ""
    description = page.select_one('meta[name="description"]')
    head = [f"title: {title}",
            f"description: {description['content'] if description else ''}"]
    for script in page.select('script[type="application/ld+json"]'):
        head.append("jsonld: " + json.dumps(json.loads(script.get_text()), indent=1,
                                            ensure_ascii=False))
    article = page.select_one("article")
    body = str(article) if article is not None else ""
    lines = [line.rstrip() for line in (*head, *body.splitlines()) if line.strip()]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_page_matches_its_golden_html(built_site: BuiltSite, kind: str) -> None:
    found = normalised((built_site.site / PAGES[kind] / "index.html").read_text("utf-8"))
    golden = GOLDEN / f"{kind}.html"
    if os.environ.get("FACTSITE_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(found, encoding="utf-8")
    assert found == golden.read_text(encoding="utf-8"), (
        f"{PAGES[kind] or 'home'} differs from {golden}; if on purpose, regenerate with "
        "FACTSITE_UPDATE_GOLDEN=1")
