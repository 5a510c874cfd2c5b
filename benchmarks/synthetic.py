"""Write a synthetic, valid content tree of N records (for benchmarks)."""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

SITE = """\
title: Synthetic checks
publisher: {name: Synthetic Desk, url: "https://synthetic.example.org/"}
disarm_version: v1.6
ratings:
  - {id: "false", label: "False", value: 1, description: Contradicted by the evidence.}
  - {id: misleading, label: Misleading, value: 2, description: Gives a false impression.}
  - {id: unproven, label: Unproven, value: 3, description: Cannot be settled.}
  - {id: "true", label: "True", value: 4, description: Supported by the evidence.}
"""
WORDS = [
    "election", "campaign", "officials", "network", "accounts", "report", "assessment",
    "vote", "ballot", "influence", "agency", "ministry", "protest", "website", "media",
    "claim", "denial", "evidence",
]
COUNTRIES = ["US", "RU", "FR", "DE", "PL", "RO", "BG", "GB", "IT", "ES"]


def sentence(rng: random.Random, words: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def write_tree(root: Path, records: int, seed: int = 1) -> dict[str, int]:
    """Write ``root/content`` and ``root/seeds`` with about ``records`` records."""
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    content = root / "content"
    for kind in ("sources", "actors", "elections", "tactics", "statements", "claims",
                 "explainers", "pages"):
        (content / kind).mkdir(parents=True)
    (root / "seeds").mkdir()
    (content / "site.yaml").write_text(SITE)
    for page in ("about", "methodology", "corrections-policy"):
        (content / "pages" / f"{page}.md").write_text(f"---\ntitle: {page}\n---\nText.\n")
    counts = {"sources": max(1, records // 20), "actors": max(1, records // 10),
              "elections": max(1, records // 20), "tactics": max(1, records // 50)}
    counts["claims"] = max(1, records // 5)
    counts["statements"] = max(1, records - sum(counts.values()))
    seeds: list[str] = []
    for i in range(counts["sources"]):
        text = " ".join(sentence(rng) for _ in range(30))
        seeds.append(text)
        (root / "seeds" / f"s{i}.txt").write_text(text)
        (content / "sources" / f"source-{i}.yaml").write_text(
            f"title: Source {i}\nkind: news-report\npublisher: Wire {i % 7}\n"
            f"published: 20{10 + i % 14}-0{1 + i % 9}\nseed: s{i}.txt\n")
    for i in range(counts["actors"]):
        (content / "actors" / f"actor-{i}.yaml").write_text(
            f"name: Actor {i}\nkind: {'person' if i % 2 else 'state'}\n"
            f"country: {COUNTRIES[i % len(COUNTRIES)]}\ndescription: {sentence(rng)}\n")
    for i in range(counts["elections"]):
        (content / "elections" / f"election-{i}.yaml").write_text(
            f"name: Election {i}\ncountry: {COUNTRIES[i % len(COUNTRIES)]}\n"
            f"date: 20{10 + i % 14}-1{i % 3}\ntype: general\ndescription: {sentence(rng)}\n")
    for i in range(counts["tactics"]):
        (content / "tactics" / f"tactic-{i}.yaml").write_text(
            f"name: Tactic {i}\nsummary: {sentence(rng)}\ncategory: information-manipulation\n"
            "disarm: [T0098]\n")

    def citation(i: int) -> tuple[int, str]:
        source = i % counts["sources"]
        words = seeds[source].split()
        start = rng.randrange(0, len(words) - 8)
        return source, " ".join(words[start:start + 8])

    def about(i: int) -> str:
        return (f"about:\n  elections: [election-{i % counts['elections']}]\n"
                f"  tactics: [tactic-{i % counts['tactics']}]\n"
                f"  actors: [actor-{(i * 7) % counts['actors']}]\n"
                f"  countries: [{COUNTRIES[i % len(COUNTRIES)]}]\n")

    for i in range(counts["statements"]):
        source, quote = citation(i)
        (content / "statements" / f"statement-{i}.yaml").write_text(
            f"speaker: actor-{i % counts['actors']}\ndate: 20{10 + i % 14}-0{1 + i % 9}-1{i % 9}\n"
            f"form: quote\ntext: {quote}\ncontext: Said to [[actors/actor-0]]. {sentence(rng)}\n"
            f"{about(i)}citations:\n  - source: source-{source}\n    quote: {quote}\n"
            "    locator: para. 3\n")
    for i in range(counts["claims"]):
        source, quote = citation(i)
        (content / "claims" / f"claim-{i}.yaml").write_text(
            f"claim: {sentence(rng)}\nclaimant: actor-{i % counts['actors']}\n"
            f"claimed: 20{10 + i % 14}\nappearances:\n  - source: source-{source}\n"
            f"    quote: {quote}\nrating: '{['false', 'misleading', 'unproven', 'true'][i % 4]}'\n"
            f"verdict: {sentence(rng)}\nanalysis: |\n  {sentence(rng, 40)}\n"
            f"  See [[statements/statement-{i % counts['statements']}]].\n"
            f"evidence:\n  - statement: statement-{i % counts['statements']}\n"
            f"{about(i)}published: 2024-0{1 + i % 9}-1{i % 9}\n")
    counts["pages"] = 3
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("--records", type=int, default=1000)
    args = parser.parse_args()
    print(write_tree(args.root, args.records))


if __name__ == "__main__":
    main()
