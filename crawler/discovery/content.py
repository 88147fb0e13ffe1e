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

from archive.vietnamese.dates import find_dates, is_today_widget

from ..profiles.base import ATTACHMENT_EXTENSIONS, same_site
from .candidates import is_candidate
from .templates import Kind, url_template

_SKIP = ("script", "style", "noscript", "template", "svg", "iframe", "select", "button")
_STRUCTURAL_NOISE = ("nav", "header", "footer", "aside")
_TITLE_HINT = re.compile(r"title|head|tieu-?de|tieude|subject|ten-?bai|news-?name", re.IGNORECASE)
_NOISE_WORDS = frozenset({
    "menu", "nav", "navbar", "navigation", "footer", "header", "banner", "sidebar", "side",
    "breadcrumb", "breadcrumbs", "related", "other", "moduletable", "comment", "comments",
    "share", "social", "ads", "pager", "paging", "pagination", "topmenu", "mainmenu",
})
_NOISE_PREFIXES = ("sidebar", "menu", "footer", "breadcrumb", "nav-", "navbar", "tin-khac",
                   "tin-lien-quan", "tinlienquan", "tinkhac", "tin-doc-nhieu", "related")
MIN_LIST_LINKS = 4
MIN_ARTICLE_CHARS = 200
MIN_ANNOUNCEMENT_CHARS = 20
MAX_LINK_DENSITY = 0.35
DATE_WINDOW = 400  # characters of text after the title in which its date must appear
#: the ``why`` of a page of a proven template, read with its layout (:func:`as_proven`)
PROVEN = "a template proven to hold articles; read with its layout: title, date and text"


@dataclass
class Verdict:
    kind: Kind
    title: str | None = None
    title_path: str | None = None  # a CSS selector for the title element (when unique)
    date_path: str | None = None  # … for the element holding the date
    body_path: str | None = None  # … for the main block
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


_IDENT = re.compile(r"^[A-Za-z_][\w-]*$")


def _css_path(el) -> str:
    """A selector for ``el``: its id, else its tag and classes under its nearest ancestor
    with an id."""
    def one(e) -> str:
        classes = [c for c in (e.get("class") or "").split() if _IDENT.match(c)]
        return e.tag + "".join(f".{c}" for c in classes[:2])

    if el.get("id") and _IDENT.match(el.get("id")):
        return f"{el.tag}#{el.get('id')}"
    parts = [one(el)]
    for anc in el.iterancestors():
        if anc.tag in ("html", "body"):
            break
        ident = anc.get("id")
        if ident and _IDENT.match(ident):
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


def _main_block(tree, noise=None):
    in_noise = noise or _Noise()
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
        if parent is None or in_noise(parent):
            continue
        scores[parent] = scores.get(parent, 0) + len(own)
        grand = parent.getparent()
        if grand is not None and grand.tag not in ("html", "body"):
            scores[grand] = scores.get(grand, 0) + len(own) / 2
    if not scores:
        return None
    return max(scores, key=lambda el: scores[el])


def _noisy_itself(el) -> bool:
    """Whether ``el`` itself (not its ancestors) is furniture: a structural tag, or a
    class/id token that says menu, footer, sidebar…"""
    if el.tag in _STRUCTURAL_NOISE and not (
        el.tag == "header" and any(a.tag in ("article", "main") for a in el.iterancestors())
    ):
        return True
    for token in " ".join(filter(None, (el.get("class"), el.get("id")))).lower().split():
        if token in _NOISE_WORDS or token.startswith(_NOISE_PREFIXES) or any(
                w in token for w in ("footer", "sidebar", "breadcrumb", "navbar", "copyright")):
            return True
    return False


def _in_noise(el) -> bool:
    return any(_noisy_itself(anc) for anc in [el, *el.iterancestors()])


class _Noise:
    """:func:`_in_noise` remembered per element for one (no longer changing) tree: an
    element is in noise when it or its parent is, so each element is looked at once."""

    def __init__(self) -> None:
        self._known: dict = {}

    def __call__(self, el) -> bool:
        known = self._known
        chain = []
        node = el
        while node is not None and node not in known:
            chain.append(node)
            node = node.getparent()
        noisy = known[node] if node is not None else False
        for node in reversed(chain):
            noisy = noisy or _noisy_itself(node)
            known[node] = noisy
        return noisy


def _title_candidates(tree, block, noise=None):
    """Title-like elements before the block's prose (document order)."""
    in_noise = noise or _Noise()
    block_start = None
    for el in block.iter():
        if (el is not block and el.tag == "p") or (el.text and el.text.strip() and el is not block):
            block_start = el
            break
    out = []
    for el in tree.iter():
        if el is block_start:
            break
        if not isinstance(el.tag, str) or in_noise(el):
            continue
        tag = el.tag
        hinted = bool(_TITLE_HINT.search(" ".join(filter(None, (el.get("class"), el.get("id"))))))
        if tag in ("h1", "h2", "h3", "h4") or hinted or tag in ("strong", "b"):
            text = _text(el)
            if not 4 <= len(text.split()) <= 60 or is_today_widget(text):
                continue
            if (el.getparent() is not None and el.getparent().tag == "a") or _link_chars(el) > len(text) / 2:
                continue  # a list item's linked title, not a page's own
            out.append(el)
    # the innermost candidate: a header box holding "Quay lại" and the <h3> gives the <h3>
    inner = set()
    for el in out:
        inner.update(anc for anc in el.iterancestors())
    return [el for el in out if el not in inner]


def _unique_path(tree, el) -> str | None:
    """:func:`_css_path` of ``el`` if it selects ``el`` first on the page, else None."""
    path = _css_path(el)
    try:
        found = tree.cssselect(path)
    except Exception:  # an odd class name cssselect cannot read
        return None
    return path if found and found[0] is el else None


def _date_element(tree, start, limit: int):
    """The first element after ``start`` whose own text holds a dated expression."""
    size = 0
    started = False
    inside = set(start.iter())
    for el in tree.iter():
        if el is start:
            started = True
            continue
        if not started or el in inside or not isinstance(el.tag, str):
            continue
        own = " ".join(filter(None, [el.text] + [c.tail for c in el]))
        if own.strip() and any(d.has_year for d in find_dates(own)):
            return el
        size += len(own)
        if size >= limit:
            return None
    return None


def _by_closeness(candidates: list, block) -> list:
    """Title candidates, those sharing the nearest ancestor with the block first (a heading
    in a sidebar module before the content is farther than the article's own), nearest
    before the block first within a level."""
    levels = [block, *list(block.iterancestors())]
    rank = {el: i for i, el in enumerate(levels)}

    def level(el) -> int:
        for anc in [el, *el.iterancestors()]:
            if anc in rank:
                return rank[anc]
        return len(levels)

    order = {el: i for i, el in enumerate(candidates)}
    return sorted(candidates, key=lambda el: (level(el), -order[el]))


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


def _drop_furniture(tree) -> None:
    for el in list(tree.iter(*_STRUCTURAL_NOISE)):
        if el.tag == "header" and any(a.tag in ("article", "main") for a in el.iterancestors()):
            continue  # an article's own header holds its title and byline
        el.drop_tree()


def _attachments(block, url: str) -> tuple[str, ...]:
    """Same-site PDF/DOC/DOCX links beside the main block (in its parent)."""
    return tuple(
        urljoin(url, a.get("href"))
        for a in (block.getparent() if block.getparent() is not None else block).iter("a")
        if a.get("href") and urljoin(url, a.get("href")).lower().split("?")[0].endswith(ATTACHMENT_EXTENSIONS)
        and same_site(urljoin(url, a.get("href")), url)
    )


def as_proven(text: str, url: str, title_path: str | None, date_path: str | None,
              body_path: str | None, title: str) -> Verdict | None:
    """The verdict for a page of a URL template proven to hold articles, without judging it
    again: its links and groups (for planning) and the attachments beside its main block,
    found where the template's earlier pages had it (``body_path``); None when the page
    has no such block (then it must be judged in full). The caller has already read the
    page with the template's layout and checked it is an article (title, date, text)."""
    tree = _parse(text or "")
    if tree is None:
        return None
    groups, links = _groups(tree, url)
    _drop_furniture(tree)
    atts: tuple[str, ...] = ()
    if body_path:
        try:
            found = tree.cssselect(body_path)
        except Exception:  # an odd class name cssselect cannot read
            return None
        if not found:
            return None
        atts = _attachments(found[0], url)
    return Verdict("article", title=title, title_path=title_path, date_path=date_path,
                   body_path=body_path, attachments=atts, groups=groups, links=links,
                   why=PROVEN)


def classify(text: str, url: str, *, min_chars: int = MIN_ARTICLE_CHARS) -> Verdict:
    """What the page at ``url`` with HTML ``text`` is (see the module docstring)."""
    tree = _parse(text or "")
    if tree is None:
        return Verdict("other", why="not HTML")
    groups, links = _groups(tree, url)
    _drop_furniture(tree)  # before judging the main block
    noise = _Noise()  # the tree does not change from here on
    block = _main_block(tree, noise)
    list_template = max(groups.items(), key=lambda kv: len(kv[1]), default=(None, []))
    listing = len(list_template[1]) >= MIN_LIST_LINKS
    if block is None:
        kind: Kind = "listing" if listing else "other"
        return Verdict(kind, groups=groups, links=links, why="no prose block")
    block_text = _text(block)
    link_chars = _link_chars(block)
    density = link_chars / max(len(block_text), 1)
    prose = len(block_text) - link_chars
    atts = _attachments(block, url)
    in_block = {}
    for a in block.iter("a"):
        href = a.get("href")
        if href and len(_text(a).split()) >= 3:
            link = urljoin(url, href).split("#", 1)[0]
            in_block.setdefault(url_template(link), set()).add(link)
    list_links = set().union(*(v for v in in_block.values() if len(v) >= 3)) if in_block else set()
    if list_links:
        # prose outside the block's children that hold list links (teasers are inside them)
        prose = len(" ".join((block.text or "").split()))
        for child in block:
            if not isinstance(child.tag, str):
                continue
            hrefs = {urljoin(url, a.get("href") or "").split("#", 1)[0] for a in child.iter("a")}
            if hrefs & list_links:
                continue
            prose += len(_text(child)) - _link_chars(child)
    block_is_list = bool(list_links) and prose < min_chars
    verdict = Verdict("other", text_chars=prose, link_density=round(density, 3), attachments=atts,
                      groups=groups, links=links)
    verdict.text_chars = prose
    if block_is_list or (density > MAX_LINK_DENSITY and not list_links):
        verdict.kind = "listing" if listing else "other"
        verdict.why = "the main block is a list of links"
        return verdict
    if prose < min_chars and not (atts and prose >= MIN_ANNOUNCEMENT_CHARS):
        verdict.kind = "listing" if listing else "other"
        verdict.why = f"too little prose ({prose} chars)"
        return verdict
    for title in _by_closeness(_title_candidates(tree, block, noise), block):
        window = _text(title) + " " + _following_text(tree, title, DATE_WINDOW)
        dates = [d for d in find_dates(window) if d.has_year]
        if dates:
            verdict.kind = "article"
            verdict.title = _text(title)
            verdict.title_path = _unique_path(tree, title)
            verdict.date_text = dates[0].text
            date_el = _date_element(tree, title, DATE_WINDOW)
            if date_el is not None and date_el is not block and len(_text(date_el)) < 200:
                verdict.date_path = _unique_path(tree, date_el)
            verdict.body_path = _unique_path(tree, block)
            verdict.why = "title, date and prose"
            return verdict
    verdict.kind = "listing" if listing else "other"
    verdict.why = "no title with a date near it"
    return verdict
