"""Is a fetched page an article, a listing, or neither? Judged by its content, not its URL.

* **article**: one main block of prose (paragraph text scored onto its parent, as
  readability does), low link density, a title-like element (a heading, or an element
  whose class says title/head, of four words or more) just before the block or at its
  top, and a day-first date near the title (the header "today" widget comes before the
  title and is never taken). Short announcements count when their block links a
  PDF/DOC/DOCX: the attachment carries the text.
* **listing**: many same-site links of one URL template with title-like anchor texts
  (three words or more) — the list's items, whatever their markup (``<li>``, cards,
  table rows); the largest such group is the page's own list.

:func:`classify` also returns the groups (template → links in page order) so the
spider can plan the next requests, and for an article the title element's CSS path so
the reader can be taught where the title is when ``<title>`` is generic.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

from archive.dates import find_dates, is_today_widget

from ..profiles.base import ATTACHMENT_EXTENSIONS, same_site
from .candidates import is_candidate
from .templates import Kind, url_template

_SKIP = ("script", "style", "noscript", "template", "svg", "iframe", "form", "select", "button")
_STRUCTURAL_NOISE = ("nav", "header", "footer", "aside")
_TITLE_HINT = re.compile(r"title|head|tieu-?de|tieude|subject|ten-?bai|news-?name", re.IGNORECASE)
_NOISE_HINT = re.compile(
    r"(?:^|[\s_-])(?:menu|nav|navbar|footer|header|banner|sidebar|side|breadcrumb|related|other|"
    r"tin-?khac|lien-?quan|most|moi|hot|comment|share|social|ads?|pager|paging|pagination)(?:$|[\s_-])",
    re.IGNORECASE,
)
MIN_LIST_LINKS = 4
MIN_ARTICLE_CHARS = 200
MIN_ANNOUNCEMENT_CHARS = 20
MAX_LINK_DENSITY = 0.35
DATE_WINDOW = 400  # characters of text after the title in which its date must appear


@dataclass
class Verdict:
    kind: Kind
    title: str | None = None
    title_path: str | None = None  # a CSS selector for the title element (when found)
    date_text: str | None = None
    text_chars: int = 0
    link_density: float = 0.0
    attachments: tuple[str, ...] = ()
    #: template → same-site candidate links of that template (title-like anchors), page order
    groups: dict[str, list[str]] = field(default_factory=dict)
    #: every same-site candidate link on the page, page order (for exploration)
    links: list[str] = field(default_factory=list)
    why: str = ""

    def list_template(self) -> str | None:
        best = max(self.groups.items(), key=lambda kv: len(kv[1]), default=None)
        return best[0] if best and len(best[1]) >= MIN_LIST_LINKS else None


def _text(el) -> str:
    return " ".join((el.text_content() or "").split())


def _link_chars(el) -> int:
    return sum(len(_text(a)) for a in el.iter("a"))


def _css_path(el) -> str:
    """A selector for ``el``: its tag and classes, under its nearest ancestor with an id."""
    def one(e) -> str:
        classes = [c for c in (e.get("class") or "").split() if re.match(r"^[A-Za-z_][\w-]*$", c)]
        return e.tag + "".join(f".{c}" for c in classes[:2])

    parts = [one(el)]
    for anc in el.iterancestors():
        if anc.tag in ("html", "body"):
            break
        ident = anc.get("id")
        if ident and re.match(r"^[A-Za-z_][\w-]*$", ident):
            parts.append(f"#{ident}")
            break
    return " ".join(reversed(parts))


def _parse(text: str):
    try:
        tree = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError, TypeError):
        return None
    for el in list(tree.iter(*_SKIP)):
        el.drop_tree()
    return tree


def _groups(tree, url: str) -> tuple[dict[str, list[str]], list[str]]:
    groups: dict[str, list[str]] = OrderedDict()
    seen_links: dict[str, None] = {}
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        link = urljoin(url, href).split("#", 1)[0]
        if not is_candidate(link, url):
            continue
        seen_links.setdefault(link)
        label = _text(a) or (a.get("title") or "")
        if len(label.split()) < 3:
            continue
        members = groups.setdefault(url_template(link), [])
        if link not in members:
            members.append(link)
    return groups, list(seen_links)


def _main_block(tree):
    scores: dict = {}
    for p in tree.iter("p", "div", "td", "li", "span", "font"):
        if p.tag in ("div", "td", "li", "span", "font"):
            # text written straight into a container, line by line (no <p>)
            own = " ".join(" ".join(filter(None, [p.text] + [c.tail for c in p])).split())
        else:
            own = _text(p)
            own_links = _link_chars(p)
            if own_links > 0.5 * max(len(own), 1):
                continue
        if len(own) < 25:
            continue
        parent = p if p.tag != "p" else p.getparent()
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0) + len(own)
        grand = parent.getparent()
        if grand is not None and grand.tag not in ("html", "body"):
            scores[grand] = scores.get(grand, 0) + len(own) / 2
    if not scores:
        return None
    return max(scores, key=lambda el: scores[el])


def _in_noise(el) -> bool:
    for anc in [el, *el.iterancestors()]:
        if anc.tag in _STRUCTURAL_NOISE:
            return True
        if _NOISE_HINT.search(" ".join(filter(None, (anc.get("class"), anc.get("id"))))):
            return True
    return False


def _title_candidates(tree, block):
    """Title-like elements before the block's prose (document order)."""
    block_start = None
    for el in block.iter():
        if (el is not block and el.tag == "p") or (el.text and el.text.strip() and el is not block):
            block_start = el
            break
    out = []
    for el in tree.iter():
        if el is block_start:
            break
        if not isinstance(el.tag, str) or _in_noise(el):
            continue
        tag = el.tag
        hinted = bool(_TITLE_HINT.search(" ".join(filter(None, (el.get("class"), el.get("id"))))))
        if tag in ("h1", "h2", "h3", "h4") or hinted or tag in ("strong", "b"):
            text = _text(el)
            if 4 <= len(text.split()) <= 60 and not is_today_widget(text):
                out.append(el)
    return out


def _following_text(tree, start, limit: int) -> str:
    out: list[str] = []
    size = 0
    started = False
    inside = set(start.iter())
    for el in tree.iter():
        if el is start:
            started = True
            continue
        if not started:
            continue
        if el in inside or not isinstance(el.tag, str):
            continue
        for piece in (el.text,):
            if piece and piece.strip():
                out.append(piece.strip())
                size += len(piece)
        if el.tail and el.tail.strip():
            out.append(el.tail.strip())
            size += len(el.tail)
        if size >= limit:
            break
    return " ".join(out)[:limit]


def classify(text: str, url: str, *, min_chars: int = MIN_ARTICLE_CHARS) -> Verdict:
    """What the page at ``url`` with HTML ``text`` is (see the module docstring)."""
    tree = _parse(text or "")
    if tree is None:
        return Verdict("other", why="not HTML")
    groups, links = _groups(tree, url)
    # drop structural furniture before judging the main block
    for el in list(tree.iter(*_STRUCTURAL_NOISE)):
        el.drop_tree()
    block = _main_block(tree)
    list_template = max(groups.items(), key=lambda kv: len(kv[1]), default=(None, []))
    listing = len(list_template[1]) >= MIN_LIST_LINKS
    if block is None:
        kind: Kind = "listing" if listing else "other"
        return Verdict(kind, groups=groups, links=links, why="no prose block")
    block_text = _text(block)
    link_chars = _link_chars(block)
    density = link_chars / max(len(block_text), 1)
    prose = len(block_text) - link_chars
    atts = tuple(
        urljoin(url, a.get("href"))
        for a in (block.getparent() if block.getparent() is not None else block).iter("a")
        if a.get("href") and urljoin(url, a.get("href")).lower().split("?")[0].endswith(ATTACHMENT_EXTENSIONS)
        and same_site(urljoin(url, a.get("href")), url)
    )
    in_block = {}
    for a in block.iter("a"):
        href = a.get("href")
        if href and len(_text(a).split()) >= 3:
            link = urljoin(url, href).split("#", 1)[0]
            in_block.setdefault(url_template(link), set()).add(link)
    block_is_list = any(len(v) >= 3 for v in in_block.values())
    verdict = Verdict("other", text_chars=prose, link_density=round(density, 3), attachments=atts,
                      groups=groups, links=links)
    if block_is_list or density > MAX_LINK_DENSITY:
        verdict.kind = "listing" if listing else "other"
        verdict.why = "the main block is a list of links"
        return verdict
    if prose < min_chars and not (atts and prose >= MIN_ANNOUNCEMENT_CHARS):
        verdict.kind = "listing" if listing else "other"
        verdict.why = f"too little prose ({prose} chars)"
        return verdict
    for title in reversed(_title_candidates(tree, block)):
        window = _text(title) + " " + _following_text(tree, title, DATE_WINDOW)
        dates = [d for d in find_dates(window) if d.has_year]
        if dates:
            verdict.kind = "article"
            verdict.title = _text(title)
            verdict.title_path = _css_path(title)
            verdict.date_text = dates[0].text
            verdict.why = "title, date and prose"
            return verdict
    verdict.kind = "listing" if listing else "other"
    verdict.why = "no title with a date near it"
    return verdict
