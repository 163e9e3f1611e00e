"""The one module that talks to mike: reading the editions on gh-pages (mike's versions.json) and committing them.

mike's Python API runs git in the current folder with the process's
environment. Rather than change either for the whole process (chdir, os.environ),
each call runs mike in a child Python process whose folder is the repository
and whose environment carries the commit identity: `python -m generator.mike_branch`
reads one JSON request on stdin and answers on stdout. A mike or git failure
comes back as MikeFailed with mike's message.

The sites are built beforehand (generator.publish runs `mkdocs build` per
edition, QP_EDITION naming it), so mike only commits; its MkDocs plugin is not
used, so nothing needs MIKE_DOCS_VERSION. The closing commit (each alias as
its version's tree, the titles mike's versions model gives, the root pages)
is made in this process with git's plumbing (generator.git).
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
    """Commit each deploy, then `alias` (version, alias, message) and the root's `default`.

    Then every version whose title differs from `titles` (version -> title) is
    retitled, the root redirect page is made from `template` (mike's
    set_default template), and the file `root_404` of the branch (e.g.
    latest/404.html) is copied to the root as 404.html, which static hosts
    serve for a missing path anywhere. Returns what was done, one line each.
    A commit that would change nothing is skipped.

    An alias ends as a copy of its version (what mike's alias type copy makes),
    but mike writes the copy file by file, sending every byte of the newest
    edition to git twice. So mike records the alias as a symlink, and the
    closing commit (`_finish_root`) points the alias at the version's own tree:
    the same files, for the cost of one tree entry.
    """
    request = {
        "branch": branch,
        "deploys": [
            {"version": d.version, "site_dir": str(d.site_dir), "aliases": list(d.aliases), "message": d.message,
             "fingerprint": d.fingerprint, "title": d.title}
            for d in deploys
        ],
        "alias": list(alias) if alias else None,
        "default": default[0],
        "titles": titles,
    }
    answer = _run(repo, identity, request)
    return answer["done"] + _finish_root(repo, identity, branch, answer, default, template, root_404)


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
    """The child's side: commit with mike's API in the current folder; the versions file it leads to.

    Answers what was done, the versions.json to commit (with the titles of
    `titles`) and which version each alias names.
    """
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
                alias_type=commands.AliasType.symlink,
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
                alias_type=commands.AliasType.symlink, branch=branch, message=message,
            )
        except git_utils.GitEmptyCommit:
            pass
        done.append(f"aliased {version} as {alias}")
    versions = commands.list_versions(branch)
    for info in list(versions):
        title = request["titles"].get(str(info.version))
        if title and info.title != title:
            versions.update(str(info.version), title)
            done.append(f"retitled {info.version} {title}")
    if not versions.find(request["default"]):
        raise ValueError(f"identifier {request['default']!r} does not exist")
    return {
        "done": done,
        "versions": commands.versions_to_file_info(versions).data.decode("utf-8"),
        "aliases": {alias: str(info.version) for info in versions for alias in info.aliases},
    }


def _finish_root(
    repo: Path, identity: dict[str, str], branch: str, answer: dict[str, Any], default: tuple[str, str],
    template: Path, root_404: str,
) -> list[str]:
    """The aliases as their versions' trees, the titles, the root redirect page and 404.html: one commit.

    What mike's copy aliases, retitle and set_default(template=…) would write,
    from mike's own versions file and rendered as mike renders its redirect page.
    """
    from jinja2 import Template

    target, message = default
    entries = git.top_entries(repo, branch)
    changes: dict[str, tuple[str, str]] = {}
    done = []
    for alias, version in sorted(answer["aliases"].items()):
        if entries.get(version, ("blob",))[0] != "tree":
            raise MikeFailed(f"{branch}: {VERSIONS} names version {version}, but there is no folder {version}/")
        if entries.get(alias) != entries[version]:
            changes[alias] = entries[version]
            done.append(f"copied {version} to {alias}")
    with open(template, encoding="utf-8") as stream:
        # As mike renders its redirect page: autoescaped, `href` relative to the root.
        redirect = Template(stream.read(), autoescape=True, keep_trailing_newline=True).render(href=target + "/")
    changes[VERSIONS] = ("blob", git.write_blob(repo, answer["versions"].encode("utf-8")))
    changes["index.html"] = ("blob", git.write_blob(repo, redirect.encode("utf-8")))
    folder, _, inside = root_404.partition("/")
    page_404 = git.object_id(repo, f"{(changes.get(folder) or entries[folder])[1]}:{inside}")
    if page_404 is None:
        raise MikeFailed(f"{branch}: no {root_404} to serve as the root 404.html")
    changes["404.html"] = ("blob", page_404)
    changes = {name: entry for name, entry in changes.items() if entries.get(name) != entry}
    if not changes:
        return done
    if "index.html" in changes:
        done.append(f"default {target}")
    if "404.html" in changes:
        done.append(f"root 404.html from {root_404}")
    what = [f"copy {version} to {alias}" for alias, version in sorted(answer["aliases"].items()) if alias in changes]
    if VERSIONS in changes:
        what.append("retitle the editions")
    if "index.html" in changes:
        what.append(message)
    if "404.html" in changes:
        what.append("serve the root 404.html")
    summary = "; ".join(what)
    git.commit_top_entries(repo, branch, changes, summary[:1].upper() + summary[1:], identity)
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
