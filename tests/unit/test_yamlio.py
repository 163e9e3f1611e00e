"""yamlio: plain data with lines, and every way a YAML file itself can be broken."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from timing import cpu_seconds, growth_exponent

from generator.errors import InvalidData
from generator.yamlio import MAX_DEPTH, format_path, parse_yaml, read_yaml

PLAN = """\
# comment
id: x
nodes:
  - kind: part
    children:
      - kind: measure
        id: x/01
        agencies:
          - {id: a, role: lead}
          - {id: b, role: assisting}
"""


def problems_of(text: str | bytes) -> list[str]:
    with pytest.raises(InvalidData) as raised:
        parse_yaml(text, "f.yaml")
    return [str(problem) for problem in raised.value.problems]


def test_data_is_plain_python():
    document = parse_yaml(PLAN, "f.yaml")
    assert document.data["nodes"][0]["children"][0]["agencies"][1] == {"id": "b", "role": "assisting"}


def test_key_paths_resolve_to_the_line_of_their_key_or_item():
    document = parse_yaml(PLAN, "f.yaml")
    assert document.line_of(()) == 2
    assert document.line_of(("nodes",)) == 3
    assert document.line_of(("nodes", 0)) == 4
    assert document.line_of(("nodes", 0, "children", 0, "id")) == 7
    assert document.line_of(("nodes", 0, "children", 0, "agencies", 1, "role")) == 10


def test_a_missing_path_falls_back_to_its_nearest_ancestor():
    document = parse_yaml(PLAN, "f.yaml")
    assert document.line_of(("nodes", 0, "children", 0, "nope")) == 6
    assert document.line_of(("nodes", 5)) == 3


def test_line_of_value_finds_mappings_and_lists_by_identity():
    document = parse_yaml(PLAN, "f.yaml")
    measure = document.data["nodes"][0]["children"][0]
    assert document.line_of_value(measure) == 6
    assert document.line_of_value(measure["agencies"]) == 9
    assert document.line_of_value({"id": "x/01"}) is None


def test_dates_stay_text_and_scalars_keep_their_types():
    document = parse_yaml("iso: 2016-04-04\nyear: 2016\nok: true\nnone: null\nratio: 0.5\n", "f.yaml")
    assert document.data == {"iso": "2016-04-04", "year": 2016, "ok": True, "none": None, "ratio": 0.5}


def test_a_byte_order_mark_is_accepted():
    assert parse_yaml("\ufeffa: 1\n".encode("utf-8"), "f.yaml").data == {"a": 1}


def test_read_yaml_names_the_file_as_asked(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("a: [1\n", encoding="utf-8")
    with pytest.raises(InvalidData) as raised:
        read_yaml(path, "data/x.yaml")
    assert raised.value.problems[0].file == "data/x.yaml"


def test_syntax_error_gives_line_and_column():
    assert problems_of("a: [1, 2\nb: 3\n") == [
        "f.yaml:2:2: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence) "
        "(check the indentation, quotes and colons on this line and the one before)"
    ]


def test_tab_indentation_is_named_as_such():
    assert problems_of("a:\n  b: 1\n\tc: 2\n") == ["f.yaml:3: a tab is used for indentation (indent with spaces; YAML does not allow tabs)"]


def test_duplicate_keys_are_all_found():
    assert problems_of("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n") == [
        "f.yaml:4: b.c: duplicate key 'c' (first on line 3) (keep one of them; YAML would silently use the last)",
        "f.yaml:5: a: duplicate key 'a' (first on line 1) (keep one of them; YAML would silently use the last)",
    ]


@pytest.mark.parametrize("text", ["", "   \n\n", "# only a comment\n"])
def test_an_empty_file(text):
    assert problems_of(text) == ["f.yaml:1: the file is empty (write the data, or [] for an empty list)"]


def test_not_utf8_names_the_byte_and_line():
    raw = "a: 1\nb: 质量\n".encode("gbk")
    assert problems_of(raw) == ["f.yaml:2: not UTF-8: byte 0xD6 at offset 8 cannot be decoded (save it as UTF-8)"]


def test_an_alias_of_a_mapping_is_read_once():
    document = parse_yaml("a: &x {b: 1}\nc: *x\n", "f.yaml")
    assert document.data == {"a": {"b": 1}, "c": {"b": 1}}


def test_exponential_aliases_are_refused_quickly():
    levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for index in range(1, 9):
        name, previous = chr(97 + index), chr(96 + index)
        levels.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 10) + "]")
    problems = problems_of("\n".join(levels) + "\n")
    # Expanded, this is 10^9 values: refused at all means refused before expanding
    # (an hour of work), so the bound is generous and the test cannot fail by chance.
    assert cpu_seconds(lambda: problems_of("\n".join(levels) + "\n"), runs=1) < 10
    assert problems[0].endswith("aliases (*name) expand to too much data (write the values out instead of repeating them with aliases)")


def test_a_recursive_alias_is_refused():
    assert problems_of("a: &x [1, *x]\n") == ["f.yaml:1: a[1]: an alias (*name) refers to a value that contains it (write the value out)"]


def test_python_tags_are_never_constructed():
    assert problems_of("a: !!python/name:os.system x\n") == [
        "f.yaml:1: a: unsupported tag tag:yaml.org,2002:python/name:os.system (remove the tag and write plain text)"
    ]


def test_reading_is_linear():
    def reading(count: int):
        text = "".join(f"- {{id: m{index}, name: 名称{index}, level: national}}\n" for index in range(count))
        return lambda: parse_yaml(text, "f.yaml")

    # Below about 4,000 entries everything fits in the cache and looks faster than linear.
    assert growth_exponent(reading, [4_000, 8_000, 16_000, 32_000]) < 1.25


def test_format_path():
    assert format_path(("nodes", 0, "children", 3, "id")) == "nodes[0].children[3].id"
    assert format_path((2, "id")) == "[2].id"
    assert format_path(()) == ""


def test_control_characters_are_named_with_their_line():
    assert problems_of("a: 1\nb: x\x1fy\n") == [
        "f.yaml:2: character U+001F is not allowed in YAML (an invisible control character) "
        "(delete it; text copied from web pages sometimes carries such characters)"
    ]


def test_the_fast_resolver_gives_pyyaml_safe_tags_except_timestamps():
    import yaml

    from generator.yamlio import _Loader

    text = "a: ''\nb: 1\nc: 1.5\nd: true\ne: ~\nf: null\ng: 2016-04-04\nh: '1'\ni: !!str 5\nj: [1, x, -2, .inf]\nk: {a: 0x1F}\nl: 安徽\nm:\n"
    reference = yaml.compose(text, Loader=yaml.SafeLoader)
    ours = yaml.compose(text, Loader=_Loader)

    def tags(node):
        if isinstance(node, yaml.MappingNode):
            return [(tags(k), tags(v)) for k, v in node.value]
        if isinstance(node, yaml.SequenceNode):
            return [tags(item) for item in node.value]
        return node.tag

    expected = tags(reference)
    expected[6] = (expected[6][0], "tag:yaml.org,2002:str")  # dates stay text
    assert tags(ours) == expected


DEPTH_MESSAGE = f"lists and mappings are nested more than {MAX_DEPTH} deep (flatten the structure: a plan nests about ten levels)"


@pytest.mark.parametrize(
    "text, line",
    [
        ("a: " + "[" * 40_000 + "]" * 40_000 + "\n", 1),
        ("a:\n  b: " + "{a: " * 20_000 + "}" * 20_000 + "\n", 2),
        ("x:\n  - " + "[a: " * 15_000 + "]" * 15_000 + "\n", 2),
        ("- " * 40_000 + "x\n", 1),
        # Quoted closing brackets cannot hide the depth from the guard.
        ("a: " + '["]", ' * 40_000 + "]" * 40_000 + "\n", 1),
        ("a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n", 1),
        ("".join("  " * depth + "k:\n" for depth in range(MAX_DEPTH + 5)) + "  " * (MAX_DEPTH + 5) + "v\n", MAX_DEPTH + 1),
    ],
    ids=["flow-lists", "flow-mappings", "flow-pairs", "block-sequences", "quoted-brackets", "just-too-deep", "block-mappings"],
)
def test_deep_nesting_is_refused_with_its_line(text, line):
    # 40,000 levels crashed the process in libyaml's recursive composer (SIGSEGV).
    assert problems_of(text) == [f"f.yaml:{line}: {DEPTH_MESSAGE}"]


def _nested_keys(levels: int) -> str:
    text = "x"
    for _ in range(levels):
        text = "{? " + text + "}"
    return "a: " + text + "\n"


def test_nesting_inside_keys_counts_too():
    # Keys do not lengthen the key path, so depth is counted by what is open.
    assert problems_of(_nested_keys(2_000)) == [f"f.yaml:1: {DEPTH_MESSAGE}"]


def test_nesting_up_to_the_limit_is_read():
    depth = MAX_DEPTH
    document = parse_yaml("[" * depth + "]" * depth + "\n", "f.yaml")
    for _ in range(depth - 1):
        document.data = document.data[0]
    assert document.data == []


def test_a_syntax_error_in_a_file_with_many_brackets_is_still_named():
    text = "a: [" + "[1], " * 3_000 + "\nb: 1\n"
    assert problems_of(text) == [
        "f.yaml:3:1: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence) "
        "(check the indentation, quotes and colons on this line and the one before)"
    ]


def test_the_depth_guard_keeps_a_crashing_file_from_killing_the_process(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 40_000 + "]" * 40_000 + "\n", encoding="utf-8")
    code = "import sys; from generator.yamlio import read_yaml\ntry:\n read_yaml(sys.argv[1], 'deep.yaml')\nexcept Exception as e: print(e)"
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.returncode
    assert result.stdout.startswith(f"deep.yaml:1: {DEPTH_MESSAGE}")


def read_problems(path, shown="data/plans/x.yaml") -> list[str]:
    with pytest.raises(InvalidData) as raised:
        read_yaml(path, shown)
    return [str(problem) for problem in raised.value.problems]


def test_a_folder_named_like_a_file_is_named_as_such(tmp_path):
    (tmp_path / "x.yaml").mkdir()
    assert read_problems(tmp_path / "x.yaml") == [
        "data/plans/x.yaml: is a folder, not a file (move it away or rename it: only data files may have this name)"
    ]


def test_a_dangling_link_is_named_as_such(tmp_path):
    (tmp_path / "x.yaml").symlink_to(tmp_path / "gone.yaml")
    assert read_problems(tmp_path / "x.yaml") == [
        "data/plans/x.yaml: is a link to a file that does not exist (remove the link, or put the file itself here)"
    ]


def test_a_fifo_is_refused_without_waiting_for_it(tmp_path):
    os.mkfifo(tmp_path / "x.yaml")
    assert read_problems(tmp_path / "x.yaml") == ["data/plans/x.yaml: is not a regular file (replace it with the file itself)"]



def test_a_document_sent_to_another_process_keeps_its_lines():
    import pickle

    raw = "plans:\n  - id: a\n    nodes:\n      - text: 一\n      - text: 二\n".encode()
    document = parse_yaml(raw, "data/x.yaml")
    document.forget_tree(raw)
    copy = pickle.loads(pickle.dumps(document))
    assert copy.root is None and copy.data == document.data
    second = copy.data["plans"][0]["nodes"][1]
    assert copy.line_of_value(second) == document.line_of_value(document.data["plans"][0]["nodes"][1]) == 5
    assert copy.line_of(("plans", 0, "nodes", 1, "text")) == 5
