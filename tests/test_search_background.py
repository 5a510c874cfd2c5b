"""The index made beside a build (``BackgroundIndex``): what runs in the build's process and
what runs beside it."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator.search import (
    BackgroundIndex,
    SearchIndexError,
    cpus_beside_the_build,
    leave_one_cpu,
    shard_of,
    slim_page,
    without_unindexed_lists,
    write_pages,
)

ARTICLES = {"claims/a/index.html": "<h1>Alpha</h1><p>words</p>",
            "actors/łukasz/index.html": "<h1>Łukasz Kovač</h1><p>Выборы</p>"}


def records(pages: dict[Path, str]) -> bytes:
    out = b""
    for path, article in pages.items():
        path_bytes, article_bytes = os.fsencode(path), article.encode("utf-8")
        out += b"%d %d\n" % (len(path_bytes), len(article_bytes)) + path_bytes + article_bytes
    return out


def test_write_pages_writes_each_record_as_a_slim_page(tmp_path: Path) -> None:
    pages = {tmp_path / path: article for path, article in ARTICLES.items()}
    write_pages("en", io.BytesIO(records(pages)))
    for path, article in pages.items():
        assert path.read_text(encoding="utf-8") == slim_page("en", article)


SAID = ('<ol class="fs-said">\n<li id="said-1"><p class="fs-said__head">Statement: '
        '<a href="../../statements/x/">X said</a></p><ol><li>inner</li></ol></li>\n</ol>')


def test_write_pages_leaves_out_the_lists_pagefind_skips(tmp_path: Path) -> None:
    page = tmp_path / "actors" / "x" / "index.html"
    article = f"<h1>Alpha</h1><p>before</p>{SAID}<p>after</p>"
    write_pages("en", io.BytesIO(records({page: article})))
    assert page.read_text(encoding="utf-8") == slim_page(
        "en", "<h1>Alpha</h1><p>before</p><p>after</p>")


def test_the_lists_pagefind_skips_are_cut_whole() -> None:
    """Every element of a class Pagefind is told to skip, nested lists of the same tag and
    all, wherever the class stands among others; nothing else."""
    article = ('<h1>A</h1><p class="fs-said__head">fs-said in a text, fs-scale too</p>'
               f'{SAID}<p>kept</p><div class="fs-table-wrap"><table class="fs-table '
               'fs-examples">\n<tr><td>row</td></tr></table></div>'
               '<ul id="m" class="wide fs-mentions big"><li>m</li></ul>'
               '<ol class="fs-scale" aria-label="Our rating scale"><li class="fs-scale__step">'
               'False</li></ol><p class="fs-scale__apart">apart</p>'
               '<p><span class="fs-scale">inline: left to Pagefind</span>'
               '<a href="x" title="fs-said">a title</a></p><ul><li>a list of no such class'
               '</li></ul>')
    assert without_unindexed_lists(article) == (
        '<h1>A</h1><p class="fs-said__head">fs-said in a text, fs-scale too</p>'
        '<p>kept</p><div class="fs-table-wrap"></div><p class="fs-scale__apart">apart</p>'
        '<p><span class="fs-scale">inline: left to Pagefind</span>'
        '<a href="x" title="fs-said">a title</a></p><ul><li>a list of no such class</li></ul>')


@pytest.mark.parametrize("inside", [
    '<a href="x" title="</ol><p>more">fake end</a>',  # an attribute value holding markup
    '<a href="x" title="<ol class=x>">fake start</a>',
    '<span data-pagefind-filter="actor">X</span>',  # what Pagefind reads even when skipping
])
def test_a_list_that_could_be_cut_wrong_is_left_to_pagefind(inside: str) -> None:
    article = f'<h1>A</h1><ol class="fs-said"><li>{inside}</li></ol><p>after</p>'
    assert without_unindexed_lists(article) == article
    unclosed = '<h1>A</h1><ol class="fs-said"><li>no end'
    assert without_unindexed_lists(unclosed) == unclosed


def test_cutting_the_lists_reads_a_hostile_article_once() -> None:
    """Text full of the lists' class names, an attribute value full of them, and 100,000
    lists nested in a list to cut: 0.1-0.3 s each. Looking back from every name to the
    start of its text, or looking for the closing tag again after every nested list, would
    take minutes."""
    articles = ["<h1>A</h1><p>" + "fs-said fs-scale " * 100_000 + "</p>",
                '<h1>A</h1><div class="x" title="' + "fs-said " * 200_000 + '">t</div>',
                '<h1>A</h1><ol class="fs-said">' + "<ol>" * 100_000 + "</ol>" * 100_000
                + "</ol><p>after</p>"]
    start = time.process_time()
    cut = [without_unindexed_lists(article) for article in articles]
    assert time.process_time() - start < 10
    assert cut[:2] == articles[:2]
    assert cut[2] == "<h1>A</h1><p>after</p>"


def test_the_slim_pages_are_written_by_a_process_beside_the_build(tmp_path: Path) -> None:
    """The build's thread only sends each article down a pipe; a process of its own, kept
    off one CPU, writes the copies into the shards' folders."""
    search = BackgroundIndex("en", tmp_path, pages=len(ARTICLES), pages_per_shard=1)
    for path, article in ARTICLES.items():
        search.add(path, article)
    writer = search.writer
    assert writer is not None and writer.pid != os.getpid()
    if hasattr(os, "sched_getaffinity") and len(os.sched_getaffinity(0)) > 1:
        assert os.sched_getaffinity(writer.pid) == cpus_beside_the_build()
    assert writer.stdin is not None
    writer.stdin.close()
    assert writer.wait(timeout=60) == 0
    written = {path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
               for folder in search.folders for path in folder.rglob("*.html")}
    assert written == {path: slim_page("en", article) for path, article in ARTICLES.items()}
    for path in ARTICLES:  # each in its shard's folder, as a built site is split
        assert (search.folders[shard_of(path, 2)] / path).is_file()
    search.discard()
    assert list(tmp_path.iterdir()) == []


def test_a_page_that_cannot_be_written_fails_the_index_not_the_caller(
        tmp_path: Path) -> None:
    search = BackgroundIndex("en", tmp_path, pages=1)
    search.folders[0].parent.mkdir(parents=True)
    search.folders[0].write_text("a file where the folder of pages goes")
    search.add("a/index.html", "<h1>Alpha</h1>")  # no exception here
    search.start()
    with pytest.raises(SearchIndexError, match="could not write a page to index"):
        search.finish(tmp_path / "site")
    assert list(tmp_path.iterdir()) == []


PRINT_CPUS = "import json, os; print(json.dumps(sorted(os.sched_getaffinity(0))))"


def _affinity_of_a_process_started_after(prepare: bool) -> set[int]:
    seen: dict[str, str] = {}

    def start() -> None:
        if prepare:
            leave_one_cpu()
        seen["cpus"] = subprocess.run([sys.executable, "-c", PRINT_CPUS],
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
        assert beside == allowed - {min(allowed)} == cpus_beside_the_build()
    else:  # nothing to leave
        assert beside == allowed


def test_a_writer_that_stops_at_once_leaves_the_index_to_the_built_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No exception reaches the build: the plugin indexes the finished site instead."""
    monkeypatch.setattr(sys, "executable", shutil.which("false"))
    search = BackgroundIndex("en", tmp_path, pages=2)
    search.add("a/index.html", "<h1>Alpha</h1>")
    assert search.writer is not None
    search.writer.wait(timeout=60)
    search.add("b/index.html", "<h1>Beta</h1>" + "words " * 20_000)  # more than a pipe holds
    assert not search.usable
    search.discard()
    assert list(tmp_path.iterdir()) == []
