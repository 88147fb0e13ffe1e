"""Our own reading of an article body, line by line, and which lines are page furniture.

:func:`body_lines` reads the body element once into :class:`Line` s — one per block
(paragraph, heading, list item, table row), each with what the tree says about it: how
many of its characters are link text, what kind of block it is, and the small container
("box": a ``div``, ``figure``, ``aside``, card …) it sits in.

:func:`choose` then decides line by line, by what the line *is* — never by how long
trafilatura's text is next to ours:

* **furniture, whatever trafilatura said**: a line that is mostly link text (menus,
  "most read" lists, teaser headlines, video strips); a byline ("By …", "Von …",
  "Par …", "Por …", "Door …", "Tác giả: …"); a date or update line ("Updated 10:42
  GMT, March 5, 2024", "Mis à jour le …", "Aktualisiert am …", "Cập nhật: 15:30,
  14/10/2024", a date with a few words around it) — in any language; an interface phrase
  (subscribe / log in / newsletter / advertisement / share / read more / photo credits
  and gallery counters, in English, Vietnamese, French, German, Spanish, Italian, Dutch
  and Portuguese); the same short line repeated (a card's blurb, a prompt's button); and
  every line of a small box whose lines are mostly such furniture (a subscription
  prompt's pitch, an author card's bio, a teaser card's summary);
* otherwise a line is **content** when trafilatura kept it, or — when trafilatura
  dropped it — when it reads as prose (eight words or more, or four with a sentence
  end), is a list item or table row of four words or more, or is a heading followed by
  kept content.

Table rows (``crawler.extraction.text.flatten_tables``) are content unless they are links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.vietnamese.textnorm import clean_line

_BLOCK_TAGS = frozenset(
    "p div li h1 h2 h3 h4 h5 h6 blockquote pre tr dd dt section article figcaption address "
    "table ul ol dl header footer".split()
)
_BOXES = frozenset("div section article aside figure form ul ol dl blockquote nav header footer table".split())
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
#: Elements whose text is never the article's own prose unless trafilatura kept it.
_ASIDE_TAGS = frozenset("figure figcaption aside".split())
#: Class/id words of containers that hold furniture (captions, bios, promos, widgets …).
_ASIDE_HINT = re.compile(
    r"caption|credit|author|(?<![a-z])bio(?![a-z])|byline|related|newsletter|promo|subscri|paywall|"
    r"share|social|comment|advert|(?<![a-z])ads?(?![a-z])|sponsor|recommend|trending|popular|teaser|"
    r"widget|sidebar|breadcrumb|cookie|consent|signup|(?<![a-z])cta(?![a-z])|"
    r"(?<![a-z])(?:image|photo|gallery|video)s?(?![a-z])",
    re.IGNORECASE,
)
#: Embedded posts of social networks (a tweet's text and its "— Name (@handle) date").
_EMBED_HINT = re.compile(r"tweet|twitter|instagram|tiktok|facebook-post|fb-post|(?<![a-z])embed", re.IGNORECASE)



@dataclass(slots=True)
class Line:
    text: str
    #: characters of the line that are link text
    links: int
    #: "h" heading, "li" list item, "row" table row, "p" any other block
    kind: str
    #: the nearest container under the body (the body itself for its direct blocks)
    box: object
    #: inside a figure, caption, aside or a container named like furniture (author bio,
    #: newsletter, related, image …): content only if trafilatura kept it
    aside: bool = False
    #: inside an embedded social-network post: never the article's text
    embed: bool = False


def body_lines(root, rows: frozenset = frozenset()) -> list[Line]:
    """One :class:`Line` per block of ``root``; ``rows``: the table-row elements."""
    lines: list[Line] = []
    buf: list[str] = []
    link_chars = [0]
    where: list = ["p", root, False, False]

    def flush() -> None:
        text = clean_line("".join(buf))
        if text:
            lines.append(Line(text, min(link_chars[0], len(text)), *where))
        buf.clear()
        link_chars[0] = 0

    def add(text: str, in_link: bool) -> None:
        buf.append(text)
        if in_link:
            link_chars[0] += len(text.strip())

    def walk(el, in_link: bool, kind: str, box, aside: bool, embed: bool) -> None:
        if not isinstance(el.tag, str):  # comments are gone (page.parse); keep any tail
            if el.tail:
                add(el.tail, in_link)
            return
        tag = el.tag
        block = tag in _BLOCK_TAGS
        if block or tag == "br":
            flush()
        if tag in _HEADINGS:
            kind = "h"
        elif tag in ("li", "dt", "dd"):
            kind = "li"
        elif el in rows:
            kind = "row"
        if tag in _BOXES and el is not root:
            box = el
        if el is not root and not (aside and embed):
            names = f"{el.get('class') or ''} {el.get('id') or ''}"
            named = names.strip() != ""
            aside = aside or tag in _ASIDE_TAGS or (named and bool(_ASIDE_HINT.search(names)))
            embed = embed or (named and bool(_EMBED_HINT.search(names)))
        link = in_link or tag == "a"
        where[:] = [kind, box, aside, embed]
        if el.text:
            add(el.text, link)
        for child in el:
            walk(child, link, kind, box, aside, embed)
            where[:] = [kind, box, aside, embed]
        if block:
            flush()
        if el.tail:
            add(el.tail, in_link)

    walk(root, False, "p", root, False, False)
    flush()
    return lines


# -- what a line is ---------------------------------------------------------------------

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…:;\"”»)]$")

#: Interface phrases of news sites (a line that is mostly one of these is furniture).
_UI = re.compile(
    r"(?<!\w)(?:"
    # English
    r"subscribe|subscription|subscriber|sign up|sign in|log in|login|newsletter|"
    r"unlimited access|cancel any ?time|advertisement|sponsored|most (?:read|popular|viewed)|"
    r"read more|related (?:stories|articles|news)|share (?:this|on)|watch(?: more| now)?|"
    r"photos?|videos?|gallery|comments?|show comments|topics|tags|was this (?:article|page|story) helpful|"
    r"comentarios|commentaires|kommentare|commenti|reacties|comentários|"
    # French
    r"abonnez|abonné|abonnement|publicité|les plus lus|lire aussi|à lire aussi|partager|"
    r"se connecter|accès illimité|vidéos?|"
    # German
    r"abonnieren|abo|anzeige|meistgelesen|lesen sie auch|mehr zum thema|teilen|anmelden|"
    r"jederzeit kündbar|"
    # Spanish
    r"suscr[íi]b\w*|suscriptor|publicidad|lo más leído|leer más|compartir|inicia sesión|"
    r"acceso ilimitado|noticias relacionadas|boletín|"
    # Italian
    r"abbonati|abbonato|pubblicità|i più letti|leggi anche|condividi|accedi|iscriviti|disdici|"
    # Dutch
    r"abonnee|advertentie|meest gelezen|lees ook|delen|nieuwsbrief|onbeperkt|opzegbaar|"
    # Portuguese
    r"assine|assinante|publicidade|mais lidas|leia também|partilhar|subscreva|acesso ilimitado|"
    # Vietnamese
    r"quảng cáo|đăng ký nhận|đăng ký tài khoản|đăng nhập|đọc nhiều|xem nhiều|tin liên quan|"
    r"tin cùng chuyên mục|bài liên quan|chia sẻ|bình luận|xem thêm|đọc thêm|từ khóa|ảnh|"
    r"ý kiến bạn đọc|gửi bình luận|đánh giá bài viết|"
    # the notices of a subscription's limits, copyright lines
    r"one device at a time|un seul appareil|réservé aux abonnés|nur für abonnenten|"
    r"all rights reserved|copyright|©|bản quyền|tous droits réservés|alle rechte vorbehalten|"
    r"todos los derechos reservados"
    r")(?!\w)",
    re.IGNORECASE,
)
#: Words of a subscription prompt's pitch (a longer line is furniture when it has them).
_PITCH = re.compile(
    r"unlimited|illimit|ilimitad|onbeperkt|unbegrenzt|cancel|kündbar|disdici|opzegbaar|"
    r"already a|déjà abonné|schon abonnent|ya eres|sei già|al abonnee|já é assinante|đã có tài khoản|"
    r"one device at a time|un seul appareil|réservé aux abonnés|nur für abonnenten|"
    r"all rights reserved|tous droits réservés|alle rechte vorbehalten|todos los derechos reservados",
    re.IGNORECASE,
)
#: A gallery counter ("3 / 12"), a photo credit ("Photo: …", "Ảnh: …"), a duration ("2:31").
_MEDIA = re.compile(
    r"^\s*\d+\s*/\s*\d+(?!\d)|(?<!\w)(?:photo|foto|ảnh|credit|crédit|image)\s*:|^\W*\d{1,2}:\d{2}\W*$",
    re.IGNORECASE,
)
#: A caption's end: "… Ảnh minh họa", "… (Ảnh: Minh Châu)", "… Photo: Agency".
_CAPTION_END = re.compile(
    r"(?:\(?(?<!\w)(?:ảnh|photo|foto|image|bild|imagen)\s*:\s*[^.:()]{1,50}\)?|"
    r"(?<!\w)ảnh (?:minh họa|minh hoạ|tư liệu)\)?|(?<!\w)(?:file photo|photo illustration))\s*\.?$",
    re.IGNORECASE,
)
#: Wire credits: "Reporting by …; Editing by …".
_CREDITS = re.compile(
    r"^(?:(?:additional )?reporting|writing|editing|compiled|translated|text|photos?) by\b", re.IGNORECASE
)
_NAME = r"[A-ZÀ-ỸĐ][\w.'-]*"
_BYLINE = re.compile(
    r"^(?i:by|von|par|por|door|di|av|af|przez|tác giả|bài(?: và)? ảnh|tin(?: và)? ảnh)\s*:?\s+"
    rf"{_NAME}(?:\s+(?:(?:de|da|van|von|der|den|del|di|du|le|la|ter)\s+)?{_NAME}){{0,3}}\s*(?:[|·,;–-].*)?$",
)
_MONTHS = (
    "january february march april may june july august september october november december "
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre "
    "januar februar märz juni juli oktober dezember enero febrero marzo abril mayo junio julio "
    "agosto septiembre octubre noviembre diciembre gennaio febbraio aprile maggio giugno luglio "
    "settembre ottobre dicembre januari februari maart mei augustus "
    "janeiro fevereiro março maio junho julho setembro outubro novembro dezembro "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
_DATE_BITS = re.compile(
    r"(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?!\d)|(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)|"
    r"(?<!\d)\d{1,2}[:h]\d{2}(?!\d)|"
    r"(?<!\w)(?:" + "|".join(sorted(set(_MONTHS), key=len, reverse=True)) + r")(?!\w)\.?|"
    r"(?<!\w)\d+\s*(?:min|minutes?|phút)(?:\s*(?:read|lesezeit|de lecture|đọc))?(?!\w)",
    re.IGNORECASE,
)
_DATE_LABEL = re.compile(
    r"^(?:updated|published|posted|last (?:updated|modified)|modified|"
    r"publié|mis à jour|mise à jour|aktualisiert|veröffentlicht|actualizado|publicado|"
    r"aggiornato|pubblicato|bijgewerkt|gepubliceerd|atualizado|"
    r"cập nhật|ngày đăng|đăng lúc|đăng ngày|xuất bản|thứ (?:hai|ba|tư|năm|sáu|bảy)|chủ nhật)(?!\w)",
    re.IGNORECASE,
)


_LETTER = re.compile(r"[^\W\d_]")
#: "Contact the reporter at …", an e-mail address on a short line.
_CONTACT = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.-]+|(?<!\w)(?:contact|email|e-mail) (?:the )?(?:reporter|author|writer|newsroom)",
    re.IGNORECASE,
)


def words(text: str) -> int:
    return len(_WORD.findall(text))


def is_dateline(text: str) -> bool:
    """A date or update line, any language: a label and a date, or a date with little else."""
    if len(text) > 140 or not _DATE_BITS.search(text):
        return False
    if _DATE_LABEL.search(text):
        return True
    rest = re.sub(r"\d+", " ", _DATE_BITS.sub(" ", text))
    return words(rest) <= 5


def is_byline(text: str) -> bool:
    return len(text) <= 120 and bool(_BYLINE.match(text) or _CREDITS.match(text))


def is_interface(text: str) -> bool:
    """A short line that is a site's interface: a prompt, a label, a credit, a counter."""
    n = words(text)
    if n > 16:
        return False
    if _MEDIA.search(text):
        return True
    if _PITCH.search(text):
        return True
    found = _UI.search(text)
    if not found:
        return False
    # the phrase leads the line (after a count at most: "14 comments", "3 / 12 Photos")
    leads = not _LETTER.search(text[: found.start()])
    if n <= 6:
        return leads or len(found.group()) >= 0.5 * len(text)
    # a longer line: a prompt that starts with the phrase, not a sentence that does
    return leads and not _SENTENCE_END.search(text)


def furniture(line: Line) -> str | None:
    """Why ``line`` is page furniture by what it is (None: it may be content)."""
    text = line.text
    if line.embed:
        return "embed"
    if line.links and line.links >= 0.5 * len(text):
        return "links"
    if words(text) <= 12 and _CONTACT.search(text):
        return "contact"
    if words(text) <= 60 and _CAPTION_END.search(text):
        return "caption"
    if line.kind == "row" and not line.aside:
        return None  # a table's row is content unless it is links
    if is_byline(text):
        return "byline"
    if is_dateline(text):
        return "date"
    if is_interface(text):
        return "interface"
    return None


def reads_as_prose(line: Line) -> bool:
    n = words(line.text)
    if n >= 8:
        return True
    return n >= 4 and (bool(_SENTENCE_END.search(line.text)) or line.kind in ("li", "row"))


_BULLET = re.compile(r"^(?:[-*•]|\d+\.)\s+")


def _norm(text: str) -> str:
    return " ".join(text.split())


def _traf_line(text: str) -> str:
    """A line of trafilatura's text as ours would be: no "- " it puts before list items."""
    return _BULLET.sub("", _norm(text)) if text[:1] in "-*•" else _norm(text)


def choose(lines: list[Line], trafilatura_text: str, *, add_dropped: bool = True) -> str:
    """The body's text: our lines that are content (see the module's docstring).

    ``add_dropped`` False (a whole page, no body element found): only lines trafilatura
    kept can be content — on a whole page, prose that trafilatura left out is mostly
    notices, footers and other stories.
    """
    traf_lines = {_traf_line(t) for t in trafilatura_text.split("\n")}
    blob = " " + " ".join(traf_lines) + " "
    why = [furniture(line) for line in lines]
    # the same short line more than once: a card's blurb, a prompt's button, a label
    count: dict[str, int] = {}
    for line in lines:
        count[line.text] = count.get(line.text, 0) + 1
    for i, line in enumerate(lines):
        if why[i] is None and line.kind != "row" and count[line.text] > 1 and words(line.text) < 12:
            why[i] = "repeated"
    # a small box (a prompt, a card, a credit) that is mostly furniture is furniture throughout
    boxes: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        boxes.setdefault(id(line.box), []).append(i)
    for members in boxes.values():
        if len(members) > 4 or sum(words(lines[i].text) for i in members) >= 60:
            continue
        if (any(why[i] in ("interface", "links") for i in members)
                and 2 * sum(why[i] is not None for i in members) >= len(members)):
            for i in members:
                why[i] = why[i] or "box"
    keep = []
    for i, line in enumerate(lines):
        if why[i] is not None:
            keep.append(False)
            continue
        n = _norm(line.text)
        kept = n in traf_lines or (len(n) >= 25 and f" {n} " in blob)
        keep.append(kept or (add_dropped and not line.aside and reads_as_prose(line)))
    if add_dropped:
        # a list's items share their fate: most of them content, the rest too
        for members in boxes.values():
            box_kinds = {lines[i].kind for i in members}
            if box_kinds != {"li"}:
                continue
            if 2 * sum(keep[i] for i in members) >= len(members):
                for i in members:
                    keep[i] = keep[i] or why[i] is None
        # a heading trafilatura dropped: content when kept text follows it
        for i, line in enumerate(lines):
            if (not keep[i] and why[i] is None and line.kind == "h" and words(line.text) >= 1
                    and i + 1 < len(lines) and keep[i + 1] and lines[i + 1].kind != "h"):
                keep[i] = True
    return "\n".join(line.text for line, k in zip(lines, keep, strict=True) if k)


_INITIALS = re.compile(r"^(?:[A-ZĐ]\.)+[A-ZĐ]?\.?$")  # "P.V", "T.H.", "N.A"


def is_signoff(line: str) -> bool:
    """An author's sign-off on the last line: a name alone ("Thu Hà", "P.V", "Phòng Kế hoạch - Tổng hợp")."""
    if len(line) > 40 or re.search(r"\d", line) or _SENTENCE_END.search(line.rstrip(".")):
        return False
    tokens = line.split()
    if not 1 <= len(tokens) <= 5:
        return False
    for token in tokens:
        if token in ("-", "–"):
            continue
        if not ((token[0].isupper() and token.replace(".", "").isalpha()) or _INITIALS.match(token)):
            return False
    return len(tokens) > 1 or bool(_INITIALS.match(tokens[0]))
