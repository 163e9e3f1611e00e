"""Random and mutated data files: `check` only ever fails with its clear errors.

Whatever an editor's hands or a broken tool write into data/, loading ends in
a Corpus or in InvalidData (every problem with a file), never in another
exception, and reading time stays linear in the size of the file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from timing import growth_exponent

from generator.errors import InvalidData
from generator.load import load_corpus
from generator.yamlio import parse_yaml

FIXTURE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "data_minimal"
PLAN = (FIXTURE / "plans" / "guobanfa-2016-18.yaml").read_text(encoding="utf-8")

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20))
values = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)),
    max_leaves=20,
)


def _loads_or_reports(data: Path) -> None:
    try:
        load_corpus(data)
    except InvalidData as error:
        assert error.problems
        assert all(problem.file.startswith(str(data)) for problem in error.problems)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_any_text_parses_or_gives_problems(text):
    try:
        parse_yaml(text, "f.yaml")
    except InvalidData as error:
        assert error.problems and all(problem.file == "f.yaml" for problem in error.problems)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=values)
def test_any_yaml_value_as_a_registry_is_loaded_or_reported(tmp_path_factory, value):
    data = tmp_path_factory.mktemp("random") / "data"
    shutil.copytree(FIXTURE, data)
    (data / "campaigns.yaml").write_text(yaml.safe_dump(value, allow_unicode=True), encoding="utf-8")
    _loads_or_reports(data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=len(PLAN)), junk=st.text(max_size=8))
def test_a_plan_cut_and_spliced_anywhere_is_loaded_or_reported(tmp_path_factory, cut, junk):
    data = tmp_path_factory.mktemp("spliced") / "data"
    shutil.copytree(FIXTURE, data)
    (data / "plans" / "guobanfa-2016-18.yaml").write_text(PLAN[:cut] + junk + PLAN[cut:], encoding="utf-8")
    _loads_or_reports(data)


def test_reading_a_broken_file_is_linear():
    def reading(copies: int):
        text = "items:\n" + "  - {id: a, name: 名称}\n" * copies + "  - [unclosed\n"

        def read() -> None:
            with pytest.raises(InvalidData):
                parse_yaml(text, "f.yaml")

        return read

    # Linear is about 1; the garbage collector rescanning the growing node
    # tree made it about 1.5 (5,000 → 50,000 lines took 30 times as long).
    assert growth_exponent(reading, [4_000, 8_000, 16_000, 32_000, 64_000]) < 1.25
