"""Write a synthetic, valid content tree of N records (for the benchmarks).

    python benchmarks/synthetic.py OUT_DIR --records 1000
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = (
    "election", "vote", "campaign", "network", "account", "ministry", "report",
    "official", "agency", "state", "media", "website", "message", "narrative", "claim",
    "evidence", "source", "analysis", "public", "document", "interior", "foreign",
    "minister", "commission", "count", "region", "national", "local", "story", "online",
    "network", "post", "video", "channel", "outlet", "press", "statement", "denial",
    "accusation", "support", "party", "candidate", "result", "turnout", "ballot", "fraud",
    "influence", "operation",
)
RATINGS = ("false", "misleading", "unproven", "true")
SHARES = {"statements": 0.5, "claims": 0.28, "sources": 0.1, "actors": 0.05,
          "elections": 0.05, "tactics": 0.02}
SENTENCES_PER_SEED = 20


def sentence(rng: random.Random, words: int = 14) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:]


def paragraph(rng: random.Random, sentences: int = 4) -> str:
    return ". ".join(sentence(rng) for _ in range(sentences)) + "."


def counts(total: int) -> dict[str, int]:
    return {kind: max(2, round(total * share)) for kind, share in SHARES.items()}


def q(text: str) -> str:
    return json.dumps(text)


def write_tree(root: Path, total: int, seed: int = 1) -> dict[str, int]:
    """A valid synthetic content/ and seeds/ of about ``total`` records under ``root``."""
    rng = random.Random(seed)
    n = counts(total)
    content = root / "content"
    for kind in (*SHARES, "pages", "explainers"):
        (content / kind).mkdir(parents=True, exist_ok=True)
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "tests" / "fixtures" / "basic" / "content" / "site.yaml",
                content / "site.yaml")
    for page in ("about", "methodology", "corrections-policy"):
        (content / "pages" / f"{page}.md").write_text(
            f"---\ntitle: {page.replace('-', ' ').capitalize()}\n---\n{paragraph(rng)}\n")

    seeds: list[list[str]] = []
    for i in range(n["sources"]):
        lines = [sentence(rng) + "." for _ in range(SENTENCES_PER_SEED)]
        seeds.append(lines)
        (root / "seeds" / f"seed-{i:05d}.txt").write_text("\n\n".join(lines) + "\n")
        (content / "sources" / f"source-{i:05d}.yaml").write_text(
            f"title: {q(sentence(rng, 8))}\nkind: news-report\npublisher: Wire {i % 40}\n"
            f"published: 20{10 + i % 14}-{1 + i % 12:02d}\n"
            f"url: https://news.example.org/{i}\n"
            f"archived_url: https://web.archive.org/web/2024/https://news.example.org/{i}\n"
            f"seed: seed-{i:05d}.txt\n")
    for i in range(n["actors"]):
        (content / "actors" / f"actor-{i:05d}.yaml").write_text(
            f"name: Actor {i} {rng.choice(WORDS).capitalize()}\nkind: government-body\n"
            f"country: {rng.choice(['US', 'RU', 'FR', 'DE', 'RO', 'BG', 'MD', 'GE'])}\n"
            f"description: {q(paragraph(rng, 2))}\n")
    for i in range(n["elections"]):
        (content / "elections" / f"election-{i:05d}.yaml").write_text(
            f"name: Election {i}\ncountry: {rng.choice(['US', 'FR', 'DE', 'RO', 'MD'])}\n"
            f"date: 20{10 + i % 14}-{1 + i % 12:02d}\ntype: general\n"
            f"description: {q(paragraph(rng, 2))}\n")
    for i in range(n["tactics"]):
        (content / "tactics" / f"tactic-{i:05d}.yaml").write_text(
            f"name: Tactic {i}\nsummary: {q(sentence(rng))}\ncategory: information-manipulation\n"
            f"disarm: [T0{100 + i % 50}]\ndescription: {q(paragraph(rng, 3))}\n")

    def about(i: int) -> str:
        return (f"about:\n  elections: [election-{i % n['elections']:05d}]\n"
                f"  tactics: [tactic-{i % n['tactics']:05d}, tactic-{(i + 7) % n['tactics']:05d}]\n"
                f"  actors: [actor-{(i + 3) % n['actors']:05d}]\n  countries: [US]\n")

    def citation(i: int) -> tuple[str, str]:
        source = i % n["sources"]
        return f"source-{source:05d}", seeds[source][(i // n["sources"]) % SENTENCES_PER_SEED]

    for i in range(n["statements"]):
        source, quote = citation(i)
        (content / "statements" / f"statement-{i:05d}.yaml").write_text(
            f"speaker: actor-{i % n['actors']:05d}\ndate: 20{10 + i % 14}-{1 + i % 12:02d}\n"
            # paraphrase: a random seed sentence does not name the speaker near the words, and
            # a verbatim quote must be found where a seed does (integrity's speaker check)
            f"form: paraphrase\ntext: {q(quote)}\n"
            f"context: {q(paragraph(rng, 2) + f' Reported in [[sources/{source}]].')}\n"
            f"stated_confidence: high confidence\n{about(i)}"
            f"citations:\n  - source: {source}\n    quote: {q(quote)}\n    locator: para. 2\n")
    for i in range(n["claims"]):
        source, quote = citation(i + 3)
        statement = f"statement-{i % n['statements']:05d}"
        analysis = "\n\n".join(paragraph(rng, 5) for _ in range(3))
        (content / "claims" / f"claim-{i:05d}.yaml").write_text(
            f"claim: {q(sentence(rng))}\nclaimant: actor-{(i + 1) % n['actors']:05d}\n"
            f"claimed: 20{10 + i % 14}-{1 + i % 12:02d}-{1 + i % 28:02d}\n"
            f"appearances:\n  - source: {source}\n    quote: {q(quote)}\n"
            f"rating: {q(RATINGS[i % 4])}\nverdict: {q(sentence(rng, 18))}\n"
            f"analysis: {q(analysis + f' See [[statements/{statement}]].')}\n"
            f"evidence:\n  - statement: {statement}\n  - source: {source}\n    quote: {q(quote)}\n"
            f"{about(i)}published: 2024-{1 + i % 12:02d}-{1 + i % 28:02d}\n")
    return n



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("--records", type=int, default=1000)
    args = parser.parse_args()
    if args.root.exists():
        shutil.rmtree(args.root)
    print(write_tree(args.root, args.records))


if __name__ == "__main__":
    main()
