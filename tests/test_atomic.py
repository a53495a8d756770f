"""lib.atomic.replaced_atomically: a file is replaced whole or not at all."""

from pathlib import Path

import pytest

from lib.atomic import replaced_atomically


def test_the_new_content_replaces_the_old_and_no_sibling_is_left(tmp_path: Path):
    path = tmp_path / "state.json"
    path.write_text("old")
    with replaced_atomically(path) as tmp:
        assert tmp.parent == path.parent and tmp.name.startswith(".state.json.")
        tmp.write_text("new")
        assert path.read_text() == "old"  # nothing shows before the rename
    assert path.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]


def test_a_failed_write_keeps_the_old_file_and_removes_the_sibling(tmp_path: Path):
    path = tmp_path / "headline.json"
    path.write_text("old")
    with pytest.raises(OSError, match="disk full"), replaced_atomically(path) as tmp:
        tmp.write_text("half")
        raise OSError("disk full")
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["headline.json"]


def test_a_link_replaces_a_link_in_one_rename(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    link = tmp_path / "current"
    link.symlink_to("a")
    with replaced_atomically(link, "link.tmp") as tmp:
        assert tmp.name.endswith(".link.tmp")
        tmp.symlink_to("b")
    assert link.is_symlink() and link.resolve() == (tmp_path / "b").resolve()
