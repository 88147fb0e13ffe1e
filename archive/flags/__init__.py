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
  adds almost nothing; personnel news (bổ nhiệm, điều động, nghỉ hưu …) is not a
  conference even when it was announced at one. Event mentions further down the body
  add a little.
* **funding** — a funding programme or support context: khuyến công quốc gia/địa
  phương (KCQG/KCĐP), kinh phí khuyến công/hỗ trợ, giải ngân, tạm ứng, phân bổ,
  "hỗ trợ <amount>", "từ ngân sách", Quỹ phát triển/hỗ trợ/bảo lãnh, vay ưu đãi, hồ
  sơ đề nghị hỗ trợ … An amount alone (prices, turnover, exports, investment of a
  private project) is not funding; fines and enforcement ("xử phạt", "nộp ngân
  sách") and the fuel price-stabilisation fund never count.

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

