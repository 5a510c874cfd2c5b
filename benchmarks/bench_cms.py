"""Web editor benchmark: Decap CMS over a synthetic tree of N records (headless Chromium,
decap-server on 127.0.0.1, the real /admin/ bundle).

Measures, per round in a fresh page: listing the claims collection (until the first
entry is shown), opening the new-claim form (until its fields are shown), searching for an
actor in the claimant relation widget (first keystroke to the matching option), and
searching the statement relation of an evidence item (the largest collection: half the
records are statements).

    .venv/bin/python benchmarks/bench_cms.py                 # 5,000 records, 3 rounds
    .venv/bin/python benchmarks/bench_cms.py --records 1000 --rounds 2
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browser_harness import ARGS, CHROMIUM  # noqa: E402
from cms_harness import web_editor  # noqa: E402

from benchmarks.synthetic import counts, write_tree  # noqa: E402

OUT = ROOT / "benchmarks" / "out"


def seconds(start: float) -> float:
    return round(time.perf_counter() - start, 3)


def search(page: Any, name: str, text: str, option: re.Pattern[str]) -> float:
    box = page.locator(f'[id^="{name}-field-"]').first
    box.click()
    start = time.perf_counter()
    box.press_sequentially(text)
    page.locator('[class*="-option"]').filter(has_text=option).first.wait_for(timeout=300_000)
    return seconds(start)


def one_round(browser: Any, admin: str, n: dict[str, int]) -> dict[str, float]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(admin)
    page.get_by_role("button", name="Login").click()
    page.get_by_text("Sources", exact=True).first.wait_for(timeout=300_000)
    start = time.perf_counter()
    page.goto(f"{admin}#/collections/claims")
    page.locator('a[href*="collections/claims/entries/"]').first.wait_for(timeout=300_000)
    listed = seconds(start)
    start = time.perf_counter()
    page.goto(f"{admin}#/collections/claims/new")
    page.locator('[id^="claimant-field-"]').wait_for(timeout=300_000)
    opened = seconds(start)
    actor = n["actors"] - 1
    actor_search = search(page, "claimant", f"Actor {actor}",
                          re.compile(rf"^Actor {actor} "))
    page.get_by_role("button", name="Add evidence").click()
    statement = search(page, "statement", "election", re.compile("election", re.I))
    page.close()
    return {"list_claims_s": listed, "open_claim_form_s": opened, "search_actor_s": actor_search,
            "search_statement_s": statement}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    project = OUT / f"cms-{args.records}"
    if project.exists():
        shutil.rmtree(project)
    n = write_tree(project / "project", args.records)
    shutil.copy(ROOT / "mkdocs.yml", project / "project" / "mkdocs.yml")
    rounds = []
    with web_editor(project / "project", project / "site") as admin, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(args.rounds):
            rounds.append(one_round(browser, admin, n))
        browser.close()
    result = {"records": args.records, "collections": counts(args.records), "rounds": rounds,
              "median": {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
