"""The conference rules: an event noun (hội nghị, hội thảo, hội chợ, tập huấn …) that is the
article's subject, in the title or with an event verb in the lead; mentions in passing and
personnel news do not count."""

from __future__ import annotations

import re
from datetime import date

from archive.flags.evidence import Flag, _Doc, _keyrx, _rx
from archive.flags.facts import (
    _EVENT_NAME_PUNCT,
    _EVENT_NAME_STOP,
    _NAME_PREFIX,
    _ORGANIZE,
    _TITLE_NAME_PUNCT,
    _TITLE_NAME_STOP,
    _event_dates,
    _event_name,
    _has_event_day,
    _organizers,
    _provinces_in,
    _tai_province,
)
from archive.flags.version import THRESHOLD
from archive.vietnamese import provinces
from archive.vietnamese.dates import DateMatch

_EVENT = _rx(
    r"hội nghị", r"hội thảo", r"tọa đàm", r"diễn đàn", r"hội chợ", r"triển lãm", r"tập huấn",
    r"lớp bồi dưỡng", r"khóa bồi dưỡng", r"lớp đào tạo", r"khóa đào tạo", r"kết nối cung cầu",
    r"kết nối giao thương", r"phiên chợ", r"tuần hàng", r"ngày hội", r"hội nghị trực tuyến",
    r"hội nghị giao thương", r"festival", r"hnkc", r"bồi dưỡng kiến thức", r"khóa học", r"lớp học",
    r"khóa tập huấn", r"chương trình đào tạo", r"buổi hướng dẫn",
    r"tuần lễ (?:giới thiệu|hàng|văn hóa|sản phẩm|xúc tiến|thương mại|ẩm thực|du lịch)",
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
# "Sở … phối hợp với … tập huấn cho 100 học viên": with a date or a name, a course held.
_WEAK_VERB = _rx(r"tham gia", r"tham dự", r"dự", r"mời", r"đăng ký", r"phối hợp", r"học viên",
                 r"được (?:tập huấn|đào tạo|bồi dưỡng|hướng dẫn)")
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


_HELD_AFTER = _rx(r"diễn ra", r"được tổ chức", r"do .{0,60}?tổ chức", r"khai mạc", r"tổ chức")


# Rules about events in general ("địa điểm đủ điều kiện tổ chức hội chợ"), not one event.
_REGULATORY_BEFORE = re.compile(_keyrx(
    r"(?:danh sách|địa điểm|đủ điều kiện|được phép|thủ tục|cấp phép|quy định|quy chế|nghị định|"
    r"thông tư|quản lý|thẩm định|đăng ký tổ chức)"
    r"[^.;:]{0,40}$"
))


def _is_passing(key: str, start: int, end: int, text: str | None = None) -> bool:
    """'tại hội nghị …' with no event verb after it: the event is only where it was said.

    Also an event kind in general, under a rule or in a list ("danh sách địa điểm được
    phép tổ chức hội chợ"), when no event is named (no capital; ``text`` gives the case).
    """
    if (text is not None and not text[start].isupper()
            and _REGULATORY_BEFORE.search(key[max(0, start - 45) : start])):
        return True
    if not _PASSING_BEFORE.search(key[max(0, start - 25) : start]):
        return False
    return not _HELD_AFTER.search(key[end : end + 80])


def _title_event(doc: _Doc) -> tuple[float, re.Match[str] | None]:
    best: tuple[float, re.Match[str] | None] = (0.0, None)
    for m in _events(doc.title_key):
        if _is_passing(doc.title_key, m.start(), m.end(), doc.title):
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
        if _is_passing(key, m.start(), m.end(), doc.sentence(i)):
            score = 0.1
        else:
            s0 = doc.spans[i][0]
            named = doc.text[s0 + m.start()].isupper()
            if dated is None:
                dated = bool(_event_dates(doc.sentence(i), ref, key)) or (
                    ref is None and _has_event_day(key))
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



def _conference(doc: _Doc, published: date | None) -> Flag | None:
    title_score, title_m = _title_event(doc)
    # personnel news, in the title (no title: in the first sentence), is not a conference
    # even when it was announced at one
    if _PERSONNEL.search(doc.title_key) or (
        not doc.title_key.strip() and doc.spans and _PERSONNEL.search(doc.skey(0))
    ):
        title_score = min(title_score, 0.1) - 0.3
    lead_scores = [_sentence_event(doc, i, published) for i in range(doc.lead_count)]
    lead_score = max(lead_scores, default=0.0)
    # the body is long: one pass for event words, then only the sentences that have one
    body_hits = [
        i for i in doc.sentences_with(_events(doc.key, doc.body_start))
        if not _PERSONNEL.search(doc.skey(i))
    ]
    subject = title_score > 0.2 or lead_score >= 0.3
    body_score = 0.0
    if subject:
        # more sentences holding the event with a verb or a date (the article keeps
        # talking about it) weigh more than passing mentions
        others = sorted(lead_scores, reverse=True)[1:]
        others += [_sentence_event(doc, i, published) for i in body_hits[:8]]
        strong = sum(s >= 0.4 for s in others)
        body_score = min(0.3, 0.1 * min(strong, 3) + 0.03 * (len(others) - strong))
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
