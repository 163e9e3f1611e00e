"""build.AlignmentCache: a pair of plans is aligned again only when one of its plan objects changed, and
the result is what aligning everything gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.align import align_corpus
from generator.build import AlignmentCache, build_edition
from generator.load import ReadCache, load_dataset

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "data_minimal"


@pytest.fixture
def data(tmp_path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "data")
    return tmp_path / "data"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def _build(data: Path, files: ReadCache, alignments: AlignmentCache) -> dict[str, bytes]:
    built = build_edition(load_dataset(data, files), alignments=alignments).files
    assert built == build_edition(load_dataset(data)).files, "the reused alignment differs from a fresh one"
    return dict(built)


def test_only_a_changed_pair_of_plans_is_aligned_again(data):
    files, alignments = ReadCache(), AlignmentCache()
    first = _build(data, files, alignments)
    assert alignments.aligned == 1  # the fixture's one implementing plan
    assert _build(data, files, alignments) == first
    assert alignments.aligned == 1, "an unchanged pair was aligned again"

    # A local measure's text: its plan is a new object, so the pair is aligned again.
    _edit(data / "plans" / "wanzhengbanmi-2016-76.yaml", "开展“质检利剑”行动。", "开展“质检利剑”专项行动。")
    _build(data, files, alignments)
    assert alignments.aligned == 2
    # The national plan changes every pair that implements it.
    _edit(data / "plans" / "guobanfa-2016-18.yaml", "开展改善消费品供给专项行动。", "开展改善消费品供给行动。")
    _build(data, files, alignments)
    assert alignments.aligned == 3


def test_a_change_to_the_reviewed_pairings_or_the_counterparts_aligns_again(data):
    files, alignments = ReadCache(), AlignmentCache()
    _build(data, files, alignments)
    _edit(data / "alignments.yaml", "decision: pin", "decision: reject")
    rejected = load_dataset(data, files)
    edition = rejected.corpus.up_to(2016)
    assert alignments.align(edition, rejected.overrides) == align_corpus(edition, rejected.overrides)
    assert alignments.aligned == 2
    _edit(data / "agencies.yaml", "national_counterpart: zhijianzongju", "national_counterpart: null")
    _build(data, files, alignments)
    assert alignments.aligned == 3
