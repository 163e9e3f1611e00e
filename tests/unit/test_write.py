"""The one writer: atomic files and trees, never outside their target."""

from __future__ import annotations

import os

import pytest

from generator.write import UnsafeOutput, staged_tree, write_file, write_tree


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
    assert [p.name for p in out.iterdir()] == ["a.md"]


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
