"""Announcements carried by attachments: the attachment text counts toward the minimum,
flags read it, and an attachment added, removed or changed makes a new version."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from archive.storage.models import Flag
from archive.storage.records import AttachmentText, Extracted, Fetch
from archive.storage.store import Archive

NOTICE = ("Sở Công Thương tổ chức Hội nghị xúc tiến thương mại năm 2026 vào lúc 8 giờ 00 ngày "
          "15/12/2026 tại Hội trường Sở Công Thương, số 2 Nguyễn Văn Trị, thành phố Biên Hòa. "
          "Kính mời các doanh nghiệp tham dự hội nghị.")


def _page(*texts: str, title: str | None = "Thông báo số 112/TB-SCT", published=date(2026, 12, 1)):
    atts = tuple(AttachmentText(f"http://h/tb-{i}.docx", f"tb-{i}.docx", "ok", "application/msword", t)
                 for i, t in enumerate(texts))
    return Extracted(url="http://h/tb?ma=112", canonical_url="http://h/tb?ma=112", article_key="tb-112",
                     title=title, text="Chi tiết xem tệp đính kèm.", published=published, attachments=atts)


def _fetch() -> Fetch:
    return Fetch(url="http://h/tb?ma=112", fetched_at=datetime.now(UTC), status=200,
                 body=b"<html></html>", headers=(), source="crawl")


def test_a_short_page_is_archived_on_its_attachment_and_flagged_from_it():
    with Archive.open("sqlite://") as archive:
        assert archive.record_page("s", _fetch(), _page()).status == "rejected"  # no file: too short
        assert archive.record_page("s", _fetch(), _page(NOTICE, title=None)).status == "rejected"
        out = archive.record_page("s", _fetch(), _page(NOTICE))
        assert out.status == "new"
        with archive.sessions() as s:
            assert [f.kind for f in s.scalars(select(Flag).where(Flag.version_id == out.version_id))] == [
                "conference"]
        assert archive.reflag()["conference"] == 1  # re-flagging reads the attachment too


def test_an_attachment_change_makes_a_new_version():
    with Archive.open("sqlite://") as archive:
        other = NOTICE.replace("15/12/2026", "20/12/2026")
        statuses = [archive.record_page("s", _fetch(), _page(*texts)).status
                    for texts in ((NOTICE,), (NOTICE,), (other,), (other, NOTICE), (NOTICE,))]
        assert statuses == ["new", "unchanged", "changed", "changed", "returned"]
