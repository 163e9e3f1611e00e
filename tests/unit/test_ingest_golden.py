"""Golden YAML of every plan ingest makes from data/sources/.

A change in ingest that alters any plan shows up here as a diff of the
YAML an editor would review. After checking the diff is intended, rewrite
the goldens with `pytest tests/unit/test_ingest_golden.py --update-goldens`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.ingest import ingest_files
from registries import copy_registries

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "ingest"


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, str]:
    data = tmp_path_factory.mktemp("data")
    copy_registries(data)
    ingest_files(sorted((ROOT / "data" / "sources").glob("*.txt")), data_dir=data, force=False)
    return {path.name: path.read_text(encoding="utf-8") for path in sorted((data / "plans").glob("*.yaml"))}


def test_goldens_match_ingest_output(written, update_goldens):
    if update_goldens:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for stale in GOLDEN.glob("*.yaml"):
            if stale.name not in written:
                stale.unlink()
        for name, text in written.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
    goldens = {path.name: path.read_text(encoding="utf-8") for path in sorted(GOLDEN.glob("*.yaml"))}
    assert sorted(goldens) == sorted(written)
    for name, text in written.items():
        assert text == goldens[name], f"{name} differs from tests/golden/ingest/{name} (rerun with --update-goldens if intended)"
