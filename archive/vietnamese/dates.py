"""Day-first Vietnamese dates: "02-12-2018" is 2 December 2018.

Vietnamese sites never write month-first.  :func:`find_dates` finds every date
expression in a text:

* numeric: ``11/7/2018``, ``02-12-2018``, ``02.12.2018``, two-digit years ``26/2/26``
  (``00``–``69`` → 2000s, ``70``–``99`` → 1900s), ISO ``2018-12-02`` / ``2018/12/02``;
* spelled out: ``ngày 11 tháng 7 năm 2018``, ``11 tháng 7, 2018``;
* with a weekday (``Thứ 5``, ``Thứ Tư``, ``T2``, ``Chủ nhật``, ``CN``) and a time of day
  before or after the date (``15:19``, ``08:39 AM``, ``3:05 CH``, ``15h30``, ``15 giờ 30``):
  ``Thứ 5, 09/07/2026 | 15:19``, ``Cập nhật lúc 15:38, Thứ Tư, 25/03/2020``,
  ``15h30 ngày 20/10/2020``;
* ranges: ``11-12/7/2018``, ``từ ngày 11 đến ngày 13/7/2018``, ``11/7 - 13/7/2018``;
* a year-less ``ngày 11/7`` (also ``hôm 11/7``, ``ngày 11-7``), whose year is the one
  closest to a ``reference`` date (:func:`resolve_year`); without a reference it is
  skipped.  A bare ``11/7`` in running text is a fraction or a number, not a date,
  unless it opens a range whose end has a year.

Not dates: ``31/02/2018``, document numbers (``12/2018/TT-BCT``, ``1881/QĐ-BCT``),
month-year pairs (``1/2018``), prices (``27.708``), version numbers (``1.2.3``), and
four-digit years outside 1990–2100.

Keywords ("ngày", "thứ", "cập nhật", …) match case-insensitively, in NFC or NFD,
accented or written without diacritics.  Matching is done on the NFC form of the
text; offsets (``start``/``end``) are mapped back to the string the caller passed.
None of the keywords has a two-vowel nucleus, so old/new tone-mark placement
("hoà"/"hòa") cannot matter.  Keywords are matched with their diacritics rather
than on a fully folded text so that "đăng" (posted) is not confused with "đang"
(currently) or "Đảng" (the Party).

:func:`date_label` tells a publication label ("Ngày đăng") from an update label
("Cập nhật lúc"); :func:`is_today_widget` recognizes a page-header "today" widget
("Thứ hai, ngày 3 tháng 2 năm 2018"), which is never a publication date.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal

__all__ = [
    "DateMatch",
    "date_label",
    "find_dates",
    "is_today_widget",
    "parse_date",
    "parse_datetime",
    "resolve_year",
]

MIN_YEAR, MAX_YEAR = 1990, 2100  # plausible four-digit years
WIDGET_MAX_CHARS = 90
_MAX_RANGE = timedelta(days=366)


@dataclass(frozen=True, slots=True)
class DateMatch:
    """One date expression found in a text.

    ``start``/``end`` are offsets in the text given to :func:`find_dates` and
    ``text == input[start:end]``.  For a range, ``value`` is the first day and
    ``end_value`` the last.
    """

    value: date
    time: time | None
    start: int
    end: int
    text: str
    has_year: bool
    weekday: int | None  # 0 = Monday … 6 = Sunday, when the text names one
    end_value: date | None = None


# -- patterns ------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _plain(text: str) -> str:
    """Lower case without diacritics, ``đ`` → ``d`` (for short keyword strings)."""
    nfd = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in nfd if not unicodedata.combining(c)).replace("đ", "d")


def _w(phrase: str) -> str:
    """A pattern for ``phrase`` written with its diacritics or with none at all."""
    accented = unicodedata.normalize("NFC", phrase)
    words = [
        f"(?:{w}|{_plain(w)})" if _plain(w) != w else w for w in accented.split()
    ]
    return r"\s+".join(words)


_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?!\d)"
_MONTH = r"(?:1[0-2]|0?[1-9])(?!\d)"
_SEP = r"\s*[,|\-–—]?\s*"  # between a date and its weekday or time: ", ", " | ", " - ", " "
_NGAY = _w("ngày")

# thứ hai … thứ bảy (also "thứ bẩy", "thứ bốn", "thứ 2" … "thứ 7"), T2 … T7, chủ nhật, CN
_WEEKDAY_NAMES = "|".join(
    _w(w) for w in ("hai", "ba", "tư", "bốn", "năm", "sáu", "bảy", "bẩy")
)
_WEEKDAY_NUMBERS = {
    "hai": 0, "ba": 1, "tu": 2, "bon": 2, "nam": 3, "sau": 4, "bay": 5,
    **{str(n): n - 2 for n in range(2, 8)},
}


def _weekday(name: str) -> str:
    return (
        rf"(?<!\w)(?P<{name}>{_w('thứ')}\s*(?:[2-7]|{_WEEKDAY_NAMES})"
        rf"|t[2-7]|{_w('chủ nhật')}|cn)(?!\w)"
    )


def _time(p: str) -> str:
    """A time of day; groups ``{p}h``, ``{p}m`` (or ``{p}hm``/``{p}gm``), ``{p}s``, ``{p}ap``."""
    return (
        rf"(?<![\d:./])(?P<{p}h>2[0-3]|[01]?\d)(?:"
        rf":(?P<{p}m>[0-5]\d)(?::(?P<{p}s>[0-5]\d))?"  # 15:19, 15:19:05
        rf"|\s?h\s?(?P<{p}hm>[0-5]\d)?(?![^\W\d_])"  # 15h30, 15h
        rf"|\s*{_w('giờ')}(?:\s*(?P<{p}gm>[0-5]?\d)(?:\s*{_w('phút')})?)?(?![^\W\d_])"  # 15 giờ 30
        rf")(?!\d)"
        rf"(?:\s*(?P<{p}ap>a\.?m\.?|p\.?m\.?|sa|ch|{_w('sáng')}|{_w('chiều')}|{_w('tối')})"
        rf"(?![^\W\d_]))?"
    )


_FROM = rf"(?<!\w){_w('từ')}\s+"
_TO = rf"(?:[-–]|{_w('đến')}|{_w('tới')})"

# Where a date expression can begin: the first digit of a number or one of the
# keywords below.  Checked first, it spares the full pattern at most positions
# (find_dates runs on every page).
_START = (
    r"(?=[\dtcn])(?:(?<!\d)(?=\d)|(?<!\w)(?=th[ứu]|t[2-7]|t[ừu]|ch[ủu]|cn|ng[àa]y))"
)

_DATE = re.compile(
    _START
    # leading weekday and/or time: "Thứ 5, ", "15:38, Thứ Tư, ", "08:39 AM "
    + rf"(?:{_weekday('wd1')}{_SEP})?"
    rf"(?:{_time('b')}{_SEP})?"
    rf"(?:{_weekday('wd2')}{_SEP})?"
    # "từ ngày 11 đến ngày " / "ngày 11 - " / "11-" (a day range) or a plain "ngày "
    rf"(?:(?:{_FROM}(?:{_NGAY}\s+)?|(?<!\w){_NGAY}\s+)(?P<rd>{_DAY})\s*{_TO}\s*(?:{_NGAY}\s+)?"
    rf"|(?<![\d/.])(?P<rd2>{_DAY})[-–]"
    rf"|(?<!\w){_NGAY}\s+)?"
    rf"(?:"
    # 11 tháng 7 năm 2018 / 11 tháng 7, 2018
    rf"(?P<word>(?<![\d/.])(?P<w_d>{_DAY})\s+{_w('tháng')}\s+(?P<w_m>{_MONTH})"
    rf"(?:(?:\s*[,/]\s*|\s+{_w('năm')}\s+|\s+)(?P<w_y>\d{{4}})(?!\d))?)"
    # 2018-12-02, 2018/12/02
    rf"|(?P<iso>(?<![\d/.\-])(?P<i_y>(?:19|20)\d\d)(?P<i_sep>[-/.])(?P<i_m>{_MONTH})"
    rf"(?P=i_sep)(?P<i_d>{_DAY})(?![./]\d|(?P=i_sep)\d))"
    # 11/7/2018, 02-12-2018, 02.12.2018, 26/2/26, 11/7; after a day range only / or .
    rf"|(?P<num>(?<![\d/.])(?P<d>{_DAY})(?P<sep>(?(rd)[/.]|(?(rd2)[/.]|[/.\-])))(?P<m>{_MONTH})"
    rf"(?:(?P=sep)(?P<y>\d{{4}}|\d\d)(?!\d))?"
    rf"(?![./]\d|(?P=sep)\d|/\s*[^\W\d_])))"  # not "12/7/QĐ-…", "1.2.3.4"
    # trailing weekday and/or time: " (Thứ Tư)", " | 15:19", " lúc 9 giờ", "T10:20"
    rf"(?:{_SEP}\(?{_weekday('wd3')}\)?)?"
    rf"(?:(?:{_SEP}(?:(?:{_w('vào')}\s+)?{_w('lúc')}\s+)?|(?-i:T)){_time('a')})?",
    re.IGNORECASE,
)

# A year-less date stands alone only right after "ngày"/"hôm" ("ngày 11/7", "hôm 11-7").
_YEARLESS_CONTEXT = re.compile(rf"(?<!\w)(?:{_NGAY}|{_w('hôm')})\s+$", re.IGNORECASE)
# "ngày 1-2 lần" (once or twice a day) is not 1 February.
_NOT_AFTER_DASH = re.compile(
    rf"\s*(?:%|(?:{_w('lần')}|{_w('lượt')}|{_w('giờ')}|{_w('tiếng')}|{_w('người')})(?!\w))",
    re.IGNORECASE,
)
_RANGE_GAP = re.compile(rf"\s*(?:[-–—~]|{_w('đến')}|{_w('tới')})\s*", re.IGNORECASE)
_FROM_BEFORE = re.compile(rf"{_FROM}$", re.IGNORECASE)
_MARKED = re.compile(r".[\u0300-\u036f]+", re.DOTALL)  # a letter and its combining marks
_HAS_DIGIT = re.compile(r"\d")


# -- parsing -------------------------------------------------------------------------------


def resolve_year(day: int, month: int, reference: date) -> date | None:
    """A year-less day and month: the candidate (reference year −1, 0, +1) closest
    to ``reference`` (the earlier one on a tie); ``None`` if no year has that day."""
    best = None
    for year in (reference.year - 1, reference.year, reference.year + 1):
        candidate = _date(year, month, day)
        if candidate is not None and (
            best is None or abs((candidate - reference).days) < abs((best - reference).days)
        ):
            best = candidate
    return best


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(raw: str) -> int | None:
    year = int(raw)
    if len(raw) == 2:
        return year + (2000 if year < 70 else 1900)
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def _time_of(m: re.Match, p: str) -> time | None:
    hour = m.group(f"{p}h")
    if hour is None:
        return None
    hour = int(hour)
    minute = int(m.group(f"{p}m") or m.group(f"{p}hm") or m.group(f"{p}gm") or 0)
    second = int(m.group(f"{p}s") or 0)
    ap = _plain(m.group(f"{p}ap") or "").replace(".", "")
    if ap in ("pm", "ch", "chieu", "toi") and hour < 12:
        hour += 12
    elif ap in ("am", "sa", "sang") and hour == 12:
        hour = 0
    return time(hour, minute, second)


def _weekday_number(name: str) -> int:
    key = re.sub(r"\s+", "", _plain(name))
    if key in ("cn", "chunhat"):
        return 6
    return _WEEKDAY_NUMBERS[key[3:] if key.startswith("thu") else key[1:]]


@dataclass(slots=True)
class _Found:
    """A date expression before year resolution and range merging (NFC offsets)."""

    start: int
    end: int
    day: int
    month: int
    year: int | None
    time: time | None
    weekday: int | None
    standalone: bool  # a year-less date that may stand alone ("ngày 11/7")
    first_day: int | None = None  # "11-12/7/2018": 11


def _scan(text: str) -> list[_Found]:
    """Every date expression of NFC ``text``, checked but with years not yet resolved."""
    found: list[_Found] = []
    for m in _DATE.finditer(text):
        if m.group("word"):
            day, month, raw_year, core = m.group("w_d"), m.group("w_m"), m.group("w_y"), "word"
        elif m.group("iso"):
            day, month, raw_year, core = m.group("i_d"), m.group("i_m"), m.group("i_y"), "iso"
        else:
            day, month, raw_year, core = m.group("d"), m.group("m"), m.group("y"), "num"
        start = m.start()
        first_day = m.group("rd") or m.group("rd2")
        if raw_year is not None:
            year = _year(raw_year)
            if year is None:
                continue
            if core == "num" and m.group("sep") == "." and len(raw_year) == 2 and (
                len(day) < 2 or len(month) < 2
            ):
                continue  # "1.2.30" is a version number; "02.12.18" is a date
            standalone = True
        else:
            year = None
            if core == "num" and m.group("sep") == ".":
                continue  # "27.7" is a number
            if core == "num" and m.group("sep") == "-" and _NOT_AFTER_DASH.match(text, m.end("num")):
                continue
            # "từ ngày 11 đến 13/7" carries its own context; "11-12/7" and "11/7" need "ngày"
            context_at = m.start("rd2") if m.group("rd2") else m.start(core)
            standalone = bool(m.group("rd")) or bool(
                _YEARLESS_CONTEXT.search(text, max(0, context_at - 8), context_at)
            )
        if first_day is not None and int(first_day) >= int(day):
            # "15-12/7/2018" is no range: keep the date itself
            start, first_day = m.start(core), None
            when = _time_of(m, "a")
            weekday = m.group("wd3")
        else:
            when = _time_of(m, "b") or _time_of(m, "a")
            weekday = m.group("wd1") or m.group("wd2") or m.group("wd3")
        found.append(
            _Found(
                start, m.end(), int(day), int(month), year, when,
                _weekday_number(weekday) if weekday else None, standalone,
                int(first_day) if first_day else None,
            )
        )
    return found


def _resolve(f: _Found, reference: date | None) -> tuple[date, date | None] | None:
    """(first day, last day of a range) of one expression."""
    if f.year is not None:
        value = _date(f.year, f.month, f.day)
    elif f.standalone and reference is not None:
        value = resolve_year(f.day, f.month, reference)
    else:
        return None
    if value is None:
        return None
    if f.first_day is None:
        return value, None
    first = _date(value.year, value.month, f.first_day)
    return (first, value) if first else (value, None)


def _merge(
    a: _Found, b: _Found, text: str, reference: date | None
) -> tuple[date, date, int] | None:
    """``a`` and ``b`` as one range "(từ) 11/7 - 13/7/2018": (first, last, start), or ``None``."""
    if a.first_day is not None or b.first_day is not None:
        return None
    if not _RANGE_GAP.fullmatch(text, a.end, b.start):
        return None
    # "28/12/2018 - 2/1/2019" are two dates unless introduced by "từ"
    opening = _FROM_BEFORE.search(text, max(0, a.start - 12), a.start)
    if a.year is not None and not opening:
        return None
    if b.year is not None:
        last = _date(b.year, b.month, b.day)
    elif a.year is not None:
        last = _date(a.year, b.month, b.day)
        if last is not None and last < (_date(a.year, a.month, a.day) or last):
            last = _date(a.year + 1, b.month, b.day)
    elif b.standalone and reference is not None:
        last = resolve_year(b.day, b.month, reference)
    else:
        return None
    if last is None:
        return None
    if a.year is not None:
        first = _date(a.year, a.month, a.day)
    else:
        first = _date(last.year, a.month, a.day)
        if first is not None and first > last:
            first = _date(last.year - 1, a.month, a.day)
    if first is None or not (timedelta(0) <= last - first <= _MAX_RANGE):
        return None
    return first, last, opening.start() if opening else a.start


def _nfc(text: str) -> tuple[str, list[int] | None]:
    """``text`` in NFC, and where each NFC character starts in ``text`` plus one entry
    for the end (``None`` when ``text`` already is NFC: offsets are the same)."""
    if unicodedata.is_normalized("NFC", text):
        return text, None
    parts: list[str] = []
    index: list[int] = []
    pos = 0
    for m in _MARKED.finditer(text):  # runs without combining marks map one to one
        parts.append(text[pos : m.start()])
        index.extend(range(pos, m.start()))
        nfc = unicodedata.normalize("NFC", m.group())
        parts.append(nfc)
        index.extend([m.start()] * len(nfc))
        pos = m.end()
    parts.append(text[pos:])
    index.extend(range(pos, len(text) + 1))
    return "".join(parts), index


def find_dates(text: str, reference: date | None = None) -> list[DateMatch]:
    """Every date expression in ``text``, in text order.

    Year-less dates ("ngày 11/7") take the year closest to ``reference`` and are
    skipped without one.
    """
    if not text or not _HAS_DIGIT.search(text):
        return []
    nfc, index = _nfc(text)
    found = _scan(nfc)
    out: list[DateMatch] = []
    i = 0
    while i < len(found):
        f = found[i]
        merged = _merge(f, found[i + 1], nfc, reference) if i + 1 < len(found) else None
        if merged is not None:
            g = found[i + 1]
            span, start, end = merged[:2], merged[2], g.end
            has_year, time_of_day = f.year is not None or g.year is not None, f.time or g.time
            i += 2
        else:
            span, start, end = _resolve(f, reference), f.start, f.end
            has_year, time_of_day = f.year is not None, f.time
            i += 1
            if span is None:
                continue
        if index is not None:
            start, end = index[start], index[end]
        out.append(
            DateMatch(span[0], time_of_day, start, end, text[start:end], has_year, f.weekday,
                      span[1])
        )
    return out


def parse_date(text: str, reference: date | None = None) -> date | None:
    """The first date in ``text``."""
    found = find_dates(text, reference)
    return found[0].value if found else None


def parse_datetime(text: str, reference: date | None = None) -> datetime | None:
    """The first date in ``text`` with its time of day (midnight when none), naive."""
    found = find_dates(text, reference)
    if not found:
        return None
    return datetime.combine(found[0].value, found[0].time or time(0, 0))


# -- labels and widgets --------------------------------------------------------------------


def _phrases(*phrases: str) -> str:
    return "|".join(_w(p) for p in phrases)


_LABEL = re.compile(
    rf"(?<!\w)(?:(?P<updated>{_phrases('ngày cập nhật', 'cập nhật', 'chỉnh sửa')}"
    rf"|{_w('sửa đổi')}(?!\s*,?\s*{_w('bổ sung')})"  # not "sửa đổi, bổ sung" (a law's title)
    rf"|last\s+updated|updated|last\s+modified|modified)"
    rf"|(?P<published>{_phrases('ngày đăng', 'đăng lúc', 'đăng ngày', 'thời gian đăng', 'ngày xuất bản', 'đăng tải')}"
    rf"|(?<!{_w('nhà')}\s){_w('xuất bản')}"  # not "Nhà xuất bản" (a publisher)
    rf"|{_w('đăng')}(?=\s*:)|posted|published))(?!\w)",
    re.IGNORECASE,
)


def date_label(text: str) -> Literal["published", "updated"] | None:
    """The kind of the last publication/update label in ``text``.

    "Ngày đăng", "Đăng lúc", "Xuất bản", "Posted on" … → ``"published"``;
    "Cập nhật lúc", "Ngày cập nhật", "Sửa đổi", "Last modified" … → ``"updated"``;
    ``None`` when there is no label.
    """
    last = None
    for m in _LABEL.finditer(unicodedata.normalize("NFC", text)):
        last = m.lastgroup
    return last  # type: ignore[return-value]


_WIDGET_BEFORE = re.compile(
    rf"\W*(?:(?:{_w('hôm nay')}(?:\s+{_w('là')})?|today(?:\s+is)?)\W*)?", re.IGNORECASE
)
_WIDGET_AFTER = re.compile(r"\W*")


def is_today_widget(text: str) -> bool:
    """Whether ``text`` is only a page header's "today": a weekday and a date.

    "Thứ hai, ngày 3 tháng 2 năm 2018" and "Hôm nay: Thứ 2, 03/02/2018" are; a date
    with a time ("Thứ 5, 09/07/2026 | 15:19"), with a label ("Ngày đăng: …"), with
    no weekday ("02-12-2018": a post date on many sites) or inside a sentence is not.
    """
    text = text.strip()
    if not text or len(text) > WIDGET_MAX_CHARS or date_label(text):
        return False
    found = find_dates(text)
    if len(found) != 1:
        return False
    m = found[0]
    if m.weekday is None or m.time is not None or not m.has_year or m.end_value is not None:
        return False
    before = unicodedata.normalize("NFC", text[: m.start])
    after = text[m.end :]
    return bool(_WIDGET_BEFORE.fullmatch(before)) and bool(_WIDGET_AFTER.fullmatch(after))
