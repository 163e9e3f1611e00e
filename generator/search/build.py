"""The search index of an edition, as files: sharded postings and a sharded page store.

`build_search_index(documents)` returns every file search needs, as paths
relative to the edition's root mapped to bytes; the caller hands them to the
site engine like any other generated file. Layout under `search-index/`
(read by assets/search/search.js and, identically, by query.py):

- `meta.json`: shard count, where each page-store chunk starts, the
  Traditional → Simplified fold table; the only file every query fetches.
- `p/<k>.json`: postings of the tokens whose hash is k: token → [ids of
  pieces whose text holds it, ids of pieces whose title or names hold it],
  ascending ids as base-36 gaps.
- `s/<c>.json`: page store chunk c: [url, title, context, names, text, boost]
  for a run of consecutive ids, cut at about CHUNK_BYTES.

A *piece* is a document, or a part of a long one cut between lines at
PIECE_CHARS, so verifying a hit costs one small record. Ids follow the
documents' boost, highest first, and their given order within a boost: a
plan's measures are neighbours (a query matching several fetches one chunk)
and the browser, which verifies candidates in id order, meets the plans,
agencies and campaigns before the measures that mention them.
"""

from __future__ import annotations

import gzip
import json
import math
from collections import defaultdict
from importlib import resources
from itertools import repeat
from typing import Iterable

from generator.search.documents import SearchDocument
from generator.search.text import Normaliser, decode_ids, encode_ids, fold_map, index_tokens, token_shard

INDEX_DIR = "search-index"
ASSETS_DIR = "assets/search"
FORMAT = 2
# Uncompressed bytes a postings shard aims at (~10-15 KB gzipped): a 4-character
# query fetches 3 shards, an 8-character one 7.
SHARD_BYTES = 40_000
# Characters of one indexed piece: a long preamble costs one small record per hit.
PIECE_CHARS = 1500
# Uncompressed bytes of one page-store chunk (~3-5 KB gzipped for Chinese text).
CHUNK_BYTES = 12_000


def build_search_index(documents: Iterable[SearchDocument]) -> dict[str, bytes]:
    """Every file of the search index and the search script, path (from the edition root) → bytes."""
    records = _records(documents)
    characters: set[str] = set()
    for _, title, context, names, text, _ in records:
        characters.update(title, context, names, text)
    folds = fold_map(characters)
    normaliser = Normaliser(folds)

    postings: dict[str, list[int]] = defaultdict(list)
    title_postings: dict[str, list[int]] = defaultdict(list)
    previous_url = None
    for doc_id, (url, title, _, names, text, _) in enumerate(records):
        _add(postings, index_tokens(normaliser.squeeze(text)), doc_id)
        if url == previous_url:
            continue  # a title hit lists the page once, at its first piece
        previous_url = url
        heads: set[str] = set()
        # Title and names each on its own: a token made of the end of one
        # name and the start of the next would find nothing true.
        for name in (title, *names.split("\n")):
            heads |= index_tokens(normaliser.squeeze(name))
        _add(title_postings, heads, doc_id)

    encoded = {
        token: [encode_ids(postings.get(token, ())), encode_ids(title_postings.get(token, ()))]
        for token in postings.keys() | title_postings.keys()
    }
    total = sum(len(token.encode()) + len(body) + len(title) + 10 for token, (body, title) in encoded.items())
    shards = 1 << max(0, math.ceil(math.log2(max(1, total / SHARD_BYTES))))

    files: dict[str, bytes] = {}
    sharded: list[dict] = [{} for _ in range(shards)]
    for token in sorted(encoded):
        body, title = encoded[token]
        sharded[token_shard(token, shards)][token] = [body, title] if title else [body]
    for number, shard in enumerate(sharded):
        files[f"{INDEX_DIR}/p/{number}.json"] = _json(shard)

    chunk_starts: list[int] = []
    chunk: list[list] = []
    size = 0
    for doc_id, record in enumerate(records):
        record_size = len(_json(record))
        if chunk and size + record_size > CHUNK_BYTES:
            files[f"{INDEX_DIR}/s/{len(chunk_starts) - 1}.json"] = _json(chunk)
            chunk, size = [], 0
        if not chunk:
            chunk_starts.append(doc_id)
        chunk.append(record)
        size += record_size
    if chunk:
        files[f"{INDEX_DIR}/s/{len(chunk_starts) - 1}.json"] = _json(chunk)

    folded = sorted(folds.items())
    files[f"{INDEX_DIR}/meta.json"] = _json({
        "format": FORMAT,
        "pages": len({record[0] for record in records}),
        "documents": len(records),
        "shards": shards,
        "chunks": encode_ids(chunk_starts),
        "fold": ["".join(k for k, _ in folded), "".join(v for _, v in folded)],
    })
    files.update(search_assets())
    return files


def _add(postings: dict[str, list[int]], tokens: Iterable[str], doc_id: int) -> None:
    """Append `doc_id` to the postings of each token (a defaultdict(list)).

    A million appends at 10,000 measures: map() makes them without a Python
    loop; any() only drives it, since list.append returns None.
    """
    any(map(list.append, map(postings.__getitem__, tokens), repeat(doc_id)))


def search_assets() -> dict[str, bytes]:
    """The browser side (assets/search/*) from the package, path → bytes."""
    return {
        f"{ASSETS_DIR}/{item.name}": item.read_bytes()
        for item in sorted(resources.files("generator").joinpath("assets", "search").iterdir(), key=lambda i: i.name)
        if item.is_file() and not item.name.startswith(".")
    }


def index_figures(files: dict[str, bytes]) -> dict:
    """Figures for the build log and the benchmark: pages, pieces, files, bytes, gzip bytes, shards, chunks."""
    meta = json.loads(files[f"{INDEX_DIR}/meta.json"])
    return {
        "pages": meta["pages"],
        "documents": meta["documents"],
        "files": len(files),
        "bytes": sum(map(len, files.values())),
        "gzip_bytes": sum(map(gzip_size, files.values())),
        "shards": meta["shards"],
        "chunks": len(decode_ids(meta["chunks"])),
    }


def gzip_size(data: bytes) -> int:
    """Bytes a static server sends for `data` with gzip at zlib's default level."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def _records(documents: Iterable[SearchDocument]) -> list[list]:
    """[url, title, context, names, text, boost] per piece, in id order.

    Only a document's first piece carries its names, so a title hit lists
    the page once; every piece repeats title and context for its result line.
    """
    ordered = sorted(documents, key=lambda document: -document.boost)
    records = []
    for document in ordered:
        names = "\n".join(document.names)
        for text in split_text(document.text, PIECE_CHARS):
            records.append([document.url, document.title, document.context, names, text, document.boost])
            names = ""
    return records


def split_text(text: str, limit: int) -> list[str]:
    """`text` in pieces of about `limit` characters, cut only between lines.

    A line is never cut, so whatever a block says is found in one piece.
    """
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        if current and size + len(line) > limit:
            pieces.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    if current:
        pieces.append("\n".join(current))
    return pieces


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
