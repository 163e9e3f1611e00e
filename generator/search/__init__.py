"""Chinese full-text search for the static site, light enough for a phone.

`search_documents(corpus)` makes one plain record per page from the data the
build holds; `build_search_index(documents)` turns them into files (path →
bytes): an index of character bigrams sharded by hash plus a page store
sharded by id, and assets/search/search.js, which answers queries in the
browser by fetching only the shards a query needs. `search_site` and
`search_files` are the same query algorithm in Python, used by the tests and
the benchmark. docs/search.md gives the design and its measurements.
"""

from generator.search.build import build_search_index, index_figures
from generator.search.documents import SearchDocument, search_documents
from generator.search.query import QueryResult, search_files, search_site

__all__ = [
    "SearchDocument",
    "search_documents",
    "build_search_index",
    "index_figures",
    "search_site",
    "search_files",
    "QueryResult",
]
