"""Goldens of the Markdown the generator writes for a few pages of the small fixture.

Never goldens of MkDocs' HTML (a theme upgrade would break them). After an
intended change: `nox -s goldens` (pytest tests/golden --update-goldens).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.load import load_corpus
from generator.render import (
    Site,
    render_agency_page,
    render_campaign_page,
    render_plan_page,
    render_measure_page,
    render_plans_index,
)

HERE = Path(__file__).resolve().parent
FIXTURE = HERE.parent.parent / "fixtures" / "corpus_small"
EDITION = 2023
SITE_URL = "https://example.org/quality-policy"


def _pages() -> dict[str, object]:
    # Each page kind through its own function: pages of other modules
    # (comparisons, what is new) have their own tests.
    site = Site(load_corpus(FIXTURE).up_to(EDITION), EDITION, SITE_URL)
    return {
        "plan_national.md": lambda: render_plan_page(site, site.plans["guobanfa-2016-18"]),
        "plan_traditional.md": lambda: render_plan_page(site, site.plans["zhonggong-2023-zhiliang-qiangguo-jianshe-gangyao"]),
        "measure.md": lambda: render_measure_page(site, site.links.measures["guobanfa-2016-18/02"]),
        "measure_traditional.md": lambda: render_measure_page(site, site.links.measures["zhonggong-2023-zhiliang-qiangguo-jianshe-gangyao/02"]),
        "agency.md": lambda: render_agency_page(site, site.agencies["zhijianzongju"]),
        "campaign.md": lambda: render_campaign_page(site, site.campaigns["zhijian-lijian"]),
        "plans_index.md": lambda: render_plans_index(site),
    }


@pytest.mark.parametrize("name", sorted(_pages()))
def test_markdown_matches_golden(name, update_goldens):
    rendered = _pages()[name]()
    golden = HERE / "expected" / name
    if update_goldens:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(rendered, encoding="utf-8")
    assert golden.is_file(), f"missing golden {golden.name}: run nox -s goldens"
    assert rendered == golden.read_text(encoding="utf-8")
