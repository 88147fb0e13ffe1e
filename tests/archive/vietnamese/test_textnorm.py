import unicodedata
from datetime import date

import pytest

from archive.vietnamese.textnorm import canonical, canonical_word, clean, content_hash, fold

NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoà", "hòa"), ("Hoà Bình", "Hòa Bình"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"),
        ("tuỳ", "tùy"), ("Uỷ ban", "Ủy ban"), ("loà", "lòa"), ("quỳ", "quỳ"),
        ("Khánh Hoà", "Khánh Hòa"), ("Thanh Hoá", "Thanh Hóa"), ("hoạ sĩ", "họa sĩ"),
    ],
)
def test_old_and_new_tone_placement_are_one_canonical_form(old, new):
    assert canonical(old) == canonical(new)
    assert canonical(NFD(old)) == canonical(new)


@pytest.mark.parametrize(
    "word",
    ["người", "hoàng", "khuỷu", "giá", "gì", "quý", "xoáy", "nước", "thuở", "cứu", "tuấn", "khuyết"],
)
def test_unambiguous_words_are_unchanged(word):
    assert canonical_word(word) == word
    assert canonical_word(NFD(word)) == word


def test_different_words_stay_different():
    assert canonical("hòa") != canonical("hóa")
    assert canonical("tỉ") != canonical("tỷ")  # spelling, not tone placement
    assert canonical("Hội nghị") != canonical("Hội thảo")


def test_clean_normalizes_whitespace_invisibles_and_nfd():
    raw = "  Hội\u00a0nghị \u200bkhuyến   công \r\n\r\n\t" + NFD("Phú Yên") + "  \n"
    assert clean(raw) == "Hội nghị khuyến công\nPhú Yên"


def test_clean_keeps_tabs_between_table_cells():
    assert clean("Chỉ tiêu\tKế hoạch\t Thực hiện ") == "Chỉ tiêu\tKế hoạch\tThực hiện"


def test_fold_removes_diacritics_and_folds_d():
    assert fold("Đắk Lắk, KCĐP, Đà Nẵng") == "dak lak, kcdp, da nang"
    assert fold(NFD("Hội nghị")) == "hoi nghi"


def test_content_hash_ignores_form_but_not_content():
    text = "Đoạn một về khuyến công.\nĐoạn hai ở Khánh Hoà."
    h = content_hash("Hội nghị hoà giải", date(2018, 12, 2), text)
    assert h == content_hash(
        NFD("Hội  nghị hòa giải "), date(2018, 12, 2),
        "  Đoạn một về khuyến công.\n\n Đoạn hai ở Khánh Hòa.\u00a0",
    )
    assert h != content_hash("Hội nghị hoà giải", date(2018, 12, 3), text)
    assert h != content_hash("Hội nghị hoà giải (sửa)", date(2018, 12, 2), text)
    assert h != content_hash("Hội nghị hoà giải", date(2018, 12, 2), text + " Thêm.")
    assert h != content_hash("Hội nghị hoà giải", date(2018, 12, 2), text.replace("\n", " "))
