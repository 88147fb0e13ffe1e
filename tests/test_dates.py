"""Day-first Vietnamese dates, labels and the header "today" widget."""

from __future__ import annotations

import unicodedata
from datetime import date, time

import pytest

from archive.dates import (
    date_label,
    find_dates,
    is_today_widget,
    parse_date,
    parse_datetime,
    resolve_year,
)

REF = date(2018, 12, 2)


@pytest.mark.parametrize(
    "text, day, when",
    [
        ("02-12-2018", date(2018, 12, 2), None),
        ("11/7/2018", date(2018, 7, 11), None),
        ("02.12.2018", date(2018, 12, 2), None),
        ("2018-12-02", date(2018, 12, 2), None),
        ("ngày 11 tháng 7 năm 2018", date(2018, 7, 11), None),
        ("Thứ 5, 09/07/2026 | 15:19", date(2026, 7, 9), time(15, 19)),
        ("08:39 AM 25/10/2017", date(2017, 10, 25), time(8, 39)),
        ("3:05 PM 1/2/2019", date(2019, 2, 1), time(15, 5)),
        ("Ngày đăng : 08:22, 04/05/2011", date(2011, 5, 4), time(8, 22)),
        ("Cập nhật lúc 15:38, Thứ Tư, 25/03/2020", date(2020, 3, 25), time(15, 38)),
        ("15h30 ngày 20/10/2020", date(2020, 10, 20), time(15, 30)),
        ("20/10/2020 15:30:45", date(2020, 10, 20), time(15, 30, 45)),
        ("Thứ Ba, 04/12/2018 - 10:20", date(2018, 12, 4), time(10, 20)),
        ("(04/12/2018)", date(2018, 12, 4), None),
        ("26/2/26", date(2026, 2, 26), None),
        ("1/1/99", date(1999, 1, 1), None),
        ("Chiều ngày 11/7/2018, Cục Công thương", date(2018, 7, 11), None),
        ("Quyết định số 47/QĐ-BCT ngày 09/01/2017", date(2017, 1, 9), None),
        ("ngày 11/7", date(2018, 7, 11), None),  # year from the reference
        ("11/7/2018 lúc 9 giờ", date(2018, 7, 11), time(9, 0)),
    ],
)
def test_forms(text, day, when):
    found = find_dates(text, REF)
    assert found, text
    assert found[0].value == day
    assert found[0].time == when
    assert text[found[0].start : found[0].end] == found[0].text


@pytest.mark.parametrize(
    "text",
    ["31/02/2018", "Số 12/2018/TT-BCT", "Nghị định số 45/2012/NĐ-CP", "27.708 triệu đồng",
     "tăng 15,3%", "phiên bản 1.2.3", "1/2018", "11/7"],
)
def test_not_dates(text):
    assert find_dates(text) == []


def test_ranges():
    m = find_dates("Hội chợ diễn ra từ ngày 11 đến ngày 13/7/2018 tại Phú Yên")[0]
    assert (m.value, m.end_value) == (date(2018, 7, 11), date(2018, 7, 13))
    m = find_dates("từ 11/7 đến 13/7/2018")
    assert len(m) == 1 and (m[0].value, m[0].end_value) == (date(2018, 7, 11), date(2018, 7, 13))
    m = find_dates("11-12/7/2018")[0]
    assert (m.value, m.end_value) == (date(2018, 7, 11), date(2018, 7, 12))


def test_weekday_is_recorded():
    assert find_dates("Chủ nhật, 10/11/2024")[0].weekday == 6
    assert find_dates("Thứ hai, ngày 3 tháng 2 năm 2018")[0].weekday == 0


def test_nfd_input_gives_the_same_dates():
    text = "Cập nhật lúc 15:38, Thứ Tư, 25/03/2020"
    nfd = unicodedata.normalize("NFD", text)
    assert [(m.value, m.time) for m in find_dates(nfd)] == [(m.value, m.time) for m in find_dates(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Thứ hai, ngày 3 tháng 2 năm 2018", True),
        ("Hôm nay: Thứ 2, ngày 03/02/2018", True),
        ("Chủ nhật, 10/11/2024", True),
        ("Thứ bảy ngày 9/11/2024", True),
        (unicodedata.normalize("NFD", "Thứ hai, ngày 3 tháng 2 năm 2018"), True),
        ("Thứ 5, 09/07/2026 | 15:19", False),
        ("Ngày đăng: 02-12-2018", False),
        ("02-12-2018", False),
        ("Cập nhật lúc 15:38, Thứ Tư, 25/03/2020", False),
        ("Thứ hai, ngày 3 tháng 2 năm 2018 Sở Công Thương tổ chức hội nghị tổng kết", False),
    ],
)
def test_today_widget(text, expected):
    assert is_today_widget(text) is expected


def test_labels():
    assert date_label("Ngày đăng: 08:22, 04/05/2011") == "published"
    assert date_label("Ngày đăng: 08:22, 04/05/2011 | Cập nhật: ") == "updated"
    assert date_label(unicodedata.normalize("NFD", "Cập nhật lúc")) == "updated"
    assert date_label("Nguồn tin: Sở Công Thương") is None


def test_resolve_year_and_helpers():
    assert resolve_year(5, 1, date(2018, 12, 20)) == date(2019, 1, 5)
    assert resolve_year(11, 7, date(2018, 12, 2)) == date(2018, 7, 11)
    assert resolve_year(31, 2, date(2018, 12, 2)) is None
    assert parse_date("Đăng ngày 02-12-2018") == date(2018, 12, 2)
    assert parse_datetime("08:39 AM 25/10/2017").hour == 8
    assert parse_date("không có ngày") is None
