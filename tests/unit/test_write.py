"""The one writer: atomic files and trees, never outside their target."""

from __future__ import annotations

import os

import pytest

from generator.write import (
    MARKER,
    UnsafeOutput,
    claim_output,
    clean_leftovers,
    new_staging,
    staged_tree,
    swap_in,
    write_file,
    write_tree,
)


def test_write_tree_replaces_whole_and_leaves_unchanged_output_alone(tmp_path):
    out = tmp_path / "out"
    assert write_tree({"a/index.md": "一", "b.md": "二"}, out) is True
    (out / "stale.md").write_text("old")
    assert write_tree({"a/index.md": "一", "b.md": "二"}, out) is True
    assert not (out / "stale.md").exists()
    before = (out / "a/index.md").stat().st_mtime_ns
    assert write_tree({"a/index.md": "一", "b.md": "二"}, out) is False
    assert (out / "a/index.md").stat().st_mtime_ns == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert out.stat().st_mode & 0o777 == 0o755


def test_a_failed_write_leaves_the_previous_output(tmp_path):
    out = tmp_path / "out"
    write_tree({"a.md": "before"}, out)

    class Boom(dict):
        def items(self):
            yield "a.md", "after"
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_tree(Boom(), out)
    assert (out / "a.md").read_text() == "before"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("name", ["../escape.md", "/etc/passwd", "a/../../b", "a//b", "", "a\\..\\b"])
def test_a_tree_path_that_leaves_the_target_is_refused_before_anything_is_written(tmp_path, name):
    out = tmp_path / "out"
    write_tree({"a.md": "kept"}, out)
    with pytest.raises(UnsafeOutput, match="not a plain relative path; nothing was written"):
        write_tree({"b.md": "x", name: "y"}, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(p.name for p in out.iterdir()) == [".qp-output", "a.md"]


def test_write_file_is_atomic_reports_change_and_stays_inside_its_root(tmp_path):
    target = tmp_path / "data" / "urls.lock"
    assert write_file(target, b"one\n", root=tmp_path / "data") is True
    assert write_file(target, b"one\n", root=tmp_path / "data") is False
    assert target.read_bytes() == b"one\n" and target.stat().st_mode & 0o777 == 0o644
    with pytest.raises(UnsafeOutput, match="outside"):
        write_file(tmp_path / "data" / ".." / "x", b"no", root=tmp_path / "data")
    assert not (tmp_path / "x").exists()
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["urls.lock"]


def test_a_symlink_out_of_the_root_is_refused(tmp_path):
    root = tmp_path / "data"
    root.mkdir()
    os.symlink(tmp_path, root / "link")
    with pytest.raises(UnsafeOutput):
        write_file(root / "link" / "x", b"no", root=root)
    assert not (tmp_path / "x").exists()


def test_a_staged_tree_that_fails_is_removed_and_the_old_one_kept(tmp_path):
    out = tmp_path / "site"
    write_tree({"index.html": "old"}, out)
    with pytest.raises(RuntimeError):
        with staged_tree(out) as staging:
            (staging / "index.html").write_text("new")
            raise RuntimeError("archive broke")
    assert (out / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_out_refuses_the_project_its_private_folders_their_ancestors_and_folders_it_did_not_make(tmp_path):
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    (project / "docs").mkdir()
    (project / "data" / "agencies.yaml").write_text("[]")
    private = (project / "data", project / "docs")
    for out, message in (
        (project, f"{project}: --out would replace {project}; choose a folder of its own, e.g. public/"),
        (tmp_path, f"{tmp_path}: --out would replace {project}; choose a folder of its own, e.g. public/"),
        (project / "data", f"{project / 'data'}: --out would replace {project / 'data'}; choose a folder of its own, e.g. public/"),
        (project / "docs", f"{project / 'docs'}: --out would replace {project / 'docs'}; choose a folder of its own, e.g. public/"),
        (project / "data" / "x", f"{project / 'data' / 'x'}: --out lies inside {project / 'data'}; choose a folder of its own, e.g. public/"),
    ):
        with pytest.raises(UnsafeOutput) as raised:
            claim_output(out, (project,), private)
        assert str(raised.value) == message
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    with pytest.raises(UnsafeOutput) as raised:
        claim_output(mine, (project,), private)
    assert str(raised.value) == (
        f"{mine}: not empty and not made by this generator (no .qp-output in it); "
        "choose a new or empty folder (--out is replaced whole)"
    )
    (tmp_path / "file").write_text("x")
    with pytest.raises(UnsafeOutput, match="exists and is not a folder"):
        claim_output(tmp_path / "file", (project,), private)
    claim_output(project / "public", (project,), private)  # new
    (tmp_path / "empty").mkdir()
    claim_output(tmp_path / "empty", (project,), private)
    write_tree({"a.md": "x"}, tmp_path / "made")
    claim_output(tmp_path / "made", (project,), private)
    assert (mine / "notes.txt").read_text() == "keep"


def test_the_swap_exchanges_so_the_output_is_never_missing_and_the_old_tree_comes_back(tmp_path):
    out = tmp_path / "site"
    write_tree({"index.html": "old"}, out)
    staging = new_staging(out)
    (staging / "index.html").write_text("new")
    inode = out.stat().st_ino
    retired = swap_in(staging, out)
    # Exchanged in one step (renameat2): the old tree now sits where the new one was staged.
    assert retired == staging and (retired / "index.html").read_text() == "old"
    assert (out / "index.html").read_text() == "new" and retired.stat().st_ino == inode
    assert swap_in(retired, out) == retired
    assert (out / "index.html").read_text() == "old"


def test_leftovers_of_a_killed_run_are_removed_and_a_missing_output_put_back(tmp_path):
    out = tmp_path / "site"
    write_tree({"index.html": "old", "2016/index.html": "x"}, out)
    (tmp_path / "notes.new-1").mkdir()  # not ours: another name
    (tmp_path / ".site.new-abc").mkdir()
    (out / ".2016.new-def").mkdir()
    (out / ".versions.json.tmp-x1").write_text("half")
    out.rename(tmp_path / ".site.old-ghi")  # killed between the fallback swap's two renames
    removed = clean_leftovers(out)
    assert (out / "index.html").read_text() == "old" and (out / MARKER).is_file()
    assert sorted(p.name for p in removed) == [".2016.new-def", ".site.new-abc", ".versions.json.tmp-x1"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.new-1", "site"]
