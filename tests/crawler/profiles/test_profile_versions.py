"""Profiles are versioned by date: a snapshot re-extracts with the layout of its fetch day."""

from __future__ import annotations

from datetime import UTC, date, datetime

from crawler.extraction import extract
from crawler.profiles.base import Layout, Profile

PAGE = """<html><head><title>Trang - Sở Công Thương</title></head><body>
<div class="old-title">Tiêu đề theo giao diện cũ của cổng thông tin</div>
<h1 class="new-title">Tiêu đề theo giao diện mới của cổng thông tin</h1>
<div class="content"><p>{}</p></div></body></html>""".format(
    "Sở Công Thương tổ chức hội nghị triển khai kế hoạch khuyến công năm 2026 với sự tham gia "
    "của nhiều doanh nghiệp công nghiệp nông thôn trên địa bàn tỉnh. " * 3)


class Old(Layout):
    VERSION = "V1"
    VALID_UNTIL = date(2025, 6, 30)  # the day before the redesign
    title = (".old-title",)
    body = (".content",)


class New(Old):  # selectors only: a subclass of the previous layout
    VERSION = "V1_1"
    VALID_UNTIL = None
    title = (".new-title",)


class Portal(Profile):
    name = "portal"
    layouts = (Old, New)


def test_layout_is_chosen_by_the_fetch_date():
    p = Portal()
    assert type(p.layout(date(2024, 1, 1))) is Old
    assert type(p.layout(date(2025, 6, 30))) is Old
    assert type(p.layout(date(2025, 7, 1))) is New
    assert type(p.layout(None)) is New  # today


def test_old_snapshots_extract_with_the_layout_of_their_day():
    body = PAGE.encode()
    before = extract(body, "https://x.gov.vn/a-b-c-d", profile=Portal(),
                     fetched_at=datetime(2025, 1, 5, tzinfo=UTC))
    after = extract(body, "https://x.gov.vn/a-b-c-d", profile=Portal(),
                    fetched_at=datetime(2025, 8, 5, tzinfo=UTC))
    assert before.title == "Tiêu đề theo giao diện cũ của cổng thông tin"
    assert after.title == "Tiêu đề theo giao diện mới của cổng thông tin"
    assert before.extractor.startswith("portal.V1/") and after.extractor.startswith("portal.V1_1/")
    assert before.text == after.text and "khuyến công" in after.text
