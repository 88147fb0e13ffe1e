"""A deterministic corpus of Vietnamese Department of Industry and Trade news.

:func:`make_articles` builds ``n`` :class:`~.base.SampleArticle` (oldest first) about
what provincial Sở Công Thương sites publish: hội nghị, hội thảo, hội chợ and triển
lãm, tập huấn, kinh phí khuyến công, hỗ trợ doanh nghiệp, giá cả thị trường, điện
lực, xuất khẩu, quản lý thị trường, thương mại điện tử, an toàn thực phẩm, công
nghiệp nông thôn — across the 34 provinces and cities of the 2025 reorganisation.

Text comes from hand-written templates with slots (province, amounts, products,
people), so 2,000 articles take well under a second. About one article in five
carries attachments: PDFs (:func:`make_pdf`, fpdf2 with DejaVu Sans for Vietnamese),
DOCX files (:func:`make_docx`, python-docx) and the odd legacy ``.doc`` (OLE bytes,
unreadable: ``text`` None). Attachment bytes are produced lazily on first access and
cached per document text, from a small pool of distinct documents, so building the
corpus never renders a PDF.

No pytest imports here: the demo command and the benchmarks use this package too.
"""

from __future__ import annotations

import io
import os
import random
import re
import unicodedata
import zipfile
from datetime import datetime, timedelta
from functools import lru_cache

from tests.sample_sites.base import DOC, DOCX, PDF, Attachment, SampleArticle

__all__ = [
    "PROVINCES",
    "LazyAttachment",
    "ascii_text",
    "fold",
    "make_articles",
    "make_doc",
    "make_docx",
    "make_pdf",
    "slugify",
]

FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
HAS_FONT = os.path.exists(FONT_PATH)
_FIXED_DATE = datetime(2026, 1, 1, 8, 0, 0)

# -- text helpers ---------------------------------------------------------------------------

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def ascii_text(text: str) -> str:
    """``text`` without diacritics (``đ``→``d``, ``Đ``→``D``), case kept."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower case, no diacritics, ``đ`` folded to ``d``."""
    return ascii_text(text).lower()


def slugify(text: str) -> str:
    """ASCII, lower-case, hyphenated: "Hội chợ Đắk Lắk 2026" → "hoi-cho-dak-lak-2026"."""
    return _NON_SLUG.sub("-", fold(text)).strip("-")


def _vn_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _vn_dec(x: float) -> str:
    s = f"{x:.1f}".replace(".", ",")
    return s[:-2] if s.endswith(",0") else s


# -- the world ------------------------------------------------------------------------------

#: (name, how the text names it, short form for title prefixes): the 34 provinces/cities since 2025.
PROVINCES: tuple[tuple[str, str, str], ...] = (
    ("Hà Nội", "thành phố Hà Nội", "Hà Nội"),
    ("Huế", "thành phố Huế", "Huế"),
    ("Hải Phòng", "thành phố Hải Phòng", "Hải Phòng"),
    ("Đà Nẵng", "thành phố Đà Nẵng", "Đà Nẵng"),
    ("Hồ Chí Minh", "Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh"),
    ("Cần Thơ", "thành phố Cần Thơ", "Cần Thơ"),
    *(
        (p, f"tỉnh {p}", p)
        for p in (
            "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An",
            "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh",
            "Hưng Yên", "Ninh Bình", "Quảng Trị", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng",
            "Đắk Lắk", "Đồng Nai", "Tây Ninh", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
        )
    ),
)

COMMUNES = (
    "xã Tân Phú", "xã Bình Minh", "xã Thạnh Phú", "phường Hòa Bình", "xã Tân Lập", "xã Phú Lộc",
    "phường An Lạc", "xã Quảng Phú", "xã Hưng Thịnh", "phường Thống Nhất", "xã Đông Hưng",
    "xã Vĩnh Hòa", "phường Trung Tâm", "xã Hòa Thuận", "xã Yên Lạc", "xã Phước Long",
)
PRODUCTS = (
    "cà phê", "hạt điều", "chè", "gạo", "mật ong", "hồ tiêu", "nước mắm", "miến dong", "bánh tráng",
    "sản phẩm mây tre đan", "gốm mỹ nghệ", "nấm linh chi", "trái cây sấy", "tinh dầu sả", "rượu cần",
    "thổ cẩm", "cao dược liệu", "bún khô", "chả cá", "trà hoa vàng",
)
SECTORS = (
    "chế biến nông sản", "cơ khí nhỏ", "dệt may", "chế biến gỗ", "thủ công mỹ nghệ",
    "chế biến thực phẩm", "sản xuất vật liệu xây dựng", "chế biến thủy sản",
)
MARKETS = ("Trung Quốc", "Hoa Kỳ", "Nhật Bản", "Hàn Quốc", "Liên minh châu Âu", "Úc", "các nước ASEAN")
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương")
MIDDLE_M = ("Văn", "Hữu", "Đức", "Minh", "Quốc")
MIDDLE_F = ("Thị", "Thu", "Ngọc", "Thanh")
GIVEN_M = ("Hùng", "Dũng", "Tuấn", "Phong", "Thắng", "Long", "Khánh", "Sơn", "Trung", "Bình")
GIVEN_F = ("Hoa", "Lan", "Hương", "Mai", "Hạnh", "Thảo", "Nga", "Yến", "Trang", "Dung")
POSITIONS = (
    "Giám đốc Sở Công Thương", "Phó Giám đốc Sở Công Thương",
    "Giám đốc Trung tâm Khuyến công và Tư vấn phát triển công nghiệp",
    "Trưởng phòng Quản lý Công nghiệp", "Trưởng phòng Quản lý Thương mại",
    "Phó Chủ tịch Ủy ban nhân dân tỉnh",
)
SOURCES = (
    "Nguồn tin: Trung tâm Khuyến công và Tư vấn phát triển công nghiệp",
    "Nguồn: Phòng Quản lý Công nghiệp",
    "Nguồn: Phòng Quản lý Thương mại",
    "Nguồn tin: Văn phòng Sở",
    "Nguồn: Phòng Kỹ thuật an toàn - Môi trường",
    "Nguồn tin: Phòng Quản lý Năng lượng",
    "Nguồn: Trung tâm Xúc tiến Thương mại",
)
MONTHS = tuple(f"tháng {m}" for m in range(1, 13))
QUARTERS = ("quý I", "quý II", "quý III", "quý IV")

# -- topics: titles, lead, body and closing paragraphs --------------------------------------
# Slots: {place} {Place} {prov} {short} {year} {next_year} {amount} {amount2} {billion} {n} {n2} {pct}
# {commune} {product} {product2} {sector} {market} {person} {position} {month} {quarter} {days}

TOPICS: tuple[dict, ...] = (
    {
        "key": "hoi-nghi",
        "titles": (
            "Hội nghị tổng kết công tác ngành Công Thương {place} năm {year}",
            "{short}: Hội nghị triển khai nhiệm vụ phát triển công nghiệp {quarter} năm {year}",
            "Hội nghị đối thoại với doanh nghiệp ngành {sector} {place}",
            "Hội nghị sơ kết 6 tháng thực hiện Chương trình khuyến công {place} năm {year}",
            "{short} tổ chức hội nghị kết nối cung cầu sản phẩm {product}",
        ),
        "leads": (
            "Sở Công Thương {place} vừa tổ chức hội nghị đánh giá kết quả thực hiện nhiệm vụ và triển khai kế hoạch công tác {quarter} năm {year}. Tham dự hội nghị có đại diện các sở, ngành, Ủy ban nhân dân các xã, phường và {n} doanh nghiệp tiêu biểu trên địa bàn.",
            "Với sự chủ trì của {person}, {position}, hội nghị đã tập trung thảo luận những khó khăn, vướng mắc của doanh nghiệp ngành {sector} và đề xuất các giải pháp tháo gỡ trong thời gian tới.",
            "Ngành Công Thương {place} đã tổ chức hội nghị nhằm nhìn lại chặng đường một năm thực hiện nhiệm vụ, đồng thời bàn các giải pháp thúc đẩy sản xuất công nghiệp và lưu thông hàng hóa trong năm {next_year}.",
        ),
        "bodies": (
            "Báo cáo tại hội nghị cho thấy chỉ số sản xuất công nghiệp toàn {place} ước tăng {pct} so với cùng kỳ; tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng đạt khoảng {billion} tỷ đồng, vượt kế hoạch đề ra.",
            "Nhiều ý kiến phát biểu tại hội nghị đề nghị đơn giản hóa thủ tục hành chính, đẩy nhanh tiến độ hoàn thiện hạ tầng các cụm công nghiệp và tăng cường kết nối giữa doanh nghiệp với các tổ chức tín dụng.",
            "Phát biểu chỉ đạo, {person} ghi nhận những nỗ lực của cộng đồng doanh nghiệp và yêu cầu các phòng chuyên môn tiếp thu đầy đủ ý kiến, tham mưu giải quyết dứt điểm các kiến nghị thuộc thẩm quyền của ngành.",
        ),
        "closings": (
            "Kết thúc hội nghị, Sở Công Thương đã tặng giấy khen cho {n2} tập thể và cá nhân có thành tích xuất sắc trong thực hiện nhiệm vụ chính trị của ngành năm {year}.",
        ),
        "docs": ("bao-cao", "ke-hoach"),
    },
    {
        "key": "hoi-thao",
        "titles": (
            "Hội thảo giải pháp chuyển đổi số cho doanh nghiệp nhỏ và vừa {place}",
            "Hội thảo nâng cao giá trị sản phẩm {product} gắn với chuỗi cung ứng",
            "{short}: Hội thảo về sản xuất sạch hơn trong ngành {sector}",
            "Hội thảo phát triển cụm công nghiệp gắn với bảo vệ môi trường tại {place}",
        ),
        "leads": (
            "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp {place} phối hợp với các chuyên gia tổ chức hội thảo chuyên đề, thu hút hơn {n} đại biểu là chủ cơ sở sản xuất, hợp tác xã và doanh nghiệp tham dự.",
            "Hội thảo được tổ chức nhằm cung cấp thông tin, kinh nghiệm thực tiễn và tạo diễn đàn để các cơ sở công nghiệp nông thôn trao đổi về đổi mới công nghệ, nâng cao năng suất lao động.",
        ),
        "bodies": (
            "Tại hội thảo, các chuyên gia đã trình bày nhiều tham luận về ứng dụng máy móc thiết bị tiên tiến, tiết kiệm năng lượng trong sản xuất và kinh nghiệm xây dựng thương hiệu cho sản phẩm {product} của địa phương.",
            "Đại diện doanh nghiệp cho biết chi phí đầu tư ban đầu còn cao, nguồn nhân lực kỹ thuật thiếu, trong khi yêu cầu của thị trường về truy xuất nguồn gốc ngày càng khắt khe, vì vậy rất cần sự đồng hành của cơ quan quản lý.",
            "Các ý kiến tại hội thảo thống nhất rằng liên kết giữa cơ sở sản xuất, nhà khoa học và nhà phân phối là chìa khóa để nâng cao giá trị gia tăng, mở rộng đầu ra ổn định cho sản phẩm.",
        ),
        "closings": (
            "Kết quả hội thảo sẽ là cơ sở để Sở Công Thương tham mưu Ủy ban nhân dân {place} ban hành các chính sách hỗ trợ phù hợp trong giai đoạn tiếp theo.",
        ),
        "docs": ("tai-lieu-hoi-thao",),
    },
    {
        "key": "hoi-cho",
        "titles": (
            "Khai mạc Hội chợ hàng công nghiệp nông thôn tiêu biểu {place} năm {year}",
            "{short}: Hội chợ Thương mại - Du lịch thu hút {n} gian hàng",
            "Triển lãm sản phẩm OCOP và hàng Việt tại {place}",
            "Hội chợ xúc tiến tiêu thụ {product} tại {commune}, {place}",
            "Tuần lễ trưng bày, giới thiệu sản phẩm {product} năm {year}",
        ),
        "leads": (
            "Hội chợ được tổ chức tại trung tâm {place} với quy mô {n} gian hàng của các doanh nghiệp, hợp tác xã và cơ sở sản xuất đến từ nhiều địa phương trong cả nước, kéo dài {days} ngày.",
            "Nhằm hỗ trợ doanh nghiệp quảng bá, giới thiệu sản phẩm và tìm kiếm đối tác, Sở Công Thương {place} đã phối hợp với các đơn vị liên quan tổ chức hội chợ triển lãm với nhiều hoạt động hưởng ứng.",
        ),
        "bodies": (
            "Các gian hàng trưng bày đa dạng sản phẩm như {product}, {product2}, hàng thủ công mỹ nghệ, máy móc nông nghiệp và hàng tiêu dùng thiết yếu, trong đó hàng Việt Nam chiếm trên {pct} tổng số sản phẩm.",
            "Bên cạnh hoạt động mua bán, ban tổ chức còn bố trí khu ẩm thực, chương trình văn nghệ, hội nghị kết nối giao thương và các buổi tư vấn về thiết kế bao bì, nhãn mác cho cơ sở sản xuất nhỏ.",
            "Ban tổ chức cam kết kiểm soát chặt chẽ nguồn gốc, chất lượng hàng hóa, niêm yết giá công khai và xử lý nghiêm các trường hợp kinh doanh hàng giả, hàng kém chất lượng tại hội chợ.",
        ),
        "closings": (
            "Dự kiến hội chợ sẽ đón khoảng {n2} nghìn lượt khách tham quan, mua sắm; doanh thu ước đạt {amount} triệu đồng, góp phần kích cầu tiêu dùng trên địa bàn.",
        ),
        "docs": ("ke-hoach-to-chuc-hoi-cho", "the-le-hoi-cho"),
    },
    {
        "key": "tap-huan",
        "titles": (
            "Tập huấn kỹ năng bán hàng trên sàn thương mại điện tử cho doanh nghiệp {place}",
            "Tập huấn nghiệp vụ quản lý cụm công nghiệp năm {year}",
            "{short}: Tập huấn an toàn hóa chất cho cơ sở sản xuất, kinh doanh",
            "Lớp tập huấn sử dụng năng lượng tiết kiệm và hiệu quả tại {commune}",
        ),
        "leads": (
            "Sở Công Thương {place} vừa tổ chức lớp tập huấn cho hơn {n} học viên là cán bộ quản lý, chủ doanh nghiệp và người lao động trực tiếp tại các cơ sở sản xuất trên địa bàn.",
            "Trong {days} ngày, các học viên được giảng viên giới thiệu các quy định pháp luật mới, hướng dẫn thực hành và giải đáp những vướng mắc phát sinh trong quá trình sản xuất, kinh doanh.",
        ),
        "bodies": (
            "Nội dung tập huấn tập trung vào quy trình đăng ký, vận hành gian hàng trực tuyến, kỹ năng chụp ảnh sản phẩm, xây dựng nội dung quảng bá và thanh toán không dùng tiền mặt.",
            "Các học viên đã được thực hành trực tiếp trên thiết bị, trao đổi kinh nghiệm xử lý tình huống và được cấp giấy chứng nhận hoàn thành khóa học sau khi kết thúc chương trình.",
            "Đây là hoạt động thuộc kế hoạch khuyến công năm {year}, nhằm nâng cao năng lực quản lý và kỹ năng nghề cho lực lượng lao động tại các cơ sở công nghiệp nông thôn.",
        ),
        "closings": (
            "Thời gian tới, Sở Công Thương sẽ tiếp tục mở thêm các lớp tập huấn tại những xã, phường còn lại, ưu tiên các cơ sở có sản phẩm tham gia Chương trình OCOP.",
        ),
        "docs": ("tai-lieu-tap-huan", "chuong-trinh-tap-huan"),
    },
    {
        "key": "khuyen-cong",
        "titles": (
            "Phê duyệt kinh phí khuyến công địa phương {place} năm {year}",
            "{short} dành {amount} triệu đồng hỗ trợ đề án khuyến công",
            "Nghiệm thu đề án khuyến công hỗ trợ máy móc cho cơ sở {product} tại {commune}",
            "Hiệu quả từ nguồn kinh phí khuyến công quốc gia tại {place}",
            "Hỗ trợ {billion} tỷ đồng kinh phí khuyến công cho các cơ sở ngành {sector}",
        ),
        "leads": (
            "Ủy ban nhân dân {place} vừa phê duyệt kế hoạch khuyến công năm {year} với tổng kinh phí {amount} triệu đồng, tập trung hỗ trợ ứng dụng máy móc thiết bị tiên tiến và phát triển sản phẩm công nghiệp nông thôn tiêu biểu.",
            "Từ nguồn kinh phí khuyến công, nhiều cơ sở sản xuất {product} tại {commune} đã mạnh dạn đầu tư dây chuyền mới, nâng cao năng suất và chất lượng sản phẩm.",
        ),
        "bodies": (
            "Trong năm, Trung tâm Khuyến công đã triển khai {n2} đề án, trong đó có các đề án hỗ trợ xây dựng mô hình trình diễn kỹ thuật, chuyển giao công nghệ và hỗ trợ thiết bị cho cơ sở ngành {sector} với tổng kinh phí {billion} tỷ đồng.",
            "Chủ cơ sở {person} cho biết nhờ được hỗ trợ {amount2} triệu đồng để mua máy, năng suất của cơ sở tăng gấp đôi, sản phẩm đồng đều hơn và đã ký được hợp đồng tiêu thụ với một số siêu thị.",
            "Hội đồng nghiệm thu đánh giá các đề án được thực hiện đúng nội dung, tiến độ; máy móc được đưa vào sử dụng hiệu quả, tạo việc làm ổn định cho khoảng {n} lao động địa phương.",
        ),
        "closings": (
            "Sở Công Thương đề nghị các đơn vị thụ hưởng sử dụng kinh phí đúng mục đích, thanh quyết toán theo quy định và nhân rộng mô hình hiệu quả ra các địa phương khác.",
        ),
        "docs": ("quyet-dinh-phe-duyet-kinh-phi", "danh-sach-de-an-khuyen-cong"),
    },
    {
        "key": "ho-tro-doanh-nghiep",
        "titles": (
            "Tháo gỡ khó khăn cho doanh nghiệp ngành {sector} {place}",
            "{short}: Hỗ trợ doanh nghiệp tiếp cận vốn vay ưu đãi năm {year}",
            "Đồng hành cùng doanh nghiệp nhỏ và vừa tại {commune}",
            "Chương trình hỗ trợ doanh nghiệp đổi mới sáng tạo trong sản xuất {product}",
        ),
        "leads": (
            "Thời gian qua, Sở Công Thương {place} đã chủ động nắm bắt tình hình sản xuất, kinh doanh và kịp thời tháo gỡ khó khăn cho doanh nghiệp, đặc biệt là các doanh nghiệp nhỏ và vừa trong lĩnh vực {sector}.",
            "Đoàn công tác của Sở Công Thương {place} do {person}, {position} làm trưởng đoàn đã làm việc với {n2} doanh nghiệp để nghe phản ánh về những khó khăn trong sản xuất và tiêu thụ sản phẩm.",
        ),
        "bodies": (
            "Các doanh nghiệp phản ánh giá nguyên liệu đầu vào tăng cao, đơn hàng xuất khẩu giảm, việc tiếp cận nguồn vốn vay còn nhiều thủ tục, trong khi chi phí logistics chiếm tỷ trọng lớn trong giá thành sản phẩm.",
            "Sở Công Thương đã phối hợp với ngân hàng tổ chức chương trình kết nối, giúp doanh nghiệp tiếp cận gói tín dụng ưu đãi với tổng hạn mức {billion} tỷ đồng và lãi suất thấp hơn mức thông thường.",
            "Ngoài hỗ trợ tài chính, doanh nghiệp còn được tư vấn về quản trị, xây dựng hệ thống quản lý chất lượng, đăng ký nhãn hiệu và tham gia các chương trình xúc tiến thương mại trong và ngoài nước.",
        ),
        "closings": (
            "Lãnh đạo Sở Công Thương khẳng định sẽ tiếp tục duy trì đường dây nóng, tiếp nhận và xử lý kịp thời mọi kiến nghị của doanh nghiệp trong phạm vi quản lý của ngành.",
        ),
        "docs": ("phieu-khao-sat-doanh-nghiep", "huong-dan-ho-tro-doanh-nghiep"),
    },
    {
        "key": "gia-ca",
        "titles": (
            "Tình hình giá cả thị trường {place} {month} năm {year}",
            "{short}: Giá {product} tăng nhẹ, thị trường hàng hóa ổn định",
            "Bình ổn giá các mặt hàng thiết yếu dịp cuối năm {year} tại {place}",
            "Diễn biến giá xăng dầu và vật liệu xây dựng trên địa bàn {place}",
        ),
        "leads": (
            "Thị trường hàng hóa trên địa bàn {place} trong {month} nhìn chung ổn định, nguồn cung dồi dào, không xảy ra tình trạng khan hiếm hàng hóa hay tăng giá đột biến.",
            "Sở Công Thương {place} vừa có báo cáo nhanh về diễn biến giá cả một số mặt hàng thiết yếu, trong đó giá {product} và thực phẩm tươi sống có biến động nhẹ do nhu cầu tiêu dùng tăng.",
        ),
        "bodies": (
            "Giá lương thực cơ bản ổn định; giá thịt heo hơi dao động từ 58.000 đến 62.000 đồng/kg, giá rau xanh tăng khoảng {pct} do ảnh hưởng của thời tiết, các mặt hàng gia vị và đồ khô giữ mức giá cũ.",
            "Các doanh nghiệp tham gia chương trình bình ổn thị trường đã chuẩn bị lượng hàng dự trữ trị giá khoảng {billion} tỷ đồng, cam kết bán đúng giá niêm yết và thấp hơn giá thị trường từ 5 đến 10%.",
            "Giá vật liệu xây dựng như sắt thép, xi măng, cát đá có xu hướng giảm nhẹ so với tháng trước, trong khi giá xăng dầu được điều chỉnh theo kỳ điều hành chung của liên Bộ Công Thương - Tài chính.",
        ),
        "closings": (
            "Sở Công Thương tiếp tục theo dõi sát diễn biến cung cầu, giá cả hàng hóa để kịp thời tham mưu các biện pháp bình ổn thị trường, bảo đảm quyền lợi của người tiêu dùng.",
        ),
        "docs": ("bang-gia-thi-truong",),
    },
    {
        "key": "dien-luc",
        "titles": (
            "Bảo đảm cung ứng điện mùa khô năm {year} trên địa bàn {place}",
            "{short}: Đưa điện lưới quốc gia về {commune}",
            "Tăng cường tiết kiệm điện trong cơ quan, công sở tại {place}",
            "Kiểm tra an toàn đập thủy điện trước mùa mưa bão năm {year}",
            "Phát triển điện mặt trời mái nhà tại {place}: tiềm năng và thách thức",
        ),
        "leads": (
            "Sở Công Thương {place} đã phối hợp với Công ty Điện lực xây dựng phương án bảo đảm cung ứng điện, ưu tiên cấp điện cho sản xuất, các khu vực trọng điểm và sinh hoạt của nhân dân.",
            "Công trình cấp điện nông thôn tại {commune} có tổng vốn đầu tư {billion} tỷ đồng, gồm đường dây trung thế, các trạm biến áp và hệ thống lưới hạ thế, phục vụ cho hơn {n} hộ dân.",
        ),
        "bodies": (
            "Sản lượng điện thương phẩm trên địa bàn tăng {pct} so với cùng kỳ, phụ tải đỉnh có thời điểm vượt mức dự báo do nắng nóng kéo dài, nhu cầu sử dụng thiết bị làm mát tăng mạnh.",
            "Ngành điện khuyến cáo người dân sử dụng điện an toàn, tiết kiệm, tắt các thiết bị khi không cần thiết, hạn chế dùng thiết bị công suất lớn vào giờ cao điểm từ 17 giờ đến 22 giờ.",
            "Đoàn kiểm tra đã làm việc với các chủ đập thủy điện về phương án ứng phó tình huống khẩn cấp, quy trình vận hành hồ chứa và việc thông tin cảnh báo cho người dân vùng hạ du.",
        ),
        "closings": (
            "Việc đưa điện về vùng sâu, vùng xa góp phần quan trọng vào phát triển kinh tế - xã hội, nâng cao đời sống vật chất và tinh thần cho đồng bào tại địa phương.",
        ),
        "docs": ("phuong-an-cung-ung-dien",),
    },
    {
        "key": "xuat-khau",
        "titles": (
            "Kim ngạch xuất khẩu {place} {quarter} năm {year} tăng {pct}",
            "{short}: Đẩy mạnh xuất khẩu {product} sang thị trường {market}",
            "Doanh nghiệp {place} tận dụng các hiệp định thương mại tự do",
            "Lô hàng {product} đầu tiên của {place} xuất khẩu sang {market}",
        ),
        "leads": (
            "Kim ngạch xuất khẩu hàng hóa của {place} trong {quarter} năm {year} ước đạt {billion} tỷ đồng, tăng {pct} so với cùng kỳ năm trước, trong đó các mặt hàng chủ lực tiếp tục giữ đà tăng trưởng.",
            "Nhằm mở rộng thị trường tiêu thụ, nhiều doanh nghiệp của {place} đã chủ động đầu tư công nghệ, đáp ứng tiêu chuẩn chất lượng để đưa sản phẩm {product} xuất khẩu sang {market}.",
        ),
        "bodies": (
            "Các mặt hàng xuất khẩu chủ yếu gồm {product}, {product2}, hàng dệt may, giày dép và sản phẩm gỗ; thị trường {market} tiếp tục là thị trường lớn nhất, chiếm khoảng {pct} tổng kim ngạch.",
            "Doanh nghiệp xuất khẩu vẫn gặp khó khăn do chi phí vận chuyển biến động, yêu cầu kỹ thuật của nhà nhập khẩu ngày càng cao và cạnh tranh gay gắt từ các nước trong khu vực.",
            "Sở Công Thương khuyến nghị doanh nghiệp tìm hiểu kỹ quy tắc xuất xứ, chủ động xin cấp chứng nhận để được hưởng ưu đãi thuế quan và chú trọng xây dựng mã số vùng trồng, vùng nuôi.",
        ),
        "closings": (
            "Dự báo những tháng cuối năm, hoạt động xuất khẩu của {place} sẽ tiếp tục khởi sắc khi các đơn hàng mới được ký kết và nhu cầu tiêu dùng tại các thị trường lớn phục hồi.",
        ),
        "docs": ("bao-cao-xuat-khau",),
    },
    {
        "key": "quan-ly-thi-truong",
        "titles": (
            "Tăng cường kiểm tra, kiểm soát thị trường dịp Tết Nguyên đán tại {place}",
            "{short}: Phát hiện và xử lý {n2} vụ vi phạm trong kinh doanh {product}",
            "Kiểm tra việc chấp hành quy định kinh doanh xăng dầu tại {commune}",
            "Đấu tranh chống buôn lậu, gian lận thương mại và hàng giả {quarter} năm {year}",
        ),
        "leads": (
            "Lực lượng quản lý thị trường trên địa bàn {place} đã tăng cường kiểm tra, kiểm soát, kịp thời phát hiện và xử lý nhiều vụ vi phạm về hàng giả, hàng không rõ nguồn gốc xuất xứ.",
            "Đoàn kiểm tra liên ngành do Sở Công Thương {place} chủ trì vừa tiến hành kiểm tra đột xuất các cơ sở kinh doanh trên địa bàn {commune}, tập trung vào các mặt hàng có nhu cầu tiêu dùng cao.",
        ),
        "bodies": (
            "Qua kiểm tra, lực lượng chức năng đã xử lý {n2} vụ vi phạm, phạt tiền {amount} triệu đồng, tịch thu và tiêu hủy nhiều sản phẩm {product} không có hóa đơn chứng từ hợp pháp.",
            "Các hành vi vi phạm chủ yếu là kinh doanh hàng hóa không rõ nguồn gốc, không niêm yết giá, vi phạm quy định về nhãn hàng hóa và kinh doanh hàng hóa quá hạn sử dụng.",
            "Cơ quan chức năng đề nghị người tiêu dùng lựa chọn cơ sở kinh doanh uy tín, kiểm tra kỹ nhãn mác, hạn sử dụng và kịp thời phản ánh các dấu hiệu vi phạm qua đường dây nóng.",
        ),
        "closings": (
            "Trong thời gian tới, các lực lượng chức năng sẽ tiếp tục duy trì kiểm tra thường xuyên, xử lý nghiêm các trường hợp vi phạm nhằm giữ ổn định thị trường và bảo vệ người tiêu dùng.",
        ),
        "docs": ("ke-hoach-kiem-tra",),
    },
    {
        "key": "thuong-mai-dien-tu",
        "titles": (
            "Phát triển thương mại điện tử {place} giai đoạn {year} - {next_year}",
            "{short}: Đưa sản phẩm {product} lên sàn thương mại điện tử",
            "Hỗ trợ hộ kinh doanh tại {commune} bán hàng trực tuyến",
            "Thương mại điện tử mở hướng tiêu thụ mới cho nông sản {place}",
        ),
        "leads": (
            "Sở Công Thương {place} đang triển khai nhiều giải pháp hỗ trợ doanh nghiệp, hợp tác xã và hộ kinh doanh ứng dụng thương mại điện tử, mở rộng kênh phân phối sản phẩm ra thị trường cả nước.",
            "Đến nay, đã có {n} sản phẩm của {place}, trong đó có {product} và {product2}, được đưa lên các sàn thương mại điện tử lớn, doanh số bán hàng trực tuyến tăng {pct} so với năm trước.",
        ),
        "bodies": (
            "Các cơ sở được hỗ trợ mở gian hàng, chụp ảnh, viết mô tả sản phẩm, hướng dẫn quy trình đóng gói, vận chuyển và chăm sóc khách hàng, qua đó từng bước làm quen với phương thức kinh doanh mới.",
            "Tuy nhiên, nhiều chủ thể vẫn còn lúng túng trong quản lý đơn hàng, chưa có đội ngũ chuyên trách và gặp khó khăn khi cạnh tranh về giá với các sản phẩm cùng loại trên thị trường trực tuyến.",
            "Sở Công Thương khuyến khích các địa phương xây dựng mã QR truy xuất nguồn gốc, tổ chức các phiên livestream bán hàng và kết nối với các nền tảng phân phối uy tín.",
        ),
        "closings": (
            "Mục tiêu đến năm {next_year}, trên {pct} doanh nghiệp của {place} có website hoặc gian hàng trên sàn thương mại điện tử, góp phần thúc đẩy chuyển đổi số trong lĩnh vực thương mại.",
        ),
        "docs": ("ke-hoach-phat-trien-thuong-mai-dien-tu",),
    },
    {
        "key": "an-toan-thuc-pham",
        "titles": (
            "Bảo đảm an toàn thực phẩm trong Tháng hành động năm {year} tại {place}",
            "{short}: Kiểm tra an toàn thực phẩm tại các cơ sở sản xuất {product}",
            "Cấp giấy chứng nhận đủ điều kiện an toàn thực phẩm cho cơ sở tại {commune}",
            "Tập huấn kiến thức an toàn thực phẩm ngành Công Thương {place}",
        ),
        "leads": (
            "Hưởng ứng Tháng hành động vì an toàn thực phẩm, Sở Công Thương {place} đã thành lập đoàn kiểm tra các cơ sở sản xuất, kinh doanh thực phẩm thuộc phạm vi quản lý của ngành.",
            "Trong năm {year}, Sở Công Thương {place} đã thẩm định và cấp {n2} giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm, chủ yếu cho các cơ sở sản xuất {product}, bánh kẹo và đồ uống.",
        ),
        "bodies": (
            "Qua kiểm tra, phần lớn cơ sở đã chấp hành tốt quy định về điều kiện vệ sinh, nguồn gốc nguyên liệu và khám sức khỏe định kỳ cho người lao động; một số cơ sở còn thiếu sót về lưu mẫu và ghi chép hồ sơ.",
            "Đoàn kiểm tra đã lấy {n2} mẫu sản phẩm để kiểm nghiệm các chỉ tiêu vi sinh, kim loại nặng và chất bảo quản; kết quả cho thấy các mẫu đều đạt yêu cầu theo quy chuẩn hiện hành.",
            "Các cơ sở được hướng dẫn khắc phục tồn tại, hoàn thiện hồ sơ tự công bố sản phẩm và cam kết tuân thủ nghiêm các quy định về an toàn thực phẩm trong quá trình sản xuất.",
        ),
        "closings": (
            "Sở Công Thương sẽ tiếp tục kiểm tra sau cấp phép, kiên quyết đình chỉ hoạt động đối với các cơ sở không bảo đảm điều kiện, góp phần bảo vệ sức khỏe người tiêu dùng.",
        ),
        "docs": ("danh-sach-co-so-du-dieu-kien",),
    },
    {
        "key": "cong-nghiep-nong-thon",
        "titles": (
            "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh {place} năm {year}",
            "{short}: {n2} sản phẩm đạt danh hiệu công nghiệp nông thôn tiêu biểu",
            "Làng nghề {product} tại {commune} vươn lên nhờ khuyến công",
            "Phát triển cụm công nghiệp gắn với công nghiệp nông thôn tại {place}",
        ),
        "leads": (
            "Hội đồng bình chọn sản phẩm công nghiệp nông thôn tiêu biểu {place} năm {year} đã đánh giá {n} sản phẩm của các cơ sở, doanh nghiệp và hợp tác xã trên địa bàn.",
            "Làng nghề sản xuất {product} tại {commune} hiện có {n} hộ tham gia, tạo việc làm thường xuyên cho hàng trăm lao động với thu nhập ổn định từ 6 đến 8 triệu đồng mỗi tháng.",
        ),
        "bodies": (
            "Các sản phẩm được đánh giá theo các tiêu chí về tính mới, tính sáng tạo, khả năng sản xuất hàng loạt, hiệu quả kinh tế - xã hội và khả năng phát triển thị trường trong nước và xuất khẩu.",
            "Nhiều sản phẩm đạt giải có chất lượng cao, mẫu mã đẹp, mang đậm bản sắc văn hóa địa phương như {product}, {product2} và các sản phẩm thủ công mỹ nghệ từ nguyên liệu sẵn có.",
            "Được hỗ trợ từ chương trình khuyến công, các hộ sản xuất đã đầu tư máy móc, cải tiến mẫu mã và đăng ký nhãn hiệu tập thể, giúp sản phẩm có mặt tại nhiều siêu thị và cửa hàng đặc sản.",
        ),
        "closings": (
            "Các sản phẩm đạt giải cấp tỉnh sẽ được lựa chọn tham gia bình chọn cấp khu vực và cấp quốc gia, đồng thời được hỗ trợ quảng bá tại các hội chợ trong năm {next_year}.",
        ),
        "docs": ("the-le-binh-chon", "danh-sach-san-pham-tieu-bieu"),
    },
)

GENERIC_BODIES = (
    "Để đạt được kết quả trên, Sở Công Thương đã chủ động phối hợp với các sở, ngành và Ủy ban nhân dân các xã, phường triển khai đồng bộ nhiều giải pháp, bám sát tình hình thực tế tại cơ sở.",
    "Công tác tuyên truyền được đẩy mạnh trên các phương tiện thông tin đại chúng, trang thông tin điện tử của Sở và mạng xã hội, giúp doanh nghiệp và người dân kịp thời nắm bắt chủ trương, chính sách mới.",
    "{Person}, {position}, nhấn mạnh cần tiếp tục cải cách thủ tục hành chính, nâng cao chất lượng phục vụ và tạo môi trường thuận lợi nhất cho hoạt động sản xuất, kinh doanh trên địa bàn.",
    "Bên cạnh kết quả đạt được, công tác quản lý vẫn còn một số hạn chế như nguồn lực còn mỏng, sự phối hợp giữa các đơn vị có lúc chưa chặt chẽ, số liệu thống kê chưa được cập nhật kịp thời.",
    "Năm {year}, ngành Công Thương {place} đặt mục tiêu giá trị sản xuất công nghiệp tăng từ 9 đến 10%, tổng mức bán lẻ hàng hóa tăng trên 12% và kim ngạch xuất khẩu đạt kế hoạch được giao.",
    "Nhiều doanh nghiệp đánh giá cao sự quan tâm của cơ quan quản lý nhà nước và mong muốn được tiếp tục hỗ trợ về xúc tiến thương mại, đào tạo nguồn nhân lực và ứng dụng khoa học công nghệ.",
    "Tổng kinh phí thực hiện các nội dung trên khoảng {billion} tỷ đồng từ nguồn ngân sách địa phương, nguồn khuyến công quốc gia và vốn đối ứng của các cơ sở, doanh nghiệp tham gia.",
    "Các đơn vị được giao nhiệm vụ cần xây dựng kế hoạch chi tiết, phân công rõ trách nhiệm, định kỳ báo cáo kết quả thực hiện về Sở Công Thương trước ngày 20 hằng tháng để tổng hợp.",
)
GENERIC_CLOSINGS = (
    "Sở Công Thương {place} đề nghị các cơ quan, đơn vị, doanh nghiệp quan tâm phối hợp thực hiện, mọi thông tin chi tiết xin liên hệ Văn phòng Sở để được hướng dẫn.",
    "Thời gian tới, ngành Công Thương {place} sẽ tiếp tục theo dõi, đánh giá kết quả thực hiện và kịp thời đề xuất điều chỉnh chính sách cho phù hợp với tình hình thực tế.",
)

# -- attachments ----------------------------------------------------------------------------

#: document stem → (document title, body template, phrase template). The phrase is what
#: ``Attachment.text`` holds and the document contains.
DOCUMENTS: dict[str, tuple[str, str, str]] = {
    "bao-cao": (
        "BÁO CÁO Kết quả thực hiện nhiệm vụ ngành Công Thương",
        "Sở Công Thương báo cáo kết quả thực hiện nhiệm vụ trong kỳ như sau. Chỉ số sản xuất công nghiệp tăng so với cùng kỳ. {phrase}. Các đơn vị tiếp tục triển khai nhiệm vụ được giao.",
        "giá trị sản xuất ước đạt {b} tỷ đồng",
    ),
    "ke-hoach": (
        "KẾ HOẠCH Triển khai nhiệm vụ trọng tâm",
        "Căn cứ chương trình công tác năm, Sở Công Thương ban hành kế hoạch như sau. {phrase}. Các phòng, đơn vị thuộc Sở tổ chức thực hiện nghiêm túc kế hoạch này.",
        "kế hoạch số {k}/KH-SCT về nhiệm vụ trọng tâm",
    ),
    "tai-lieu-hoi-thao": (
        "TÀI LIỆU HỘI THẢO Chuyển đổi số và sản xuất sạch hơn",
        "Tài liệu gồm các tham luận của chuyên gia và doanh nghiệp. {phrase}. Đề nghị đại biểu nghiên cứu trước khi tham dự hội thảo.",
        "chuyên đề số {k} về đổi mới công nghệ",
    ),
    "ke-hoach-to-chuc-hoi-cho": (
        "KẾ HOẠCH Tổ chức Hội chợ hàng công nghiệp nông thôn tiêu biểu",
        "Hội chợ nhằm quảng bá, giới thiệu sản phẩm và kết nối tiêu thụ. {phrase}. Ban tổ chức bố trí gian hàng tiêu chuẩn cho các đơn vị đăng ký đúng hạn.",
        "quy mô dự kiến {k} gian hàng tiêu chuẩn",
    ),
    "the-le-hoi-cho": (
        "THỂ LỆ Tham gia Hội chợ Thương mại",
        "Đơn vị tham gia phải có hàng hóa rõ nguồn gốc, niêm yết giá công khai. {phrase}. Ban tổ chức có quyền từ chối các sản phẩm không bảo đảm chất lượng.",
        "phí thuê mỗi gian hàng là {m} nghìn đồng",
    ),
    "tai-lieu-tap-huan": (
        "TÀI LIỆU TẬP HUẤN Kỹ năng kinh doanh trực tuyến",
        "Phần một giới thiệu tổng quan về thương mại điện tử. {phrase}. Phần hai hướng dẫn thực hành mở gian hàng và quản lý đơn hàng.",
        "bài {k} hướng dẫn đăng ký gian hàng trực tuyến",
    ),
    "chuong-trinh-tap-huan": (
        "CHƯƠNG TRÌNH Lớp tập huấn nghiệp vụ",
        "Buổi sáng khai mạc và giới thiệu văn bản pháp luật mới. {phrase}. Buổi chiều thảo luận, giải đáp vướng mắc và bế mạc lớp học.",
        "lớp học dành cho {k} học viên đăng ký",
    ),
    "quyet-dinh-phe-duyet-kinh-phi": (
        "QUYẾT ĐỊNH Phê duyệt kinh phí khuyến công địa phương",
        "Điều 1. Phê duyệt danh mục đề án khuyến công địa phương năm. {phrase}. Điều 2. Giao Trung tâm Khuyến công tổ chức thực hiện theo quy định.",
        "tổng kinh phí khuyến công là {m} triệu đồng",
    ),
    "danh-sach-de-an-khuyen-cong": (
        "DANH SÁCH Các đề án khuyến công được hỗ trợ",
        "Danh sách gồm các đề án hỗ trợ máy móc thiết bị, xây dựng mô hình trình diễn kỹ thuật. {phrase}. Các cơ sở thụ hưởng thực hiện đối ứng theo cam kết.",
        "đề án thứ {k} hỗ trợ máy móc tiên tiến",
    ),
    "phieu-khao-sat-doanh-nghiep": (
        "PHIẾU KHẢO SÁT Nhu cầu hỗ trợ của doanh nghiệp",
        "Doanh nghiệp vui lòng điền đầy đủ thông tin vào phiếu. {phrase}. Phiếu khảo sát gửi về Sở Công Thương trước thời hạn quy định.",
        "câu hỏi số {k} về nhu cầu vay vốn",
    ),
    "huong-dan-ho-tro-doanh-nghiep": (
        "HƯỚNG DẪN Thủ tục đề nghị hỗ trợ doanh nghiệp nhỏ và vừa",
        "Hồ sơ đề nghị hỗ trợ gồm đơn đăng ký, bản sao giấy chứng nhận đăng ký doanh nghiệp. {phrase}. Thời gian giải quyết hồ sơ không quá mười ngày làm việc.",
        "mức hỗ trợ tối đa {m} triệu đồng",
    ),
    "bang-gia-thi-truong": (
        "BẢNG GIÁ Một số mặt hàng thiết yếu trên thị trường",
        "Bảng giá được tổng hợp từ các chợ và siêu thị trên địa bàn. {phrase}. Giá các mặt hàng khác ổn định so với kỳ trước.",
        "giá gạo tẻ thường {m} đồng mỗi ki lô gam",
    ),
    "phuong-an-cung-ung-dien": (
        "PHƯƠNG ÁN Bảo đảm cung ứng điện mùa khô",
        "Phương án xác định các phụ tải ưu tiên và kịch bản vận hành lưới điện. {phrase}. Các đơn vị điện lực trực vận hành hai mươi bốn giờ mỗi ngày.",
        "công suất dự phòng tối thiểu {k} megawatt",
    ),
    "bao-cao-xuat-khau": (
        "BÁO CÁO Tình hình xuất nhập khẩu hàng hóa",
        "Kim ngạch xuất khẩu tiếp tục tăng trưởng ở các mặt hàng chủ lực. {phrase}. Thị trường truyền thống giữ ổn định, thị trường mới được mở rộng.",
        "kim ngạch xuất khẩu đạt {b} tỷ đồng trong kỳ",
    ),
    "ke-hoach-kiem-tra": (
        "KẾ HOẠCH Kiểm tra, kiểm soát thị trường",
        "Kế hoạch tập trung vào các mặt hàng thiết yếu, hàng giả và hàng không rõ nguồn gốc. {phrase}. Đoàn kiểm tra báo cáo kết quả sau khi kết thúc đợt kiểm tra.",
        "đợt kiểm tra thứ {k} tại các chợ đầu mối",
    ),
    "ke-hoach-phat-trien-thuong-mai-dien-tu": (
        "KẾ HOẠCH Phát triển thương mại điện tử",
        "Mục tiêu của kế hoạch là mở rộng kênh phân phối trực tuyến cho doanh nghiệp địa phương. {phrase}. Sở Công Thương chủ trì, phối hợp với các đơn vị liên quan tổ chức thực hiện.",
        "hỗ trợ {k} doanh nghiệp mở gian hàng trực tuyến",
    ),
    "danh-sach-co-so-du-dieu-kien": (
        "DANH SÁCH Cơ sở đủ điều kiện an toàn thực phẩm",
        "Danh sách các cơ sở sản xuất, kinh doanh thực phẩm đã được cấp giấy chứng nhận. {phrase}. Giấy chứng nhận có hiệu lực trong thời hạn ba năm.",
        "cơ sở số {k} đạt chứng nhận an toàn",
    ),
    "the-le-binh-chon": (
        "THỂ LỆ Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu",
        "Sản phẩm tham gia bình chọn phải do cơ sở công nghiệp nông thôn sản xuất. {phrase}. Hội đồng chấm điểm theo thang điểm một trăm.",
        "sản phẩm đạt từ {k} điểm được công nhận",
    ),
    "danh-sach-san-pham-tieu-bieu": (
        "DANH SÁCH Sản phẩm công nghiệp nông thôn tiêu biểu",
        "Danh sách gồm các sản phẩm được Hội đồng bình chọn công nhận. {phrase}. Các cơ sở có sản phẩm được công nhận được hỗ trợ quảng bá.",
        "sản phẩm tiêu biểu số {k} của cơ sở",
    ),
}
_DOC_VARIANTS = 2  # distinct documents per stem and type: a small pool, so little PDF rendering
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


@lru_cache(maxsize=256)
def make_pdf(text: str) -> bytes:
    """A one-page-or-more PDF of ``text`` (lines = paragraphs) whose text pypdf can extract.

    Vietnamese needs the DejaVu Sans TTF; without it the PDF is ASCII (diacritics removed).
    """
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(_FIXED_DATE)
    pdf.set_title(text.split("\n", 1)[0][:80] if HAS_FONT else ascii_text(text.split("\n", 1)[0][:80]))
    pdf.add_page()
    if HAS_FONT:
        pdf.add_font("DejaVu", "", FONT_PATH)
        pdf.set_font("DejaVu", size=11)
    else:
        pdf.set_font("Helvetica", size=11)
        text = ascii_text(text)
    for line in text.split("\n"):
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    return bytes(pdf.output())


@lru_cache(maxsize=256)
def make_docx(text: str) -> bytes:
    """A DOCX (python-docx) with one paragraph per line of ``text``; byte-for-byte deterministic."""
    import docx

    document = docx.Document()
    props = document.core_properties
    props.created = props.modified = props.last_printed = _FIXED_DATE
    props.author = props.last_modified_by = "Sở Công Thương"
    lines = text.split("\n")
    document.add_heading(lines[0], level=1)
    for line in lines[1:]:
        document.add_paragraph(line)
    raw = io.BytesIO()
    document.save(raw)
    # python-docx stamps zip entries with the current time: rewrite them with a fixed one
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 8, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def make_doc(seed: int) -> bytes:
    """Legacy Word bytes: OLE magic and noise (unreadable on purpose)."""
    rng = random.Random(seed)
    return OLE_MAGIC + bytes(rng.getrandbits(8) for _ in range(504))


_MAKERS = {PDF: make_pdf, DOCX: make_docx}


class LazyAttachment(Attachment):
    """An :class:`Attachment` whose ``data`` is rendered on first access (cached per text).

    Behaves like the dataclass (``==``, ``repr``, ``dataclasses.replace``/``asdict``); assigning
    ``data`` replaces the bytes.
    """

    def __init__(
        self, filename: str, media_type: str, data: bytes | None = None, text: str | None = None,
        *, document: str | None = None,
    ) -> None:
        self.filename = filename
        self.media_type = media_type
        self.text = text
        self._document = document
        self._data = data

    @property  # type: ignore[override]
    def data(self) -> bytes:
        if self._data is None:
            self._data = _MAKERS[self.media_type](self._document or self.text or "")
        return self._data

    @data.setter
    def data(self, value: bytes) -> None:
        self._data = value


def _document(stem: str, variant: int) -> tuple[str, str]:
    """(full document text, phrase) for one pool document."""
    title, body, phrase_t = DOCUMENTS[stem]
    k = 11 + (sum(map(ord, stem)) * 7 + variant * 37) % 80
    phrase = phrase_t.format(k=k, m=_vn_int(150 * k), b=_vn_dec(k / 4))
    phrase = phrase[0].upper() + phrase[1:]  # it opens a sentence in the document
    text = f"{title}\n{body.format(phrase=phrase)}\nSở Công Thương trân trọng thông báo."
    return text, phrase


def _attachments(rng: random.Random, topic: dict, year: int, article_id: int, used: set[str]) -> list[Attachment]:
    out: list[Attachment] = []
    stems = list(topic["docs"])
    count = 1 if rng.random() < 0.7 else 2
    for i in range(count):
        stem = stems[i % len(stems)]
        r = rng.random()
        ext, media = ("pdf", PDF) if r < 0.55 else ("docx", DOCX) if r < 0.9 else ("doc", DOC)
        name = f"{stem}-so-{article_id}-{year}.{ext}"
        n = 2
        while name in used:
            name = f"{stem}-so-{article_id}-{year}-{n}.{ext}"
            n += 1
        used.add(name)
        if media == DOC:
            out.append(Attachment(name, DOC, make_doc(article_id * 31 + i), None))
            continue
        # a small pool of distinct documents (rendering a PDF costs ~40 ms)
        text, phrase = _document(stem, rng.randrange(_DOC_VARIANTS))
        if media == PDF and not HAS_FONT:  # the PDF will be ASCII
            phrase = ascii_text(phrase)
        out.append(LazyAttachment(name, media, None, phrase, document=text))
    return out


# -- articles -------------------------------------------------------------------------------


class _Slots(dict):
    def __missing__(self, key: str) -> str:  # a template typo must not crash a demo
        return "{" + key + "}"


def _person(rng: random.Random) -> str:
    if rng.random() < 0.6:
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"
        return f"ông {name}"
    return f"bà {rng.choice(SURNAMES)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"


def _slots(rng: random.Random, year: int) -> _Slots:
    name, place, short = rng.choice(PROVINCES)
    person = _person(rng)
    product, product2 = rng.sample(PRODUCTS, 2)
    pct = f"{_vn_dec(rng.randint(25, 250) / 10)}%"
    return _Slots(
        prov=name, place=place, Place=place[0].upper() + place[1:], short=short,
        year=year, next_year=year + 1,
        amount=_vn_int(rng.randrange(350, 4800, 25)), amount2=_vn_int(rng.randrange(50, 600, 10)),
        billion=_vn_dec(rng.randint(12, 480) / 10), n=rng.randint(45, 320), n2=rng.randint(6, 40),
        pct=pct, commune=rng.choice(COMMUNES), product=product, product2=product2,
        sector=rng.choice(SECTORS), market=rng.choice(MARKETS), person=person,
        Person=person[0].upper() + person[1:], position=rng.choice(POSITIONS),
        month=rng.choice(MONTHS), quarter=rng.choice(QUARTERS), days=rng.randint(3, 7),
    )


def _fit(paragraph: str, filler: str) -> str:
    """Keep a paragraph within 120–600 characters."""
    if len(paragraph) < 120:
        paragraph = f"{paragraph} {filler}"
    if len(paragraph) > 600:
        cut = paragraph.rfind(". ", 0, 599)
        paragraph = paragraph[: cut + 1] if cut > 120 else paragraph[:599].rsplit(" ", 1)[0] + "."
    return paragraph


def _next_time(rng: random.Random, prev: datetime | None, start: datetime) -> datetime:
    """Strictly after ``prev`` (or at/after ``start``), 5–30 hours on, between 07:00 and 18:00."""
    if prev is None:
        t = start.replace(second=0, microsecond=0)
        if t < start:
            t += timedelta(minutes=1)
        floor = t
    else:
        t = prev + timedelta(hours=rng.randint(5, 30), minutes=rng.randint(0, 59))
        floor = prev + timedelta(hours=1)
    if t.hour < 7:  # prev was yesterday: any morning time today is later
        t = t.replace(hour=rng.randint(7, 10), minute=rng.randint(0, 59))
    elif t.hour >= 18:
        back = t.replace(hour=rng.randint(13, 17), minute=rng.randint(0, 59))
        if back >= floor:
            t = back
        else:
            t = (t + timedelta(days=1)).replace(hour=rng.randint(7, 11), minute=rng.randint(0, 59))
    if t < floor:  # only for the first one: start was in the evening
        t = (floor + timedelta(days=1)).replace(hour=rng.randint(7, 11), minute=rng.randint(0, 59))
    return t


def make_articles(n: int, *, seed: int, start: datetime, first_id: int = 1) -> list[SampleArticle]:
    """``n`` articles, OLDEST first, ids ``first_id``… and ``published`` increasing from ``start``.

    Deterministic in (n, seed, start, first_id); titles and slugs distinct within the call;
    attachment filenames unique within the call (and within a site: they carry the article id).
    """
    rng = random.Random(seed)
    titles: set[str] = set()
    slugs: set[str] = set()
    files: set[str] = set()
    out: list[SampleArticle] = []
    prev: datetime | None = None
    for i in range(n):
        aid = first_id + i
        published = _next_time(rng, prev, start)
        prev = published
        year = published.year
        topic = TOPICS[rng.randrange(len(TOPICS))]
        s = _slots(rng, year)
        title = rng.choice(topic["titles"]).format_map(s)
        title = title[0].upper() + title[1:]
        slug = slugify(title)
        base_title, k = title, 0
        while title in titles or slug in slugs:
            k += 1
            if k == 1 and s["prov"] not in base_title and ":" not in base_title:
                title = f"{s['short']}: {base_title}"
            elif k <= 2 and " tại " not in base_title:
                title = f"{base_title} tại {rng.choice(COMMUNES)}"
            elif k <= 4:
                title = f"{base_title} (đợt {k})"
            else:
                title = f"{base_title} (bài số {aid})"
            slug = slugify(title)
        titles.add(title)
        slugs.add(slug)

        n_par = rng.randint(3, 8)
        n_body = n_par - 2
        pool = list(topic["bodies"]) + rng.sample(GENERIC_BODIES, min(len(GENERIC_BODIES), max(0, n_body - len(topic["bodies"])) + 2))
        bodies = rng.sample(pool, n_body)
        closing = rng.choice(topic["closings"] + GENERIC_CLOSINGS)
        filler = GENERIC_BODIES[0].format_map(s)
        paragraphs = [
            _fit(p.format_map(s), filler)
            for p in (rng.choice(topic["leads"]), *bodies, closing)
        ]

        source = rng.choice(SOURCES) if rng.random() < 0.4 else None
        attachments = _attachments(rng, topic, year, aid, files) if rng.random() < 0.2 else []
        updated = None
        if rng.random() < 0.1:
            updated = published + timedelta(hours=rng.randint(1, 48), minutes=rng.randint(0, 59))
        out.append(
            SampleArticle(
                id=aid, slug=slug, title=title, published=published, paragraphs=paragraphs,
                source=source, attachments=attachments, updated=updated,
            )
        )
    return out
