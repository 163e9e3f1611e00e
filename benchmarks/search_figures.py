"""Figures for docs/search.md: `python -m generator.search.measure SITE [QUERY …]`.

Prints, as a Markdown table, the size of the index of a built site and for
each query what a browser fetches before its first results appear (gzip at
level 6, as a static server would send it), next to the size of Material's
search_index.json when the site was built with Material's search plugin on.
"""

from __future__ import annotations

import sys
from pathlib import Path

from generator.search.build import INDEX_DIR, gzip_size
from generator.search.query import search_site

QUERIES = ("质检利剑", "质量强国", "福建省生态环境厅", "市场监管总局")


def index_figures(site_dir: Path) -> dict:
    files = [path for path in (Path(site_dir) / INDEX_DIR).rglob("*") if path.is_file()]
    return {
        "files": len(files),
        "bytes": sum(path.stat().st_size for path in files),
        "gzip_bytes": sum(gzip_size(path.read_bytes()) for path in files),
    }


def query_figures(site_dir: Path, query: str) -> dict:
    """What the browser fetches for `query` before showing its first results."""
    result = search_site(site_dir, query, limit=10)
    return {
        "query": query,
        "files": len(result.first_files),
        "bytes": result.first_bytes,
        "gzip_bytes": result.first_gzip_bytes,
        "candidates": result.candidates,
        "first_hits": len(result.hits),
    }


def main(argv: list[str]) -> int:
    site = Path(argv[0])
    queries = argv[1:] or QUERIES
    index = index_figures(site)
    print(f"index: {index['files']} files, {index['bytes']:,} bytes, {index['gzip_bytes']:,} gzipped")
    material = site / "search" / "search_index.json"
    if material.exists():
        data = material.read_bytes()
        print(f"Material search_index.json: {len(data):,} bytes, {gzip_size(data):,} gzipped")
    print("| query | files | bytes | gzipped | candidates | first hits |")
    print("|---|---:|---:|---:|---:|---:|")
    for query in queries:
        row = query_figures(site, query)
        print(f"| {query} | {row['files']} | {row['bytes']:,} | {row['gzip_bytes']:,} | {row['candidates']} | {row['first_hits']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
