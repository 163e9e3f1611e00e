"""The one module that talks to mike: reading and committing the editions on the gh-pages branch.

mike's Python API runs git in the current folder with the process's
environment. Rather than change either for the whole process (chdir, os.environ),
each call runs mike in a child Python process whose folder is the repository
and whose environment carries the commit identity: `python -m generator.mike_branch`
reads one JSON request on stdin and answers on stdout. A mike or git failure
comes back as MikeFailed with mike's message.

The sites are built beforehand (generator.publish runs `mkdocs build` per
edition, QP_EDITION naming it), so mike only commits; its MkDocs plugin is not
used, so nothing needs MIKE_DOCS_VERSION.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import generator
from generator.errors import GeneratorError

FINGERPRINT = "fingerprint"
"""Property of a version in versions.json: the digest of the inputs it was built from."""


class MikeFailed(GeneratorError):
    """mike (or git under it) refused; the message is mike's."""


@dataclass(frozen=True)
class Published:
    """One version found in the branch's versions.json."""

    year: str
    aliases: frozenset[str]
    fingerprint: str | None = None


@dataclass(frozen=True)
class Deploy:
    """One built edition to commit."""

    version: str
    site_dir: Path
    aliases: tuple[str, ...]
    message: str
    fingerprint: str


def list_versions(repo: Path, branch: str) -> dict[str, Published]:
    """The versions on `branch` by name; {} when the branch does not exist yet."""
    answer = _run(repo, {}, {"operation": "list", "branch": branch})
    return {
        item["version"]: Published(item["version"], frozenset(item["aliases"]), item["fingerprint"])
        for item in answer["versions"]
    }


def commit_editions(
    repo: Path,
    identity: dict[str, str],
    branch: str,
    deploys: list[Deploy],
    alias: tuple[str, str, str] | None,
    default: tuple[str, str],
) -> list[str]:
    """Commit each deploy (alias type copy), then `alias` (version, alias, message) and the root's `default`.

    Returns what was done, one line each. A commit that would change nothing is skipped.
    """
    request = {
        "operation": "commit",
        "branch": branch,
        "deploys": [
            {"version": d.version, "site_dir": str(d.site_dir), "aliases": list(d.aliases), "message": d.message, "fingerprint": d.fingerprint}
            for d in deploys
        ],
        "alias": list(alias) if alias else None,
        "default": list(default),
    }
    return _run(repo, identity, request)["done"]


def _run(repo: Path, identity: dict[str, str], request: dict[str, Any]) -> dict[str, Any]:
    environment = dict(os.environ, **identity)
    # The child imports this very package, not one that happens to sit in the repository.
    package_root = str(Path(generator.__file__).resolve().parent.parent)
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, environment.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-P", "-m", "generator.mike_branch"],
        input=json.dumps(request), cwd=repo, env=environment, capture_output=True, text=True, encoding="utf-8",
    )
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        raise MikeFailed(lines[-1].removeprefix("error: ") if lines else f"mike exited with {result.returncode}")
    return json.loads(result.stdout)


def _serve(request: dict[str, Any]) -> dict[str, Any]:
    """The child's side: run the request with mike's API in the current folder."""
    from mike import commands, git_utils, jsonpath

    branch = request["branch"]
    if request["operation"] == "list":
        versions = []
        for info in commands.list_versions(branch):
            properties = info.properties if isinstance(info.properties, dict) else {}
            versions.append({"version": str(info.version), "aliases": sorted(info.aliases), "fingerprint": properties.get(FINGERPRINT)})
        return {"versions": versions}
    done = []
    for deploy in request["deploys"]:
        try:
            with commands.deploy(
                {"site_dir": deploy["site_dir"], "use_directory_urls": True},
                deploy["version"],
                title=deploy["version"],
                aliases=deploy["aliases"],
                update_aliases=True,
                alias_type=commands.AliasType.copy,
                branch=branch,
                message=deploy["message"],
                set_props=[(jsonpath.parse(FINGERPRINT), deploy["fingerprint"])],
            ):
                pass  # already built: mike only commits
        except git_utils.GitEmptyCommit:
            pass
        done.append(f"deployed {deploy['version']}")
    if request["alias"]:
        version, alias, message = request["alias"]
        try:
            commands.alias(
                {"use_directory_urls": True}, version, [alias], update_aliases=True,
                alias_type=commands.AliasType.copy, branch=branch, message=message,
            )
        except git_utils.GitEmptyCommit:
            pass
        done.append(f"aliased {version} as {alias}")
    target, message = request["default"]
    try:
        commands.set_default(target, branch=branch, message=message)
        done.append(f"default {target}")
    except git_utils.GitEmptyCommit:
        pass
    return {"done": done}


def main() -> int:
    try:
        answer = _serve(json.loads(sys.stdin.read()))
    except Exception as error:  # noqa: BLE001 - every failure becomes the one line the parent reports
        print(f"error: {error}", file=sys.stderr)
        return 1
    json.dump(answer, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
