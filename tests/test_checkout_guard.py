"""The guard that fails the session when a test writes into the checkout can fail."""

from __future__ import annotations

from tests.checkout_guard import snapshot, written


def test_the_guard_sees_new_and_changed_untracked_files(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "flagged.atom").write_text("<feed/>")
    (tmp_path / "kept.py").write_text("x = 1")
    (tmp_path / "__pycache__").mkdir()
    before = snapshot(tmp_path)
    (tmp_path / "data" / "flagged.atom").write_text("<feed><entry/></feed>")  # appended
    (tmp_path / "::not a url::").write_bytes(b"")  # a database from a mistyped --db
    (tmp_path / "__pycache__" / "x.pyc").write_bytes(b"")  # caches are not ours
    (tmp_path / "kept.py").write_text("x = 2")  # an edit of a tracked file is not a test's
    after = snapshot(tmp_path)
    assert written(before, after, tracked={"kept.py"}) == ["::not a url::", "data/flagged.atom"]
    assert written(after, snapshot(tmp_path), tracked=set()) == []
