"""Day-first Vietnamese dates, publication/update labels and the header "today" widget."""

from __future__ import annotations

import time as clock
import unicodedata
from datetime import date, datetime, time

import pytest

from archive.vietnamese.dates import (
    DateMatch,
    date_label,
    find_dates,
    is_today_widget,
    parse_date,
    parse_datetime,
    resolve_year,
)

REF = date(2018, 12, 2)


def NFD(s: str) -> str:
    return unicodedata.normalize("NFD", s)


@pytest.mark.parametrize(
    ("text", "day", "when", "matched"),
    [
        ("02-12-2018", date(2018, 12, 2), None, "02-12-2018"),
        ("11/7/2018", date(2018, 7, 11), None, "11/7/2018"),
        ("02.12.2018", date(2018, 12, 2), None, "02.12.2018"),
        ("2018-12-02", date(2018, 12, 2), None, "2018-12-02"),
        ("2018/12/02", date(2018, 12, 2), None, "2018/12/02"),
        ("ngày 11 tháng 7 năm 2018", date(2018, 7, 11), None, "ngày 11 tháng 7 năm 2018"),
        ("Ngày 11 Tháng 07 Năm 2018", date(2018, 7, 11), None, "Ngày 11 Tháng 07 Năm 2018"),
        ("11 tháng 7, 2018", date(2018, 7, 11), None, "11 tháng 7, 2018"),
        ("Thứ 5, 09/07/2026 | 15:19", date(2026, 7, 9), time(15, 19), "Thứ 5, 09/07/2026 | 15:19"),
        ("08:39 AM 25/10/2017", date(2017, 10, 25), time(8, 39), "08:39 AM 25/10/2017"),
        ("3:05 PM 1/2/2019", date(2019, 2, 1), time(15, 5), "3:05 PM 1/2/2019"),
        ("3:05 CH 1/2/2019", date(2019, 2, 1), time(15, 5), "3:05 CH 1/2/2019"),
        ("12:10 SA 1/2/2019", date(2019, 2, 1), time(0, 10), "12:10 SA 1/2/2019"),
        ("Ngày đăng : 08:22, 04/05/2011", date(2011, 5, 4), time(8, 22), "08:22, 04/05/2011"),
        ("Cập nhật lúc 15:38, Thứ Tư, 25/03/2020", date(2020, 3, 25), time(15, 38),
         "15:38, Thứ Tư, 25/03/2020"),
        ("15h30 ngày 20/10/2020", date(2020, 10, 20), time(15, 30), "15h30 ngày 20/10/2020"),
        ("15h ngày 20/10/2020", date(2020, 10, 20), time(15, 0), "15h ngày 20/10/2020"),
        ("15 giờ 30 ngày 20/10/2020", date(2020, 10, 20), time(15, 30), "15 giờ 30 ngày 20/10/2020"),
        ("20/10/2020 15:30:45", date(2020, 10, 20), time(15, 30, 45), "20/10/2020 15:30:45"),
        ("Thứ Ba, 04/12/2018 - 10:20", date(2018, 12, 4), time(10, 20), "Thứ Ba, 04/12/2018 - 10:20"),
        ("11/7/2018 lúc 9 giờ sáng", date(2018, 7, 11), time(9, 0), "11/7/2018 lúc 9 giờ sáng"),
        ("2018-12-02T10:20:00+07:00", date(2018, 12, 2), time(10, 20), "2018-12-02T10:20:00"),
        ("(04/12/2018)", date(2018, 12, 4), None, "04/12/2018"),
        ("26/2/26", date(2026, 2, 26), None, "26/2/26"),
        ("1/1/99", date(1999, 1, 1), None, "1/1/99"),
        ("02.12.18", date(2018, 12, 2), None, "02.12.18"),
        ("Chiều ngày 11/7/2018, Cục Công thương", date(2018, 7, 11), None, "ngày 11/7/2018"),
        ("Quyết định số 47/QĐ-BCT ngày 09/01/2017", date(2017, 1, 9), None, "ngày 09/01/2017"),
        ("Ngày 11-7, tại Hà Nội", date(2018, 7, 11), None, "Ngày 11-7"),  # year from REF
        ("hôm 5/11 vừa qua", date(2018, 11, 5), None, "5/11"),
        ("Ngay dang: 02/12/2018", date(2018, 12, 2), None, "02/12/2018"),  # no diacritics
    ],
)
def test_forms(text, day, when, matched):
    found = find_dates(text, REF)
    assert len(found) == 1, found
    m = found[0]
    assert (m.value, m.time, m.text, m.end_value) == (day, when, matched, None)
    assert text[m.start : m.end] == m.text


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2018",
        "29/2/2019",
        "Số 12/2018/TT-BCT",
        "1881/QĐ-BCT",
        "Nghị định số 45/2012/NĐ-CP",
        "Công văn số 15/7/QĐ-UBND",
        "1/2018",
        "tháng 12/2018",
        "Điện thoại: 0274.3822.123",
        "tăng 15,3% so với 12,5%",
        "phiên bản 1.2.3 và 1.2.30",
        "đạt 27.708 tỷ đồng",
        "12/12/1880",
        "05/13/2018",
        "32/1/2018",
        "11/7",  # a bare day/month is a fraction or a number …
        "chiếm 1/3 dân số",
        "mỗi ngày 1-2 lần",  # … and "ngày 1-2 lần" is a frequency
        "ngày 27.7",
    ],
)
def test_not_dates(text):
    assert find_dates(text, REF) == []


def test_year_less_dates_need_a_reference():
    assert find_dates("ngày 11/7") == []
    m = find_dates("Sáng ngày 11/7, đoàn công tác", REF)[0]
    assert (m.value, m.has_year, m.text) == (date(2018, 7, 11), False, "ngày 11/7")
    # the nearest year: early January after a December reference is next year
    assert parse_date("ngày 5/1", date(2018, 12, 20)) == date(2019, 1, 5)
    assert find_dates("11/7/2018", REF)[0].has_year is True


@pytest.mark.parametrize(
    ("text", "first", "last", "matched"),
    [
        ("11-12/7/2018", date(2018, 7, 11), date(2018, 7, 12), "11-12/7/2018"),
        ("Hội chợ diễn ra từ ngày 11 đến ngày 13/7/2018 tại Phú Yên",
         date(2018, 7, 11), date(2018, 7, 13), "từ ngày 11 đến ngày 13/7/2018"),
        ("từ 11/7 đến 13/7/2018", date(2018, 7, 11), date(2018, 7, 13), "từ 11/7 đến 13/7/2018"),
        ("11/7 - 13/7/2018", date(2018, 7, 11), date(2018, 7, 13), "11/7 - 13/7/2018"),
        ("11/7-13/7/2018", date(2018, 7, 11), date(2018, 7, 13), "11/7-13/7/2018"),
        ("từ 28/12 đến 2/1/2019", date(2018, 12, 28), date(2019, 1, 2), "từ 28/12 đến 2/1/2019"),
        ("từ ngày 11 đến ngày 13 tháng 7 năm 2018", date(2018, 7, 11), date(2018, 7, 13),
         "từ ngày 11 đến ngày 13 tháng 7 năm 2018"),
        ("từ 28/12/2018 đến 02/01/2019", date(2018, 12, 28), date(2019, 1, 2),
         "từ 28/12/2018 đến 02/01/2019"),
    ],
)
def test_ranges(text, first, last, matched):
    found = find_dates(text)
    assert len(found) == 1, found
    m = found[0]
    assert (m.value, m.end_value, m.text, m.has_year) == (first, last, matched, True)
    assert text[m.start : m.end] == matched


def test_range_keeps_the_start_time():
    m = find_dates("Từ 8h ngày 11/7 đến 17h ngày 13/7/2018")[0]
    assert (m.value, m.end_value, m.time) == (date(2018, 7, 11), date(2018, 7, 13), time(8, 0))


def test_two_dates_joined_by_a_dash_stay_two_dates():
    found = find_dates("Ngày đăng: 02/12/2018 - 10/12/2018")
    assert [(m.value, m.end_value) for m in found] == [
        (date(2018, 12, 2), None), (date(2018, 12, 10), None),
    ]


def test_a_number_before_a_dash_is_no_range():
    m = find_dates("Lượt xem: 15-12/7/2018")[0]
    assert (m.value, m.end_value, m.text) == (date(2018, 7, 12), None, "12/7/2018")


@pytest.mark.parametrize(
    ("text", "weekday"),
    [
        ("Thứ hai, ngày 3 tháng 2 năm 2018", 0),
        ("Thứ Ba, 04/12/2018", 1),
        ("Thứ tư 05/12/2018", 2),
        ("Thứ bốn 05/12/2018", 2),
        ("THỨ NĂM, 06/12/2018", 3),
        ("Thứ 6 - 07/12/2018", 4),
        ("Thứ bẩy, 08/12/2018", 5),
        ("T7, 08/12/2018", 5),
        ("Chủ nhật, 09/12/2018", 6),
        ("CN, 09/12/2018", 6),
        ("09/12/2018 (Chủ Nhật)", 6),
        ("thu hai, 03/12/2018", 0),
        ("11/7/2018", None),
    ],
)
def test_weekdays(text, weekday):
    assert find_dates(text)[0].weekday == weekday
    assert find_dates(NFD(text))[0].weekday == weekday


def test_text_order_and_offsets_in_running_text():
    text = (
        "Ngày 11/7/2018, Sở Công Thương tổ chức hội nghị theo Nghị định số 45/2012/NĐ-CP; "
        "hội chợ diễn ra từ ngày 20 đến ngày 22/9/2018 và kết thúc lúc 15h30 ngày 22/9/2018."
    )
    found = find_dates(text)
    assert [(m.value, m.end_value, m.time) for m in found] == [
        (date(2018, 7, 11), None, None),
        (date(2018, 9, 20), date(2018, 9, 22), None),
        (date(2018, 9, 22), None, time(15, 30)),
    ]
    assert [m.text for m in found] == [
        "Ngày 11/7/2018", "từ ngày 20 đến ngày 22/9/2018", "15h30 ngày 22/9/2018",
    ]
    for m in found:
        assert text[m.start : m.end] == m.text


@pytest.mark.parametrize(
    "text",
    [
        "Cập nhật lúc 15:38, Thứ Tư, 25/03/2020",
        "Hôm nay: Thứ 2, ngày 03/02/2018 và từ ngày 11 đến ngày 13/7/2018 ở Đà Nẵng",
        "Thứ bảy ngày 9 tháng 11 năm 2024 lúc 8 giờ tối",
    ],
)
def test_nfd_input_gives_the_same_dates_with_offsets_into_the_input(text):
    nfd = NFD(text)
    assert nfd != text
    expected = find_dates(text, REF)
    got = find_dates(nfd, REF)
    key = lambda m: (m.value, m.time, m.weekday, m.has_year, m.end_value)  # noqa: E731
    assert [key(m) for m in got] == [key(m) for m in expected]
    assert expected
    for m, e in zip(got, expected, strict=True):
        assert nfd[m.start : m.end] == m.text
        assert unicodedata.normalize("NFC", m.text) == e.text


def test_evening_time_word():
    assert find_dates("Thứ bảy ngày 9 tháng 11 năm 2024 lúc 8 giờ tối")[0].time == time(20, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thứ hai, ngày 3 tháng 2 năm 2018", True),
        ("Thứ Hai, 03/02/2018", True),
        ("Hôm nay: Thứ 2, ngày 03/02/2018", True),
        ("Hôm nay là Thứ Tư, 25/03/2020", True),
        ("Chủ nhật, 10/11/2024", True),
        ("Thứ bảy ngày 9/11/2024", True),
        ("Today: CN, 10/11/2024", True),
        (NFD("Thứ hai, ngày 3 tháng 2 năm 2018"), True),
        ("  Thứ Sáu, 08/11/2024  ", True),
        ("Thứ 5, 09/07/2026 | 15:19", False),  # a time of day: a post date
        ("Ngày đăng: 02-12-2018", False),
        ("Ngày đăng: Thứ hai, 03/02/2018", False),
        ("02-12-2018", False),  # no weekday
        ("Cập nhật lúc 15:38, Thứ Tư, 25/03/2020", False),
        ("Thứ hai, ngày 3 tháng 2 năm 2018 Sở Công Thương tổ chức hội nghị", False),
        ("Thứ hai, 03/02/2018 - Thứ ba, 04/02/2018", False),
        ("", False),
    ],
)
def test_today_widget(text, expected):
    assert is_today_widget(text) is expected


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Ngày đăng: 08:22, 04/05/2011", "published"),
        ("Đăng lúc 08:22 04/05/2011", "published"),
        ("Đăng ngày 04/05/2011", "published"),
        ("Đăng: 04/05/2011", "published"),
        ("Ngày xuất bản: 04/05/2011", "published"),
        ("Xuất bản 04/05/2011", "published"),
        ("Posted on 04/05/2011", "published"),
        ("Published: 2011-05-04", "published"),
        ("NGAY DANG: 04/05/2011", "published"),
        ("Cập nhật: 04/05/2011", "updated"),
        ("Ngày cập nhật 04/05/2011", "updated"),
        ("Cập nhật lúc 15:38, Thứ Tư, 25/03/2020", "updated"),
        ("Sửa đổi lần cuối: 04/05/2011", "updated"),
        ("Chỉnh sửa: 04/05/2011", "updated"),
        ("Last modified: 2011-05-04", "updated"),
        ("Updated 2011-05-04", "updated"),
        (NFD("Cập nhật lúc 15:38"), "updated"),
        (NFD("Ngày đăng: 08:22"), "published"),
        ("Ngày đăng: 08:22, 04/05/2011 | Cập nhật: 09:00, 05/05/2011", "updated"),  # the last
        ("Cập nhật: 05/05/2011 | Ngày đăng: 04/05/2011", "published"),
        ("Nguồn tin: Sở Công Thương", None),
        ("Ngày ban hành: 04/05/2011", None),  # a document's date, not the post's
        ("Đảng ngày càng vững mạnh", None),  # "Đảng", not "đăng"
        ("Thị trường đang lúc khó khăn", None),
        ("Nhà xuất bản Chính trị quốc gia", None),
        ("Nghị định sửa đổi, bổ sung", None),
        ("Đăng bởi: admin", None),
    ],
)
def test_date_label(text, label):
    assert date_label(text) == label


@pytest.mark.parametrize(
    ("day", "month", "reference", "expected"),
    [
        (5, 1, date(2018, 12, 20), date(2019, 1, 5)),
        (11, 7, date(2018, 12, 2), date(2018, 7, 11)),
        (28, 12, date(2019, 1, 3), date(2018, 12, 28)),
        (29, 2, date(2020, 3, 1), date(2020, 2, 29)),
        (29, 2, date(2019, 6, 1), date(2020, 2, 29)),
        (31, 2, date(2018, 12, 2), None),
        (1, 13, date(2018, 12, 2), None),
    ],
)
def test_resolve_year(day, month, reference, expected):
    assert resolve_year(day, month, reference) == expected


def test_parse_date_and_datetime():
    assert parse_date("Đăng ngày 02-12-2018 và 03-12-2018") == date(2018, 12, 2)
    assert parse_date("không có ngày") is None
    assert parse_date("ngày 11/7", REF) == date(2018, 7, 11)
    assert parse_datetime("08:39 AM 25/10/2017") == datetime(2017, 10, 25, 8, 39)
    assert parse_datetime("Thứ Ba, 04/12/2018") == datetime(2018, 12, 4, 0, 0)
    assert parse_datetime("") is None


def test_date_match_is_frozen():
    m = find_dates("11/7/2018")[0]
    assert isinstance(m, DateMatch)
    with pytest.raises(AttributeError):
        m.value = date(2000, 1, 1)  # type: ignore[misc]


def test_fast_enough_for_every_page():
    page = (
        "Sáng ngày 11/7/2018, tại Hà Nội, Sở Công Thương tổ chức hội nghị tổng kết 6 tháng "
        "đầu năm với 120 đại biểu. Theo Quyết định số 1881/QĐ-BCT, giá trị sản xuất công "
        "nghiệp tăng 15,3%, đạt 27.708 tỷ đồng. "
    ) * 25
    assert len(page) > 5000
    assert len(find_dates(page)) == 25
    runs = 20
    started = clock.perf_counter()
    for _ in range(runs):
        find_dates(page)
    per_call = (clock.perf_counter() - started) / runs
    assert per_call < 0.01  # about 0.5 ms; a generous bound for slow CI machines
