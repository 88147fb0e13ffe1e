"""Sums of money in Vietnamese text: dot thousands, comma decimals, scale words."""

from __future__ import annotations

import unicodedata

import pytest

from archive.vietnamese.amounts import Amount, parse_amounts


def vnd(text: str) -> list[int]:
    return [a.vnd for a in parse_amounts(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # the seed article's amounts
        ("tổng kinh phí thực hiện là 27.708 triệu đồng", [27_708_000_000]),
        ("đã tạm ứng gần 15,3 tỉ đồng", [15_300_000_000]),
        ("Tổng kinh phí thực hiện là 16.602triệu đồng", [16_602_000_000]),
        ("dành cho công tác khuyến công gần 260 tỉ đồng", [260_000_000_000]),
        ("của 15 tỉnh, thành phố là 44 tỷ đồng, đạt 94,5%", [44_000_000_000]),
        ("so với kế hoạch (29.409 triệu đồng)", [29_409_000_000]),
        # scales, compounds and chains
        ("tổng kinh phí 5 trăm triệu đồng", [500_000_000]),
        ("hỗ trợ 1 tỷ 200 triệu đồng", [1_200_000_000]),
        ("vốn 2 tỷ 350 triệu 500 nghìn đồng", [2_350_500_000]),
        ("gói tín dụng 1,2 nghìn tỷ đồng", [1_200_000_000_000]),
        ("doanh thu 500 nghìn đồng mỗi ngày", [500_000]),
        ("thu nhập 6 ngàn đồng", [6_000]),
        ("mức hỗ trợ 50 tr.đ", [50_000_000]),
        # plain numbers with a currency
        ("phí thẩm định 1.500.000 đồng/giấy phép", [1_500_000]),
        ("giá vé 500.000đ", [500_000]),
        ("giá 20.120 đồng/lít", [20_120]),
        ("1,500,000 VND", [1_500_000]),
        ("kinh phí 3 tỷ VNĐ", [3_000_000_000]),
        ("giá điện 2.103,11 đồng/kWh", [2_103]),
        ("TỔNG KINH PHÍ 5 TỶ ĐỒNG", [5_000_000_000]),
        # a scale without a currency, in a money context
        ("kinh phí 2,5 tỷ", [2_500_000_000]),
        ("hỗ trợ 5 tỷ cho 9 đề án", [5_000_000_000]),
        ("Tổng vốn hơn 44 tỷ, đạt 94%", [44_000_000_000]),
        ("kinh phí 2.5 tỷ", [2_500_000_000]),
        # ranges: the first bound takes the second's scale
        ("từ 5 đến 10 tỷ đồng", [5_000_000_000, 10_000_000_000]),
        ("giá vàng 80,1 – 82,3 triệu đồng/lượng", [80_100_000, 82_300_000]),
        ("tăng từ 300 – 500 đồng/kg", [300, 500]),
        ("lương từ 6 - 8 triệu đồng/tháng", [6_000_000, 8_000_000]),
        # several in one sentence
        (
            "trong đó kinh phí KCQG 1,8 tỷ đồng, KCĐP 2,5 tỷ đồng",
            [1_800_000_000, 2_500_000_000],
        ),
    ],
)
def test_amounts(text, expected):
    assert vnd(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "kim ngạch xuất khẩu đạt 2 tỷ USD",
        "giá robusta 4.850 USD/tấn",
        "khoảng 2 – 3 tỷ USD",
        "đạt 15,3% so với cùng kỳ",
        "chiếm 62.53% kinh phí",
        "hơn 260 doanh nghiệp tham gia",
        "hỗ trợ 3 triệu người lao động",
        "sản lượng 27.708 tấn",
        "xuất khẩu 7,8 triệu tấn gạo",
        "sản lượng điện 6,8 tỷ kWh",
        "công suất 10 triệu viên/năm",
        "tiếp nhận 3 triệu chiếc khẩu trang",
        "Nghị định số 45/2012/NĐ-CP",
        "Quyết định 47/QĐ-BCT ngày 09/01/2017",
        "năm 2018",
        "3 đồng chí được bổ nhiệm",
        "hai tỷ đồng",  # spelled out: no digits
        "tỷ lệ 5 tỷ lệ",
        "có 120 sản phẩm OCOP đạt 3 sao",
    ],
)
def test_not_amounts(text):
    assert parse_amounts(text) == []


def test_phrase_and_offsets():
    text = "Năm 2017, kinh phí gần 260 tỉ đồng; KCĐP 16.602triệu đồng."
    found = parse_amounts(text)
    assert found == [
        Amount(260_000_000_000, "gần 260 tỉ đồng", 19, 34),
        Amount(16_602_000_000, "16.602triệu đồng", 41, 57),
    ]
    for a in found:
        assert text[a.start : a.end] == a.phrase


@pytest.mark.parametrize("qualifier", ["gần", "hơn", "trên", "khoảng", "tối đa", "xấp xỉ"])
def test_qualifiers_belong_to_the_phrase(qualifier):
    [a] = parse_amounts(f"kinh phí {qualifier} 47 tỉ đồng")
    assert a.phrase == f"{qualifier} 47 tỉ đồng"
    assert a.vnd == 47_000_000_000


def test_nfd_input_gives_the_same_amounts_with_nfc_offsets():
    nfc = "Kinh phí KCĐP: Tổng kinh phí thực hiện là 16.602triệu đồng, gần 15,3 tỉ đồng."
    nfd = unicodedata.normalize("NFD", nfc)
    assert len(nfd) > len(nfc)
    assert parse_amounts(nfd) == parse_amounts(nfc)


@pytest.mark.parametrize("spelling", ["tỉ", "tỷ", "TỶ", "Tỉ"])
def test_ti_and_ty(spelling):
    assert vnd(f"kinh phí 3 {spelling} đồng") == [3_000_000_000]


def test_amount_is_frozen():
    a = parse_amounts("500.000đ")[0]
    with pytest.raises(AttributeError):
        a.vnd = 1  # type: ignore[misc]
