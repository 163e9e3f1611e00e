"""Write the search index of a built site: sharded postings and a sharded page store.

Layout under `<site>/search-index/` (read by assets/search/search.js):

- `meta.json`: shard count, where each page-store chunk starts, the
  Traditional → Simplified fold map; the only file every query fetches.
- `p/<k>.json`: postings of the tokens whose hash is k: token → [ids of pages
  containing it, ids of pages whose title contains it], ascending ids as
  base-36 gaps.
- `s/<c>.json`: page store chunk c: [url#section, page title, text] for a
  run of consecutive ids, cut at about CHUNK_BYTES.

What is indexed and stored is a *piece*: a section of a page (cut at its
headings, and between blocks when longer than PIECE_CHARS), so a hit links to
its section and costs one small record to verify. Ids follow the page paths,
deepest first then in order, so a plan's measures are neighbours and a query
matching several of them fetches one chunk.
"""

from __future__ import annotations

import gzip
import json
import math
import shutil
import time
from importlib import resources
from pathlib import Path

from generator.search.extract import extract_page, split_text
from generator.search.text import Normaliser, encode_ids, fold_map, index_tokens, token_shard

INDEX_DIR = "search-index"
ASSETS_DIR = "assets/search"
FORMAT = 1
# Uncompressed bytes a postings shard aims at (~10-15 KB gzipped): a 4-character
# query fetches 2 shards, an 8-character one 4.
SHARD_BYTES = 40_000
# Characters of one indexed piece: a section of a page, cut between blocks
# when longer, so a hit in a long comparison page costs one small record.
PIECE_CHARS = 1500
# Uncompressed bytes of one page-store chunk (~5 KB gzipped for Chinese text).
CHUNK_BYTES = 12_000
_SKIPPED_TOP = {"404.html"}
_SKIPPED_DIRS = {INDEX_DIR, "assets"}


def build_search_index(site_dir: Path) -> dict:
    """Index every built page of `site_dir` and copy the search script into it.

    Returns figures for the build log and the benchmark: pages, documents
    (the pieces indexed), files, bytes, gzip_bytes (what a server compressing
    at level 6 would send for all of them), shards, chunks, seconds.
    """
    started = time.perf_counter()
    site_dir = Path(site_dir)
    pages = list(_read_pages(site_dir))
    documents = list(_documents(pages))
    characters: set[str] = set()
    for _, title, text in documents:
        characters.update(title, text)
    folds = fold_map(characters)
    normaliser = Normaliser(folds)

    postings: dict[str, list[int]] = {}
    title_postings: dict[str, list[int]] = {}
    previous_page = None
    for doc_id, (url, title, text) in enumerate(documents):
        for token in index_tokens(normaliser.squeeze(text)):
            postings.setdefault(token, []).append(doc_id)
        page_url = url.split("#")[0]
        if page_url != previous_page:
            # Only a page's first piece carries its title, so a title hit
            # lists the page once.
            for token in index_tokens(normaliser.squeeze(title)):
                title_postings.setdefault(token, []).append(doc_id)
        previous_page = page_url

    encoded = {
        token: [encode_ids(ids), encode_ids(title_postings.get(token, ()))]
        for token, ids in postings.items()
    }
    total = sum(len(token.encode()) + len(body) + len(title) + 10 for token, (body, title) in encoded.items())
    shards = 1 << max(0, math.ceil(math.log2(max(1, total / SHARD_BYTES))))

    out = site_dir / INDEX_DIR
    if out.exists():
        shutil.rmtree(out)
    (out / "p").mkdir(parents=True)
    (out / "s").mkdir()
    written: list[Path] = []

    sharded: list[dict] = [{} for _ in range(shards)]
    for token in sorted(encoded):
        body, title = encoded[token]
        sharded[token_shard(token, shards)][token] = [body, title] if title else [body]
    for number, shard in enumerate(sharded):
        written.append(_write_json(out / "p" / f"{number}.json", shard))

    chunk_starts: list[int] = []
    chunk: list[list[str]] = []
    size = 0
    for doc_id, record in enumerate(documents):
        record_size = len(json.dumps(record, ensure_ascii=False).encode())
        if chunk and size + record_size > CHUNK_BYTES:
            written.append(_write_json(out / "s" / f"{len(chunk_starts) - 1}.json", chunk))
            chunk, size = [], 0
        if not chunk:
            chunk_starts.append(doc_id)
        chunk.append(record)
        size += record_size
    if chunk:
        written.append(_write_json(out / "s" / f"{len(chunk_starts) - 1}.json", chunk))

    folded = sorted(folds.items())
    meta = {
        "format": FORMAT,
        "pages": len(pages),
        "documents": len(documents),
        "shards": shards,
        "chunks": encode_ids(chunk_starts),
        "fold": ["".join(k for k, _ in folded), "".join(v for _, v in folded)],
    }
    written.append(_write_json(out / "meta.json", meta))
    written.extend(copy_assets(site_dir))

    return {
        "pages": len(pages),
        "documents": len(documents),
        "files": len(written),
        "bytes": sum(path.stat().st_size for path in written),
        "gzip_bytes": sum(gzip_size(path.read_bytes()) for path in written),
        "shards": shards,
        "chunks": len(chunk_starts),
        "seconds": round(time.perf_counter() - started, 3),
    }


def copy_assets(site_dir: Path) -> list[Path]:
    """Copy the browser side (assets/search/*) from the package into the site."""
    target = Path(site_dir) / ASSETS_DIR
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for item in resources.files("generator").joinpath("assets", "search").iterdir():
        if item.is_file() and not item.name.startswith("."):
            path = target / item.name
            path.write_bytes(item.read_bytes())
            copied.append(path)
    return copied


def gzip_size(data: bytes) -> int:
    """Bytes a static server sends for `data` with gzip at zlib's default level."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def _documents(pages):
    """[url, title, text] per indexed piece: each section of a page, cut at PIECE_CHARS."""
    for url, page in pages:
        first = True
        for section in page.sections:
            target = url + "#" + section.anchor if section.anchor else url
            for text in split_text(section.text, PIECE_CHARS):
                if first and page.title not in text:
                    text = page.title + "\n" + text
                first = False
                yield [target, page.title, text]


def _read_pages(site_dir: Path):
    """(url, PageText) of every HTML page with an article, in path order."""
    found = []
    for path in site_dir.rglob("*.html"):
        relative = path.relative_to(site_dir)
        if relative.parts[0] in _SKIPPED_DIRS or str(relative) in _SKIPPED_TOP:
            continue
        url = str(relative.parent) + "/" if relative.name == "index.html" else relative.as_posix()
        if url == "./":
            url = ""
        found.append((url, path))
    # Deeper paths first (a plan's measures before the plan, agency and
    # campaign pages, then indexes and home): the browser verifies candidates
    # in id order, so the most specific pages fill the first screen. Within a
    # depth, path order keeps a plan's measures neighbours in the page store.
    found.sort(key=lambda item: (-item[0].count("/"), item[0]))
    for url, path in found:
        page = extract_page(path.read_text(encoding="utf-8"))
        if page is not None and page.sections:
            yield url, page


def _write_json(path: Path, value) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return path
