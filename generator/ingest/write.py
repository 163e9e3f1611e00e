"""Plan and registry mappings → YAML text in the layout of docs/data-format.md.

Small mappings (dates, agency and campaign references, furniture records)
and short lists are written in flow style on one line, long texts as
literal blocks, so that a reviewer reads a plan like the documentation and
a diff shows exactly the line that changed.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import yaml

from generator.errors import GeneratorError


class _Flow(dict):
    pass


class _FlowList(list):
    pass


# The C emitter when PyYAML has it: a large plan is written in linear time
# either way, but several times faster.
_BaseDumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, lambda dumper, value: dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True))
_Dumper.add_representer(_FlowList, lambda dumper, value: dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True))

_FLOW_MAPPINGS = {"date_written", "date_published", "date_effective"}
_FLOW_LISTS = {"issuers", "lines", "aliases", "variants"}
_FLOW_ITEMS = {"furniture", "agencies", "campaigns", "mentions"}


def _shape(value, key: str | None = None):
    if isinstance(value, dict):
        shaped = {k: _shape(v, k) for k, v in value.items()}
        return _Flow(shaped) if key in _FLOW_MAPPINGS else shaped
    if isinstance(value, list):
        if key in _FLOW_LISTS:
            return _FlowList(value)
        if key in _FLOW_ITEMS:
            return [_Flow(item) if isinstance(item, dict) else item for item in value]
        return [_shape(item) for item in value]
    return value


def dump_yaml(data) -> str:
    return yaml.dump(
        _shape(data),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=10**9,
        default_flow_style=False,
    )


def render_plan(plan: dict) -> str:
    header = (
        f"# Written by `python -m generator ingest data/sources/{plan['source']['file']}`, then reviewed by hand.\n"
        "# Ids are permanent: correct texts and metadata freely, never an id (see docs/data-format.md).\n"
    )
    return header + dump_yaml(plan)


def write_atomic(path: Path, text: str) -> None:
    """Write aside, fsync, rename: a failed run (full disk, kill) leaves the previous file whole."""
    write_all_atomic([(path, text)])


def write_all_atomic(files: list[tuple[Path, str]]) -> None:
    """Every file written aside and fsynced first, then all renamed into place.

    A write that fails (full disk, read-only folder) leaves every target as it
    was and removes what was staged; the failure is one GeneratorError line.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
            )
            staged.append((handle.name, path))
            with handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
    except OSError as error:
        _discard(staged)
        raise GeneratorError(f"{error.filename or path}: could not write ({error.strerror}); nothing was changed (free space or fix permissions, then run again)") from None
    except BaseException:
        _discard(staged)
        raise
    for temporary, path in staged:
        os.replace(temporary, path)


STAGED = re.compile(r"^\.(?P<target>[^/]+\.yaml)\.[A-Za-z0-9_]{6,12}\.tmp$")
"""The name `write_all_atomic` stages a file under: only such files are ever cleaned."""


def clean_staged(folders: list[Path]) -> list[Path]:
    """Remove files a killed run left staged (".x.yaml.ab12cd.tmp"); nothing else."""
    removed = []
    for folder in folders:
        for path in sorted(folder.glob(".*.tmp")) if folder.is_dir() else ():
            if STAGED.match(path.name) and path.is_file() and not path.is_symlink():
                path.unlink()
                removed.append(path)
    return removed


def _discard(staged: list[tuple[str, Path]]) -> None:
    for temporary, _path in staged:
        Path(temporary).unlink(missing_ok=True)


def render_registry(previous_text: str, entries: list[dict]) -> str:
    """The registry file with its leading comments kept and every entry written through the YAML layer."""
    lines = previous_text.splitlines(keepends=True)
    header = []
    for line in lines:
        if not line.startswith("#"):
            break
        header.append(line)
    return "".join(header) + dump_yaml(entries)
