"""Day-first Vietnamese dates: "02-12-2018" is 2 December 2018.

Vietnamese sites never write month-first. This module finds dates in text —
numeric ("11/7/2018", "02.12.2018", two-digit years "26/2/26"), spelled out
("ngày 11 tháng 7 năm 2018"), ISO ("2018-12-02"), with weekdays ("Thứ 5, 09/07/2026
| 15:19") and times ("08:39 AM 25/10/2017", "15h30 ngày 20/10/2020") — tells a
publication label from an update label ("Ngày đăng" / "Cập nhật"), and recognizes a
page-header "today" widget ("Thứ hai, ngày 3 tháng 2 năm 2018"), which is never a
publication date.

Matching runs on a folded copy of the text (diacritics removed, lower case, same
length as the NFC input), so NFD input and old/new tone-mark placement behave the
same; offsets refer to the NFC form of the input (what the extractor passes).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

__all__ = [
    "DateMatch", "date_label", "find_dates", "is_today_widget", "parse_date", "parse_datetime",
    "resolve_year",
]


@dataclass(frozen=True, slots=True)
class DateMatch:
    value: date
    time: time | None
    start: int
    end: int
    text: str
    has_year: bool
    weekday: int | None
    end_value: date | None = None


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0]
    return base.lower() if len(base.lower()) == 1 else ch


def _fold(text: str) -> str:
    """Same length as ``text`` (NFC): every character folded to its lower-case base letter."""
    return "".join(_fold_char(c) for c in text)


_WEEKDAYS = {
    "hai": 0, "2": 0, "ba": 1, "3": 1, "tu": 2, "bon": 2, "4": 2, "nam": 3, "5": 3,
    "sau": 4, "6": 4, "bay": 5, "7": 5,
}
_WEEKDAY = r"(?:thu\s*(?P<wd>hai|ba|tu|bon|nam|sau|bay|[2-7])|t(?P<wdt>[2-7])|(?P<cn>chu\s*nhat|cn))"
_TIME = (
    r"(?P<{p}h>[01]?\d|2[0-3])\s*(?:(?::|h|\s*gio\s*)\s*(?P<{p}m>[0-5]\d)?(?::(?P<{p}s>[0-5]\d))?)"
    r"(?:\s*(?P<{p}ap>am|pm|sa|ch)\b)?"
)
_TIME_BEFORE = _TIME.format(p="b")
_TIME_AFTER = _TIME.format(p="a")
_NUM_DATE = (
    r"(?<![\d/.\-])(?P<d>0?[1-9]|[12]\d|3[01])(?:\s*-\s*(?P<d2>0?[1-9]|[12]\d|3[01]))?"
    r"\s*(?P<sep>[/.\-])\s*(?P<m>0?[1-9]|1[0-2])(?:\s*(?P=sep)\s*(?P<y>\d{4}|\d{2}))?(?![\d/]|\.\d)"
)
_WORD_DATE = (
    r"(?:ngay\s+)?(?P<wd_d>0?[1-9]|[12]\d|3[01])\s+thang\s+(?P<wd_m>0?[1-9]|1[0-2])"
    r"(?:\s*(?:nam|,)\s*(?P<wd_y>\d{4}))?"
)
_ISO_DATE = r"(?<!\d)(?P<iy>(?:19|20)\d\d)[-/](?P<im>0?[1-9]|1[0-2])[-/](?P<id>0?[1-9]|[12]\d|3[01])(?!\d)"

_DATE_RE = re.compile(
    r"(?:" + _WEEKDAY + r"\s*(?:,|-|\s)\s*(?:ngay\s*)?)?"
    r"(?:" + _TIME_BEFORE + r"\s*(?:,|\||-|ngay)?\s*(?=\d))?"
    r"(?:(?P<word>" + _WORD_DATE + r")|(?P<iso>" + _ISO_DATE + r")|(?P<num>" + _NUM_DATE + r"))"
    r"(?:\s*(?:,|\||-|luc|vao\s*luc)?\s*(?:" + _WEEKDAY.replace("?P<wd>", "?P<wd_after>")
    .replace("?P<wdt>", "?P<wdt_after>").replace("?P<cn>", "?P<cn_after>") + r"\s*)?)?"
    r"(?:\s*(?:,|\||-|luc|vao\s*luc)?\s*(?P<after>" + _TIME_AFTER + r"))?"
)

# A time before the date needs ":" or "h" and a following date ("15h30 ngày 20/10/2020").
_RANGE_RE = re.compile(r"tu\s*(?:ngay\s*)?(?P<d>0?[1-9]|[12]\d|3[01])(?:\s*[/.-]\s*(?P<m>0?[1-9]|1[0-2]))?\s*(?:den|-)\s*(?:ngay\s*)?$")
_TRAILING = re.compile(r"[\s,|\-]*(?:(?:vao\s*)?luc)?[\s,|\-]*$")
_TIME_JUST_BEFORE = re.compile(
    r"(?<!\d)([01]?\d|2[0-3])\s*[:h]\s*([0-5]\d)\s*(am|pm|sa|ch)?\s*[,|\-]?\s*$"
)
_DOC_NUMBER_AFTER = re.compile(r"^\s*/\s*[a-z]")
_PRECEDED_BY_NGAY = re.compile(r"(?:ngay|hom|tu|den|vao|toi|sang|chieu|trua|dem)\s*$")


def _year(raw: str | None) -> int | None:
    if raw is None:
        return None
    y = int(raw)
    if len(raw) == 2:
        y += 2000 if y < 70 else 1900
    return y if 1990 <= y <= 2100 else -1


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def resolve_year(day: int, month: int, reference: date) -> date | None:
    """A day and month without a year: the candidate closest to ``reference``."""
    best = None
    for y in (reference.year - 1, reference.year, reference.year + 1):
        cand = _valid(y, month, day)
        if cand and (best is None or abs((cand - reference).days) < abs((best - reference).days)):
            best = cand
    return best


def _time_of(m: re.Match, p: str) -> time | None:
    h = m.group(f"{p}h")
    if h is None:
        return None
    minute = m.group(f"{p}m")
    if minute is None and not re.search(r"h|gio", m.group(0)[m.start(f"{p}h") - m.start():].lower()):
        return None
    hour = int(h)
    ap = m.group(f"{p}ap")
    if ap in ("pm", "ch") and hour < 12:
        hour += 12
    elif ap in ("am", "sa") and hour == 12:
        hour = 0
    sec = m.group(f"{p}s")
    return time(hour, int(minute or 0), int(sec or 0))


def _weekday(m: re.Match, suffix: str = "") -> int | None:
    wd = m.group("wd" + suffix) or m.group("wdt" + suffix)
    if wd:
        return _WEEKDAYS[wd]
    if m.group("cn" + suffix):
        return 6
    return None


def find_dates(text: str, reference: date | None = None) -> list[DateMatch]:
    """Every date in ``text``, in order. Year-less dates need "ngày …" before them
    (and resolve against ``reference``, else are skipped)."""
    text = unicodedata.normalize("NFC", text)
    folded = _fold(text)
    out: list[DateMatch] = []
    for m in _DATE_RE.finditer(folded):
        end_value = None
        if m.group("word"):
            d, mo, y = int(m.group("wd_d")), int(m.group("wd_m")), _year(m.group("wd_y"))
        elif m.group("iso"):
            d, mo, y = int(m.group("id")), int(m.group("im")), int(m.group("iy"))
        else:
            d, mo, y = int(m.group("d")), int(m.group("m")), _year(m.group("y"))
            if _DOC_NUMBER_AFTER.match(folded[m.end("num"):]):
                continue  # "12/2018/TT-BCT", "1881/QĐ-BCT": document numbers
            sep = m.group("sep")
            if y is None and (sep != "/" or not _PRECEDED_BY_NGAY.search(folded[: m.start("num")])):
                continue  # bare "11/7" only after "ngày"
        if y == -1:
            continue
        has_year = y is not None
        if y is None:
            if reference is None:
                continue
            value = resolve_year(d, mo, reference)
        else:
            value = _valid(y, mo, d)
        if value is None:
            continue
        if m.group("num") and m.group("d2"):
            end_value = value
            start_day = _valid(value.year, value.month, d)
            value = _valid(value.year, value.month, int(m.group("d"))) or start_day
            end_value = _valid(value.year, value.month, int(m.group("d2")))
        start = m.start()
        rng = _RANGE_RE.search(folded[max(0, start - 30) : start])
        if rng and out and out[-1].end > start - 30 and not out[-1].has_year:
            pass
        when = _time_of(m, "b")
        if m.group("after"):
            when = when or _time_of(m, "a")
        end = m.end()
        if m.group("after") and _time_of(m, "a") is None:
            end = m.start("after")
        end = start + len(_TRAILING.sub("", folded[start:end]))
        if when is None:
            before = _TIME_JUST_BEFORE.search(folded[max(0, start - 40) : start])
            if before:
                hour, minute = int(before.group(1)), int(before.group(2))
                ap = before.group(3)
                if ap in ("pm", "ch") and hour < 12:
                    hour += 12
                when = time(hour, minute)
                start = max(0, start - 40) + before.start()
        weekday = _weekday(m)
        if weekday is None:
            weekday = _weekday(m, "_after")
        # ranges written "từ ngày 11 đến ngày 13/7/2018": the first day lacks month/year
        if rng and end_value is None:
            sd = int(rng.group("d"))
            smo = int(rng.group("m") or value.month)
            first = _valid(value.year, smo, sd)
            if first and first <= value:
                end_value, value = value, first
                start = max(0, start - 30) + rng.start()
        out.append(DateMatch(value, when, start, end, text[start:end], has_year, weekday, end_value))
    # "từ 11/7 đến 13/7/2018": a year-less start takes the end's year
    merged: list[DateMatch] = []
    for match in out:
        prev = merged[-1] if merged else None
        if (prev and not prev.has_year and match.has_year and prev.end_value is None
                and re.fullmatch(r"\s*(?:den|-|toi)\s*(?:ngay\s*)?", folded[prev.end : match.start])):
            first = _valid(match.value.year, prev.value.month, prev.value.day)
            if first and first <= match.value:
                merged[-1] = DateMatch(first, prev.time, prev.start, match.end,
                                       text[prev.start : match.end], True, prev.weekday, match.value)
                continue
        merged.append(match)
    # a match inside a later, longer one (a range's first half) is part of it
    return [
        m for i, m in enumerate(merged)
        if not any(o.start <= m.start and m.end <= o.end and o is not m for o in merged[i + 1 :])
    ]


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


_LABELS = re.compile(
    r"(?P<updated>ngay\s*cap\s*nhat|cap\s*nhat(?:\s*luc|\s*ngay)?|sua\s*doi|chinh\s*sua|"
    r"updated|last\s*modified|modified)|"
    r"(?P<published>ngay\s*dang|dang\s*luc|dang\s*ngay|ngay\s*xuat\s*ban|xuat\s*ban|"
    r"thoi\s*gian\s*dang|posted\s*on|published|ngay\s*dang\s*tin|dang\s*tai)"
)


def date_label(text: str) -> Literal["published", "updated"] | None:
    """The last publication/update label in ``text`` ("Ngày đăng", "Cập nhật lúc"…)."""
    last = None
    for m in _LABELS.finditer(_fold(unicodedata.normalize("NFC", text))):
        last = "updated" if m.group("updated") else "published"
    return last


_WIDGET_PREFIX = re.compile(r"^\s*(?:hom\s*nay(?:\s*la)?|today)?\s*[:,-]?\s*")


def is_today_widget(text: str) -> bool:
    """A short text that is only a weekday and a date: a header "today" widget.

    "Thứ hai, ngày 3 tháng 2 năm 2018" or "Hôm nay: Thứ 2, 03/02/2018" are widgets;
    "Thứ 5, 09/07/2026 | 15:19" (a time: a post date), "Ngày đăng: 02-12-2018" (a
    label) and a bare "02-12-2018" are not.
    """
    text = unicodedata.normalize("NFC", text).strip()
    if not text or len(text) > 90:
        return False
    folded = _fold(text)
    if date_label(text):
        return False
    found = find_dates(text)
    if len(found) != 1:
        return False
    m = found[0]
    if m.time is not None or m.weekday is None or not m.has_year:
        return False
    rest = (folded[: m.start] + " " + folded[m.end :]).strip()
    rest = _WIDGET_PREFIX.sub("", rest)
    return not re.search(r"[a-z0-9]", rest)
