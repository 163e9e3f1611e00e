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


FIXTURE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "data_minimal"


def test_locked_paths_are_what_an_edition_publishes_at_a_permanent_path() -> None:
    from generator.build import build_edition
    from generator.load import load_dataset
    from generator.urls import markdown_file, page_paths

    dataset = load_dataset(FIXTURE)
    corpus = dataset.corpus
    locked = permalinks.locked_paths(corpus)
    output = build_edition(dataset, corpus.years[-1])
    rendered = set(output.files)
    assert output.page_paths == locked
    compare = {path for path in locked if path.startswith("compare/")}
    # Exactly the comparison and region pages the edition renders, the data pages, and the sources.
    assert compare == {"compare/guobanfa-2016-18/"}
    assert {markdown_file(path) for path in compare} == {name for name in rendered if name.startswith("compare/") and name != "compare/index.md"}
    assert {path for path in locked if path.startswith("sources/")} == {f"sources/{plan.source.file}" for plan in corpus.plans}
    regions = {path for path in locked if path.startswith("regions/")}
    assert regions == {"regions/anhui/"}
    assert {markdown_file(path) for path in regions} == {name for name in rendered if name.startswith("regions/")}
    assert locked - compare - regions - {f"sources/{plan.source.file}" for plan in corpus.plans} == page_paths(corpus)


def url_messages(redirects: str, lock: dict | None = None) -> list[str]:
    from generator.load import corpus_from_files, read_data_files
    from generator.yamlio import parse_yaml

    files = read_data_files(FIXTURE)
    files.redirects = parse_yaml(redirects, "data/redirects.yaml")
    if lock is not None:
        files.url_lock = parse_yaml(json.dumps({"version": 1, "editions": lock}), "data/urls.lock")
    return [str(problem) for problem in permalinks.url_problems(files, permalinks.locked_paths(corpus_from_files(files)))]


@pytest.mark.parametrize(
    "old",
    ["index/", "about/", "urls/", "whats-new/", "plans/", "agencies/", "compare/", "data/", "search/"],
)
def test_a_redirect_from_a_page_the_site_makes_itself_is_refused(old: str) -> None:
    assert url_messages(f"- {{from: {old}, to: plans/guobanfa-2016-18/06/, reason: x}}\n") == [
        f"data/redirects.yaml:1: [0].from: redirect from '{old}', which is not the path of a plan, measure, agency, campaign "
        "or comparison page (only those pages move: a redirect here would replace a page the site makes itself or a hand-written one)"
    ]


def test_a_redirect_from_a_comparison_that_is_still_a_page_is_refused() -> None:
    assert url_messages("- {from: compare/guobanfa-2016-18/, to: plans/guobanfa-2016-18/, reason: x}\n") == [
        "data/redirects.yaml:1: [0].from: redirect from 'compare/guobanfa-2016-18/', which is still a page "
        "(remove the redirect: the page would be hidden)"
    ]


def test_a_redirect_to_a_comparison_page_is_allowed() -> None:
    assert url_messages("- {from: compare/old-id/, to: compare/guobanfa-2016-18/, reason: renamed}\n") == []


@pytest.mark.parametrize(
    "old",
    ["plans/../../outside/", "plans/a", "data/measures.csv/", "/plans/a/", "plans//a/", "plans/./a/", "", "Plans/A/"],
)
def test_a_redirect_path_must_be_a_page_folder_inside_the_site(tmp_path: Path, old: str) -> None:
    write_redirects(tmp_path, f"- {{from: '{old}', to: plans/guobanfa-2016-18/06/, reason: x}}\n")
    with pytest.raises(InvalidData) as raised:
        permalinks.read_redirects(tmp_path)
    assert [str(problem) for problem in raised.value.problems] == [
        f"{tmp_path.as_posix()}/redirects.yaml:1: [0].from: '{old}' is not a page path (write the page's folder relative to the "
        "edition root, in lowercase, ending in '/', without '..' or a file name, e.g. plans/guobanfa-2016-18/06/)"
    ]


def test_a_lost_source_is_named_with_the_only_fix_that_works() -> None:
    assert url_messages("[]\n", {"2016": ["sources/gone.txt"]}) == [
        "data/urls.lock:1: editions.2016[0]: published path 'sources/gone.txt' (edition 2016) is no longer produced: "
        f"a permanent id changed or was removed (keep {FIXTURE.as_posix()}/sources/gone.txt and a plan that cites it: a published source keeps its name)"
    ]


def test_the_shipped_lock_holds_every_path_of_each_edition() -> None:
    from generator.load import load_corpus

    data = Path(__file__).resolve().parents[2] / "data"
    corpus = load_corpus(data)
    lock = permalinks.read_url_lock(data)
    for year in corpus.years:
        missing = permalinks.locked_paths(corpus.up_to(year)) - lock[year]
        assert missing == set(), year
