"""Facts of a conference flag: the event's date (not a document's or a deadline), its name,
its place (a province, old or new name) and its organizers."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from archive.flags.evidence import _key, _keyrx, _rx, _words_rx
from archive.vietnamese import provinces
from archive.vietnamese.dates import DateMatch, find_dates, resolve_year

_DOC_DATE_BEFORE = re.compile(_keyrx(
    r"(?:(?:quyết định|nghị định|nghị quyết|thông tư|công văn|văn bản|kế hoạch|chỉ thị|thông báo|"
    r"tờ trình|luật|hợp đồng)(?: số)? [\w./-]*\d[\w./-]*(?: của [^,;.]{0,40}?)?|"
    r"ban hành|ký|thông qua|hiệu lực(?: thi hành)? (?:từ|kể từ)|trước|hạn[^,;.]{0,20}?|"
    r"kể từ|đến hết)\s*(?:ngày\s*)?$"
))
_EVENT_NAME_STOP = _rx(
    r"tại", r"do", r"vào", r"nhằm", r"với sự", r"với chủ đề", r"với", r"diễn ra", r"được",
    r"sẽ", r"đã", r"thu hút", r"khai mạc", r"bế mạc", r"từ ngày", r"ngày", r"trong", r"cho",
    r"theo", r"để", r"có", r"là", r"chính thức", r"dự kiến", r"thành công",
)
_TITLE_NAME_STOP = _rx(
    r"tại", r"sẽ", r"diễn ra", r"được tổ chức", r"đã", r"thu hút", r"chính thức", r"dự kiến",
    r"vào ngày", r"từ ngày",
)
_EVENT_NAME_PUNCT = re.compile(r"[.;:()\[\]|!?]|,(?!\s*(?:thành phố|tp\b|\d))")
_TITLE_NAME_PUNCT = re.compile(r"[;:|!?]|\s[-–]\s(?=[a-zđà-ỹ])|\.(?=\s|$)")
_NAME_PREFIX = re.compile(_keyrx(r"(?:chương trình|lớp|khóa|buổi|đợt)\s+$"))



# News leads write "Chiều 28/3, …" without "ngày", and days as "ngày 5 và 6/8", "từ ngày
# 17 đến 21/6"; find_dates wants "ngày 28/3" (and a reference year).
_DAYPART_DATE = re.compile(
    _keyrx(r"(?<!\w)(?:sáng|chiều|tối|trưa|đêm|ngày)(?: nay| qua| hôm nay)?\s*\(?")
    + _keyrx(r"(?:(\d{1,2})\s*(?:và|,|-|–|đến)\s*)?")
    + r"(\d{1,2})\s*[/-]\s*(\d{1,2})(?![/\d-])"
)


def _has_event_day(key: str) -> bool:
    """A day and month that may be an event's, with no year needed (no publication date)."""
    return any(
        not _DOC_DATE_BEFORE.search(key[max(0, m.start() - 60) : m.start()])
        and 1 <= int(m.group(2)) <= 31 and 1 <= int(m.group(3)) <= 12
        for m in _DAYPART_DATE.finditer(key)
    )


def _event_dates(sentence: str, ref: date | None, key: str | None = None) -> list[DateMatch]:
    """Dates in a sentence that may be an event's, not a document's or a deadline."""
    out = []
    key = _key(sentence) if key is None else key
    for d in find_dates(sentence, ref):
        if _DOC_DATE_BEFORE.search(key[max(0, d.start - 60) : d.start]):
            continue
        out.append(d)
    if ref is not None:
        for m in _DAYPART_DATE.finditer(key):
            first = 1 if m.group(1) else 2
            if any(d.start <= m.start(first) < d.end or d.start <= m.start(2) < d.end for d in out):
                continue
            if _DOC_DATE_BEFORE.search(key[max(0, m.start() - 60) : m.start()]):
                continue
            value = resolve_year(int(m.group(first)), int(m.group(3)), ref)
            if value is not None:
                span = (m.start(first), m.end(3))
                out.append(DateMatch(value, None, *span, sentence[span[0] : span[1]], False, None))
        out.sort(key=lambda d: d.start)
    return out


def _event_name(
    text: str, key: str, m: re.Match[str], stops: re.Pattern[str], punct: re.Pattern[str]
) -> str:
    start = m.start()
    prefix = _NAME_PREFIX.search(key[max(0, start - 15) : start])
    if prefix:
        start -= len(prefix.group())
    end = len(text)
    p = punct.search(text, m.end())
    if p:
        end = p.start()
    s = stops.search(key, m.end(), end)
    # Keep "lần thứ IX năm 2018"; stop at the first stop word that follows the name.
    if s:
        end = s.start()
    name = text[start:end].strip(" ,–-")
    if name.count("“") > name.count("”") and text[end : end + 1] == "”":
        name += "”"
    if len(name) > 200:
        name = name[:200].rsplit(" ", 1)[0] + " …"
    return name


# Province names (and a few spellings) as they are written, tone marks normalised.
_PLACE_ALIASES = (
    "TP.HCM", "TP. HCM", "TP HCM", "TPHCM", "Thành phố Hồ Chí Minh", "Bà Rịa - Vũng Tàu",
    "Bà Rịa Vũng Tàu", "BR-VT", "Thừa Thiên - Huế", "Đắc Lắc", "Đăk Lăk", "Đăk Nông",
)
_PROVINCE = _words_rx([
    re.escape(_key(n)).replace(r"\ ", r"\s+")
    for n in sorted({*provinces.ALL_NAMES, *_PLACE_ALIASES}, key=len, reverse=True)
])
_NOT_PLACE_BEFORE = re.compile(
    _keyrx(
        r"(?:quảng trường|đường|phố|chủ tịch|tư tưởng|lăng|bảo tàng|trường|đại học|học viện|"
        r"cung văn hóa|sông|cầu|nhà hát|khách sạn|sân vận động|công viên|bác)\s*$"
    )
)
_TAI = _rx(r"tại")
_CLAUSE_END = re.compile(r"[,.;:()]| – | - |\s(?:do|với|vào|nhằm|từ)\s")


@lru_cache(maxsize=1024)
def _lookup(name: str) -> str | None:
    return provinces.lookup(name)


def _provinces_in(text: str, key: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    hi = len(key) if hi is None else hi
    out = []
    for m in _PROVINCE.finditer(key, lo, hi):
        if _NOT_PLACE_BEFORE.search(key[max(0, m.start() - 20) : m.start()]):
            continue
        if _lookup(text[m.start() : m.end()]) is None:
            continue
        out.append((m.start(), m.end()))
    return out


def _tai_province(text: str, key: str) -> tuple[int, int] | None:
    """The province of the first "tại …" clause that names one."""
    for t in _TAI.finditer(key):
        end_m = _CLAUSE_END.search(text, t.end() + 1)
        end = end_m.start() if end_m else len(text)
        # "tại Trung tâm Hội nghị tỉnh, TP. Tuy Hòa, Phú Yên": look one comma further.
        if end_m and text[end_m.start()] == ",":
            end2 = _CLAUSE_END.search(text, end_m.end())
            end = end2.start() if end2 else len(text)
        found = _provinces_in(text, key, t.end(), end)
        if found:
            return found[0]
    return None


_ORG_HEAD = _rx(
    r"bộ công thương", r"cục", r"sở công thương", r"sở", r"trung tâm khuyến công",
    r"trung tâm xúc tiến", r"trung tâm", r"ubnd", r"ủy ban nhân dân", r"hiệp hội", r"hội",
    r"công ty", r"tổng công ty", r"tập đoàn", r"ban chỉ đạo", r"liên minh hợp tác xã",
    r"phòng thương mại và công nghiệp", r"vcci", r"viện", r"trường", r"ngân hàng",
    r"quỹ", r"chi cục", r"đội", r"tổng cục", r"văn phòng", r"cơ quan", r"liên hiệp",
)
_ORG_STOP = _rx(
    "phối hợp", "cùng", "với", "đã", "vừa", "sẽ", "tại", "đồng chủ trì", "chủ trì", "khai mạc",
    "tham dự", "tham gia", "là", "được", "cho", "có", "nhằm", "trong", "theo", "thông báo",
    "ban hành", "kính mời", "trân trọng", "đề nghị", "mời", "quyết định", "hướng dẫn",
    "tiếp nhận", "giao", "phê duyệt", "tổ chức", "và", "do", "vào", "ngày",
    r"(?:sáng|chiều|tối|trưa) (?:nay|ngày|qua|hôm|\d+)", "hôm nay", "cũng", "đang",
    "tiến hành", "triển khai", "chỉ đạo", "đề xuất", "công bố", "thực hiện", "làm việc",
    "nghiệm thu", "bàn giao", "giải ngân", "tạm ứng", "cấp", "hỗ trợ", "mở", "khai giảng",
    "diễn ra", "ký", "thành lập", "về", "đến", "từ", "tới", "cho biết", "đánh giá",
    r"chuyển (?:tạm ứng|kinh phí|tiền)", "bắt giữ", "xử phạt", "lần", "ra", "đưa", "dự kiến",
    "chính thức",
)
_ORG_HEADS_NEED_NAME = frozenset(("trung tâm", "hội", "công ty", "viện", "trường", "sở", "quỹ",
                                  "đội", "văn phòng", "cơ quan", "ngân hàng", "liên hiệp"))
# Another organisation starts here: the current name ends.
_ORG_BREAK = _rx(
    "bộ công thương", "sở công thương", "sở", "ubnd", "ủy ban nhân dân", "trung tâm", "cục",
    "hiệp hội", "công ty", "tổng công ty", "tập đoàn", "ngân hàng", "bộ",
)
_TITLE_WORDS = frozenset("giám phó chủ cục trưởng ông bà đồng".split())
_TOKEN = re.compile(r"\S+")
_AND_CONTINUES = re.compile(r"\s*(?:Tư vấn|Xúc tiến|Kinh tế|Khuyến công|Phát triển|Đầu tư)")
_ORGANIZE = _rx(r"tổ chức", r"phối hợp", r"chủ trì", r"đăng cai", r"khai mạc", r"kính mời",
                r"trân trọng mời", r"mời", r"thông báo", r"ban hành kế hoạch")
_AFTER_EVENT_ORG = re.compile(_keyrx(r"(?:do|phối hợp với|cùng|và|với)\s*$"))
_IN_VENUE = re.compile(_keyrx(r"(?<!\w)tại\s[^,;]*$"))


def _org_at(text: str, key: str, m: re.Match[str]) -> str | None:
    """The organisation name that starts with the head word at ``m``."""
    head = m.group()
    end = m.end()
    words = 0
    for t in _TOKEN.finditer(text, m.end()):
        raw = t.group()
        if raw in ("TP.", "Tp.", "T.P"):  # "Sở Công Thương TP. Hồ Chí Minh"
            end, words = t.end(), words + 1
            continue
        word = raw.rstrip(",.;:)”\"'")
        if not word or not (word[0].isalnum()):
            break
        if _ORG_STOP.match(key, t.start()) and not (
            key[t.start() : t.start() + len(word)] == "và" and _AND_CONTINUES.match(text, t.end())
        ):
            break
        if words and _ORG_BREAK.match(key, t.start()):
            break
        end = t.start() + len(word)
        words += 1
        prov = _PROVINCE.match(key, t.start())
        if prov:
            end = prov.end()
            break
        if word != raw:
            # a comma inside a Cục name: "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công"
            nxt = _TOKEN.search(text, t.end())
            if not (raw.endswith(",") and head == "cục" and nxt and nxt.group()[0].isupper()
                    and key[nxt.start() : nxt.end()].strip(",.") not in _TITLE_WORDS
                    and not _ORG_BREAK.match(key, nxt.start())):
                break
        if words >= 12:
            break
    if head in _ORG_HEADS_NEED_NAME and words == 0:
        return None
    name = text[m.start() : end].strip(" ,.;:")
    if head in ("ubnd", "ủy ban nhân dân", "sở công thương", "sở") and re.search(
        r"\s(?:các|những)\s", " " + key[m.start() : m.start() + len(name)] + " "
    ):
        return None  # "UBND các huyện", "Sở Công Thương các tỉnh": not one organiser
    return name if len(name) > 2 else None


def _organizers(text: str, key: str, upto: int | None = None) -> list[str]:
    """Organisations in a sentence: before the event (``upto``) or after "do"/"phối hợp với"."""
    out: list[str] = []
    taken = 0
    for m in _ORG_HEAD.finditer(key):
        if m.start() < taken:
            continue
        if upto is not None and m.start() >= upto and not _AFTER_EVENT_ORG.search(
            key[max(0, m.start() - 15) : m.start()]
        ):
            continue
        if text[m.start()].islower() and m.group() != "ubnd":
            continue  # organisations are written with a capital
        if _IN_VENUE.search(key[max(0, m.start() - 60) : m.start()]):
            continue  # "tại Trung tâm Hội nghị Quốc gia": the venue
        name = _org_at(text, key, m)
        if name:
            taken = m.start() + len(name)
            if name not in out:
                out.append(name)
    return out
