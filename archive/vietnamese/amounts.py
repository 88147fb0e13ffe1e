"""Sums of money in Vietnamese text, in đồng.

Vietnamese writes the dot as the thousands separator and the comma as the decimal
mark: "27.708 triệu đồng" is 27,708,000,000 đồng and "15,3 tỉ đồng" is
15,300,000,000 đồng. Scale words are ``tỷ``/``tỉ`` (10⁹), ``triệu`` (10⁶),
``nghìn``/``ngàn`` (10³), optionally compounded ("5 trăm triệu", "1,2 nghìn tỷ") or
chained ("1 tỷ 200 triệu đồng").

What counts as an amount (the rule):

* a number followed by a currency word — ``đồng``, ``VNĐ``/``VND`` or ``đ`` — with or
  without a scale word in between ("1.500.000 đồng", "500.000đ", "44 tỷ đồng");
* a number with a scale word but no currency ("44 tỷ") only in a money context: a
  money word earlier in the same clause (kinh phí, vốn, hỗ trợ, ngân sách, giải ngân,
  tổng …) *and* no noun right after it other than a few function words ("cho", "để",
  "từ", …). So "kinh phí 2,5 tỷ cho 9 đề án" is an amount, "3 triệu người",
  "27.708 tấn" and "6,8 tỷ kWh" are not;
* the first bound of a range takes the second's scale and currency: "5 – 10 triệu
  đồng" and "từ 300 đến 500 đồng/kg" give two amounts each.

Foreign currencies ("2 tỷ USD", "4.850 USD/tấn", "đô la") and percentages are never
amounts. Qualifiers before the number ("gần", "hơn", "trên", "khoảng", "tối đa" …)
belong to the phrase; ``vnd`` is the number as written, rounded to the nearest đồng.

Matching runs on a lower-cased copy of the NFC text of the same length, so NFD input
and upper case behave the same; ``start``/``end`` index the NFC form of the input
(``unicodedata.normalize("NFC", text)``), and ``phrase`` is that slice.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["Amount", "lower_aligned", "parse_amounts"]


@dataclass(frozen=True, slots=True)
class Amount:
    vnd: int
    phrase: str
    start: int
    end: int


def lower_aligned(text: str) -> str:
    """``text.lower()``, keeping the length (a character whose lower case is longer stays)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


_SCALES = {"tỷ": 10**9, "tỉ": 10**9, "triệu": 10**6, "tr": 10**6, "nghìn": 10**3, "ngàn": 10**3}
_MULTIPLIERS = {"trăm": 100, "chục": 10, "nghìn": 1000, "ngàn": 1000}

_NOT_LETTER = r"(?![^\W\d_])"
# The first digit comes first (the regex engine then skips quickly to digits), then
# the check that no letter, digit, dot, comma or slash precedes it.
_NUM = (
    r"\d(?<![\w.,/]\d)(?:\d{0,2}(?:\.\d{3})+(?:,\d+)?"  # 27.708  1.500.000  2.103,11
    r"|\d{0,2}(?:,\d{3}){2,}(?:\.\d+)?"  # 1,500,000 (English grouping)
    r"|\d*(?:[.,]\d+)?)(?![\d])"  # 15,3  2.5  44
)
_CUR = r"(?:đồng(?!\s+(?:chí|chủ|thời|hành|bào|nghiệp|bằng|hồ|loạt|đều|nhất|tâm|ý|tình|phục|bộ|thuận|minh|tổ|tài|sở|ruộng|lúa)" + _NOT_LETTER + r")|vnđ|vnd|đ)" + _NOT_LETTER
_SCALE_WORD = (
    r"(?:(?:trăm|chục|nghìn|ngàn)\s*)?(?:tỷ|tỉ|triệu|nghìn|ngàn)" + _NOT_LETTER
    + r"(?!\s+(?:lệ|trọng|suất)" + _NOT_LETTER + ")"
)
_SCALE_ABBR = r"tr\.?(?=\s*(?:đồng|vnđ|vnd|đ)" + _NOT_LETTER + ")"
_SCALE = rf"(?:{_SCALE_WORD}|{_SCALE_ABBR})"
_QUAL = (
    r"(?:gần|hơn|trên|khoảng|xấp xỉ|ước tính|ước|tối đa|tối thiểu|lên tới|lên đến|chưa đến|"
    r"dưới|gần như)"
)
_QUAL_BEFORE = re.compile(rf"(?<!\w){_QUAL}\s+$")
_AMOUNT_RE = re.compile(
    rf"(?P<body>(?P<num0>{_NUM})(?:\s*{_SCALE}(?:\s*,?\s*\d{{1,3}}\s*{_SCALE}){{0,3}})?)"
    rf"(?:\s*(?P<cur>{_CUR}))?"
)
_PART_RE = re.compile(rf"(?P<num>{_NUM})\s*(?P<scale>{_SCALE_WORD}|tr\.?)?")
_FOREIGN_AFTER = re.compile(r"\s*(?:usd|us\$|\$|đô|đôla|euro|eur|yên|nhân dân tệ|bảng anh|kip|bath|baht)" + _NOT_LETTER)
_RANGE_BETWEEN = re.compile(r"\s*(?:-|–|—|đến|tới)\s*")
# A money word earlier in the clause makes a bare "44 tỷ" an amount.
_MONEY_CUE = re.compile(
    r"(?:kinh phí|vốn|hỗ trợ|ngân sách|tổng|giải ngân|tạm ứng|phân bổ|số tiền|thanh toán|tài trợ|"
    r"cho vay|dư nợ|nộp|doanh thu|lợi nhuận|chi phí|trị giá|giá trị|giá|đầu tư|dự toán|quỹ|"
    r"tiền|lỗ|lãi|thu|chi|mức|bố trí|dành)" + _NOT_LETTER
)
_CLAUSE_START = re.compile(r"[.;:!?\n]")
_FUNCTION_WORDS = frozenset(
    "cho để từ trong và với so nhằm thực đạt theo của tăng giảm là được mỗi trên hỗ phục nhưng "
    "còn tương bằng gồm thì mà đã sẽ vào năm giai đợt ngân nguồn kinh vốn chiếm".split()
)
_NEXT_WORD = re.compile(r"[ \t\u00a0]*([^\W\d_]+)")


_DOT_GROUPS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_COMMA_GROUPS = re.compile(r"\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?")


def _number(raw: str) -> Decimal:
    if _DOT_GROUPS.fullmatch(raw):
        return Decimal(raw.replace(".", "").replace(",", "."))
    if _COMMA_GROUPS.fullmatch(raw):
        return Decimal(raw.replace(",", ""))
    return Decimal(raw.replace(",", "."))


def _scale(word: str | None) -> int:
    if not word:
        return 1
    parts = word.replace(".", "").split()
    if len(parts) == 1 and parts[0] not in _SCALES:  # "trămtriệu" without a space
        for mult in _MULTIPLIERS:
            if parts[0].startswith(mult) and parts[0][len(mult):] in _SCALES:
                parts = [mult, parts[0][len(mult):]]
    value = _SCALES[parts[-1]]
    if len(parts) == 2:
        value *= _MULTIPLIERS[parts[0]]
    return value


def _value(body: str) -> tuple[Decimal, int] | None:
    """(value in đồng, smallest scale used) of "1 tỷ 200 triệu", or None if malformed."""
    total = Decimal(0)
    last_scale = None
    for part in _PART_RE.finditer(body):
        scale = _scale(part.group("scale"))
        if last_scale is not None and scale >= last_scale:
            return None
        total += _number(part.group("num")) * scale
        last_scale = scale
    return (total, last_scale or 1) if last_scale is not None else None


def _money_context(low: str, start: int) -> bool:
    window = low[max(0, start - 80) : start]
    clause = _CLAUSE_START.split(window)[-1]
    return bool(_MONEY_CUE.search(clause))


def _next_is_noun(low: str, end: int) -> bool:
    """A word (not a function word) right after the amount: "3 triệu người", "6,8 tỷ kWh"."""
    m = _NEXT_WORD.match(low, end)
    return bool(m) and m.group(1) not in _FUNCTION_WORDS


def parse_amounts(text: str) -> list[Amount]:
    """Every sum of money in đồng in ``text``, in order (see the module docstring)."""
    nfc = unicodedata.normalize("NFC", text)
    low = lower_aligned(nfc)
    found: list[tuple[int, int, Decimal, int, bool, bool]] = []  # start, end, value, scale, cur, ok
    for m in _AMOUNT_RE.finditer(low):
        if not (m.group("cur") or m.end("body") > m.end("num0")) and not _RANGE_BETWEEN.match(low, m.end()):
            continue  # a bare number that does not start a range
        body = m.group("body")
        parsed = _value(body)
        if parsed is None:
            continue
        value, scale = parsed
        has_cur = m.group("cur") is not None
        end = m.end()
        start = m.start()
        qual = _QUAL_BEFORE.search(low, max(0, start - 16), start)
        if qual:
            start = qual.start()
        if _FOREIGN_AFTER.match(low, m.end("body")):
            found.append((start, end, value, -1, False, False))  # marks a foreign amount
            continue
        if has_cur:
            ok = True
        elif scale > 1:
            ok = _money_context(low, start) and not _next_is_noun(low, end)
        else:
            ok = False
        found.append((start, end, value, scale, has_cur, ok))
    amounts: list[Amount] = []
    for i, (start, end, value, scale, _cur, ok) in enumerate(found):
        if not ok and scale == 1 and i + 1 < len(found):
            # the first bound of a range: "5 – 10 triệu đồng", "300 – 500 đồng/kg"
            nstart, _, _, nscale, _, nok = found[i + 1]
            between = low[end:nstart]
            if nok and nscale > 0 and _RANGE_BETWEEN.fullmatch(between):
                value *= nscale
                ok = True
        if not ok:
            continue
        vnd = int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        amounts.append(Amount(vnd, nfc[start:end], start, end))
    return amounts
