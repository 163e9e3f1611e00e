"""generator.remove: a whole tree goes, and nothing a symbolic link inside it points to."""

from __future__ import annotations

from pathlib import Path

from generator.remove import remove_tree


def test_a_deep_tree_with_links_out_of_it_is_removed_and_the_link_targets_stay(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "keep").mkdir(parents=True)
    (outside / "keep" / "file.txt").write_text("keep", encoding="utf-8")
    top = tmp_path / "site"
    for i in range(50):
        page = top / "measures" / f"m{i}" / "deeper"
        page.mkdir(parents=True)
        (page / "index.html").write_text(str(i), encoding="utf-8")
        (page.parent / "index.html").write_text(str(i), encoding="utf-8")
    (top / "index.html").write_text("root", encoding="utf-8")
    (top / "linked-folder").symlink_to(outside / "keep")
    (top / "measures" / "linked-file").symlink_to(outside / "keep" / "file.txt")
    (top / "measures" / "m1" / "linked-folder").symlink_to(outside)

    remove_tree(top)

    assert not top.exists()
    assert (outside / "keep" / "file.txt").read_text(encoding="utf-8") == "keep"


def test_a_missing_folder_is_fine_and_a_link_to_a_folder_is_only_unlinked(tmp_path: Path) -> None:
    remove_tree(tmp_path / "nothing")
    target = tmp_path / "target"
    target.mkdir()
    (target / "a").write_text("a", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(target)
    remove_tree(link)
    assert not link.exists() and (target / "a").is_file()
