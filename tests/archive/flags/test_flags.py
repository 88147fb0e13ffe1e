"""Conference and funding flags: the seed article, dates, wording and hard negatives."""

from __future__ import annotations

import json
import unicodedata
from datetime import date

import pytest

from archive.flags import RULES_VERSION, Flag, flag_version

SEED_PUBLISHED = date(2018, 12, 2)


@pytest.fixture(scope="module")
def seed(seed_dir):
    expected = json.loads((seed_dir / "article.expected.json").read_text(encoding="utf-8"))
    text = (seed_dir / "article.txt").read_text(encoding="utf-8")
    return expected, text


def by_kind(flags: list[Flag]) -> dict[str, Flag]:
    kinds = [f.kind for f in flags]
    assert len(kinds) == len(set(kinds)), kinds
    return {f.kind: f for f in flags}


def kinds(title: str, text: str, published: date | None = None) -> set[str]:
    return {f.kind for f in flag_version(title, text, published)}


# ------------------------------------------------------------------ the seed article


def test_seed_text_fixture_matches_the_expected_extraction(seed):
    expected, text = seed
    paragraphs = text.strip().split("\n")
    assert len(paragraphs) == expected["paragraphs"]
    assert text.startswith(expected["text_starts_with"])
    assert text.strip().endswith(expected["text_ends_with"])


def test_seed_conference(seed):
    expected, text = seed
    flags = by_kind(flag_version(expected["title"], text, SEED_PUBLISHED))
    conf = flags["conference"]
    assert conf.subtype == "report"
    assert conf.facts["event_date"] == expected["flags"]["conference"]["event_date"] == "2018-07-11"
    assert conf.facts["location"] == expected["flags"]["conference"]["location"] == "Phú Yên"
    assert conf.facts["current_province"] == "Đắk Lắk"  # Phú Yên merged into Đắk Lắk in 2025
    assert conf.facts["event_name"].startswith("Hội nghị công tác khuyến công")
    assert conf.facts["event_name"].endswith("lần thứ IX năm 2018")
    assert conf.facts["organizers"] == ["Cục Công thương địa phương", "UBND tỉnh Phú Yên"]
    assert conf.facts["event_end_date"] is None
    assert 0.5 <= conf.score <= 1.0
    assert conf.evidence[0].startswith("Chiều ngày 11/7/2018")


def test_seed_funding(seed):
    expected, text = seed
    fund = by_kind(flag_version(expected["title"], text, SEED_PUBLISHED))["funding"]
    found = {a["vnd"] for a in fund.facts["amounts"]}
    assert set(expected["flags"]["funding"]["amounts_vnd_include"]) <= found
    assert {"vnd": 16_602_000_000, "phrase": "16.602triệu đồng"} in fund.facts["amounts"]
    assert fund.facts["programme"] == "KCQG"
    assert fund.facts["year"] == 2018
    assert fund.subtype == "report"
    assert 1 <= len(fund.evidence) <= 3
    for sentence in fund.evidence:
        assert sentence in text


def test_seed_to_dict_is_json_ready(seed):
    expected, text = seed
    for flag in flag_version(expected["title"], text, SEED_PUBLISHED):
        d = flag.to_dict()
        assert json.loads(json.dumps(d, ensure_ascii=False)) == d
        assert d["kind"] == flag.kind and d["subtype"] == flag.subtype
        assert d["score"] == flag.score and d["evidence"] == list(flag.evidence)
        for key, value in flag.facts.items():
            assert d[key] == value
        hash(flag)  # frozen, hashable (facts are left out of the hash)


def test_seed_nfd_and_old_tone_marks_give_identical_flags(seed):
    expected, text = seed
    nfc = flag_version(expected["title"], text, SEED_PUBLISHED)
    nfd = flag_version(
        unicodedata.normalize("NFD", expected["title"]), unicodedata.normalize("NFD", text),
        SEED_PUBLISHED,
    )
    assert [f.to_dict() for f in nfd] == [f.to_dict() for f in nfc]
    # old tone placement and CRLF/extra spaces: the same kinds, dates and amounts
    old = text.replace("hòa", "hoà").replace("Hòa", "Hoà").replace("\n", "\r\n  ")
    flags = by_kind(flag_version(expected["title"], old, SEED_PUBLISHED))
    assert flags["conference"].facts["event_date"] == "2018-07-11"
    assert {a["vnd"] for a in flags["funding"].facts["amounts"]} == {
        a["vnd"] for a in by_kind(nfc)["funding"].facts["amounts"]
    }


def test_rules_version():
    assert RULES_VERSION == "2026.12.1"


# ------------------------------------------------------------- dates and subtypes

TAP_HUAN = (
    "Hội nghị tập huấn kiểm tra an toàn hồ đập thủy điện",
    "Sở Công Thương Thừa Thiên Huế tổ chức hội nghị tập huấn vào ngày 5/9 tại TP. Huế cho "
    "các chủ đập thủy điện.",
)


@pytest.mark.parametrize(
    "published, event_date, subtype",
    [
        (date(2023, 8, 28), "2023-09-05", "announcement"),  # a week before
        (date(2023, 9, 6), "2023-09-05", "report"),  # the day after
        (date(2024, 1, 3), "2023-09-05", "report"),  # the closest 5/9 is last year's
    ],
)
def test_year_less_event_date_resolves_against_the_publication_date(published, event_date, subtype):
    [conf] = flag_version(*TAP_HUAN, published)
    assert conf.facts["event_date"] == event_date
    assert conf.subtype == subtype


def test_year_less_date_across_new_year():
    title = "Hội nghị triển khai nhiệm vụ năm 2024 ngành Công Thương"
    text = "Sở Công Thương Bến Tre sẽ tổ chức hội nghị triển khai nhiệm vụ vào ngày 5/1."
    [conf] = flag_version(title, text, date(2023, 12, 28))
    assert conf.facts["event_date"] == "2024-01-05"
    assert conf.subtype == "announcement"


def test_daypart_date_without_ngay():
    title = "Tọa đàm về phát triển sản phẩm công nghiệp nông thôn"
    text = "Chiều 12/4, Trung tâm Khuyến công tỉnh Thái Bình tổ chức tọa đàm với các làng nghề."
    [conf] = flag_version(title, text, date(2021, 4, 13))
    assert conf.facts["event_date"] == "2021-04-12"
    assert conf.subtype == "report"


def test_event_range_and_end_date():
    title = "Khai mạc Hội chợ Công Thương vùng Đồng bằng sông Cửu Long năm 2019"
    text = (
        "Tối ngày 25/10/2019, tại Quảng trường Hùng Vương, TP. Cao Lãnh, UBND tỉnh Đồng Tháp "
        "phối hợp với Bộ Công Thương khai mạc Hội chợ. Hội chợ diễn ra từ ngày 25 đến ngày "
        "31/10/2019 với 350 gian hàng."
    )
    [conf] = flag_version(title, text, date(2019, 10, 26))
    assert conf.facts["event_date"] == "2019-10-25"
    assert conf.facts["location"] == "Đồng Tháp"
    assert conf.facts["organizers"] == ["UBND tỉnh Đồng Tháp", "Bộ Công Thương"]
    assert conf.subtype == "report"


def test_document_dates_and_deadlines_are_not_event_dates():
    title = "Thông báo tổ chức Hội nghị phổ biến Thông tư 12/2024/TT-BCT"
    text = (
        "Thực hiện Kế hoạch số 15/KH-SCT ngày 02/3/2024, Sở Công Thương Lâm Đồng tổ chức hội nghị "
        "phổ biến Thông tư vào ngày 20/3/2024. Đăng ký trước ngày 15/3/2024."
    )
    [conf] = flag_version(title, text, date(2024, 3, 5))
    assert conf.facts["event_date"] == "2024-03-20"
    assert conf.subtype == "announcement"


@pytest.mark.parametrize(
    "title, text, subtype",
    [
        (
            "Kế hoạch tổ chức Hội chợ hàng công nghiệp nông thôn tiêu biểu năm 2024",
            "Sở Công Thương tỉnh Hòa Bình ban hành kế hoạch tổ chức hội chợ, dự kiến diễn ra tại "
            "Quảng trường Hòa Bình.",
            "announcement",
        ),
        (
            "Giấy mời dự Hội nghị triển khai công tác khuyến công",
            "Trung tâm Khuyến công tỉnh Lào Cai trân trọng kính mời đại diện các huyện dự hội nghị.",
            "announcement",
        ),
        (
            "Hội nghị đối thoại doanh nghiệp ngành Công Thương",
            "Sở Công Thương tỉnh Quảng Ninh đã tổ chức hội nghị đối thoại với doanh nghiệp. Tại hội "
            "nghị, đại diện 70 doanh nghiệp đã nêu 23 ý kiến.",
            "report",
        ),
    ],
)
def test_subtype_from_wording_when_there_is_no_date(title, text, subtype):
    [conf] = flag_version(title, text, date(2024, 3, 29))
    assert conf.facts["event_date"] is None
    assert conf.subtype == subtype


def test_without_publication_date_year_less_dates_are_skipped():
    [conf] = flag_version(*TAP_HUAN, None)
    assert conf.facts["event_date"] is None


# --------------------------------------------------------- spelling and location


@pytest.mark.parametrize(
    "title",
    [
        "Tọa đàm phát triển thương mại điện tử",
        "Toạ đàm phát triển thương mại điện tử",
        "TOẠ ĐÀM PHÁT TRIỂN THƯƠNG MẠI ĐIỆN TỬ",
        unicodedata.normalize("NFD", "Toạ đàm phát triển thương mại điện tử"),
    ],
)
def test_tone_mark_case_and_normal_form_variants(title):
    text = "Sáng ngày 17/8/2021, Sở Công Thương tỉnh Khánh Hoà tổ chức toạ đàm trực tuyến."
    [conf] = flag_version(title, text, date(2021, 8, 18))
    assert conf.kind == "conference"
    assert conf.facts["event_date"] == "2021-08-17"
    assert conf.facts["location"] == "Khánh Hoà"  # as written
    assert conf.facts["current_province"] == "Khánh Hòa"


def test_location_prefers_tai_in_the_title_and_skips_place_names():
    title = "Hội chợ hàng công nghiệp nông thôn tiêu biểu năm 2024 tại Vĩnh Phúc"
    text = (
        "Hội chợ diễn ra từ ngày 22 đến 26/10/2024 tại Quảng trường Hồ Chí Minh, TP. Vĩnh Yên, "
        "do Sở Công Thương tỉnh Phú Thọ phối hợp tổ chức."
    )
    [conf, *_] = flag_version(title, text, date(2024, 9, 5))
    assert conf.facts["location"] == "Vĩnh Phúc"
    assert conf.facts["current_province"] == "Phú Thọ"
    assert conf.facts["event_end_date"] == "2024-10-26"


def test_abbreviations():
    title = "Phê duyệt 11 đề án KCDP năm 2019"
    text = "Sở Công Thương Đắk Nông phê duyệt 11 đề án KCĐP với tổng kinh phí 1.450 triệu đồng hỗ trợ các cơ sở CNNT."
    [fund] = flag_version(title, text, date(2019, 3, 26))
    assert fund.kind == "funding"
    assert fund.facts["programme"] == "KCĐP"
    assert fund.facts["year"] == 2019
    assert fund.facts["amounts"] == [{"vnd": 1_450_000_000, "phrase": "1.450 triệu đồng"}]
    assert fund.subtype == "approval"


# ---------------------------------------------------------------- funding subtypes


@pytest.mark.parametrize(
    "title, text, subtype",
    [
        (
            "Phê duyệt kế hoạch kinh phí khuyến công quốc gia năm 2020",
            "Bộ Công Thương phê duyệt kinh phí khuyến công quốc gia năm 2020 cho tỉnh Quảng Nam là "
            "3.150 triệu đồng.",
            "approval",
        ),
        (
            "Giải ngân kinh phí đề án khuyến công đợt 1",
            "Trung tâm Khuyến công tỉnh Phú Thọ đã giải ngân 2.350 triệu đồng kinh phí KCQG.",
            "disbursement",
        ),
        (
            "Thông báo tiếp nhận hồ sơ đề xuất đề án khuyến công địa phương năm 2025",
            "Các cơ sở công nghiệp nông thôn có nhu cầu hỗ trợ gửi hồ sơ trước ngày 30/9/2024.",
            "call",
        ),
        (
            "Kết quả thực hiện chương trình khuyến công năm 2022",
            "Năm 2022, tỉnh đã thực hiện 18 đề án khuyến công với tổng kinh phí hỗ trợ hơn 4,3 tỷ đồng.",
            "report",
        ),
    ],
)
def test_funding_subtypes(title, text, subtype):
    flags = by_kind(flag_version(title, text, date(2023, 1, 5)))
    assert "conference" not in flags
    assert flags["funding"].subtype == subtype


def test_funding_year_falls_back_to_the_publication_year():
    [fund] = flag_version(
        "Hỗ trợ cơ sở sản xuất bún khô ứng dụng dây chuyền sấy",
        "Trung tâm Khuyến công tỉnh An Giang hỗ trợ 300 triệu đồng cho cơ sở bún khô Minh Châu.",
        date(2024, 8, 1),
    )
    assert fund.facts["year"] == 2024
    assert fund.facts["programme"] is None


# ---------------------------------------------------------------- hard negatives


@pytest.mark.parametrize(
    "title, text",
    [
        (
            "Công bố quyết định bổ nhiệm Phó Giám đốc Sở Công Thương",
            "Chiều 3/3/2023, tại hội nghị công bố quyết định về công tác cán bộ, Phó Chủ tịch UBND "
            "tỉnh Quảng Bình trao quyết định bổ nhiệm ông Nguyễn Văn Hùng giữ chức Phó Giám đốc Sở.",
        ),
        (
            "Giá phân bón giảm, nông dân yên tâm xuống giống",
            "Theo báo cáo tại hội nghị giao ban ngành nông nghiệp, giá phân urê tại An Giang ở mức "
            "11.500 – 12.000 đồng/kg.",
        ),
        (
            "Kim ngạch xuất khẩu 9 tháng đạt 2 tỷ USD",
            "Theo Sở Công Thương Quảng Ngãi, kim ngạch xuất khẩu ước đạt 2 tỷ USD, tăng 12,4%.",
        ),
        (
            "Quản lý thị trường phạt 50 triệu đồng cơ sở kinh doanh hàng giả",
            "Đội QLTT số 3 đã xử phạt hành chính 50 triệu đồng, nộp ngân sách nhà nước.",
        ),
        (
            "Nghị định 98/2020/NĐ-CP có hiệu lực từ 15/10/2020",
            "Mức phạt tiền tối đa là 100 triệu đồng với cá nhân và 200 triệu đồng với tổ chức.",
        ),
        (
            "Giá xăng dầu đồng loạt giảm",
            "Xăng E5 RON92 giảm 350 đồng/lít. Quỹ Bình ổn giá xăng dầu không trích lập, không chi sử dụng.",
        ),
        (
            "Thu ngân sách nhà nước 9 tháng đạt 12.500 tỷ đồng",
            "Tổng thu ngân sách trên địa bàn ước đạt 12.500 tỷ đồng, bằng 78% dự toán.",
        ),
        (
            "Chấp thuận chủ trương đầu tư dự án điện gió",
            "Dự án có công suất 48 MW, tổng vốn đầu tư 1.680 tỷ đồng do công ty tư nhân làm chủ đầu tư.",
        ),
        (
            "Triển lãm Quốc tế Công nghiệp hỗ trợ 2025",  # conference, but not funding
            "Triển lãm sẽ được tổ chức từ ngày 19 đến 21/11/2025 tại Hà Nội.",
        ),
    ],
)
def test_hard_negatives_raise_no_wrong_flag(title, text):
    got = kinds(title, text, date(2024, 1, 1))
    if "Triển lãm" in title:
        assert got == {"conference"}
    else:
        assert got == set()


def test_hoi_nghi_in_passing_deep_in_a_long_body_is_not_a_conference():
    title = "Sản xuất công nghiệp 6 tháng đầu năm tăng 9,5%"
    body = "\n".join(
        [
            "Theo Sở Công Thương Bắc Giang, chỉ số sản xuất công nghiệp 6 tháng tăng 9,5% so với cùng kỳ.",
            "Ngành chế biến, chế tạo tiếp tục là động lực tăng trưởng chính của tỉnh.",
            "Một số sản phẩm chủ lực như linh kiện điện tử, may mặc đều tăng khá.",
            "Phát biểu tại hội nghị giao ban, lãnh đạo Sở đề nghị các doanh nghiệp chủ động nguồn nguyên liệu.",
        ]
    )
    assert kinds(title, body, date(2023, 7, 5)) == set()


def test_a_generic_fair_in_a_support_policy_is_funding_not_a_conference():
    title = "Doanh nghiệp tham gia hội chợ được hỗ trợ 70% chi phí thuê gian hàng"
    text = (
        "Theo Nghị quyết của HĐND tỉnh Vĩnh Long, doanh nghiệp tham gia hội chợ, triển lãm trong "
        "nước được hỗ trợ 70% chi phí thuê gian hàng, tối đa 20 triệu đồng/gian hàng."
    )
    assert kinds(title, text, date(2022, 8, 9)) == {"funding"}


def test_empty_input():
    assert flag_version(None, "", None) == []
    assert flag_version("", "   \n  ", date(2024, 1, 1)) == []


@pytest.mark.parametrize(
    "text",
    [
        "Đoạn một.\nĐoạn hai.",
        "a  b", "a\n\nb", "\na", "a\n", " a", "a \nb", "a\n b", "a\u00a0b", "a\tb", "a\u200bb",
        "a\r\nb", unicodedata.normalize("NFD", "Khánh Hoà"), "",
    ],
)
def test_clean_fast_path_agrees_with_textnorm(text):
    from archive.flags.evidence import _clean
    from archive.vietnamese.textnorm import clean

    assert _clean(text) == clean(text)


# ------------------------------------------------- shapes of real articles (rules 2026.12.1)


def test_a_programme_named_without_money_is_not_funding():
    title = "Hội nghị khuyến công các tỉnh khu vực phía Bắc"
    text = ("Nằm trong khuôn khổ Chương trình khuyến công quốc gia năm 2023, ngày 12/10 tại tỉnh "
            "Nam Định đã diễn ra Hội nghị khuyến công các tỉnh khu vực phía Bắc.\n"
            "Hội nghị đánh giá kết quả hoạt động khuyến công và trao đổi kinh nghiệm giữa các trung tâm.")
    assert kinds(title, text) == {"conference"}


def test_the_same_programme_with_money_is_funding():
    text = ("Năm 2023, tỉnh thực hiện 9 đề án khuyến công quốc gia với kinh phí hỗ trợ 2,1 tỷ đồng.\n"
            "Các đề án tập trung vào hỗ trợ máy móc thiết bị cho cơ sở công nghiệp nông thôn.")
    flags = by_kind(flag_version("Kết quả khuyến công năm 2023", text))
    assert set(flags) == {"funding"}
    assert flags["funding"].facts["programme"] == "KCQG"
    assert 2_100_000_000 in {a["vnd"] for a in flags["funding"].facts["amounts"]}


def test_an_interview_intro_naming_programmes_is_neither():
    text = ("Chương trình khuyến công, chương trình OCOP và các chính sách hỗ trợ phát triển công "
            "nghiệp nông thôn đã góp phần giữ gìn nhiều làng nghề.\n"
            "Phóng viên đã có cuộc trao đổi với Giám đốc Trung tâm Khuyến công tỉnh.")
    assert kinds("Khuyến công tiếp sức cho làng nghề", text) == set()


@pytest.mark.parametrize("title,text", [
    ("Bồi dưỡng kiến thức cho chủ thể OCOP",
     "Trong hai ngày 8 và 9/4, Trung tâm Khuyến công tỉnh mở khóa đào tạo về thiết kế bao bì cho 55 học viên."),
    ("Gần 50 chủ thể OCOP được tập huấn về thương mại điện tử",
     "Trong hai ngày 5 và 6/8, gần 50 chủ thể sản phẩm OCOP của huyện được tập huấn về bán hàng trên nền tảng số."),
    ("Trang bị kiến thức xuất khẩu cho doanh nghiệp",
     "Ngày 5/3, Sở Công Thương phối hợp với Cục Xuất nhập khẩu tổ chức chương trình đào tạo về quy tắc xuất xứ."),
])
def test_courses_in_any_wording_are_conferences(title, text):
    assert "conference" in kinds(title, text)
    assert "conference" in kinds(title, text, date(2024, 8, 7))


def test_a_planning_meeting_for_a_coming_fair_is_a_conference():
    text = ("Chiều 9/5, Phó Chủ tịch UBND tỉnh chủ trì cuộc họp nghe báo cáo công tác chuẩn bị "
            "hội chợ thương mại vùng biên năm 2023.\n"
            "Theo báo cáo, hội chợ dự kiến diễn ra từ ngày 15 đến 20/6 với khoảng 250 gian hàng.\n"
            "Phó Chủ tịch đề nghị các đơn vị hoàn thiện phương án để hội chợ diễn ra an toàn.")
    flags = by_kind(flag_version("Họp bàn công tác chuẩn bị hội chợ", text, date(2023, 5, 10)))
    assert "conference" in flags and flags["conference"].evidence


@pytest.mark.parametrize("title,text", [
    ("Danh sách địa điểm được phép tổ chức hội chợ, triển lãm năm 2023",
     "Sở Công Thương công bố danh sách 26 địa điểm đủ điều kiện tổ chức hội chợ, triển lãm thương mại."),
    ("Ban hành Quy chế tổ chức hội chợ, triển lãm thương mại trên địa bàn tỉnh",
     "UBND tỉnh vừa ban hành Quy chế phối hợp quản lý hoạt động tổ chức hội chợ, triển lãm thương mại."),
])
def test_rules_about_fairs_in_general_are_not_conferences(title, text):
    assert "conference" not in kinds(title, text, date(2023, 5, 17))


def test_a_headline_less_title_lets_the_lead_read_on():
    first = "Năm qua, công tác khuyến công của tỉnh tiếp tục được quan tâm chỉ đạo và triển khai đồng bộ."
    text = first + "\nKết quả, tỉnh đã thực hiện 16 đề án khuyến công địa phương với kinh phí 1,4 tỷ đồng."
    assert kinds(first, text) == {"funding"}
