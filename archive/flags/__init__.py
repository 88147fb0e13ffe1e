"""Flags on an article version: conference announcements/reports and funding news.

This package holds the rules only and imports nothing of ours but the language package
(:mod:`archive.vietnamese`): ``evidence`` (the shared text machinery), ``facts`` (event
dates, places, organizers), ``conference``, ``funding``, ``version`` (the rules version).

Pure functions of (title, text, published date): no network, no database. A flag is
derived data; when these rules change, bump :data:`RULES_VERSION` (``version.py``) and re-flag.

How a flag is scored (0..1, kept when ≥ :data:`THRESHOLD`):

* **conference** — an event noun (hội nghị, hội thảo, tọa đàm, diễn đàn, hội chợ,
  triển lãm, tập huấn, lớp bồi dưỡng, kết nối cung cầu, phiên chợ, tuần hàng …).
  In the title it weighs most when the event is *specific*: the title starts with it,
  names it with a capital ("Hội chợ Triển lãm …") or says it is organised/opened/
  announced ("Khai mạc …", "Thông báo tổ chức …"). In the lead (the first sentences)
  it needs an event verb (tổ chức, diễn ra, khai mạc, kính mời …) or a named event
  with a date. A mention "in passing" ("tại hội nghị …", "phát biểu tại diễn đàn …")
  adds almost nothing, and so does an event kind under a rule or in a list ("danh sách
  địa điểm được phép tổ chức hội chợ"); personnel news (bổ nhiệm, điều động, nghỉ hưu …)
  is not a conference even when it was announced at one. Courses count as events in
  any wording (lớp/khóa tập huấn, khóa đào tạo, bồi dưỡng kiến thức, "… phối hợp với …
  tập huấn cho 100 học viên" with a date). Further sentences that hold the event with a
  verb or a date (a planning meeting that keeps talking about the coming fair) add
  0.1 each, passing mentions a little.
* **funding** — a funding programme or support context: kinh phí khuyến công/hỗ trợ,
  đề án khuyến công, giải ngân, tạm ứng, phân bổ, "hỗ trợ <amount>", "từ ngân sách",
  Quỹ phát triển/hỗ trợ/bảo lãnh, vay ưu đãi, hồ sơ đề nghị hỗ trợ … A programme's
  *name* (khuyến công quốc gia/địa phương, KCQG/KCĐP, Chương trình khuyến công,
  chính sách hỗ trợ) counts only with money in the same sentence (kinh phí, vốn,
  giải ngân, đề án, an amount …): "Nằm trong khuôn khổ Chương trình khuyến công quốc
  gia, … diễn ra Hội nghị" is a conference, not funding, and an interview that names
  the programmes is neither. Body sentences with a cue *and* an amount weigh 0.25
  each (two of them, or one under a programme/money title or lead, are enough).
  An amount alone (prices, turnover, exports, investment of a private project) is not
  funding; fines and enforcement ("xử phạt", "nộp ngân sách") and the fuel
  price-stabilisation fund never count.

When the "title" is the text's own first sentence (a page with no headline), the lead
reads on into the second paragraph.

Matching runs on :func:`archive.vietnamese.textnorm.canonical`-style lower-case text (one tone
mark placement, NFC), so NFD input, "hoà"/"hòa", "toạ"/"tọa" and case give the same
flags; abbreviations (KCQG, KCĐP/KCDP, CNNT, DN, UBND, CTĐP) are part of the rules.
"""

from __future__ import annotations

from datetime import date

from archive.flags.conference import _conference
from archive.flags.evidence import Flag, _prepare
from archive.flags.funding import _funding
from archive.flags.version import RULES_VERSION, THRESHOLD

__all__ = ["RULES_VERSION", "THRESHOLD", "Flag", "flag_version"]




def flag_version(title: str | None, text: str, published: date | None = None) -> list[Flag]:
    """The flags of one article version (conference first, then funding)."""
    doc = _prepare(title, text)
    flags = [f for f in (_conference(doc, published), _funding(doc, published)) if f is not None]
    return flags

