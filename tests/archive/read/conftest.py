"""A small archive for the read side: folded search, filters, versions, flags, hostile content."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from archive.storage.records import AttachmentText, Extracted, Fetch

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
PAD = (" Sở Công Thương tiếp tục phối hợp với các địa phương triển khai kế hoạch năm, "
       "bảo đảm tiến độ và chất lượng công việc theo chỉ đạo của Ủy ban nhân dân tỉnh.")

FAIR_V1 = ("Hội chợ triển lãm hàng công nghiệp nông thôn tiêu biểu khu vực phía Nam năm 2025 "
           "có 500 gian hàng của doanh nghiệp trong và ngoài tỉnh." + PAD)
FAIR_V2 = ("Hội chợ triển lãm hàng công nghiệp nông thôn tiêu biểu khu vực phía Nam năm 2025 "
           "có 650 gian hàng của doanh nghiệp trong và ngoài nước." + PAD)
FUNDING = ("Bộ Công Thương vừa ban hành quyết định phê duyệt kế hoạch kinh phí khuyến công quốc gia "
           "năm 2025 cho tỉnh Hà Nội với tổng kinh phí 3.150 triệu đồng để thực hiện 9 đề án." + PAD)
ROADS = ("Đường dây nóng của Sở tiếp nhận phản ánh về giá xăng dầu tại các cửa hàng xăng dầu "
         "trên địa bàn tỉnh Đồng Nai trong dịp cao điểm." + PAD)
HOA = ("Tỉnh Khánh Hoà tổ chức tập huấn an toàn thực phẩm cho các cơ sở chế biến thủy sản "
       "và cơ sở sản xuất nước mắm truyền thống." + PAD)
HOSTILE_TITLE = "<script>alert('title')</script> Tin <b>nóng</b> về hàng giả"
HOSTILE = ('Cảnh báo hàng giả <img src=x onerror="alert(1)"> và liên kết javascript:alert(2) '
           'được ghi nhận trên mạng xã hội.' + PAD)
HOSTILE_PAGE = (
    b"<html><head><title>hostile</title><script>document.title='PWNED';"
    b"new Image().src='/pwned-script';</script></head><body>"
    b"<h1 onclick=\"alert(1)\">Tin</h1><img src=\"/pwned-img\" onerror=\"new Image().src='/pwned-onerror'\">"
    b"<a href=\"javascript:new Image().src='/pwned-link'\">click</a>"
    b"<form action=\"/pwned-form\"><input name=q></form><iframe src=\"/pwned-iframe\"></iframe>"
    b"<p>C\xe1\xba\xa3nh b\xc3\xa1o h\xc3\xa0ng gi\xe1\xba\xa3</p></body></html>"
)
SITES = {
    "sct-binhduong": "Sở Công Thương Bình Dương",
    "sct-hanoi": "Sở Công Thương Hà Nội",
    "sct-dongnai": "Sở Công Thương Đồng Nai",
    "sct-khanhhoa": "Sở Công Thương Khánh Hòa",
}


def page(site: str, key: str, title: str, text: str, published: date, *, at: datetime = T0,
         body: bytes = b"<html><body><p>page</p></body></html>", attachments=()):
    url = f"http://{site}.example.gov.vn/tin/{key}"
    fetch = Fetch(url=url, fetched_at=at, status=200, body=body,
                  headers=(("Content-Type", "text/html; charset=utf-8"),), charset="utf-8")
    ex = Extracted(url=url, canonical_url=url, article_key=key, title=title, text=text,
                   published=published, extractor="test.V1/0", attachments=tuple(attachments))
    return fetch, ex


def fill(archive) -> dict[str, int]:
    """Record the sample articles; their ids by name."""
    for key, name in SITES.items():
        archive.site_id(key, name=name)
    ids = {}

    def rec(name, site, *args, **kwargs):
        out = archive.record_page(site, *page(site, *args, **kwargs))
        ids[name] = out.article_id
        return out

    rec("fair", "sct-binhduong", "fair", "Hội chợ triển lãm công nghiệp nông thôn 2025", FAIR_V1,
        date(2025, 5, 10))
    rec("fair", "sct-binhduong", "fair", "Hội chợ triển lãm công nghiệp nông thôn 2025", FAIR_V2,
        date(2025, 5, 10), at=T0 + timedelta(days=1))
    att = AttachmentText(url="http://sct-hanoi.example.gov.vn/qd.pdf", filename="quyet-dinh.pdf",
                     media_type="application/pdf", status="ok",
                     text="Danh mục đề án: trình diễn máy sấy nông sản tại huyện Sóc Sơn.")
    rec("funding", "sct-hanoi", "kcqg", "Phê duyệt kinh phí khuyến công quốc gia năm 2025 cho Hà Nội",
        FUNDING, date(2025, 8, 1), attachments=[att])
    rec("roads", "sct-dongnai", "xang", "Đường dây nóng về giá xăng dầu", ROADS, date(2024, 12, 20))
    rec("hoa", "sct-khanhhoa", "attp", "Tập huấn an toàn thực phẩm ở Khánh Hòa", HOA, date(2023, 3, 3))
    rec("hostile", "sct-hanoi", "hostile", HOSTILE_TITLE, HOSTILE, date(2025, 1, 2), body=HOSTILE_PAGE)
    return ids


@pytest.fixture
def filled(archive):
    """(archive, article ids by name) on each backend."""
    return archive, fill(archive)
