"""Read a YAML file into plain data that still knows where each thing stands.

Editors fix data by hand, so every problem must name file:line. PyYAML's
composer (the C parser where it is built) gives a node tree with marks; one
pass over that tree builds the plain Python data, finds duplicate keys (which
``yaml.safe_load`` silently lets the last one win) and remembers the line of
every mapping and list. Key paths are resolved to lines only when a problem
needs one, so a valid 10,000-measure file pays for nothing more than the walk.
"""

from __future__ import annotations

import gc
import re
import stat
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

import yaml

from generator.errors import InvalidData, Problem

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loading, except that dates stay text.

    `iso: 2016-04-04` written without quotes is meant as the text the data
    format describes, not a datetime object the schema would reject.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


def _fast_resolve(self, kind, value, implicit):
    # BaseResolver.resolve without its support for path resolvers, which this
    # loader has none of: the composer calls it for every one of the half
    # million nodes of a 10,000-measure corpus.
    if kind is yaml.ScalarNode:
        if implicit[0]:
            for tag, regexp in _IMPLICIT.get(value[:1], ()):
                if regexp.match(value):
                    return tag
        return _STR
    return _SEQ if kind is yaml.SequenceNode else _MAP


def _no_path_resolvers(self, *args):
    return None


_IMPLICIT = _Loader.yaml_implicit_resolvers
if not _Loader.yaml_path_resolvers and None not in _IMPLICIT:
    _Loader.resolve = _fast_resolve
    _Loader.descend_resolver = _no_path_resolvers
    _Loader.ascend_resolver = _no_path_resolvers
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_FLOAT = "tag:yaml.org,2002:float"

PathKey = Sequence["str | int"]
MAX_ALIAS_EXPANSION = 1_000_000
"""Values repeated through aliases, counted as if written out, beyond which a file is refused."""
MAX_DEPTH = 100
"""Lists and mappings inside one another beyond which a file is refused; a plan nests about ten."""
_SAFE_BOUND = 5_000
"""A depth libyaml's recursive composer survives with room to spare (it crashes at about 25,000)."""
_LINE_PREFIX = re.compile(r"^[ \t?:-]*", re.MULTILINE)
_FLOW_OPENERS = re.compile(r"[\[{]")


class _Stop(Exception):
    """Ends the walk of a file that cannot be read further."""


@dataclass
class YamlDocument:
    """One YAML file read into plain data, with the marks to point back into it."""

    file: str
    """The file as shown in messages, e.g. "data/plans/guobanfa-2016-18.yaml"."""
    data: Any
    """Plain Python data: dict, list, str, int, float, bool, None."""
    root: yaml.Node | None = None
    _lines: dict[int, int] = field(default_factory=dict, repr=False)
    _source: bytes | str | None = field(default=None, repr=False)
    """What `root` was composed from, once `forget_tree` let the tree go."""

    def forget_tree(self, source: bytes | str) -> None:
        """Let the node tree go, keeping `source` (what this document was parsed from) to compose it again if a line is asked for.

        The tree is most of a document's objects (2 million of 2.3 million at
        10,000 measures), which a document kept between builds
        (generator.load.ReadCache) would hold, and the collector scan, for lines
        that only a problem needs.
        """
        self._source, self.root = source, None

    def __getstate__(self) -> dict[str, Any]:
        # Sent between processes (generator.load reads plan files on forked
        # ones): the lines are kept by the identity of data's lists and
        # mappings, which pickling changes, so they travel in the order a walk
        # of `data` meets them. A tree its source can compose again stays behind.
        state = dict(self.__dict__)
        state["_lines"] = [self._lines.get(id(value)) for value in _containers(self.data)]
        if self._source is not None:
            state["root"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        lines = state.pop("_lines")
        self.__dict__.update(state)
        self._lines = {id(value): line for value, line in zip(_containers(self.data), lines) if line is not None}

    def line_of(self, path: PathKey) -> int | None:
        """1-based line of the thing at `path`, or of its nearest existing ancestor.

        A mapping's value is placed on its key's line (where an editor looks);
        a list item on the line its item starts.
        """
        if self.root is None and self._source is not None:
            with gc_paused():
                self.root = yaml.compose(_text(self._source, self.file), Loader=_Loader)
        node = self.root
        if node is None:
            return None
        line = node.start_mark.line + 1
        for step in path:
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(step):
                        line = key_node.start_mark.line + 1
                        node = value_node
                        break
                else:
                    return line
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                node = node.value[step]
                line = node.start_mark.line + 1
            else:
                return line
        return line

    def line_of_value(self, value: Any) -> int | None:
        """Line where a mapping or list of `data` begins (found by identity)."""
        return self._lines.get(id(value))


def _containers(value: Any) -> Iterator[list | dict]:
    """Every list and mapping in `value`, outermost first, always in the same order."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            yield item
            stack.extend(reversed(item))


def format_path(path: PathKey) -> str:
    """("nodes", 0, "children", 3, "id") -> "nodes[0].children[3].id"."""
    text = ""
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text += f".{step}" if text else str(step)
    return text


def read_yaml(path: Path, shown_as: str | None = None) -> YamlDocument:
    """Read one YAML file; raise InvalidData naming every problem of the file itself."""
    shown = shown_as or str(path)
    return parse_yaml(read_regular_file(Path(path), shown), shown)


def read_regular_file(path: Path, shown: str) -> bytes:
    """The bytes of `path`, or InvalidData when it is a folder, a broken link or unreadable."""
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise InvalidData([Problem(shown, None, "is a folder, not a file", "move it away or rename it: only data files may have this name")])
        if not stat.S_ISREG(mode):
            raise InvalidData([Problem(shown, None, "is not a regular file", "replace it with the file itself")])
        return path.read_bytes()
    except FileNotFoundError:
        if path.is_symlink():
            raise InvalidData([Problem(shown, None, "is a link to a file that does not exist", "remove the link, or put the file itself here")]) from None
        raise InvalidData([Problem(shown, None, "no such file", "check the name")]) from None
    except OSError as error:
        raise InvalidData([Problem(shown, None, f"cannot be read: {error.strerror or error}", "check that it is a file you may read")]) from None


def parse_yaml(raw: bytes | str, shown: str) -> YamlDocument:
    """Like `read_yaml`, for bytes or text already in hand; `shown` names it in messages."""
    with gc_paused():
        return _parse(raw, shown)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold off Python's cyclic garbage collector while a file becomes objects.

    Parsing creates hundreds of thousands of nodes that all stay alive; the
    collector would scan them over and over as they pile up, which made
    reading grow faster than the file (50,000 lines took 30 times as long as
    5,000). They hold no cycles worth collecting before parsing ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _text(raw: bytes | str, shown: str) -> str:
    return raw if isinstance(raw, str) else _decode(raw, shown)


def _parse(raw: bytes | str, shown: str) -> YamlDocument:
    text = _text(raw, shown)
    if not text.strip() or _only_comments(text):
        raise InvalidData([Problem(shown, 1, "the file is empty", "write the data, or [] for an empty list")])
    too_deep = _too_deep_line(text)
    if too_deep is not None:
        raise InvalidData([_depth_problem(shown, too_deep)])
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        raise InvalidData([_syntax_problem(error, text, shown)]) from error
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        raise InvalidData(
            [
                Problem(
                    shown,
                    line,
                    f"character U+{_code_point(error.character):04X} is not allowed in YAML (an invisible control character)",
                    "delete it; text copied from web pages sometimes carries such characters",
                )
            ]
        ) from error
    except yaml.YAMLError as error:
        raise InvalidData([Problem(shown, None, f"YAML error: {error}", "check the file's syntax")]) from error
    if root is None:
        raise InvalidData([Problem(shown, 1, "the file is empty", "write the data, or [] for an empty list")])
    builder = _Builder(shown)
    try:
        data = builder.build(root, ())
    except _Stop:
        data = None
    if builder.problems:
        raise InvalidData(builder.problems)
    return YamlDocument(file=shown, data=data, root=root, _lines=builder.lines)


def _depth_problem(shown: str, line: int) -> Problem:
    return Problem(shown, line, f"lists and mappings are nested more than {MAX_DEPTH} deep", "flatten the structure: a plan nests about ten levels")


def _too_deep_line(text: str) -> int | None:
    """The line where nesting first goes beyond MAX_DEPTH, or None; before composing.

    libyaml's composer recurses in C once per level, so a list nested 40,000
    deep kills the process (SIGSEGV) before any Python error can be raised.
    Its event parser does not recurse, so events are counted first, but only
    when a cheap bound cannot prove the file shallow: block levels each sit at
    their own column within a line's leading run of spaces and `- ? :`
    indicators (twice that for sequences at their mapping's indentation), and
    each flow level needs a `[` or `{` (twice that with `[key: value]` pairs).
    """
    block = max(map(len, _LINE_PREFIX.findall(text)), default=0) + 1
    if 2 * block + 2 * len(_FLOW_OPENERS.findall(text)) <= _SAFE_BOUND:
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            kind = type(event)
            if kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1
            elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
                depth -= 1
    except yaml.YAMLError:
        return None  # composing stops at the same place and names the error
    return None


def _decode(raw: bytes, shown: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        byte = raw[error.start : error.start + 1].hex().upper()
        raise InvalidData(
            [
                Problem(
                    shown,
                    line,
                    f"not UTF-8: byte 0x{byte} at offset {error.start} cannot be decoded",
                    "save it as UTF-8",
                )
            ]
        ) from error


def _code_point(character: str | int) -> int:
    # The C reader reports the character as its number, the Python reader as text.
    return character if isinstance(character, int) else ord(character)


def _only_comments(text: str) -> bool:
    # A file of comments only composes to None as well; checked first for a clearer message.
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, shown: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    lines = text.splitlines()
    tab_line = _tab_indented_line(lines, line)
    if tab_line is not None:
        return Problem(shown, tab_line, "a tab is used for indentation", "indent with spaces; YAML does not allow tabs")
    message = f"YAML syntax error: {error.problem}" if error.problem else "YAML syntax error"
    if error.context:
        message += f" ({error.context})"
    return Problem(shown, line, message, "check the indentation, quotes and colons on this line and the one before", column=column)


def _tab_indented_line(lines: list[str], error_line: int | None) -> int | None:
    """The first line up to the error whose indentation holds a tab, if any."""
    last = error_line if error_line is not None else len(lines)
    for number, content in enumerate(lines[:last], start=1):
        indent = content[: len(content) - len(content.lstrip(" \t"))]
        if "\t" in indent and content.strip():
            return number
    return None


class _Builder:
    """One pass over the node tree: plain data, duplicate keys, lines."""

    def __init__(self, shown: str):
        self.shown = shown
        self.problems: list[Problem] = []
        self.lines: dict[int, int] = {}
        self.constructor = _Loader("")
        self.built: dict[int, tuple[Any, int]] = {}
        self.count = 0
        self.expanded = 0
        self.open: set[int] = set()

    def build(self, node: yaml.Node, path: tuple, line: int | None = None) -> Any:
        self.count += 1
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if id(node) in self.built:
            # An alias (*name) of a list or mapping: the same object again. Nested
            # aliases can expand exponentially ("billion laughs"), so their total
            # expansion is bounded.
            value, size = self.built[id(node)]
            self.count += size - 1
            self.expanded += size
            if self.expanded > MAX_ALIAS_EXPANSION:
                self.problems.append(
                    Problem(self.shown, line or node.start_mark.line + 1, "aliases (*name) expand to too much data", "write the values out instead of repeating them with aliases", path=format_path(path))
                )
                raise _Stop
            return value
        if len(self.open) >= MAX_DEPTH:  # the containers open around this one
            self.problems.append(_depth_problem(self.shown, node.start_mark.line + 1))
            raise _Stop
        if id(node) in self.open:
            self.problems.append(
                Problem(self.shown, line or node.start_mark.line + 1, "an alias (*name) refers to a value that contains it", "write the value out", path=format_path(path))
            )
            raise _Stop
        self.open.add(id(node))
        before = self.count
        value = self.container(node, path)
        self.open.discard(id(node))
        self.built[id(node)] = (value, self.count - before + 1)
        return value

    def container(self, node: yaml.Node, path: tuple) -> Any:
        if isinstance(node, yaml.SequenceNode):
            items = [self.build(item, path + (index,)) for index, item in enumerate(node.value)]
            self.lines[id(items)] = node.start_mark.line + 1
            return items
        mapping: dict = {}
        for key_node, value_node in node.value:
            key = self.build(key_node, path)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                self.problems.append(
                    Problem(self.shown, key_node.start_mark.line + 1, "a key must be plain text", "write the key as text", path=format_path(path))
                )
                continue
            if key in mapping:
                first = next(k for k, _ in node.value if k.value == key_node.value)
                self.problems.append(
                    Problem(
                        self.shown,
                        key_node.start_mark.line + 1,
                        f"duplicate key '{key}' (first on line {first.start_mark.line + 1})",
                        "keep one of them; YAML would silently use the last",
                        path=format_path(path + (key,)),
                    )
                )
                continue
            mapping[key] = self.build(value_node, path + (key,), key_node.start_mark.line + 1)
        self.lines[id(mapping)] = node.start_mark.line + 1
        return mapping

    def scalar(self, node: yaml.ScalarNode, path: tuple) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _NULL:
            return None
        if tag == _INT:
            return self.constructor.construct_yaml_int(node)
        if tag == _BOOL:
            return self.constructor.construct_yaml_bool(node)
        if tag == _FLOAT:
            return self.constructor.construct_yaml_float(node)
        try:
            return self.constructor.construct_object(node)
        except yaml.YAMLError:
            self.problems.append(
                Problem(self.shown, node.start_mark.line + 1, f"unsupported tag {tag}", "remove the tag and write plain text", path=format_path(path))
            )
            return None
