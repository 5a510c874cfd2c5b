"""The benchmarks' synthetic tree (benchmarks/synthetic.py) is valid content: every benchmark
builds it, so a new content rule it breaks would silently turn them into error-page runs."""

from __future__ import annotations

import sys
from pathlib import Path

from generator.pipeline import build_graph

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))

import synthetic


def test_the_synthetic_tree_checks_cleanly(tmp_path: Path) -> None:
    counts = synthetic.write_tree(tmp_path, 120)
    result = build_graph(tmp_path)
    assert [d.format() for d in result.diagnostics] == []
    assert len(result.graph.records["statements"]) == counts["statements"] > 0
