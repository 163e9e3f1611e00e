"""generator.streamed: an edition made on a forked process gives exactly build_edition's files, or its error."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import time
from functools import partial
from pathlib import Path

import pytest

from generator import forked
from generator.build import EditionPlan, Output, Settings, build_edition, plan_edition
from generator.errors import GeneratorError
from generator.load import load_dataset
from generator.render import PageTask
from generator.streamed import EditionStream

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "data_minimal"
SETTINGS = Settings(site_url="https://example.org/quality")


def fixture_plan(data: Path = FIXTURE, jobs: int = 1) -> EditionPlan:
    return plan_edition(load_dataset(data), None, SETTINGS, jobs=jobs)


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_stream_gives_build_editions_files_and_facts(jobs):
    expected = build_edition(load_dataset(FIXTURE), None, SETTINGS)
    stream = EditionStream(partial(fixture_plan, FIXTURE, jobs))
    try:
        header = stream.header()
        streamed = {path: stream.content(path) for path in reversed(header.files)}
        streamed.update(stream.rest())
    finally:
        stream.close()
    assert streamed == dict(expected.files)
    assert set(header.files) < set(streamed), "the search index comes after the files announced"
    assert (header.plan.edition, dict(header.plan.redirects), dict(header.plan.sources), header.plan.page_paths) == (
        expected.edition, dict(expected.redirects), dict(expected.sources), expected.page_paths)


def test_pages_are_announced_in_the_order_mkdocs_reads_them():
    stream = EditionStream(fixture_plan)
    try:
        files = stream.header().files
    finally:
        stream.close()
    pages = [path for path in files if path.endswith(".md")]
    assert pages == sorted(pages, key=lambda path: path.split("/"))
    assert files.index(pages[-1]) < min(files.index(path) for path in files if path.startswith("data/") and not path.endswith(".md"))


def test_a_data_error_arrives_as_itself_before_any_file(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    (data / "agencies.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    stream = EditionStream(partial(fixture_plan, data))
    with pytest.raises(GeneratorError, match=r"agencies\.yaml:\d+"):
        stream.header()
    with pytest.raises(GeneratorError, match=r"agencies\.yaml:\d+"):
        stream.content("index.md")
    stream.close()


def failing_midway() -> EditionPlan:
    plan = fixture_plan()

    def broken() -> dict[str, bytes]:
        raise GeneratorError("plans/x.yaml:3: a page could not be made (fix it)")

    last = plan.pages[-1]
    return dataclasses.replace(plan, pages=(*plan.pages[:-1], Output(last.paths, broken)))


def test_a_failure_while_making_reaches_whoever_waits_for_a_later_file():
    stream = EditionStream(failing_midway)
    try:
        header = stream.header()
        pages = [path for path in header.files if path.endswith(".md")]
        with pytest.raises(GeneratorError, match="a page could not be made"):
            stream.content(pages[-1])
        with pytest.raises(GeneratorError, match="a page could not be made"):
            stream.rest()
    finally:
        stream.close()


def wrong_paths() -> EditionPlan:
    plan = fixture_plan()
    first = plan.pages[0]
    assert first.paths is not None
    return dataclasses.replace(plan, pages=(Output(("elsewhere.md",), first.make), *plan.pages[1:]))


def test_an_output_that_makes_other_files_than_it_declared_is_an_error():
    stream = EditionStream(wrong_paths)
    try:
        with pytest.raises(GeneratorError, match="where it declared"):
            stream.content("elsewhere.md")
    finally:
        stream.close()
    with pytest.raises(GeneratorError, match="where it declared"):
        Output(("a.md",), lambda: {"b.md": b""})()
    task = PageTask(("a.md",), lambda: {"a.md": "# A"})
    assert task() == {"a.md": "# A"}


def twice() -> EditionPlan:
    plan = fixture_plan()
    return dataclasses.replace(plan, pages=(*plan.pages, plan.pages[0]))


def made_twice_by_the_search_index() -> EditionPlan:
    plan = fixture_plan()
    return dataclasses.replace(plan, data=(*plan.data, Output(None, lambda: {"index.md": b"# not the home page"})))


@pytest.mark.parametrize("make_plan", [twice, made_twice_by_the_search_index])
def test_a_path_made_twice_is_an_error_not_an_overwrite(make_plan):
    stream = EditionStream(make_plan)
    try:
        with pytest.raises(GeneratorError, match="two outputs both write"):
            stream.header()
            stream.rest()
    finally:
        stream.close()
    with pytest.raises(GeneratorError, match="two outputs both write"):
        make_plan().run()


def slow_after_the_header() -> EditionPlan:
    plan = fixture_plan()

    def slow() -> dict[str, bytes]:
        time.sleep(600)
        return {}

    return dataclasses.replace(plan, data=(Output(None, slow),))


def test_a_maker_that_dies_is_reported_and_close_ends_one_still_working():
    stream = EditionStream(slow_after_the_header)
    header = stream.header()
    started = time.monotonic()
    stream.close()  # the build stopped: the maker must not outlive it
    assert time.monotonic() - started < 30
    with pytest.raises(GeneratorError):
        stream.rest()

    stream = EditionStream(slow_after_the_header)
    stream.header()
    os.kill(stream._process.pid, signal.SIGKILL)
    with pytest.raises(GeneratorError, match="stopped"):
        stream.rest()
    stream.close()
    assert header.files


def with_slow_helpers() -> EditionPlan:
    # As load and align do on a large corpus: the making process forks helpers of its own.
    forked.run_tasks([partial(time.sleep, 600)] * 4, jobs=2)
    return fixture_plan()


def living_members(group: int) -> list[str]:
    """Processes of a process group that have not ended (a zombie waiting for its reaper has)."""
    members = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            members.append(entry.name)
    return members


def test_closing_a_stream_ends_the_making_process_and_the_helpers_it_forked():
    stream = EditionStream(with_slow_helpers)
    group = stream._group
    deadline = time.monotonic() + 30
    while len(living_members(group)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(living_members(group)) >= 2, "the helper was never forked: nothing to end"
    started = time.monotonic()
    stream.close()  # at exit, or when the build stops: nothing may hold the pipe or outlive the build
    assert time.monotonic() - started < 15
    deadline = time.monotonic() + 10
    while living_members(group) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert living_members(group) == []


class Unkept(Output):
    """An output that breaks its word: it declares a path and makes nothing."""

    def __call__(self) -> dict[str, bytes]:
        return {}


def unkept() -> EditionPlan:
    plan = fixture_plan()
    return dataclasses.replace(plan, pages=(*plan.pages, Unkept(("zz-never.md",), dict)))


def test_a_file_announced_and_never_made_is_an_error_not_a_wait_forever():
    stream = EditionStream(unkept)
    try:
        with pytest.raises(GeneratorError, match="zz-never.md was announced but never made"):
            stream.content("zz-never.md")
    finally:
        stream.close()

