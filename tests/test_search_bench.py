"""The search benchmark (benchmarks/bench_search.py) searches for what its tree holds: at
small sizes the fixed DISARM id and name of the large trees do not exist, and the benchmark
waited for results that could not come."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))

from benchmarks.bench_search import queries
from benchmarks.synthetic import write_tree


@pytest.mark.parametrize("total", [10, 50, 300])
def test_queries_name_a_tactic_and_an_actor_of_the_tree(tmp_path: Path, total: int) -> None:
    write_tree(tmp_path, total)
    asked = queries(total)
    tactics = " ".join(path.read_text() for path in (tmp_path / "content" / "tactics").iterdir())
    actors = [line.removeprefix("name: ") for path in (tmp_path / "content" / "actors").iterdir()
              for line in path.read_text().splitlines() if line.startswith("name: ")]
    assert asked["selective"] in tactics
    assert any(name.startswith(asked["name"] + " ") for name in actors)


def test_large_trees_keep_the_queries_of_the_earlier_measurements() -> None:
    assert queries(20_000) == queries(1_000) == {
        "broad": "ballot fraud", "selective": "T0112", "name": "Actor 17"}
