"""Goldens of the Markdown the generator writes for a few pages of the small fixture.

Never goldens of MkDocs' HTML (a theme upgrade would break them). After an
intended change: `nox -s goldens` (pytest tests/golden --update-goldens).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import Settings, build_edition
from generator.load import load_dataset

HERE = Path(__file__).resolve().parent
FIXTURE = HERE.parent.parent / "fixtures" / "corpus_small"
EDITION = 2023
SITE_URL = "https://example.org/quality-policy"

# Golden name -> the file of the edition it holds: what the site ships, made by
# the one function that builds every edition.
GOLDENS = {
    "plan_national.md": "plans/guobanfa-2016-18/index.md",
    "plan_traditional.md": "plans/zhonggong-2023-zhiliang-qiangguo-jianshe-gangyao/index.md",
    "measure.md": "plans/guobanfa-2016-18/02/index.md",
    "measure_traditional.md": "plans/zhonggong-2023-zhiliang-qiangguo-jianshe-gangyao/02/index.md",
    "agency.md": "agencies/zhijianzongju/index.md",
    "campaign.md": "campaigns/zhijian-lijian/index.md",
    "plans_index.md": "plans/index.md",
    "region.md": "regions/anhui/index.md",
    "home.md": "index.md",
}


@pytest.fixture(scope="module")
def edition_files() -> dict[str, bytes]:
    return dict(build_edition(load_dataset(FIXTURE), EDITION, Settings(site_url=SITE_URL)).files)


@pytest.mark.parametrize("name", sorted(GOLDENS))
def test_markdown_matches_golden(name, update_goldens, edition_files):
    rendered = edition_files[GOLDENS[name]].decode("utf-8")
    golden = HERE / "expected" / name
    if update_goldens:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(rendered, encoding="utf-8")
    assert golden.is_file(), f"missing golden {golden.name}: run nox -s goldens"
    assert rendered == golden.read_text(encoding="utf-8")
