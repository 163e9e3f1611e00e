"""validate: schema messages (exact), the fast and the explaining validator agree, cross-file rules."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest

from generator.errors import GeneratorError, InvalidData
from generator.load import corpus_from_files, read_data_files
from generator.permalinks import locked_paths, url_problems
from generator.schema_check import _fast_validator, schema_problems, schema_validator
from generator.validate import parse_edition, reference_problems
from generator.yamlio import parse_yaml

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "data_minimal"


def messages(text: str, kind: str) -> list[str]:
    return [str(problem) for problem in schema_problems(parse_yaml(text, "f.yaml"), kind)]


AGENCY = "- id: zhijianzongju\n  name: 质检总局\n  level: national\n"


def test_a_valid_registry_has_no_problems():
    assert messages(AGENCY, "agencies") == []


def test_unknown_field_with_a_close_name_suggests_it():
    assert messages(AGENCY + "  full_nmae: 国家质检总局\n", "agencies") == [
        "f.yaml:4: [0].full_nmae: unknown field 'full_nmae' (did you mean 'full_name'?)"
    ]


def test_unknown_field_without_a_close_name_lists_the_fields():
    assert messages(AGENCY + "  colour: red\n", "agencies") == [
        "f.yaml:4: [0].colour: unknown field 'colour' (remove it; the fields here are: aliases, collective, draft, full_name, "
        "id, level, name, national_counterpart, region, successor)"
    ]


def test_every_missing_field_is_reported():
    assert messages("- id: x\n", "agencies") == [
        "f.yaml:1: [0]: missing required field 'name' (add it; docs/data-format.md shows every field)",
        "f.yaml:1: [0]: missing required field 'level' (add it; docs/data-format.md shows every field)",
    ]


def test_wrong_types_say_what_was_expected_and_found():
    assert messages(AGENCY + "  aliases: 国家质检总局\n  collective: 'no'\n", "agencies") == [
        "f.yaml:4: [0].aliases: expected a list, got text '国家质检总局' (write a list: [a, b] or one '- item' per line)",
        "f.yaml:5: [0].collective: expected true or false, got text 'no' (write true or false)",
    ]


def test_a_nullable_field_names_both_types():
    assert messages(AGENCY + "  region: 5\n", "agencies") == [
        "f.yaml:4: [0].region: expected text or null, got the number 5 (put the value in quotes)"
    ]


def test_enum_with_and_without_a_hint():
    assert messages("- id: x\n  name: x\n  level: provincal\n- id: y\n  name: y\n  level: county\n", "agencies") == [
        "f.yaml:3: [0].level: 'provincal' is not one of: national, provincial, municipal (did you mean 'provincial'?)",
        "f.yaml:6: [1].level: 'county' is not one of: national, provincial, municipal (use one of them)",
    ]


def test_id_patterns_name_the_kind_of_id():
    assert messages("- local: anhui/1\n  national: Guobanfa/06\n  decision: pin\n", "alignments") == [
        "f.yaml:2: [0].national: 'Guobanfa/06' is not a measure id (write the plan id, '/', then the two-digit "
        "ordinal path, e.g. guobanfa-2016-18/06 or guobanfa-2016-68/2-01-03)"
    ]


def test_numbers_out_of_range():
    assert messages("- id: x\n  name: x\n  kind: promotion\n  first_year: 16\n", "campaigns") == [
        "f.yaml:4: [0].first_year: 16 is out of range (1949 to 2100) (correct the number)"
    ]


def test_empty_text_where_a_name_is_needed():
    assert messages("- id: x\n  name: ''\n  level: national\n", "agencies") == [
        "f.yaml:2: [0].name: must not be empty (write the value, or remove the field where it is optional)"
    ]


def test_problems_come_in_line_order():
    found = schema_problems(parse_yaml("- id: X\n  name: ''\n  level: none\n  extra: 1\n", "f.yaml"), "agencies")
    assert [problem.line for problem in found] == [1, 2, 3, 4]


# The fast validator decides whether jsonschema is asked at all: if it ever
# accepted what jsonschema rejects, problems would go unreported.


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, path + (index,))


def _mutations(data):
    for path in list(_paths(data))[1:]:
        for replacement in (None, 7, -1, "Not An Id", "", [], {}, True, [1, 2, 3]):
            mutated = copy.deepcopy(data)
            target = mutated
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = replacement
            yield mutated
    for path in _paths(data):
        mutated = copy.deepcopy(data)
        target = mutated
        for step in path:
            target = target[step]
        if isinstance(target, dict):
            target["unexpected"] = 1
            yield mutated
            if target:
                del target[next(iter(target))]
                yield mutated


@pytest.mark.parametrize(
    "file, kind",
    [
        ("plans/guobanfa-2016-18.yaml", "plan"),
        ("agencies.yaml", "agencies"),
        ("campaigns.yaml", "campaigns"),
        ("alignments.yaml", "alignments"),
        ("urls.lock", "url_lock"),
    ],
)
def test_the_fast_validator_agrees_with_jsonschema(file, kind):
    data = parse_yaml((FIXTURE / file).read_bytes(), file).data
    fast = _fast_validator(kind)
    explaining = schema_validator(kind)
    count = 0
    for mutated in _mutations(data):
        count += 1
        try:
            fast(mutated)
            fast_valid = True
        except Exception:
            fast_valid = False
        assert fast_valid == explaining.is_valid(mutated), mutated
    assert count > 20


# Cross-file rules, on the minimal data with one edit.


def files_with(tmp_path: Path, file: str, old: str, new: str):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return read_data_files(data)


def test_the_fixture_breaks_no_rule():
    files = read_data_files(FIXTURE)
    assert reference_problems(files) == []
    assert url_problems(files, locked_paths(corpus_from_files(files))) == []


def test_a_three_plan_cycle_is_reported_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    third = (data / "plans/wanzhengbanmi-2016-76.yaml").read_text(encoding="utf-8")
    third = third.replace("wanzhengbanmi-2016-76", "yuzhengban-2016-1").replace("implements: guobanfa-2016-18", "implements: wanzhengbanmi-2016-76")
    (data / "plans/yuzhengban-2016-1.yaml").write_text(third, encoding="utf-8")
    national = data / "plans/guobanfa-2016-18.yaml"
    national.write_text(national.read_text(encoding="utf-8").replace("implements: null", "implements: yuzhengban-2016-1"), encoding="utf-8")
    found = [str(problem) for problem in reference_problems(read_data_files(Path("data")))]
    assert found == [
        "data/plans/guobanfa-2016-18.yaml:15: implements: implements cycle: guobanfa-2016-18 -> yuzhengban-2016-1 "
        "-> wanzhengbanmi-2016-76 -> guobanfa-2016-18 (a plan can only implement an older plan: set one of these to null)"
    ]


def test_a_changed_id_passes_once_a_redirect_is_declared(tmp_path):
    files = files_with(tmp_path, "plans/guobanfa-2016-18.yaml", "id: guobanfa-2016-18/07\n", "id: guobanfa-2016-18/08\n")
    paths = locked_paths(corpus_from_files(files))
    assert [problem.message for problem in url_problems(files, paths)] == [
        "published path 'plans/guobanfa-2016-18/07/' (edition 2016) is no longer produced: a permanent id changed or was removed"
    ]
    files.redirects = parse_yaml(
        "- {from: plans/guobanfa-2016-18/07/, to: plans/guobanfa-2016-18/08/, reason: renumbered}\n", "data/redirects.yaml"
    )
    assert url_problems(files, paths) == []


def test_a_redirect_declared_twice(tmp_path):
    files = read_data_files(FIXTURE)
    files.redirects = parse_yaml(
        "- {from: plans/a/, to: plans/guobanfa-2016-18/06/, reason: x}\n- {from: plans/a/, to: plans/guobanfa-2016-18/07/, reason: y}\n",
        "r.yaml",
    )
    found = [str(problem) for problem in url_problems(files, locked_paths(corpus_from_files(files)))]
    assert found == ["r.yaml:2: [1].from: 'plans/a/' is redirected twice (keep one redirect per path)"]


def test_sources_are_checked_byte_for_byte(tmp_path):
    files = files_with(tmp_path, "plans/guobanfa-2016-18.yaml", "sha256: 9beeb3", "sha256: 0beeb3")
    assert [problem.path for problem in reference_problems(files)] == ["source.sha256"]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            '- id: "zhijianzongju\\n"\n  name: 质检总局\n  level: national\n',
            "f.yaml:1: [0].id: 'zhijianzongju\\n' is not an agency id (use lowercase ASCII letters and digits in words joined by '-', e.g. anhui-zhijianju)",
        ),
        (
            "- id: " + "a" * 300 + "\n  name: 质检总局\n  level: national\n",
            "f.yaml:1: [0].id: '" + "a" * 57 + "…' is longer than 200 characters (shorten it: ids and names become folder and file names, which must stay short)",
        ),
    ],
    ids=["final-newline", "300-characters"],
)
def test_ids_the_build_cannot_publish_are_refused(text, expected):
    # Python's `$` matched before a final newline, so jsonschema let "id\n" pass
    # (fastjsonschema did not, and the disagreement passed silently).
    assert messages(text, "agencies") == [expected]


PLAN_SOURCE = "plans/guobanfa-2016-18.yaml"


def test_both_validators_refuse_a_final_newline_in_every_pattern():
    for kind, text in [
        ("url_lock", '{"version": 1, "editions": {"2016\\n": []}}'),
        ("redirects", '- {from: "plans/a/\\n", to: plans/b/, reason: x}\n'),
        ("plan", (FIXTURE / PLAN_SOURCE).read_text(encoding="utf-8").replace("iso: '2016-04-19'", "iso: \"2016-04-19\\n\"")),
    ]:
        document = parse_yaml(text, "f.yaml")
        explained = list(schema_validator(kind).iter_errors(document.data))
        try:
            _fast_validator(kind)(document.data)
            fast_ok = True
        except Exception:
            fast_ok = False
        assert not fast_ok and explained, kind


@pytest.mark.parametrize(
    "name",
    ["000 efb95279d0e108c1.txt", ".000_efb95279d0e108c1.txt", "000_efb95279d0e108c1.md", "000_efb95279d0e108c1.html", "资料.txt", "../x.txt"],
)
def test_a_source_name_must_be_a_safe_txt_name(tmp_path, name):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    path = data / PLAN_SOURCE
    path.write_text(path.read_text(encoding="utf-8").replace("file: 000_efb95279d0e108c1.txt", f"file: '{name}'"), encoding="utf-8")
    with pytest.raises(InvalidData) as raised:
        read_data_files(data)
    shown = name if len(name) <= 60 else name[:57] + "…"
    assert [str(problem) for problem in raised.value.problems] == [
        f"{data.as_posix()}/{PLAN_SOURCE}:20: source.file: '{shown}' is not a source file name (name the file in data/sources/ "
        "with ASCII letters, digits, '_', '-' and '.', not starting with '.', ending in .txt, e.g. 000_efb95279d0e108c1.txt)"
    ]


def test_a_source_that_is_a_link_is_refused(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    source = data / "sources" / "000_efb95279d0e108c1.txt"
    original = tmp_path / "elsewhere.txt"
    source.rename(original)
    source.symlink_to(original)
    found = [str(problem) for problem in reference_problems(read_data_files(data))]
    # Its bytes are the right ones: the link itself is what the site must not publish.
    assert found == [
        f"{data.as_posix()}/{PLAN_SOURCE}:20: source.file: {data.as_posix()}/sources/000_efb95279d0e108c1.txt is a symbolic link "
        "(put the original file itself there, byte-for-byte)"
    ]


def test_a_source_that_is_a_folder_is_refused(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    source = data / "sources" / "000_efb95279d0e108c1.txt"
    source.unlink()
    source.mkdir()
    found = [str(problem) for problem in reference_problems(read_data_files(data))]
    assert found == [
        f"{data.as_posix()}/{PLAN_SOURCE}:20: source.file: {data.as_posix()}/sources/000_efb95279d0e108c1.txt is not a regular file "
        "(put the original file itself there, byte-for-byte)"
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        (None, 2023),
        ("", 2023),
        (" 2016 ", 2016),
        ("2016", 2016),
    ],
)
def test_parse_edition_reads_a_year_of_an_edition(text, expected):
    assert parse_edition(text, [2016, 2023]) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("abc", "QP_EDITION='abc': not a year (set it to the year of an edition: 2016, 2023; or leave it unset for the newest)"),
        ("2016\n1", "QP_EDITION='2016\\n1': not a year (set it to the year of an edition: 2016, 2023; or leave it unset for the newest)"),
        ("２０１６", "QP_EDITION='２０１６': not a year (set it to the year of an edition: 2016, 2023; or leave it unset for the newest)"),
        ("2017", "QP_EDITION=2017: no plan was published that year (set it to the year of an edition: 2016, 2023)"),
    ],
)
def test_parse_edition_refuses_anything_else_in_one_line(text, message):
    with pytest.raises(GeneratorError) as raised:
        parse_edition(text, [2023, 2016])
    assert str(raised.value) == message
    assert "\n" not in str(raised.value)
