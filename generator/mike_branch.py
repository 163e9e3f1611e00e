"""The one module that talks to mike: reading the editions on gh-pages (mike's versions.json) and committing them.

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
from generator import git
from generator.errors import GeneratorError

VERSIONS = "versions.json"
"""mike's list of the published versions, at the root of the branch."""

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
    title: str | None = None


@dataclass(frozen=True)
class Deploy:
    """One built edition to commit."""

    version: str
    site_dir: Path
    aliases: tuple[str, ...]
    message: str
    fingerprint: str
    title: str
    """What the version selector shows, e.g. 2023年版（最新）."""


def list_versions(repo: Path, branch: str) -> dict[str, Published]:
    """The versions on `branch` by name; {} when the branch or its versions.json does not exist yet.

    Read straight from mike's versions.json (a list of version, title, aliases,
    properties) rather than through a child running mike: publish asks this
    first, every run, and starting Python with mike costs more than the read.
    """
    entries = git.top_entries(repo, branch)
    if VERSIONS not in entries:
        return {}
    try:
        items = json.loads(git.read_blob(repo, entries[VERSIONS][1]))
        return {
            str(item["version"]): Published(
                str(item["version"]), frozenset(item.get("aliases") or ()),
                (item.get("properties") or {}).get(FINGERPRINT), item.get("title"),
            )
            for item in items
        }
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise MikeFailed(f"{branch}:{VERSIONS}: not mike's list of versions ({error!r})") from None


def commit_editions(
    repo: Path,
    identity: dict[str, str],
    branch: str,
    deploys: list[Deploy],
    alias: tuple[str, str, str] | None,
    default: tuple[str, str],
    *,
    titles: dict[str, str],
    template: Path,
    root_404: str,
) -> list[str]:
    """Commit each deploy (alias type copy), then `alias` (version, alias, message) and the root's `default`.

    Then every version whose title differs from `titles` (version -> title) is
    retitled, the root redirect page is made from `template` (mike's
    set_default template), and the file `root_404` of the branch (e.g.
    latest/404.html) is copied to the root as 404.html, which static hosts
    serve for a missing path anywhere. Returns what was done, one line each.
    A commit that would change nothing is skipped.
    """
    request = {
        "branch": branch,
        "deploys": [
            {"version": d.version, "site_dir": str(d.site_dir), "aliases": list(d.aliases), "message": d.message,
             "fingerprint": d.fingerprint, "title": d.title}
            for d in deploys
        ],
        "alias": list(alias) if alias else None,
        "default": list(default),
        "titles": titles,
        "template": str(template),
        "root_404": root_404,
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
    done = []
    for deploy in request["deploys"]:
        try:
            with commands.deploy(
                {"site_dir": deploy["site_dir"], "use_directory_urls": True},
                deploy["version"],
                title=deploy["title"],
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
    done += _finish_root(request, branch)
    return {"done": done}


def _finish_root(request: dict[str, Any], branch: str) -> list[str]:
    """Titles, the root redirect page and the root 404.html, in one commit (each one would cost a fast-import).

    What mike's retitle and set_default(template=…) would write, made with
    mike's own versions model and its redirect page rendering.
    """
    from jinja2 import Template
    from mike import commands, git_utils

    versions = commands.list_versions(branch)
    done = []
    for info in list(versions):
        title = request["titles"].get(str(info.version))
        if title and info.title != title:
            versions.update(str(info.version), title)
            done.append(f"retitled {info.version} {title}")
    target, message = request["default"]
    if not versions.find(target):
        raise ValueError(f"identifier {target!r} does not exist")
    with open(request["template"], encoding="utf-8") as stream:
        # As mike renders its redirect page: autoescaped, `href` relative to the root.
        redirect = Template(stream.read(), autoescape=True, keep_trailing_newline=True).render(href=target + "/")
    wanted = {
        "versions.json": commands.versions_to_file_info(versions).data,
        "index.html": redirect.encode("utf-8"),
        "404.html": git_utils.read_file(branch, request["root_404"]),
    }
    changed = {}
    for name, content in wanted.items():
        try:
            if git_utils.read_file(branch, name) == content:
                continue
        except git_utils.GitError:
            pass  # not there yet
        changed[name] = content
    if not changed:
        return []
    with git_utils.Commit(branch, message if "index.html" in changed else "Retitle the editions, serve the root 404.html") as commit:
        for name, content in changed.items():
            commit.add_file(git_utils.FileInfo(name, content))
    if "index.html" in changed:
        done.append(f"default {target}")
    if "404.html" in changed:
        done.append(f"root 404.html from {request['root_404']}")
    return done


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
