"""The browser's query algorithm, in Python, over the index files.

assets/search/search.js does the same steps in the same order; this copy lets
the tests check recall against a scan of the data without a browser, and lets
the benchmark count the bytes a browser fetches before the first results
(every file as a server gzipping at level 6 would send it).
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from generator.search.build import INDEX_DIR, gzip_size
from generator.search.text import Normaliser, decode_ids, query_tokens, token_shard

# Results shown at once; search.js renders after verifying this many (or all).
PAGE_SIZE = 10


@dataclass
class Hit:
    url: str
    """Where the result links."""
    title: str
    context: str
    """The document and region the page belongs to, as the result shows it."""
    title_hit: int
    """2 when the title or a name is the query, 1 when one contains it, else 0."""
    boost: int
    occurrences: int
    """Occurrences in the text of the pieces of the page verified so far."""
    length: int

    @property
    def page(self) -> str:
        return self.url.split("#")[0]


@dataclass
class QueryResult:
    query: str
    tokens: list[str]
    candidates: int
    """Pieces holding every token in their text or in their title and names: an upper bound of the hits."""
    hits: list[Hit] = field(default_factory=list)
    """Verified hits in display order."""
    first_files: list[str] = field(default_factory=list)
    """Files fetched before the first results appear (meta.json included)."""
    first_bytes: int = 0
    first_gzip_bytes: int = 0

    @property
    def urls(self) -> list[str]:
        return [hit.url for hit in self.hits]

    @property
    def pages(self) -> set[str]:
        """Paths of the pages found."""
        return {hit.page for hit in self.hits}


class _Fetcher:
    def __init__(self, read: Callable[[str], bytes]):
        self.read = read
        self.cache: dict[str, object] = {}
        self.log: list[tuple[str, int, int]] = []

    def json(self, name: str):
        if name not in self.cache:
            data = self.read(name)
            self.log.append((name, len(data), gzip_size(data)))
            self.cache[name] = json.loads(data)
        return self.cache[name]


def search_site(site_dir: Path, query: str, *, limit: int | None = None) -> QueryResult:
    """Answer `query` from `<site_dir>/search-index/` as search.js does."""
    index = Path(site_dir) / INDEX_DIR
    return _search(_Fetcher(lambda name: (index / name).read_bytes()), query, limit)


def search_files(files: Mapping[str, bytes], query: str, *, limit: int | None = None) -> QueryResult:
    """Answer `query` from the files build_search_index returned, as search.js does.

    `limit=None` goes through every candidate (all hits, for recall tests);
    a number stops once that many hits are verified, as the browser does
    before the reader scrolls.
    """
    return _search(_Fetcher(lambda name: files[f"{INDEX_DIR}/{name}"]), query, limit)


def _search(fetcher: _Fetcher, query: str, limit: int | None) -> QueryResult:
    meta = fetcher.json("meta.json")
    normaliser = Normaliser(dict(zip(meta["fold"][0], meta["fold"][1])))
    squeezed = normaliser.squeeze(query)
    tokens = query_tokens(squeezed)
    result = QueryResult(query=query, tokens=tokens, candidates=0)
    if not tokens:
        _mark_first(result, fetcher)
        return result

    # The browser requests every shard of the query at once, found or not.
    entries = [fetcher.json(f"p/{token_shard(token, meta['shards'])}.json").get(token) for token in tokens]
    if None in entries:
        _mark_first(result, fetcher)
        return result
    in_titles = _intersect([decode_ids(entry[1]) if len(entry) > 1 else [] for entry in entries])
    titled = set(in_titles)
    in_texts = [doc for doc in _intersect([decode_ids(entry[0]) for entry in entries]) if doc not in titled]
    order = in_titles + in_texts
    result.candidates = len(order)

    starts = decode_ids(meta["chunks"])
    position = 0
    first_shown = False
    by_page: dict[str, Hit] = {}
    while position < len(order) and (limit is None or len(result.hits) < limit):
        # One screenful: the next PAGE_SIZE candidates, and the next, until
        # one of them is a hit. Waiting for PAGE_SIZE hits instead would fetch
        # a chunk for each of hundreds of false candidates (a long name whose
        # spread tokens also meet pages that hold its parts apart).
        page: list[tuple[int, Hit]] = []
        while position < len(order) and not page:
            batch = order[position:position + PAGE_SIZE]
            position += len(batch)
            for doc in batch:
                chunk = bisect.bisect_right(starts, doc) - 1
                hit = _verify(normaliser, squeezed, fetcher.json(f"s/{chunk}.json")[doc - starts[chunk]])
                if hit is None:
                    continue
                if hit.page in by_page:
                    by_page[hit.page].occurrences += hit.occurrences
                    continue
                by_page[hit.page] = hit
                page.append((doc, hit))
        page.sort(key=lambda item: (-item[1].title_hit, -item[1].boost, -item[1].occurrences, item[1].length, item[0]))
        result.hits.extend(hit for _, hit in page)
        if not first_shown:
            _mark_first(result, fetcher)
            first_shown = True
    if not first_shown:
        _mark_first(result, fetcher)
    return result


def _verify(normaliser: Normaliser, squeezed: str, record: list) -> Hit | None:
    url, title, context, names, text, boost = record
    body = normaliser.squeeze(text)
    occurrences = body.count(squeezed)
    title_hit = max(_title_hit(squeezed, normaliser.squeeze(name)) for name in (title, *names.split("\n")))
    if not occurrences and not title_hit:
        return None
    return Hit(url=url, title=title, context=context, title_hit=title_hit, boost=boost,
               occurrences=occurrences, length=len(body))


def _title_hit(squeezed: str, name: str) -> int:
    return 2 if name == squeezed else 1 if squeezed in name else 0


def _intersect(lists: list[list[int]]) -> list[int]:
    if not lists:
        return []
    ordered = sorted(lists, key=len)
    common = ordered[0]
    for other in ordered[1:]:
        members = set(other)
        common = [doc for doc in common if doc in members]
    return common


def _mark_first(result: QueryResult, fetcher: _Fetcher) -> None:
    result.first_files = [name for name, _, _ in fetcher.log]
    result.first_bytes = sum(size for _, size, _ in fetcher.log)
    result.first_gzip_bytes = sum(size for _, _, size in fetcher.log)
