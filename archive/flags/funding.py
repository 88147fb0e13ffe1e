"""The funding rules: a programme or support context (kinh phí khuyến công, hỗ trợ …, giải
ngân, quỹ …) with its amounts in VND, year and programme; prices, fines and turnover are not
funding."""

from __future__ import annotations

import re
from datetime import date

from archive.flags.evidence import Flag, _Doc, _keyrx, _rx
from archive.flags.version import THRESHOLD
from archive.vietnamese.amounts import Amount

# A funding programme or support: enough on its own.
_FUND_STRONG = _rx(
    r"kinh phí (?:khuyến công|hỗ trợ|thực hiện|sự nghiệp|xúc tiến|được giao|đề nghị)",
    r"hỗ trợ (?:kinh phí|vốn|tài chính|lãi suất|đầu tư|máy móc|thiết bị|chi phí|toàn bộ|tối đa|đến|\d+%|\d+\s*%)",
    r"(?:đề nghị|đăng ký|mức|được|gói|nguồn) hỗ trợ",
    r"đề án khuyến công", r"đề án (?:khuyến công )?điểm", r"giải ngân", r"tạm ứng",
    r"thanh toán (?:100% )?kinh phí", r"(?:thanh )?quyết toán", r"dự toán (?:kinh phí|chi|ngân sách)",
    r"từ (?:nguồn )?(?:vốn )?ngân sách", r"vốn ngân sách", r"ngân sách(?: (?:nhà nước|trung ương|tỉnh|địa phương|thành phố|khuyến công))? (?:hỗ trợ|bố trí|cấp|chi|dành)",
    r"bố trí (?:\S+ ){0,6}?(?:ngân sách|vốn|kinh phí)", r"(?:nguồn )?vốn (?:hỗ trợ|khuyến công|đầu tư công|vay ưu đãi|đối ứng)",
    r"nguồn vốn khuyến công", r"nguồn khuyến công",
    r"quỹ (?:phát triển|hỗ trợ|khuyến công|bảo lãnh|đầu tư phát triển)", r"(?:cho )?vay ưu đãi",
    r"gói tín dụng", r"phân bổ (?:kinh phí|vốn|ngân sách|nguồn vốn|\d)", r"tài trợ",
    r"kế hoạch (?:kinh phí|vốn)", r"giao (?:kế hoạch )?(?:kinh phí|dự toán|vốn)",
    r"(?:hồ sơ|đề xuất|đăng ký) (?:đề nghị )?(?:hỗ trợ|đề án)",
    r"(?:phổ biến|hướng dẫn|triển khai|tiếp cận|thụ hưởng|ban hành) (?:các )?(?:chính sách|chương trình) hỗ trợ",
)
# A programme's name: funding only with money in the same sentence ("Nằm trong khuôn khổ
# Chương trình khuyến công quốc gia, … diễn ra Hội nghị …" frames an event, it is no money).
_FUND_PROGRAMME = _rx(
    r"khuyến công quốc gia", r"khuyến công địa phương", r"kcqg", r"kc[đd]p",
    r"chương trình (?:khuyến công|cấp quốc gia về xúc tiến thương mại|xúc tiến thương mại quốc gia|hỗ trợ)",
    r"kế hoạch khuyến công", r"chính sách hỗ trợ",
)
# Money words that make a programme's mention funding news.
_MONEY_WORD = _rx(
    r"kinh phí", r"vốn", r"ngân sách", r"giải ngân", r"tạm ứng", r"thanh toán", r"quyết toán",
    r"phân bổ", r"dự toán", r"tài trợ", r"cho vay", r"đề án", r"hợp đồng", r"được hỗ trợ",
    r"hỗ trợ (?:\S+ ){0,3}?(?:máy|thiết bị|xây dựng mô hình|chi phí|\d)",
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
    if not strong and _FUND_PROGRAMME.search(masked):
        rest = _FUND_PROGRAMME.sub(lambda m: " " * len(m.group()), masked)
        strong = bool(amounts) or bool(_MONEY_WORD.search(rest))
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
    # a body sentence with a programme/support cue *and* an amount is money news itself
    money = sum(s >= 0.6 for s in body)
    body_score = min(0.5, 0.4 * money + 0.1 * (len(body) - money))
    score = max(0.0, min(1.0, title_score + lead_score + body_score))
    # money or a programme (khuyến công, CNNT, xúc tiến thương mại) up top
    context_up_top = title_score >= 0.25 or lead_score >= 0.25 or context
    if (title_score < 0.55 and lead_score < 0.5 and len(body) < 3 and money < 2
            and not (money and context_up_top)):
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
