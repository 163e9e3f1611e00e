"""Figures of the site's search for docs/search.md.

    python benchmarks/search_figures.py --data DIR [--recall] [QUERY …]
    python benchmarks/search_figures.py --site SITE [QUERY …]

--data builds the index in memory from a data folder (real, or made by
`python benchmarks/synth.py --measures N --out DIR`), as the edition build
does, and prints its size and build time; --recall then asks every agency and
campaign name and checks that every record whose text or names hold it is
found (the recall target, 100,000 measures included). --site reads the index
of a built site. For each query: what a browser fetches before its first
results (gzip at level 6, as a static server sends it).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from generator.load import load_corpus
from generator.search import build_search_index, index_figures, search_documents, search_files, search_site
from generator.search.build import INDEX_DIR, gzip_size
from generator.search.text import Normaliser

QUERIES = ("质检利剑", "质量强国", "福建省生态环境厅", "福建省质监局", "市场监管总局", "质量", "国办发〔2016〕18号", "18号")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", type=Path, help="a data folder: build the index in memory from it")
    source.add_argument("--site", type=Path, help="a built site holding search-index/")
    parser.add_argument("--recall", action="store_true", help="check recall of every agency and campaign name (--data)")
    parser.add_argument("queries", nargs="*", default=list(QUERIES))
    args = parser.parse_args(argv)

    if args.data:
        started = time.perf_counter()
        corpus = load_corpus(args.data)
        loaded = time.perf_counter()
        documents = search_documents(corpus)
        files = build_search_index(documents)
        built = time.perf_counter()
        figures = index_figures(files)
        measures = sum(len(plan.measures) for plan in corpus.plans)
        print(f"data: {measures:,} measures, {len(documents):,} records; load {loaded - started:.1f} s, "
              f"records + index {built - loaded:.1f} s; peak RSS {_peak_rss_mb():.0f} MB")
        query = lambda text, limit=10: search_files(files, text, limit=limit)  # noqa: E731
    else:
        files = {
            path.relative_to(args.site).as_posix(): path.read_bytes()
            for path in (args.site / INDEX_DIR).rglob("*") if path.is_file()
        }
        figures = {"files": len(files), "bytes": sum(map(len, files.values())),
                   "gzip_bytes": sum(map(gzip_size, files.values()))}
        query = lambda text, limit=10: search_site(args.site, text, limit=limit)  # noqa: E731
    print(f"index: {figures['files']:,} files, {figures['bytes']:,} bytes, {figures['gzip_bytes']:,} gzipped"
          + (f", {figures['shards']} shards, {figures['chunks']} chunks" if "shards" in figures else ""))

    print("| query | files | gzipped before first results | candidates | first hit |")
    print("|---|---:|---:|---:|---|")
    for text in args.queries:
        result = query(text)
        first = result.hits[0].url if result.hits else "—"
        print(f"| {text} | {len(result.first_files)} | {result.first_gzip_bytes / 1024:.0f} KB | {result.candidates:,} | {first} |")

    if args.recall and args.data:
        return _recall(corpus, documents, files)
    return 0


def _recall(corpus, documents, files) -> int:
    """Every agency and campaign name against a scan of the records; prints misses and the worst first query."""
    meta = json.loads(files[f"{INDEX_DIR}/meta.json"])
    normaliser = Normaliser(dict(zip(meta["fold"][0], meta["fold"][1])))
    # The same unit the index verifies: each record's text, and each name on its own.
    scanned = [(document.url, normaliser.squeeze(document.text),
                [normaliser.squeeze(name) for name in (document.title, *document.names)]) for document in documents]
    names = {name for agency in corpus.agencies for name in (agency.name, agency.full_name, *agency.aliases)}
    names |= {name for campaign in corpus.campaigns for name in (campaign.name, *campaign.variants)}
    started = time.perf_counter()
    missed, checked, worst = [], 0, (0, "")
    for name in sorted(filter(None, names)):
        wanted = normaliser.squeeze(name)
        expected = {url for url, text, heads in scanned if wanted in text or any(wanted in head for head in heads)}
        result = search_files(files, name)
        first = search_files(files, name, limit=10).first_gzip_bytes
        worst = max(worst, (first, name))
        missed += [f"{name}: {url}" for url in sorted(expected - result.pages)]
        checked += 1
    print(f"recall: {checked} agency and campaign names, {len(missed)} missed pages "
          f"({time.perf_counter() - started:.0f} s); worst first query {worst[0] / 1024:.0f} KB gzipped ({worst[1]})")
    for line in missed[:20]:
        print("  missed", line)
    return 1 if missed else 0


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
