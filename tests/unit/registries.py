"""The shipped registries in a throw-away data folder, as ingest tests start from them."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REGISTRIES = ("agencies.yaml", "campaigns.yaml", "non_campaigns.yaml")


def copy_registries(folder: Path) -> Path:
    """`folder` holding copies of data/'s agency, campaign and non-campaign registries; returns it."""
    for name in REGISTRIES:
        shutil.copy(ROOT / "data" / name, folder / name)
    return folder


def fresh_data_dir(parent: Path) -> Path:
    """`parent`/data with the shipped registries and an empty sources/ folder."""
    data = parent / "data"
    (data / "sources").mkdir(parents=True)
    return copy_registries(data)
