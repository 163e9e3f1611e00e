"""Command line: parses arguments, calls one operation, turns failures into one line.

Every operation lives in the module that owns it; this file only knows their
names. A GeneratorError reaches the user as `error: <message>` with exit
status 1; `--debug` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Reference site for Chinese quality policy: data in, site out.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks instead of one-line errors")
    parser.add_argument("--data", type=Path, default=Path("data"), help="the data folder (default: data)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = commands.add_parser("ingest", help="turn raw source text into plan YAML in data/plans/")
    ingest.add_argument("sources", nargs="+", type=Path, help="files in data/sources/")
    ingest.add_argument("--force", action="store_true", help="re-ingest over reviewed YAML (ids are kept; stops if a reviewed field would change)")
    ingest.add_argument("--keep-reviewed", dest="on_reviewed", action="store_const", const="keep", help="with --force: keep every reviewed value that differs")
    ingest.add_argument("--take-new", dest="on_reviewed", action="store_const", const="new", help="with --force: replace reviewed values with the new reading")
    ingest.add_argument("--dry-run", action="store_true", help="print the review report and write nothing")
    for flag, meaning in (("title", "the plan's title"), ("doc-number", "发文字号"), ("date", "成文日期 (date_written)"),
                          ("date-published", "发布日期"), ("region", "e.g. 安徽省")):
        ingest.add_argument(f"--{flag}", help=f"{meaning}, where the capture prints none (recorded as given)")
    ingest.add_argument("--level", choices=("national", "provincial", "municipal"), help="the plan's level (recorded as given)")
    ingest.add_argument("--issuer", action="append", help="发文机关, once per issuer (recorded as given)")

    commands.add_parser("check", help="validate everything in data/ and report every problem")

    export = commands.add_parser("export", help="write the open data (JSON, CSV)")
    export.add_argument("--out", type=Path, required=True)

    render = commands.add_parser("render", help="write the generated files (pages, open data) of one edition")
    render.add_argument("--out", type=Path, required=True, help="folder to write into (replaced whole)")
    render.add_argument("--edition", type=int, default=None, help="year of the edition (default: newest)")

    publish = commands.add_parser("publish", help="build every yearly edition with mike and export it")
    publish.add_argument("--out", type=Path, required=True, help="folder for the static site")
    publish.add_argument("--repo", type=Path, default=None, help="git repository holding gh-pages (default: this one)")
    return parser


def run(args: argparse.Namespace) -> int:
    # Imports are deferred so that `--help` and one command do not pay for the others.
    if args.command == "ingest":
        from generator.ingest import ingest_files

        given = {"title": args.title, "doc_number": args.doc_number, "date_written": args.date,
                 "date_published": args.date_published, "level": args.level, "region": args.region, "issuers": args.issuer}
        return ingest_files(args.sources, data_dir=args.data, force=args.force, on_reviewed=args.on_reviewed,
                            dry_run=args.dry_run, given=given)
    if args.command == "check":
        from generator.check import check_data

        return check_data(args.data)
    if args.command == "export":
        from generator.commands import export_open_data

        return export_open_data(args.data, args.out)
    if args.command == "render":
        from generator.commands import render_edition

        return render_edition(args.data, args.out, edition=args.edition)
    if args.command == "publish":
        from generator.publish import publish_site

        return publish_site(args.data, args.out, repo=args.repo)
    raise AssertionError(args.command)


def main(argv: list[str] | None = None) -> int:
    from generator.errors import GeneratorError

    args = build_parser().parse_args(argv)
    try:
        return run(args) or 0
    except GeneratorError as error:
        if args.debug:
            raise
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted; nothing was replaced", file=sys.stderr)
        return 130
