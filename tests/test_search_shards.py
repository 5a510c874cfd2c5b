"""Search shards: giving each shard's index the other shards' words (``share_words``)
without decoding and encoding every word chunk again.

Each shard's word chunks are Pagefind's own (Pagefind run over small pages here); the chunks
that gain words are the old entries' bytes with the new entries spliced in. They must be
exactly what decoding the chunk, inserting the entries in the words' order and encoding it
again gives (CBOR encodes each value one way only), and every old entry must be unchanged.
"""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path
from typing import Any

import cbor2
import pytest

from generator.search import (
    ALL_WORDS,
    Runner,
    SearchIndexError,
    _array_head,
    _list_in_list,
    _read,
    _word_index,
    share_words,
    slim_page,
)

ROOT = Path(__file__).resolve().parent.parent
MARK = b"pagefind_dcd"
WORDS = [f"w{number:03d}x" for number in range(400)] + [
    "вмешательства", "выборы", "łukasz", "kovač", "t0146", "žluťoučký"]


def shard_parts(folder: Path, shards: int = 3) -> list[Path]:
    """Pagefind's bundles of ``shards`` folders of pages whose words differ from shard to
    shard (each page: some words of its own, some common ones, Cyrillic and diacritics)."""
    runner = Runner()
    parts = []
    for shard in range(shards):
        pages = folder / "pages" / str(shard)
        for page in range(4):
            own = " ".join(WORDS[(shard * 4 + page) * 30 + offset] for offset in range(30))
            article = (f"<h1>Page {shard}-{page}</h1><p>{own} common words here "
                       f"{WORDS[400 + (shard + page) % 6]}</p>"
                       f'<p data-pagefind-filter="kind">K{page % 2}</p>')
            path = pages / f"s{shard}p{page}" / "index.html"
            path.parent.mkdir(parents=True)
            path.write_text(slim_page("en", article), encoding="utf-8")
        part = folder / "parts" / str(shard)
        assert runner.run(pages, part)
        parts.append(part)
    return parts


def chunks_of(part: Path) -> dict[str, list[Any]]:
    """Each word chunk of the part's one language, decoded, by its range's first word."""
    (index,) = _word_index(part).values()
    return {chunk_range[0]: _read(part / "index" / f"{chunk_range[2]}.pf_index")[0]
            for chunk_range in index.meta[2]}


def test_spliced_chunks_are_the_chunks_decoded_and_encoded_again(tmp_path: Path) -> None:
    parts = shard_parts(tmp_path)
    before = [{entry[0]: entry for chunk in chunks_of(part).values() for entry in chunk}
              for part in parts]
    every = set().union(*before)
    assert max(len(chunk) for chunk in chunks_of(parts[0]).values()) >= 24  # longer heads
    share_words(parts)
    for part, old in zip(parts, before, strict=True):
        (index,) = _word_index(part).values()
        hidden = [page[0] for page in index.meta[1]].index(ALL_WORDS)
        entries = {}
        for start, end, hashed in index.meta[2]:
            raw = gzip.decompress((part / "index" / f"{hashed}.pf_index").read_bytes())
            chunk = cbor2.loads(raw.removeprefix(MARK))
            assert raw == MARK + cbor2.dumps(chunk)  # as encoding the decoded chunk gives
            words = [entry[0] for entry in chunk[0]]
            assert words == sorted(words) and start <= words[0] and words[-1] <= end
            entries.update({entry[0]: entry for entry in chunk[0]})
        assert set(entries) == every
        for word, entry in entries.items():
            assert entry == old.get(word, [word, [[hidden, [-25, 0], []]], []])
        assert len(list((part / "index").iterdir())) == len(index.meta[2])


@pytest.mark.parametrize("length", [0, 1, 23, 24, 255, 256, 65535, 65536])
def test_list_heads_are_cbors(length: int) -> None:
    encoded = cbor2.dumps([[0] * length])
    assert _array_head(1) + _array_head(length) == encoded[:len(encoded) - length]
    assert _list_in_list(encoded) == (length, len(encoded) - length)


def test_a_chunk_pagefind_did_not_write_is_named(tmp_path: Path) -> None:
    parts = shard_parts(tmp_path, shards=2)
    (index,) = _word_index(parts[1]).values()
    chunk = parts[1] / "index" / f"{index.meta[2][0][2]}.pf_index"
    chunk.write_bytes(gzip.compress(MARK + cbor2.dumps({"words": []})))
    with pytest.raises(SearchIndexError, match=f"{chunk}: not a word chunk of Pagefind"):
        share_words(parts)
    chunk.write_bytes(b"not gzip")
    with pytest.raises(SearchIndexError, match=f"{chunk}: not a word chunk of Pagefind"):
        share_words(parts)


def test_assemble_process_reports_a_bad_chunk_without_a_traceback(tmp_path: Path) -> None:
    parts = shard_parts(tmp_path, shards=2)
    (index,) = _word_index(parts[0]).values()
    chunk = parts[0] / "index" / f"{index.meta[2][-1][2]}.pf_index"
    chunk.write_bytes(gzip.compress(MARK + b"\x81\x83"))  # a list cut short
    result = subprocess.run(
        [sys.executable, "-m", "generator.search", "assemble", str(tmp_path / "bundle"),
         *map(str, parts)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stderr.strip().startswith(f"{chunk}: not a word chunk of Pagefind")
    assert "Traceback" not in result.stderr
