"""Chinese full-text search for the static site, light enough for a phone.

`build_search_index(site_dir)` runs after `mkdocs build` (the hook's
on_post_build) and writes an index of character bigrams sharded by hash plus a
page store sharded by page id; assets/search/search.js answers queries in the
browser by fetching only the shards a query needs. `search_site` is the same
query algorithm in Python, used by the recall tests and the benchmark.
docs/search.md gives the measurements behind the design.
"""

from generator.search.build import build_search_index
from generator.search.query import QueryResult, search_site

__all__ = ["build_search_index", "search_site", "QueryResult"]
