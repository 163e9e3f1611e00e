"""The URL lock and the declared redirects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator import permalinks
from generator.errors import InvalidData


def test_missing_lock_means_nothing_published(tmp_path: Path) -> None:
    assert permalinks.read_url_lock(tmp_path) == {}


def test_lock_round_trips_sorted_and_stable(tmp_path: Path) -> None:
    editions = {2023: ["plans/b/", "plans/a/"], 2016: {"plans/a/"}}
    assert permalinks.write_url_lock(tmp_path, editions) is True
    text = (tmp_path / "urls.lock").read_text(encoding="utf-8")
    assert json.loads(text) == {"version": 1, "editions": {"2016": ["plans/a/"], "2023": ["plans/a/", "plans/b/"]}}
    assert list(json.loads(text)["editions"]) == ["2016", "2023"]
    assert text.endswith("\n")
    assert permalinks.read_url_lock(tmp_path) == {2016: frozenset({"plans/a/"}), 2023: frozenset({"plans/a/", "plans/b/"})}
    # Same content: the file is not touched, so git shows no change.
    assert permalinks.write_url_lock(tmp_path, {2016: ["plans/a/"], 2023: ["plans/b/", "plans/a/"]}) is False
    assert [p.name for p in tmp_path.iterdir()] == ["urls.lock"]


def test_unreadable_lock_is_reported_with_its_file(tmp_path: Path) -> None:
    (tmp_path / "urls.lock").write_text('{"version": 7, "editions": {}}', encoding="utf-8")
    with pytest.raises(InvalidData, match=r"urls.lock:1: version: unknown urls.lock version"):
        permalinks.read_url_lock(tmp_path)


def test_missing_or_empty_redirects_mean_none(tmp_path: Path) -> None:
    assert permalinks.read_redirects(tmp_path) == ()
    assert permalinks.redirect_maps(permalinks.read_redirects(tmp_path)) == {}
    (tmp_path / "redirects.yaml").write_text("[]\n", encoding="utf-8")
    assert permalinks.read_redirects(tmp_path) == ()


def write_redirects(tmp_path: Path, text: str) -> Path:
    (tmp_path / "redirects.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_redirects_become_markdown_redirect_maps(tmp_path: Path) -> None:
    write_redirects(
        tmp_path,
        "- from: plans/guobanfa-2016-18/19/\n"
        "  to: plans/guobanfa-2016-18/18/\n"
        "  reason: 19 merged into 18 after review\n"
        "- {from: agencies/old/, to: agencies/new/, reason: renamed}\n",
    )
    redirects = permalinks.read_redirects(tmp_path)
    assert redirects[0] == permalinks.Redirect(
        "plans/guobanfa-2016-18/19/", "plans/guobanfa-2016-18/18/", "19 merged into 18 after review"
    )
    assert redirects[1].to_path == "agencies/new/"
    assert permalinks.redirect_maps(permalinks.read_redirects(tmp_path)) == {
        "plans/guobanfa-2016-18/19/index.md": "plans/guobanfa-2016-18/18/index.md",
        "agencies/old/index.md": "agencies/new/index.md",
    }


def test_redirect_maps_of_an_edition_keep_only_what_applies_to_it(tmp_path: Path) -> None:
    write_redirects(
        tmp_path,
        "- {from: plans/p/19/, to: plans/p/18/, reason: merged}\n"
        "- {from: agencies/old/, to: agencies/new/, reason: renamed}\n",
    )
    # An edition that still has plans/p/19/ as a page keeps it; one without agencies/new/ cannot point there.
    pages = {"plans/p/18/", "plans/p/19/", "agencies/old/"}
    assert permalinks.redirect_maps(permalinks.read_redirects(tmp_path), pages) == {}
    assert permalinks.redirect_maps(permalinks.read_redirects(tmp_path), {"plans/p/18/", "agencies/new/"}) == {
        "plans/p/19/index.md": "plans/p/18/index.md",
        "agencies/old/index.md": "agencies/new/index.md",
    }


def test_a_malformed_redirect_is_reported_with_its_line(tmp_path: Path) -> None:
    write_redirects(
        tmp_path,
        "- {from: plans/a/, to: plans/b/, reason: ok}\n"
        "- {from: /plans/x, to: plans/b/, reason: leading slash}\n",
    )
    with pytest.raises(InvalidData, match=r"redirects.yaml:2: \[1\].from: '/plans/x' is not a page path"):
        permalinks.read_redirects(tmp_path)
