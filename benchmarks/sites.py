"""The throw-away MkDocs projects a benchmark builds: never the work tree itself.

The benchmark builds a copy of docs/ whose configuration INHERITs the real
mkdocs.yml (same theme, plugins, extensions, nav, hook); only paths are pointed
at the copy. The floor is the same edition's files (generator.build, as the
hook hands them to MkDocs) written as plain files, built with the same
configuration minus the project's code: no hook, no theme overrides.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mkdocs.yml"


def _real_config() -> dict:
    # The real file holds !!python tags (slugify); only plain keys are read here.
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    with open(CONFIG, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=Loader) or {}


def project_origins() -> list[str]:
    """Plugin-collection names of the project's own hooks, as MkDocs records their events."""
    return [str(ROOT / hook) for hook in _real_config().get("hooks") or ()]


def make_project(folder: Path) -> Path:
    """A copy of docs/ with a mkdocs.yml inheriting the real one; returns that mkdocs.yml."""
    real = _real_config()
    docs = folder / "docs"
    shutil.copytree(ROOT / real.get("docs_dir", "docs"), docs)
    theme = real.get("theme") or {}
    config = {
        "INHERIT": str(CONFIG),
        "docs_dir": str(docs),
        "site_dir": str(folder / "site"),
        "hooks": project_origins(),
    }
    if isinstance(theme, dict) and theme.get("custom_dir"):
        config["theme"] = {"custom_dir": str(ROOT / theme["custom_dir"])}
    return _write_config(folder / "mkdocs.yml", config)


def make_plain_project(folder: Path, project: Path, data: Path, edition: int | None) -> Path:
    """The edition's generated files as plain files beside `project`'s docs/, built without project code.

    `project` is a folder made by `make_project`; `data` the data folder. The
    files are what the hook hands MkDocs (generator.build.build_edition),
    the sources included.
    """
    from generator.build import build_edition
    from generator.load import load_dataset

    docs = folder / "docs"
    shutil.copytree(project / "docs", docs)
    output = build_edition(load_dataset(data), edition)
    for uri, content in output.files.items():
        (docs / uri).parent.mkdir(parents=True, exist_ok=True)
        (docs / uri).write_bytes(content)
    for uri, path in output.sources.items():
        (docs / uri).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, docs / uri)
    empty = folder / "no-overrides"
    empty.mkdir()
    config = {
        "INHERIT": str(CONFIG),
        "docs_dir": str(docs),
        "site_dir": str(folder / "site"),
        "hooks": [],
        "strict": False,
        "exclude_docs": "",
        "theme": {"custom_dir": str(empty), "language": _material_language(_real_config())},
    }
    return _write_config(folder / "mkdocs.yml", config)


def _material_language(real: dict) -> str:
    """The theme language, or Material's own one it is based on when the overrides define it ("zh-qp" → "zh")."""
    import material

    language = str((real.get("theme") or {}).get("language") or "en")
    languages = Path(material.__file__).parent / "templates" / "partials" / "languages"
    while not (languages / f"{language}.html").is_file() and "-" in language:
        language = language.rsplit("-", 1)[0]
    return language if (languages / f"{language}.html").is_file() else "en"


def _write_config(path: Path, config: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def split_last_year(data: Path, previous: Path) -> tuple[int, list[Path]]:
    """Copy `data` into `previous` without the newest year's plans and sources.

    Returns the newest year and the files (relative to `data`) left out, which
    are copied in later to publish "one new edition" onto a published site.
    """
    plans = {}
    for path in sorted((data / "plans").glob("*.yaml")):
        with open(path, encoding="utf-8") as handle:
            plan = yaml.load(handle, Loader=yaml.CSafeLoader)
        plans[path] = (int(plan["year"]), plan["source"]["file"])
    last = max(year for year, _ in plans.values())
    held_back = []
    for path, (year, source) in plans.items():
        if year == last:
            held_back += [path.relative_to(data), Path("sources") / source]
    shutil.copytree(data, previous, ignore=lambda folder, names: [
        name for name in names if (Path(folder) / name).relative_to(data) in held_back
    ])
    return last, held_back


def init_identity() -> dict[str, str]:
    """The git identity of the benchmark's commits, as environment variables."""
    return {
        "GIT_AUTHOR_NAME": "benchmark", "GIT_AUTHOR_EMAIL": "benchmark@localhost",
        "GIT_COMMITTER_NAME": "benchmark", "GIT_COMMITTER_EMAIL": "benchmark@localhost",
    }


def init_repository(repo: Path) -> dict[str, str]:
    """An empty git repository with one commit on main; returns the git identity environment."""
    identity = init_identity()
    env = {**os.environ, **identity}
    repo.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True, env=env)
    subprocess.run(["git", "-C", str(repo), "commit", "-q", "--allow-empty", "-m", "benchmark repository"],
                   check=True, env=env)
    return identity


def branch_trees(repo: Path, branch: str = "gh-pages") -> dict[str, str]:
    """Top-level entry → object id on `branch`: which editions a publish touched."""
    result = subprocess.run(["git", "-C", str(repo), "ls-tree", branch], capture_output=True, text=True)
    if result.returncode != 0:
        return {}
    trees = {}
    for line in result.stdout.splitlines():
        meta, name = line.split("\t", 1)
        trees[name] = meta.split()[2]
    return trees


def tree_size(folder: Path) -> dict:
    files = [path for path in folder.rglob("*") if path.is_file()]
    return {"files": len(files), "bytes": sum(path.stat().st_size for path in files)}


def differing_files(left: Path, right: Path, ignore: frozenset[str] = frozenset()) -> list[str]:
    """Every path (below both trees) present in only one of them or with other bytes; names in `ignore` aside.

    `ignore` is for what a build stamps with its date (MkDocs' sitemap.xml).
    """
    found: list[str] = []

    def walk(compare: filecmp.dircmp, prefix: str) -> None:
        found.extend(prefix + name for name in compare.left_only + compare.right_only + compare.funny_files)
        compared = [name for name in compare.common_files if prefix + name not in ignore]
        _, mismatch, errors = filecmp.cmpfiles(compare.left, compare.right, compared, shallow=False)
        found.extend(prefix + name for name in mismatch + errors)
        for name, sub in compare.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right), "")
    return sorted(found)
