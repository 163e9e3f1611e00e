"""The browser's query algorithm, in Python, over the index files of a built site.

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

from generator.search.build import INDEX_DIR, gzip_size
from generator.search.text import Normaliser, decode_ids, query_tokens, token_shard

# Results shown at once; search.js renders after verifying this many (or all).
PAGE_SIZE = 10


@dataclass
class Hit:
    url: str
    """Where the result links: the page and the section of the first piece that matched."""
    title: str
    title_hit: int
    """2 when the title is the query, 1 when it contains it, else 0."""
    occurrences: int
    """Occurrences in the pieces of the page verified so far."""
    length: int

    @property
    def page(self) -> str:
        return self.url.split("#")[0]


@dataclass
class QueryResult:
    query: str
    tokens: list[str]
    candidates: int
    """Pages holding every token: an upper bound of the hits."""
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
        """Paths of the pages found (without the section)."""
        return {hit.page for hit in self.hits}


class _Fetcher:
    def __init__(self, root: Path):
        self.root = root
        self.cache: dict[str, object] = {}
        self.log: list[tuple[str, int, int]] = []

    def json(self, name: str):
        if name not in self.cache:
            data = (self.root / name).read_bytes()
            self.log.append((name, len(data), gzip_size(data)))
            self.cache[name] = json.loads(data)
        return self.cache[name]


def search_site(site_dir: Path, query: str, *, limit: int | None = None) -> QueryResult:
    """Answer `query` from `<site_dir>/search-index/` as search.js does.

    `limit=None` goes through every candidate (all hits, for recall tests);
    a number stops once that many hits are verified, as the browser does
    before the reader scrolls.
    """
    fetcher = _Fetcher(Path(site_dir) / INDEX_DIR)
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
    bodies, titles = [], []
    for entry in entries:
        bodies.append(decode_ids(entry[0]))
        titles.append(decode_ids(entry[1]) if len(entry) > 1 else [])
    candidates = _intersect(bodies)
    in_titles = set(_intersect(titles)).intersection(candidates)
    order = sorted(in_titles) + [doc for doc in candidates if doc not in in_titles]
    result.candidates = len(order)

    starts = decode_ids(meta["chunks"])
    position = 0
    first_shown = False
    by_page: dict[str, Hit] = {}
    while position < len(order) and (limit is None or len(result.hits) < limit):
        # One screenful: verify candidates until PAGE_SIZE new pages have hits.
        page: list[tuple[int, Hit]] = []
        while position < len(order) and len(page) < PAGE_SIZE:
            batch = order[position:position + PAGE_SIZE - len(page)]
            position += len(batch)
            for doc in batch:
                chunk = bisect.bisect_right(starts, doc) - 1
                url, title, text = fetcher.json(f"s/{chunk}.json")[doc - starts[chunk]]
                hit = _verify(normaliser, squeezed, url, title, text)
                if hit is None:
                    continue
                if hit.page in by_page:
                    by_page[hit.page].occurrences += hit.occurrences
                    continue
                by_page[hit.page] = hit
                page.append((doc, hit))
        page.sort(key=lambda item: (-item[1].title_hit, -item[1].occurrences, item[1].length, item[0]))
        result.hits.extend(hit for _, hit in page)
        if not first_shown:
            _mark_first(result, fetcher)
            first_shown = True
    if not first_shown:
        _mark_first(result, fetcher)
    return result


def _verify(normaliser: Normaliser, squeezed: str, url: str, title: str, text: str) -> Hit | None:
    body = normaliser.squeeze(text)
    occurrences = body.count(squeezed)
    if not occurrences:
        return None
    return Hit(
        url=url,
        title=title,
        title_hit=_title_hit(squeezed, normaliser.squeeze(title)),
        occurrences=occurrences,
        length=len(body),
    )


def _title_hit(squeezed: str, title: str) -> int:
    return 2 if title == squeezed else 1 if squeezed in title else 0


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
