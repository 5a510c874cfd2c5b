"""The index made beside a build (``BackgroundIndex``): what runs in the build's process and
what runs beside it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from generator.search import BackgroundIndex, leave_one_cpu, slim_page


def test_pages_are_written_as_they_are_added(tmp_path: Path) -> None:
    """The caller's thread writes each slim page at once: nothing is held for later, and the
    thread that waits for Pagefind has no Python work to do while the site renders."""
    search = BackgroundIndex("en", tmp_path)
    search.add("claims/a/index.html", "<h1>Alpha</h1><p>words</p>")
    written = list(tmp_path.rglob("*.html"))
    assert [path.relative_to(search.written).as_posix() for path in written] == [
        "claims/a/index.html"]
    assert written[0].read_text(encoding="utf-8") == slim_page(
        "en", "<h1>Alpha</h1><p>words</p>")
    search.discard()
    assert list(tmp_path.iterdir()) == []


def test_a_page_that_cannot_be_written_fails_the_index_not_the_caller(
        tmp_path: Path) -> None:
    search = BackgroundIndex("en", tmp_path)
    search.written.parent.mkdir(parents=True)
    search.written.write_text("a file where the folder of pages goes")
    search.add("a/index.html", "<h1>Alpha</h1>")  # no exception here
    search.start()
    with pytest.raises(Exception, match="could not write a page to index"):
        search.finish(tmp_path / "site")
    assert list(tmp_path.iterdir()) == []


PRINT_CPUS = "import json, os; print(json.dumps(sorted(os.sched_getaffinity(0))))"


def _affinity_of_a_process_started_after(prepare: bool) -> set[int]:
    seen: dict[str, str] = {}

    def start() -> None:
        if prepare:
            leave_one_cpu()
        seen["cpus"] = subprocess.run(
            [sys.executable, "-c", PRINT_CPUS],
            capture_output=True, text=True, check=True).stdout

    thread = threading.Thread(target=start)
    thread.start()
    thread.join()
    return set(json.loads(seen["cpus"]))


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="Linux only")
def test_processes_started_beside_the_build_leave_it_one_cpu() -> None:
    """Pagefind and the shards' assembly are started from a thread kept off one CPU; the
    build's own thread keeps every CPU it had."""
    allowed = os.sched_getaffinity(0)
    beside = _affinity_of_a_process_started_after(prepare=True)
    assert os.sched_getaffinity(0) == allowed
    assert _affinity_of_a_process_started_after(prepare=False) == allowed
    if len(allowed) > 1:
        assert beside == allowed - {min(allowed)}
    else:  # nothing to leave
        assert beside == allowed
