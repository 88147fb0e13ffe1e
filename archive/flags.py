"""Flags on an article version: conference announcements/reports and funding news.

Pure functions of (title, text, published date): no network, no database. A flag is
derived data; when these rules change, bump :data:`RULES_VERSION` and re-flag.

How a flag is scored (0..1, kept when ≥ :data:`THRESHOLD`):

* **conference** — an event noun (hội nghị, hội thảo, tọa đàm, diễn đàn, hội chợ,
  triển lãm, tập huấn, lớp bồi dưỡng, kết nối cung cầu, phiên chợ, tuần hàng …).
  In the title it weighs most when the event is *specific*: the title starts with it,
  names it with a capital ("Hội chợ Triển lãm …") or says it is organised/opened/
  announced ("Khai mạc …", "Thông báo tổ chức …"). In the lead (the first sentences)
  it needs an event verb (tổ chức, diễn ra, khai mạc, kính mời …) or a named event
  with a date. A mention "in passing" ("tại hội nghị …", "phát biểu tại diễn đàn …")
  adds almost nothing; personnel news (bổ nhiệm, điều động, nghỉ hưu …) is not a
  conference even when it was announced at one. Event mentions further down the body
  add a little.
* **funding** — a funding programme or support context: khuyến công quốc gia/địa
  phương (KCQG/KCĐP), kinh phí khuyến công/hỗ trợ, giải ngân, tạm ứng, phân bổ,
  "hỗ trợ <amount>", "từ ngân sách", Quỹ phát triển/hỗ trợ/bảo lãnh, vay ưu đãi, hồ
  sơ đề nghị hỗ trợ … An amount alone (prices, turnover, exports, investment of a
  private project) is not funding; fines and enforcement ("xử phạt", "nộp ngân
  sách") and the fuel price-stabilisation fund never count.

Matching runs on :func:`archive.textnorm.canonical`-style lower-case text (one tone
mark placement, NFC), so NFD input, "hoà"/"hòa", "toạ"/"tọa" and case give the same
flags; abbreviations (KCQG, KCĐP/KCDP, CNNT, DN, UBND, CTĐP) are part of the rules.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Literal

from . import provinces
from .amounts import Amount, lower_aligned, parse_amounts
from .dates import DateMatch, find_dates, resolve_year
from .textnorm import TONES, canonical_word, clean

__all__ = ["RULES_VERSION", "THRESHOLD", "Flag", "flag_version"]

RULES_VERSION = "2026.11.1"
THRESHOLD = 0.5


@dataclass(frozen=True)
class Flag:
    kind: Literal["conference", "funding"]
    subtype: str
    score: float
    evidence: tuple[str, ...]
    facts: dict[str, Any] = field(default_factory=dict, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: kind, subtype, score, evidence and the facts at the top level."""
        out: dict[str, Any] = {
            "kind": self.kind,
            "subtype": self.subtype,
            "score": self.score,
            "evidence": list(self.evidence),
        }
        out.update(self.facts)
        return out


# --------------------------------------------------------------------------- text

# The tone mark of an open "oa", "oe", "uy" is written on either vowel ("hoà"/"hòa",
# "khoẻ"/"khỏe", "thuỷ"/"thủy"); those are the words :func:`canonical_word` may change.
# One character class pair (fast to scan for); the pairs that matter are checked after.
_TWO_WAY = re.compile("[oòóõỏọuùúũủụ][aàáãảạeèéẽẻẹyỳýỹỷỵ]")



def _toned(vowel: str) -> list[str]:
    return [vowel] + [unicodedata.normalize("NFC", vowel + t) for t in sorted(TONES)]


_TWO_WAY_PAIRS = frozenset(
    a + b
    for v1, v2 in (("o", "a"), ("o", "e"), ("u", "y"))
    for a in _toned(v1)
    for b in _toned(v2)
    if (a != v1) != (b != v2)  # exactly one of the two carries the tone mark
)


def _canon_words(text: str) -> str:
    """``text`` with its "oa"/"oe"/"uy" words in canonical form (same length)."""
    parts = []
    last = 0
    for m in _TWO_WAY.finditer(text):
        if m.group() not in _TWO_WAY_PAIRS or m.start() < last:
            continue
        start, end = m.start(), m.end()
        while start > last and text[start - 1].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum():
            end += 1
        parts.append(text[last:start])
        word = text[start:end]
        canon = canonical_word(word)  # cached in textnorm
        parts.append(canon if len(canon) == len(word) else word)
        last = end
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


def _key(text: str) -> str:
    """Lower case, one tone-mark placement per syllable; same length as ``text`` (NFC)."""
    return _canon_words(lower_aligned(text))


def _keyrx(src: str) -> str:
    """A regex source written in natural (lower-case) spelling, tone marks in key form."""
    return _canon_words(src)


def _expand(phrase: str) -> list[str]:
    """Spell out a leading group: "(?:a|b) c" → "a c", "b c"; "(?:a )?b" → "a b", "b"."""
    if not phrase.startswith("(?:"):
        return [phrase]
    depth, i = 0, 0
    while i < len(phrase):
        depth += phrase[i] == "("
        depth -= phrase[i] == ")"
        if depth == 0:
            break
        i += 1
    inner, rest = phrase[3:i], phrase[i + 1 :]
    if "(" in inner:
        return [phrase]
    optional = rest.startswith("?")
    rest = rest[1:] if optional else rest
    out = [alt + rest for alt in inner.split("|")]
    return [*out, rest] if optional else out


_LITERAL_START = re.compile(r"[^\W\d_]\w*(?![?*+{])")


def _rx(*phrases: str) -> re.Pattern[str]:
    """Compile whole-word phrases in natural spelling (tone marks normalised; space = \\s+).

    Each alternative is written "x(?<!\\w.)rest": it starts with a literal letter, so the
    regex engine scans quickly for the possible first letters, and the word-boundary
    check comes right after that letter.
    """
    return _words_rx([a for p in phrases for a in _expand(_keyrx(p).replace(" ", r"\s+"))])


def _words_rx(alts: list[str]) -> re.Pattern[str]:
    if all(_LITERAL_START.match(a) and a[1:2] not in "?*+{" for a in alts):
        by_first: dict[str, list[str]] = {}
        for a in alts:
            by_first.setdefault(a[0], []).append(a[1:])
        body = "|".join(
            f"{first}(?<!\\w.)(?:{'|'.join(rests)})" for first, rests in by_first.items()
        )
        return re.compile(rf"(?:{body})(?!\w)")
    return re.compile(rf"(?<!\w)(?:{'|'.join(alts)})(?!\w)")


_ABBREV_BEFORE_DOT = re.compile(
    r"(?:^|[\s(])(?:[A-ZĐ]|TP|Tp|TX|Tx|TT|Th\.?S|TS|PGS|GS|St|Mr|Ms|Dr|Ô|Q|P|H)$"
)
_SENT_END = re.compile(r"[.!?…]+[\"”’)\]]*(?:\s+|(?=[^\W\d_]))")


def _sentences(line: str, base: int) -> list[tuple[int, int]]:
    """(start, end) of the sentences of one paragraph, offsets shifted by ``base``."""
    spans = []
    start = 0
    for m in _SENT_END.finditer(line):
        nxt = line[m.end() : m.end() + 1]
        if not nxt:
            continue
        spaced = m.group().rstrip() != m.group()
        if not (nxt.isupper() or (spaced and (nxt.isdigit() or nxt in "\"“‘(–-"))):
            continue
        if m.group().startswith(".") and _ABBREV_BEFORE_DOT.search(line[start : m.start()]):
            continue
        if not spaced and not line[m.start() - 1 : m.start()].islower():
            continue  # "TP.HCM", "U.S.": no space, no lower-case letter before the dot
        spans.append((base + start, base + m.start() + len(m.group().rstrip())))
        start = m.end()
    if start < len(line):
        spans.append((base + start, base + len(line)))
    return spans


@dataclass
class _Doc:
    title: str
    title_key: str
    text: str
    key: str
    spans: list[tuple[int, int]]
    lead_count: int
    amounts: list[Amount]
    title_amounts: list[Amount]
    _starts: list[int] = field(default_factory=list)

    def sentence(self, i: int) -> str:
        s, e = self.spans[i]
        return self.text[s:e]

    def skey(self, i: int) -> str:
        s, e = self.spans[i]
        return self.key[s:e]

    def sentence_of(self, pos: int) -> int:
        return bisect.bisect_right(self._starts, pos) - 1

    @property
    def body_start(self) -> int:
        """Offset of the first sentence after the lead."""
        return self.spans[self.lead_count][0] if self.lead_count < len(self.spans) else len(self.text)

    def sentences_with(self, matches) -> list[int]:
        """Indices of the sentences holding the given matches, in order, once each."""
        out: list[int] = []
        for m in matches:
            i = self.sentence_of(m.start())
            if i >= 0 and (not out or out[-1] != i):
                out.append(i)
        return out

    def amounts_in(self, i: int) -> list[Amount]:
        s, e = self.spans[i]
        return [a for a in self.amounts if s <= a.start < e]


# What clean() would change: invisible characters, odd spaces, blank or padded lines.
_ODD_CHARS = re.compile(
    "[\u200b\u200c\u200d\u2060\ufeff\u00ad\r\t\u2028\u00a0\u2000-\u200a\u202f\u205f\u3000]"
)


def _clean(text: str) -> str:
    """:func:`archive.textnorm.clean`, skipped when the text is clean already (stored text is)."""
    if (
        "  " in text or "\n\n" in text or " \n" in text or "\n " in text
        or text[:1].isspace() or text[-1:].isspace()
        or not unicodedata.is_normalized("NFC", text) or _ODD_CHARS.search(text)
    ):
        return clean(text)
    return text


def _prepare(title: str | None, text: str) -> _Doc:
    title_c = _clean(title or "").replace("\n", " ")
    body = _clean(text or "")
    spans: list[tuple[int, int]] = []
    paragraph_first: list[int] = []
    pos = 0
    for line in body.split("\n"):
        paragraph_first.append(len(spans))
        spans.extend(_sentences(line, pos))
        pos += len(line) + 1
    # The lead: the first paragraph's sentences (at most 3); a very short first
    # paragraph (a dateline, "(Tin: …)") takes the next paragraph along.
    lead = 0
    for p in range(len(paragraph_first)):
        nxt = paragraph_first[p + 1] if p + 1 < len(paragraph_first) else len(spans)
        lead = nxt
        if spans and spans[nxt - 1][1] - spans[0][0] >= 80:
            break
    lead = min(lead, 3, len(spans))
    doc = _Doc(
        title=title_c,
        title_key=_key(title_c),
        text=body,
        key=_key(body),
        spans=spans,
        lead_count=lead,
        amounts=parse_amounts(body),
        title_amounts=parse_amounts(title_c),
    )
    doc._starts = [s for s, _ in spans]
    return doc


# ---------------------------------------------------------------------- conference

_EVENT = _rx(
    r"hội nghị", r"hội thảo", r"tọa đàm", r"diễn đàn", r"hội chợ", r"triển lãm", r"tập huấn",
    r"lớp bồi dưỡng", r"khóa bồi dưỡng", r"lớp đào tạo", r"khóa đào tạo", r"kết nối cung cầu",
    r"kết nối giao thương", r"phiên chợ", r"tuần hàng", r"ngày hội", r"hội nghị trực tuyến",
    r"hội nghị giao thương", r"festival", r"hnkc",
)
# "Trung tâm Hội nghị Quốc gia", "Cung Triển lãm": a venue, not an event.
_VENUE_BEFORE = re.compile(_keyrx(r"(?:trung tâm|cung|nhà|hội trường|khu|phòng)\s+$"))


def _events(key: str, lo: int = 0, hi: int | None = None) -> list[re.Match[str]]:
    hi = len(key) if hi is None else hi
    return [
        m for m in _EVENT.finditer(key, lo, hi)
        if not _VENUE_BEFORE.search(key[max(0, m.start() - 15) : m.start()])
    ]


# Title prefix that makes the event the subject ("Khai mạc Hội chợ …").
_TITLE_EVENT_VERB = _rx(
    r"tổ chức", r"khai mạc", r"bế mạc", r"chương trình", r"lễ", r"mời", r"giấy mời",
    r"thông báo", r"kế hoạch", r"chuẩn bị", r"tham dự", r"sắp diễn ra", r"sẽ diễn ra",
    r"diễn ra", r"về việc",
)
_STRONG_VERB = _rx(
    r"tổ chức", r"diễn ra", r"khai mạc", r"bế mạc", r"khai giảng", r"bế giảng", r"đăng cai",
    r"chủ trì", r"mở (?:\S+ )?(?:lớp|khóa)", r"kính mời", r"trân trọng mời",
    r"mời .{0,40}?tham (?:dự|gia)", r"đăng ký tham (?:gia|dự)", r"triệu tập", r"quy tụ",
    r"thu hút", r"chính thức",
)
_WEAK_VERB = _rx(r"tham gia", r"tham dự", r"dự", r"mời", r"đăng ký")
_PASSING_BEFORE = re.compile(
    _keyrx(
        r"(?:(?<!\w)tại|(?<!\w)trong|bên lề|báo cáo tại|phát biểu tại|theo)\s+"
        r"(?:các\s+|những\s+|buổi\s+)?$"
    )
)
_PERSONNEL = _rx(
    r"bổ nhiệm", r"điều động", r"luân chuyển", r"nghỉ hưu", r"chia tay", r"kiện toàn",
    r"phân công nhiệm vụ", r"nhận nhiệm vụ", r"công tác cán bộ", r"tân (?:phó )?giám đốc",
    r"trao quyết định", r"giữ chức", r"miễn nhiệm", r"bầu (?:bổ sung|chủ tịch)",
)
_ANNOUNCE = _rx(
    r"thông báo", r"kế hoạch tổ chức", r"giấy mời", r"kính mời", r"trân trọng mời", r"mời",
    r"sẽ (?:được )?(?:tổ chức|diễn ra|khai mạc)", r"dự kiến", r"đăng ký tham (?:gia|dự)",
    r"chuẩn bị tổ chức", r"sắp (?:diễn ra|tổ chức|khai mạc)", r"triệu tập", r"hạn (?:chót )?đăng ký",
    r"đề nghị .{0,60}?(?:tham dự|cử)", r"về việc tổ chức",
)
_REPORT = _rx(
    r"đã diễn ra", r"vừa (?:tổ chức|diễn ra|khai mạc|bế mạc|kết thúc)", r"đã tổ chức",
    r"khai mạc", r"bế mạc", r"tổ chức thành công", r"đã thu hút", r"diễn ra vào",
    r"(?:sáng|chiều|tối|trưa) (?:ngày |nay |qua |hôm nay )?\(?\d", r"tham dự có", r"phát biểu",
    r"kết thúc", r"đã (?:có|nêu|ký)", r"tại hội nghị",
)
# A date that belongs to a document ("Kế hoạch số 15/KH-SCT ngày 02/3/2024"), a
# deadline ("trước ngày 15/3") or a law's entry into force is not the event's.
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


_HELD_AFTER = _rx(r"diễn ra", r"được tổ chức", r"do .{0,60}?tổ chức", r"khai mạc", r"tổ chức")


def _is_passing(key: str, start: int, end: int) -> bool:
    """'tại hội nghị …' with no event verb after it: the event is only where it was said."""
    if not _PASSING_BEFORE.search(key[max(0, start - 25) : start]):
        return False
    return not _HELD_AFTER.search(key[end : end + 80])


def _title_event(doc: _Doc) -> tuple[float, re.Match[str] | None]:
    best: tuple[float, re.Match[str] | None] = (0.0, None)
    for m in _events(doc.title_key):
        if _is_passing(doc.title_key, m.start(), m.end()):
            score = 0.15
        elif (m.start() == 0 or doc.title[m.start()].isupper()
              or _NAME_PREFIX.fullmatch(doc.title_key[: m.start()])):
            score = 0.6
        elif _TITLE_EVENT_VERB.search(doc.title_key[max(0, m.start() - 40) : m.start()]):
            score = 0.55
        else:
            score = 0.3
        if score > best[0]:
            best = (score, m)
    return best


def _sentence_event(doc: _Doc, i: int, ref: date | None) -> float:
    """Strength of the event evidence in sentence ``i``."""
    key = doc.skey(i)
    best = 0.0
    dated = None
    for m in _events(key):
        if _is_passing(key, m.start(), m.end()):
            score = 0.1
        else:
            s0 = doc.spans[i][0]
            named = doc.text[s0 + m.start()].isupper()
            if dated is None:
                dated = bool(_event_dates(doc.sentence(i), ref, key))
            if _STRONG_VERB.search(key):
                score = 0.4 + (0.1 if dated or named else 0.0)
            elif _WEAK_VERB.search(key) and (named or dated):
                score = 0.4
            elif named and dated:
                score = 0.35
            else:
                score = 0.1
        best = max(best, score)
    if best and _PERSONNEL.search(key):
        best = 0.0
    return best


# News leads write "Chiều 28/3, …" without "ngày"; find_dates wants "ngày 28/3".
_DAYPART_DATE = re.compile(
    _keyrx(r"(?<!\w)(?:sáng|chiều|tối|trưa|đêm)(?: nay| qua| hôm nay)?\s*\(?")
    + r"(\d{1,2})\s*[/-]\s*(\d{1,2})(?![/\d-])"
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
            if any(d.start <= m.start(1) < d.end for d in out):
                continue
            value = resolve_year(int(m.group(1)), int(m.group(2)), ref)
            if value is not None:
                span = (m.start(1), m.end(2))
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


def _conference(doc: _Doc, published: date | None) -> Flag | None:
    title_score, title_m = _title_event(doc)
    if _PERSONNEL.search(doc.title_key):
        title_score = min(title_score, 0.1) - 0.3
    lead_scores = [_sentence_event(doc, i, published) for i in range(doc.lead_count)]
    lead_score = max(lead_scores, default=0.0)
    # the body is long: one pass for event words, then only the sentences that have one
    body_hits = [
        i for i in doc.sentences_with(_events(doc.key, doc.body_start))
        if not _PERSONNEL.search(doc.skey(i))
    ]
    subject = title_score > 0.2 or lead_score >= 0.3
    body_score = min(0.15, 0.03 * len(body_hits)) if subject else 0.0
    score = max(0.0, min(1.0, title_score + lead_score + body_score))
    if title_score < 0.3 and lead_score < 0.4:
        score = min(score, THRESHOLD - 0.01)  # a conference must be the subject somewhere
    if score < THRESHOLD:
        return None

    # The event sentence: the strongest lead sentence, else the first with an event.
    ev_i = None
    if lead_scores and lead_score >= 0.3:
        ev_i = lead_scores.index(lead_score)
    elif body_hits:
        ev_i = body_hits[0]
    evidence: list[str] = []
    if ev_i is not None:
        evidence.append(doc.sentence(ev_i))
    for i, s in enumerate(lead_scores):
        if s > 0 and i != ev_i and len(evidence) < 3:
            evidence.append(doc.sentence(i))
    for i in body_hits:
        if len(evidence) >= 3:
            break
        if doc.sentence(i) not in evidence:
            evidence.append(doc.sentence(i))
    if not evidence:
        evidence.append(doc.title)

    # event name: the title's event if it names one, else the event sentence's
    ev_text = doc.sentence(ev_i) if ev_i is not None else ""
    ev_key = doc.skey(ev_i) if ev_i is not None else ""
    ev_events = _events(ev_key)
    ev_m = ev_events[0] if ev_events else None
    event_name = None
    if title_m is not None and title_score >= 0.55:
        event_name = _event_name(
            doc.title, doc.title_key, title_m, _TITLE_NAME_STOP, _TITLE_NAME_PUNCT
        )
    elif ev_m is not None:
        event_name = _event_name(ev_text, ev_key, ev_m, _EVENT_NAME_STOP, _EVENT_NAME_PUNCT)

    # event date: first event-like date from the event sentence on, then the title
    ev_date: DateMatch | None = None
    order = ([ev_i] if ev_i is not None else []) + [
        i for i in range(doc.lead_count) if i != ev_i
    ]
    for i in order:
        found = _event_dates(doc.sentence(i), published, doc.skey(i))
        if found:
            ev_date = found[0]
            break
    if ev_date is None and doc.title:
        found = _event_dates(doc.title, published, doc.title_key)
        ev_date = found[0] if found else None

    # subtype: the date against the publication date, else the wording
    lead_key = " ".join(doc.skey(i) for i in range(doc.lead_count))
    subtype = "report"
    if ev_date is not None and published is not None and ev_date.value > published:
        subtype = "announcement"
    elif ev_date is not None and published is not None and ev_date.value < published:
        subtype = "report"
    else:
        ann = len(_ANNOUNCE.findall(doc.title_key)) * 2 + len(_ANNOUNCE.findall(lead_key))
        rep = len(_REPORT.findall(doc.title_key)) * 2 + len(_REPORT.findall(lead_key))
        if ann > rep:
            subtype = "announcement"

    # location: "tại <province>" in the title, then in the event sentence, then any
    # province in the title, then in the event sentence, then in the lead
    location = None
    candidates = [
        (doc.title, _tai_province(doc.title, doc.title_key)),
        (ev_text, _tai_province(ev_text, ev_key) if ev_text else None),
    ]
    title_prov = _provinces_in(doc.title, doc.title_key)
    candidates.append((doc.title, title_prov[0] if title_prov else None))
    if ev_text:
        ev_prov = _provinces_in(ev_text, ev_key)
        candidates.append((ev_text, ev_prov[0] if ev_prov else None))
    for i in range(doc.lead_count):
        lp = _provinces_in(doc.sentence(i), doc.skey(i))
        candidates.append((doc.sentence(i), lp[0] if lp else None))
    for text, span in candidates:
        if span:
            location = text[span[0] : span[1]]
            break
    current = provinces.current_of(location) if location else None

    # organisers: in the event sentence, before the event (or after "do"/"phối hợp với")
    organizers: list[str] = []
    if ev_key and _ORGANIZE.search(ev_key):
        organizers = _organizers(ev_text, ev_key, upto=ev_m.start() if ev_m else None)
    if not organizers and _ORGANIZE.search(doc.title_key):
        upto = title_m.start() if title_m else None
        organizers = _organizers(doc.title, doc.title_key, upto=upto)

    facts = {
        "event_name": event_name,
        "event_date": ev_date.value.isoformat() if ev_date else None,
        "event_end_date": (
            ev_date.end_value.isoformat() if ev_date and ev_date.end_value else None
        ),
        "location": location,
        "current_province": current,
        "organizers": organizers,
    }
    return Flag("conference", subtype, round(score, 3), tuple(evidence[:3]), facts)


# ------------------------------------------------------------------------- funding

# A funding programme or support: enough on its own.
_FUND_STRONG = _rx(
    r"khuyến công quốc gia", r"khuyến công địa phương", r"kcqg", r"kc[đd]p",
    r"kinh phí (?:khuyến công|hỗ trợ|thực hiện|sự nghiệp|xúc tiến|được giao|đề nghị)",
    r"hỗ trợ (?:kinh phí|vốn|tài chính|lãi suất|đầu tư|máy móc|thiết bị|chi phí|toàn bộ|tối đa|đến|\d+%|\d+\s*%)",
    r"(?:đề nghị|đăng ký|mức|được|gói|nguồn|chính sách) hỗ trợ",
    r"đề án khuyến công", r"đề án (?:khuyến công )?điểm", r"giải ngân", r"tạm ứng",
    r"thanh toán (?:100% )?kinh phí", r"(?:thanh )?quyết toán", r"dự toán (?:kinh phí|chi|ngân sách)",
    r"từ (?:nguồn )?(?:vốn )?ngân sách", r"vốn ngân sách", r"ngân sách(?: (?:nhà nước|trung ương|tỉnh|địa phương|thành phố|khuyến công))? (?:hỗ trợ|bố trí|cấp|chi|dành)",
    r"bố trí (?:\S+ ){0,6}?(?:ngân sách|vốn|kinh phí)", r"(?:nguồn )?vốn (?:hỗ trợ|khuyến công|đầu tư công|vay ưu đãi|đối ứng)",
    r"nguồn vốn khuyến công", r"nguồn khuyến công",
    r"quỹ (?:phát triển|hỗ trợ|khuyến công|bảo lãnh|đầu tư phát triển)", r"(?:cho )?vay ưu đãi",
    r"gói tín dụng", r"phân bổ (?:kinh phí|vốn|ngân sách|nguồn vốn|\d)", r"tài trợ",
    r"kế hoạch (?:kinh phí|vốn)", r"giao (?:kế hoạch )?(?:kinh phí|dự toán|vốn)",
    r"chương trình (?:khuyến công|cấp quốc gia về xúc tiến thương mại|xúc tiến thương mại quốc gia|hỗ trợ)",
    r"(?:hồ sơ|đề xuất|đăng ký) (?:đề nghị )?(?:hỗ trợ|đề án)",
)
# A money word: counts with an amount in the same sentence.
_FUND_WEAK = _rx(
    r"hỗ trợ", r"kinh phí", r"vốn", r"ngân sách", r"quỹ", r"đề án", r"khuyến công",
    r"chính sách", r"cho vay",
)
_FUND_NOT = _rx(
    r"công nghiệp hỗ trợ", r"quỹ bình ổn", r"tổng vốn đầu tư", r"tổng mức đầu tư",
    r"vốn đầu tư (?:trực tiếp )?nước ngoài", r"vốn điều lệ", r"tái cấp vốn",
)
_PROGRAMME_CONTEXT = _rx(r"khuyến công", r"cnnt", r"công nghiệp nông thôn", r"xúc tiến thương mại")
# Fines, seizures and budget *revenue*: money, but not funding.
_ENFORCEMENT = _rx(
    r"thu ngân sách", r"thu nội địa", r"tổng thu",
    r"xử phạt", r"phạt tiền", r"phạt hành chính", r"mức phạt", r"vi phạm", r"tịch thu",
    r"nộp ngân sách", r"buôn lậu", r"hàng giả", r"tiêu hủy", r"gian lận", r"bắt giữ",
    r"quản lý thị trường", r"qltt",
)
_SUPPORT_NEAR_AMOUNT = _rx(r"hỗ trợ", r"được hỗ trợ", r"cấp", r"dành", r"bố trí", r"cho vay")
_FUND_CALL = _rx(
    r"mời (?:\S+ ){0,6}?đăng ký", r"tiếp nhận (?:hồ sơ|đăng ký)", r"đề xuất (?:\S+ ){0,3}?đề án",
    r"đăng ký (?:\S+ ){0,2}?(?:đề án|hỗ trợ)", r"hồ sơ (?:đăng ký|đề nghị|đề xuất)",
    r"hướng dẫn (?:\S+ ){0,6}?(?:đề án|kế hoạch khuyến công|hồ sơ)", r"gửi hồ sơ",
    r"hạn (?:cuối |chót )?nộp hồ sơ", r"thông báo mời",
)
_FUND_DISBURSE = _rx(
    r"giải ngân", r"tạm ứng", r"thanh toán", r"chi trả", r"cấp phát", r"quyết toán", r"bàn giao",
)
_FUND_APPROVE = _rx(
    r"phê duyệt", r"giao (?:kế hoạch|kinh phí|dự toán|vốn|chỉ tiêu)", r"phân bổ",
    r"quyết định hỗ trợ", r"bố trí", r"thông qua (?:nghị quyết|chính sách)", r"cam kết dành",
    r"ban hành quyết định",
)
_FUND_REPORT = _rx(
    r"tổng kết", r"kết quả", r"thực hiện", r"đã hỗ trợ", r"nghiệm thu", r"sơ kết", r"đạt",
)
_FUND_SUBTYPES = (
    ("call", _FUND_CALL), ("disbursement", _FUND_DISBURSE), ("approval", _FUND_APPROVE),
    ("report", _FUND_REPORT),
)
_YEAR_NEAR_FUND = re.compile(
    _keyrx(r"(?:khuyến công|kinh phí|kế hoạch|đề án|dự toán|chương trình|ngân sách|kcqg|kcđp|kcdp)")
    + r"[^.;]{0,40}?năm\s+((?:19|20)\d\d)(?!\d)"
)
_YEAR = re.compile(r"năm\s+((?:19|20)\d\d)(?!\d)")


def _fund_sentence(key: str, amounts: list[Amount], offset: int, programme_context: bool) -> float:
    """Strength of the funding evidence in one sentence (key: its lower-case key).

    ``programme_context``: the title or lead speaks of khuyến công, CNNT or trade
    promotion, so "kinh phí … <amount>" there is programme money.
    """
    if _ENFORCEMENT.search(key):
        return 0.0
    masked = _FUND_NOT.sub(lambda m: " " * len(m.group()), key)
    strong = bool(_FUND_STRONG.search(masked))
    near = any(
        _SUPPORT_NEAR_AMOUNT.search(masked[max(0, a.start - offset - 30) : a.start - offset])
        for a in amounts
    )
    weak = {m.group() for m in _FUND_WEAK.finditer(masked)}
    if strong and amounts:
        return 0.6
    if strong or near or (amounts and (len(weak) >= 2 or (weak and programme_context))):
        return 0.5
    if weak and amounts:
        return 0.25
    return 0.1 if weak else 0.0


def _funding(doc: _Doc, published: date | None) -> Flag | None:
    title_amounts = doc.title_amounts
    lead_key = " ".join(doc.skey(i) for i in range(doc.lead_count))
    context = bool(_PROGRAMME_CONTEXT.search(doc.title_key) or _PROGRAMME_CONTEXT.search(lead_key))
    t = _fund_sentence(doc.title_key, title_amounts, 0, context)
    title_score = {0.6: 0.6, 0.5: 0.55, 0.25: 0.4, 0.1: 0.25}.get(t, 0.0)
    if _ENFORCEMENT.search(doc.title_key):
        title_score = -0.3
    # The lead in full; in the body only sentences with a strong cue or an amount can
    # reach the 0.25 that counts (one pass over the body instead of one per sentence).
    candidates = set(range(doc.lead_count))
    candidates.update(doc.sentences_with(_FUND_STRONG.finditer(doc.key, doc.body_start)))
    candidates.update(doc.sentence_of(a.start) for a in doc.amounts if a.start >= doc.body_start)
    scores = [
        _fund_sentence(doc.skey(i), doc.amounts_in(i), doc.spans[i][0], context)
        if i in candidates else 0.0
        for i in range(len(doc.spans))
    ]
    lead_score = max(scores[: doc.lead_count], default=0.0)
    body = [s for s in scores[doc.lead_count :] if s >= 0.5]
    body_score = min(0.3, 0.1 * len(body))
    score = max(0.0, min(1.0, title_score + lead_score + body_score))
    if title_score < 0.55 and lead_score < 0.5 and len(body) < 3:
        score = min(score, THRESHOLD - 0.01)  # a programme/support context must be there
    if score < THRESHOLD:
        return None

    ranked = sorted(
        (i for i, s in enumerate(scores) if s >= 0.25),
        key=lambda i: (-(scores[i] + (0.05 if i < doc.lead_count else 0.0)), i),
    )
    ev = sorted(ranked[:3])
    evidence = tuple(doc.sentence(i) for i in ev) or (doc.title,)

    amounts = [{"vnd": a.vnd, "phrase": a.phrase} for a in doc.amounts]
    seen = {a.vnd for a in doc.amounts}
    amounts = [{"vnd": a.vnd, "phrase": a.phrase} for a in title_amounts if a.vnd not in seen] + amounts

    ev_key = " ".join(doc.skey(i) for i in ev)
    all_key = doc.title_key + " " + doc.key
    programme = None
    for src in (doc.title_key, ev_key, all_key):
        m = re.search(r"khuyến công quốc gia|kcqg|khuyến công địa phương|kc[đd]p", src)
        if m:
            programme = "KCQG" if m.group() in ("khuyến công quốc gia", "kcqg") else "KCĐP"
            break

    year = None
    for src, rx in ((doc.title_key, _YEAR_NEAR_FUND), (doc.title_key, _YEAR), (ev_key, _YEAR_NEAR_FUND)):
        m = rx.search(src)
        if m:
            year = int(m.group(1))
            break
    if year is None and published is not None:
        year = published.year

    votes = {"call": 0, "disbursement": 0, "approval": 0, "report": 0}
    for src, weight in ((doc.title_key, 3), (lead_key, 2), (ev_key, 1)):
        for name, rx in _FUND_SUBTYPES:
            votes[name] += weight * len(rx.findall(src))
    # ties go to the most specific: call > disbursement > approval > report
    subtype = max(_FUND_SUBTYPES, key=lambda nr: votes[nr[0]])[0] if any(votes.values()) else "report"

    facts = {"amounts": amounts, "programme": programme, "year": year}
    return Flag("funding", subtype, round(score, 3), evidence, facts)


# ---------------------------------------------------------------------------- API


def flag_version(title: str | None, text: str, published: date | None = None) -> list[Flag]:
    """The flags of one article version (conference first, then funding)."""
    doc = _prepare(title, text)
    flags = [f for f in (_conference(doc, published), _funding(doc, published)) if f is not None]
    return flags
