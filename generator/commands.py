"""The operations behind `python -m generator render` and `export`: build one edition, write part of it.

Both start from generator.build.build_edition, the one place an edition is
made, and write through generator.write, so a failed run leaves the previous
output as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.build import build_edition
from generator.load import load_dataset
from generator.write import write_tree


def render_edition(data_dir: Path, out: Path, edition: int | None = None) -> int:
    """Every generated file of the edition (pages and open data) into `out`, replaced whole."""
    output = build_edition(load_dataset(Path(data_dir)), edition)
    changed = write_tree(output.files, Path(out))
    print(f"edition {output.edition}: {len(output.files)} files {'written to' if changed else 'unchanged in'} {out}")
    return 0


def export_open_data(data_dir: Path, out: Path) -> int:
    """The newest edition's open data (JSON, CSV) into `out`, replaced whole."""
    files = build_edition(load_dataset(Path(data_dir))).open_data
    write_tree(files, Path(out))
    counts = {name: len(json.loads(files[f"{name}.json"])) for name in ("measures", "plans", "agencies", "campaigns", "alignments")}
    print(
        f"wrote {counts['measures']} measures, {counts['plans']} plans, "
        f"{counts['agencies']} agencies, {counts['campaigns']} campaigns, "
        f"{counts['alignments']} alignments to {Path(out).as_posix()}/"
    )
    return 0
