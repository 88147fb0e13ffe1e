"""Values computed ahead (archive.storage.derived) and grouped commits give the same rows,
and every article stays whole or absent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from archive.storage.derived import Derived, derive
from archive.storage.models import (
    Article,
    ArticleVersion,
    Flag,
    Observation,
    Payload,
    Snapshot,
)
from archive.storage.store import Archive
from tests.archive.storage.test_store import T0, TEXT_A, TEXT_B, count, extracted, fetch

WHOLE = (Snapshot, Payload, Article, ArticleVersion, Observation)


def rows(archive: Archive) -> dict[str, list[tuple]]:
    """What a page leaves in the archive, without the times of writing."""
    with archive.sessions() as s:
        return {
            "payloads": s.execute(select(Payload.sha256, Payload.size, Payload.compression,
                                         Payload.data).order_by(Payload.id)).all(),
            "snapshots": s.execute(select(Snapshot.url, Snapshot.payload_digest, Snapshot.charset)
                                   .order_by(Snapshot.id)).all(),
            "versions": s.execute(select(ArticleVersion.id, ArticleVersion.content_hash,
                                         ArticleVersion.number).order_by(ArticleVersion.id)).all(),
            "flags": s.execute(select(Flag.version_id, Flag.kind, Flag.subtype, Flag.score,
                                      Flag.evidence, Flag.facts, Flag.rules_version)
                               .order_by(Flag.id)).all(),
        }


def pages():
    body_a, body_b = "<p>một</p>".encode(), b"<p>hai</p>"
    return [(fetch(body_a), extracted(), body_a),
            (fetch(body_b, at=T0 + timedelta(days=1)), extracted(TEXT_B), body_b),
            (fetch(body_a, at=T0 + timedelta(days=2)), extracted(), body_a)]


def test_values_computed_ahead_give_the_same_rows(sqlite_url, tmp_path):
    with Archive.open(sqlite_url) as archive:
        for f, ex, _ in pages():
            archive.record_page("site", f, ex)
        computed_here = rows(archive)
    other = Archive.open(f"sqlite:///{tmp_path / 'ahead.sqlite3'}")
    with other:
        statuses = [other.record_page("site", f, ex, derived=derive(ex, body)).status
                    for f, ex, body in pages()]
        ahead = rows(other)
    assert statuses == ["new", "changed", "returned"]
    assert computed_here["flags"], "the sample text is flagged"
    assert ahead == computed_here


def test_flags_left_out_ahead_are_computed_by_the_store(archive):
    f, ex, body = pages()[0]
    kept = derive(ex, body, unless_hash=derive(ex).content_hash)
    assert kept.flags is None and kept.content_hash
    archive.record_page("site", f, ex, derived=kept)
    assert count(archive, Flag) == len(derive(ex).flags) > 0


def test_flags_of_other_rules_are_not_used(archive):
    f, ex, _ = pages()[0]
    stale = Derived(flags=({"kind": "funding", "subtype": "old", "score": 1.0, "evidence": [],
                            "facts": {}},), rules_version="0-old")
    archive.record_page("site", f, ex, derived=stale)
    with archive.sessions() as s:
        assert "old" not in s.scalars(select(Flag.subtype)).all()
        assert s.scalar(select(Flag.rules_version)) != "0-old"


def test_a_failed_article_in_a_group_is_absent_and_the_others_are_whole(archive, monkeypatch):
    real = Archive.after_new_version
    calls = []

    def fail_second(self, *args, **kwargs):
        calls.append(1)
        real(self, *args, **kwargs)
        if len(calls) == 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr(Archive, "after_new_version", fail_second)
    with archive.grouped():
        archive.record_page("site", fetch(b"<p>1</p>"), extracted(key="a"))
        with pytest.raises(RuntimeError):
            archive.record_page("site", fetch(b"<p>2</p>", url="http://x.test/b"),
                                extracted(key="b", url="http://x.test/b"))
        archive.record_page("site", fetch(b"<p>3</p>", url="http://x.test/c"),
                            extracted(key="c", url="http://x.test/c"))
    with archive.sessions() as s:
        assert sorted(s.scalars(select(Article.article_key))) == ["a", "c"]
        assert sorted(s.scalars(select(Snapshot.url))) == ["http://sct.example.gov.vn/tin/a",
                                                            "http://x.test/c"]
    assert count(archive, ArticleVersion) == count(archive, Observation) == 2
    assert count(archive, Payload) == 2


def test_a_group_is_seen_at_its_commits_and_an_interrupt_keeps_whole_articles(archive):
    outside = Archive(archive.engine)  # another reader: sees only what is committed
    with pytest.raises(KeyboardInterrupt):
        with archive.grouped() as commit:
            archive.record_page("site", fetch(b"<p>1</p>"), extracted(key="a"))
            # inside the group, reads see the group's writes
            assert count(archive, Article) == 1
            assert count(outside, Article) == 0
            commit()
            assert count(outside, Article) == 1
            archive.record_page("site", fetch(b"<p>2</p>", url="http://x.test/b"),
                                extracted(key="b", url="http://x.test/b"))
            raise KeyboardInterrupt  # a second Ctrl-C between two articles
    for model in WHOLE:
        assert count(archive, model) == 2, model.__name__
    with archive.sessions() as s:
        assert sorted(s.scalars(select(Article.article_key))) == ["a", "b"]


def test_nested_groups_are_one(archive):
    with archive.grouped(), archive.grouped() as inner:
        inner()
        archive.record_page("site", fetch(), extracted(TEXT_A))
    assert count(archive, ArticleVersion) == 1
