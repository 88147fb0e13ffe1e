"""Reading an article page: (bytes, URL, headers, profile, fetch date) → :class:`Extracted`.

This is the only module that calls trafilatura. The spider, ``import`` and
``reextract`` all come through :func:`extract`, so a page reads the same way
whichever path brought it.

How a page is read:

1. Bytes are decoded (header → meta → detection, see :mod:`crawler.encoding`) to NFC.
2. The profile is the site's, or recognized from the page; its layout is the one in
   use on the fetch date.
3. Boilerplate is dropped: the layout's selectors, and generic noise — including any
   header "today" widget ("Thứ hai, ngày 3 tháng 2 năm 2018"), which is never a date.
4. Metadata: profile rules first (title, byline dates with their "Ngày đăng"/"Cập
   nhật" labels, source line), then meta tags (OpenGraph, JSON-LD, ``<time>``), then
   the URL and the text; trafilatura/htmldate's generic guesses only for ``auto``.
   Dates are day-first.
5. Text: trafilatura on the article body the layout points at (tables flattened to
   one line per row first, so no table pipes), one paragraph per line, with no title,
   date or source line repeated in it.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

from archive import dates as vndates
from archive.errors import InputError
from archive.records import Extracted
from archive.textnorm import canonical, clean, clean_line

from .encoding import Decoded, decode_html, vietnamese_score
from .profiles import get_profile, recognize
from .profiles.base import Layout, Profile

log = logging.getLogger(__name__)

#: Bumped when the extraction logic changes in a way that can change its output;
#: recorded with every version (with the profile layout) so re-extraction can tell.
EXTRACTOR_VERSION = "2026.11.1"

VIETNAM = timezone(timedelta(hours=7), "ICT")

# Never content, on any site.
GENERIC_DROP = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "link", "button", "select", "input", "textarea",
)
# Lines that are page furniture when they stand alone.
FURNITURE_LINES = {
    canonical(s).lower()
    for s in (
        "In trang", "In bài", "In bài viết", "Bản in", "Quay lại", "Trở về", "Về đầu trang",
        "Đầu trang", "Chia sẻ", "Gửi email", "Gửi bài viết", "Tweet", "Lưu bài", "Bình luận",
        "Xem thêm", "Đọc thêm", "Phản hồi", "Print", "Back", "Share", "Top",
    )
}
_COUNTER = re.compile(r"^(lượt xem|lượt truy cập|số lượt xem|views?|hits?)\s*[:：]?\s*[\d.,]+$", re.I)
_SOURCE_LINE = re.compile(
    r"^(nguồn(?: tin)?|theo|tác giả|người viết|tin(?:,| và) ảnh|bài(?:,| và) ảnh|source)\s*[:：]",
    re.IGNORECASE,
)
_BLOCK_TAGS = frozenset(
    "p div li h1 h2 h3 h4 h5 h6 blockquote pre tr dd dt section article figcaption address "
    "table ul ol dl header footer".split()
)
_HEADER_HINT = re.compile(r"(^|[-_ ])(header|banner|top|topbar|masthead|navbar|menu)([-_ ]|$)", re.I)
_GENERIC_DATE_HINT = re.compile(r"date|time|ngay|publish|posted|created|post-info|meta", re.I)


@lru_cache(maxsize=512)
def _css(selector: str) -> CSSSelector:
    return CSSSelector(selector, translator="html")


# -- selectors in one pass ---------------------------------------------------------------
#
# libxml2 evaluates each CSS selector's XPath over the whole tree, and a class test is
# string work on every element (``concat(' ', normalize-space(@class), ' ')``): the 45
# boilerplate selectors of a layout cost ~2.5 ms a page, more than trafilatura. Simple
# selectors (tag, ``.class``, ``#id``, ``[attr]``/``[attr=v]``/``[attr*=v]``/``^=``/``$=``,
# joined by descendant or child combinators) are matched instead in one walk of the
# tree, with exactly the XPath's semantics (cssselect's HTML translator): tag names
# lower case, class tokens split on XML whitespace and case-sensitive, the leftmost
# compound anywhere in the context element's subtree (itself included). Anything else
# (pseudo-classes, groups, other operators) is still evaluated by CSSSelector.

_XML_SPACE = re.compile(r"[ \t\r\n]+")


@dataclass(frozen=True, slots=True)
class _Compound:
    tag: str | None
    classes: tuple[str, ...]
    id: str | None
    attrs: tuple[tuple[str, str, str | None], ...]

    def matches(self, el) -> bool:
        if self.tag is not None and el.tag != self.tag:
            return False
        if self.id is not None and el.get("id") != self.id:
            return False
        if self.classes:
            have = el.get("class")
            if not have:
                return False
            tokens = _XML_SPACE.split(have)
            if not all(c in tokens for c in self.classes):
                return False
        for name, op, value in self.attrs:
            got = el.get(name)
            if got is None:
                return False
            if op == "=":
                if got != value:
                    return False
            elif op == "*=":
                if value not in got:
                    return False
            elif op == "^=":
                if not got.startswith(value):
                    return False
            elif op == "$=":
                if not got.endswith(value):
                    return False
        return True


def _compound(node) -> _Compound | None:
    from cssselect.parser import Attrib, Class, Element, Hash

    classes: list[str] = []
    attrs: list[tuple[str, str, str | None]] = []
    ident = None
    while True:
        if isinstance(node, Class):
            classes.append(node.class_name)
        elif isinstance(node, Hash):
            if ident is not None:
                return None
            ident = node.id
        elif isinstance(node, Attrib):
            if node.namespace is not None or getattr(node, "flag", None):
                return None
            if node.operator == "exists":
                attrs.append((node.attrib.lower(), "exists", None))
            elif node.operator in ("=", "*=", "^=", "$="):
                value = node.value.value if hasattr(node.value, "value") else node.value
                if not isinstance(value, str) or (not value and node.operator != "="):
                    return None
                attrs.append((node.attrib.lower(), node.operator, value))
            else:
                return None
        elif isinstance(node, Element):
            if node.namespace is not None:
                return None
            tag = node.element.lower() if node.element and node.element != "*" else None
            return _Compound(tag, tuple(reversed(classes)), ident, tuple(reversed(attrs)))
        else:
            return None
        node = node.selector


@lru_cache(maxsize=512)
def _chain(selector: str) -> tuple[tuple[str, _Compound], ...] | None:
    """(combinator, compound) from the rightmost compound leftwards, or None when not simple."""
    from cssselect import SelectorError, parse
    from cssselect.parser import CombinedSelector

    try:
        parsed = parse(selector)
    except SelectorError:
        return None
    if len(parsed) != 1 or parsed[0].pseudo_element is not None:
        return None
    node = parsed[0].parsed_tree
    out: list[tuple[str, _Compound]] = []
    combinator = ""
    while isinstance(node, CombinedSelector):
        if node.combinator not in (" ", ">"):
            return None
        right = _compound(node.subselector)
        if right is None:
            return None
        out.append((combinator, right))
        combinator = node.combinator
        node = node.selector
    last = _compound(node)
    if last is None:
        return None
    out.append((combinator, last))
    return tuple(out)


def _ancestors_match(chain, i: int, el, root) -> bool:
    """Do the compounds ``chain[i:]`` match above ``el``, inside ``root``'s subtree?"""
    if i == len(chain):
        return True
    if el is root:
        return False
    combinator = chain[i][0]
    compound = chain[i][1]
    anc = el.getparent()
    if combinator == ">":
        return anc is not None and compound.matches(anc) and _ancestors_match(chain, i + 1, anc, root)
    while anc is not None:
        if compound.matches(anc) and _ancestors_match(chain, i + 1, anc, root):
            return True
        if anc is root:
            break
        anc = anc.getparent()
    return False


class _Selectors:
    """Several selectors evaluated in one walk of the tree (see above)."""

    def __init__(self, selectors: tuple[str, ...]) -> None:
        self.selectors = selectors
        self.chains = [_chain(s) for s in selectors]
        self.by_tag: dict[str, list[int]] = {}
        self.by_class: dict[str, list[int]] = {}
        self.by_id: dict[str, list[int]] = {}
        self.anywhere: list[int] = []
        for i, chain in enumerate(self.chains):
            if chain is None:
                continue
            c = chain[0][1]
            if c.id is not None:
                self.by_id.setdefault(c.id, []).append(i)
            elif c.classes:
                self.by_class.setdefault(c.classes[0], []).append(i)
            elif c.tag is not None:
                self.by_tag.setdefault(c.tag, []).append(i)
            else:
                self.anywhere.append(i)
        self.fast = sum(chain is not None for chain in self.chains)
        # most elements carry none of the indexed classes: one regex search says so
        self.any_class = re.compile(
            r"(?:^|[ \t\r\n])(?:" + "|".join(map(re.escape, sorted(self.by_class, key=len, reverse=True)))
            + r")(?=$|[ \t\r\n])"
        ) if self.by_class else None

    def __call__(self, root) -> list:
        buckets: list[list] = [[] for _ in self.selectors]
        chains, by_tag, by_class, by_id, anywhere = (
            self.chains, self.by_tag, self.by_class, self.by_id, self.anywhere)
        any_class = self.any_class.search if self.any_class is not None else None
        for el in root.iter(etree.Element):
            candidates = by_tag.get(el.tag, ())
            if any_class is not None:
                have = el.get("class")
                if have and any_class(have):
                    for token in set(_XML_SPACE.split(have)):
                        if token in by_class:
                            candidates = [*candidates, *by_class[token]]
            if by_id:
                ident = el.get("id")
                if ident is not None and ident in by_id:
                    candidates = [*candidates, *by_id[ident]]
            if anywhere:
                candidates = [*candidates, *anywhere]
            for i in candidates:
                chain = chains[i]
                if chain[0][1].matches(el) and _ancestors_match(chain, 1, el, root):
                    buckets[i].append(el)
        out = []
        for i, sel in enumerate(self.selectors):
            out.extend(buckets[i] if chains[i] is not None else _css(sel)(root))
        return out


@lru_cache(maxsize=256)
def _selectors(selectors: tuple[str, ...]) -> _Selectors:
    return _Selectors(selectors)


def select(root, selectors: Iterable[str]) -> list:
    """Every element matching any of ``selectors``, in selector order."""
    selectors = tuple(selectors)
    many = _selectors(selectors)
    if many.fast >= 3:  # one walk in Python beats several XPath scans from about three on
        return many(root)
    out = []
    for sel in selectors:
        out.extend(_css(sel)(root))
    return out


def select_first(root, selectors: Iterable[str]):
    for sel in selectors:
        found = _css(sel)(root)
        if found:
            return found[0]
    return None


def _text(el) -> str:
    return clean_line(el.text_content()) if el is not None else ""


def _drop(el) -> None:
    parent = el.getparent()
    if parent is not None:
        el.drop_tree()


@dataclass(frozen=True, slots=True)
class _DateHit:
    value: datetime | date
    has_time: bool
    source: str


# -- decoding and parsing -----------------------------------------------------------------


def _decode(body: bytes | str, content_type: str | None) -> Decoded:
    if isinstance(body, str):
        import unicodedata

        return Decoded(unicodedata.normalize("NFC", body), "utf-8", "default")
    return decode_html(body, content_type)


def _parse(html: str, url: str):
    if not html.strip():
        raise InputError(f"empty page: {url}")
    probe = html[:4096].lower()
    if "<" not in probe or not re.search(r"<(html|head|body|div|p|title|meta|article|table)\b", probe + html.lower()[:65536]):
        raise InputError(f"not an HTML page: {url}")
    try:
        tree = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"cannot parse HTML of {url}: {exc}") from None
    return tree


# -- metadata from <head> ------------------------------------------------------------------


def _meta(tree) -> dict[str, str]:
    """name/property → content for <meta>, plus canonical link and JSON-LD dates."""
    out: dict[str, str] = {}
    for m in tree.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        content = (m.get("content") or "").strip()
        if key and content and key not in out:
            out[key] = content
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and link.get("href"):
            out.setdefault("canonical", link.get("href").strip())
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        for obj in data if isinstance(data, list) else [data]:
            if not isinstance(obj, dict):
                continue
            for obj2 in [obj, *obj.get("@graph", [])] if isinstance(obj.get("@graph"), list) else [obj]:
                if isinstance(obj2, dict):
                    for k in ("datePublished", "dateModified", "headline"):
                        if isinstance(obj2.get(k), str):
                            out.setdefault(f"ld:{k.lower()}", obj2[k])
    return out


# -- dates ---------------------------------------------------------------------------------


def _as_hit(dt: datetime, has_time: bool, source: str) -> _DateHit:
    return _DateHit(dt if has_time else dt.date(), has_time, source)


def _byline(text: str, source: str) -> tuple[_DateHit | None, _DateHit | None]:
    """(published, updated) from a byline like "Ngày đăng: 08:22, 04/05/2011 | Cập nhật: …"."""
    published = updated = None
    matches = vndates.find_dates(text)
    prev_end = 0
    for m in matches:
        label = vndates.date_label(text[prev_end : m.end]) or vndates.date_label(text[: m.start])
        when = datetime.combine(m.value, m.time or time(0, 0))
        hit = _as_hit(when, m.time is not None, source)
        if label == "updated":
            updated = updated or hit
        elif published is None:
            published = hit
        prev_end = m.end
    return published, updated


def _iso(value: str) -> _DateHit | None:
    value = value.strip()
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        d = vndates.parse_datetime(value)
        return _as_hit(d, d.time() != time(0, 0), "") if d else None
    has_time = "T" in value or " " in value.strip()
    if dt.tzinfo is not None:
        dt = dt.astimezone(VIETNAM).replace(tzinfo=None)
    return _as_hit(dt, has_time, "")


def _with_source(hit: _DateHit | None, source: str) -> _DateHit | None:
    return _DateHit(hit.value, hit.has_time, source) if hit else None


_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|[^\d]|$)")


def _url_date(url: str) -> _DateHit | None:
    m = _URL_DATE.search(urlsplit(url).path)
    if not m:
        return None
    try:
        return _DateHit(date(int(m[1]), int(m[2]), int(m[3])), False, "url")
    except ValueError:
        return None


# -- text ----------------------------------------------------------------------------------


def _flatten_tables(root) -> None:
    """Layout tables become their cells' blocks; data tables one line per row, cells tab-separated."""
    for table in list(root.iter("table")):
        if table.getparent() is None:
            continue
        rows = [tr for tr in table.iter("tr") if tr.getparent() is not None]
        has_blocks = any(
            el.tag in ("p", "div", "table", "ul", "ol", "h1", "h2", "h3", "h4")
            for cell in table.iter("td", "th")
            for el in cell
        )
        if has_blocks:
            # a layout table: keep the cells' content, in order, as blocks
            replacement = lxml_html.Element("div")
            for cell in table.iter("td", "th"):
                div = lxml_html.Element("div")
                div.text = cell.text
                for child in list(cell):
                    div.append(child)
                replacement.append(div)
        else:
            replacement = lxml_html.Element("div")
            for tr in rows:
                cells = [_text(c) for c in tr if c.tag in ("td", "th")]
                cells = [c for c in cells if c]
                if cells:
                    p = lxml_html.Element("p")
                    p.text = "\t".join(cells)
                    replacement.append(p)
        replacement.tail = table.tail
        table.getparent().replace(table, replacement)


def _block_text(root) -> str:
    """Own serializer: one line per block element; used when trafilatura returns little."""
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        line = clean_line("".join(buf))
        if line:
            lines.append(line)
        buf.clear()

    def walk(el) -> None:
        if not isinstance(el.tag, str):
            if el.tail:
                buf.append(el.tail)
            return
        block = el.tag in _BLOCK_TAGS
        if block:
            flush()
        if el.tag == "br":
            flush()
        if el.text:
            buf.append(el.text)
        for child in el:
            walk(child)
        if block:
            flush()
        if el.tail:
            buf.append(el.tail)

    walk(root)
    flush()
    return "\n".join(lines)


def _trafilatura_text(root, url: str) -> str:
    doc = trafilatura.bare_extraction(
        root,
        url=url,
        fast=True,
        with_metadata=False,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,
        favor_precision=False,
        favor_recall=True,
    )
    return (doc.text or "") if doc is not None else ""


def _page_level_trafilatura(tree, url: str):
    return trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
        favor_precision=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )


# -- the extractor --------------------------------------------------------------------------


class _Reader:
    """One page being read; a short-lived object so the steps share state plainly."""

    def __init__(self, tree, url: str, profile: Profile, layout: Layout, decoded: Decoded):
        self.tree = tree
        self.url = url
        self.profile = profile
        self.layout = layout
        self.decoded = decoded
        self.meta = _meta(tree)

    # boilerplate
    def drop_boilerplate(self) -> None:
        for el in select(self.tree, GENERIC_DROP + self.layout.drop):
            _drop(el)
        self.drop_widgets()

    def _protected(self) -> set:
        keep = set()
        for el in select(self.tree, self.layout.dates + self.layout.body):
            keep.add(el)
            keep.update(el.iterdescendants())
        return keep

    def drop_widgets(self) -> None:
        """Remove "today" widgets: a weekday + date with no time, outside the article."""
        probe = self.tree.xpath(
            "//body//*[contains(text(),'Thứ') or contains(text(),'thứ') or "
            "contains(text(),'Chủ nhật') or contains(text(),'Chủ Nhật') or "
            "contains(text(),'Hôm nay') or contains(text(),'hôm nay') or "
            "contains(text(),'CN,') or contains(text(),'Today')]"
        )
        if not probe:
            return
        protected = self._protected()
        for el in probe:
            if el in protected or el.getparent() is None:
                continue
            target = el
            if not vndates.is_today_widget(_text(el)):
                parent = el.getparent()
                ptext = _text(parent)
                if parent is None or len(ptext) > 120 or not vndates.is_today_widget(ptext):
                    continue
                target = parent
            if target in protected:
                continue
            _drop(target)

    # title
    def title(self) -> str | None:
        for el in select(self.tree, self.layout.title):
            t = _text(el)
            if t:
                return t
        for key in ("og:title", "twitter:title", "ld:headline"):
            if self.meta.get(key):
                return clean_line(self.meta[key])
        for sel in ("article h1", "h1.title", "h1.entry-title", ".title h1", "h1", "h2.title"):
            t = _text(select_first(self.tree, (sel,)))
            if t and len(t) > 10:
                return t
        titles = self.tree.findall(".//title")
        return self._title_from_head(_text(titles[0])) if titles else None

    def _title_from_head(self, text: str) -> str | None:
        if not text:
            return None
        for sep in self.layout.title_separators:
            if sep in text:
                parts = [p.strip() for p in text.split(sep) if p.strip()]
                # the site name is the short part that names the organisation
                parts.sort(key=len, reverse=True)
                return parts[0]
        return text

    # dates
    def dates(self, body) -> tuple[_DateHit | None, _DateHit | None]:
        published = updated = None
        for sel in self.layout.dates:
            for el in _css(sel)(self.tree):
                p, u = _byline(_text(el), f"profile:{sel}")
                published = published or p
                updated = updated or u
            if published:
                break
        if published is None:
            for key in (
                "article:published_time", "og:article:published_time", "datepublished",
                "ld:datepublished", "pubdate", "publishdate", "dc.date.issued", "dc.date",
            ):
                if key in self.meta and (hit := _iso(self.meta[key])):
                    published = _with_source(hit, f"meta:{key}")
                    break
        if updated is None:
            for key in ("article:modified_time", "og:updated_time", "datemodified", "ld:datemodified"):
                if key in self.meta and (hit := _iso(self.meta[key])):
                    updated = _with_source(hit, f"meta:{key}")
                    break
        if published is None:
            for t in self.tree.iter("time"):
                if t.get("datetime") and "updated" not in (t.get("class") or ""):
                    if hit := _iso(t.get("datetime")):
                        published = _with_source(hit, "meta:time[datetime]")
                        break
        if published is None and body is not None:
            lines = [ln for ln in _block_text(body).split("\n") if ln][:3]
            for line in lines:
                if len(line) <= 120 and vndates.find_dates(line):
                    p, u = _byline(line, "text")
                    published, updated = published or p, updated or u
                    if published:
                        break
        if published is None:
            published = _url_date(self.url)
        return published, updated

    def generic_dates(self) -> _DateHit | None:
        """``auto``: short date-like elements outside any widget, then htmldate."""
        for el in self.tree.iter():
            if not isinstance(el.tag, str):
                continue
            hint = f"{el.get('class') or ''} {el.get('id') or ''}"
            if not hint.strip() or not _GENERIC_DATE_HINT.search(hint):
                continue
            text = _text(el)
            if not text or len(text) > 120 or vndates.is_today_widget(text):
                continue
            published, _ = _byline(text, "generic")
            if published:
                return _with_source(published, f"generic:.{(el.get('class') or el.get('id') or '').split()[0]}")
        return None

    # body and text
    def body(self):
        return select_first(self.tree, self.layout.body)

    def source_line(self, root) -> str | None:
        found = None
        for el in select(self.tree, self.layout.source):
            t = _text(el)
            if t:
                found = found or t
            _drop(el)
        return found

    def attachment_links(self, body) -> tuple[str, ...]:
        scopes = select(self.tree, self.layout.attachments) or ([body] if body is not None else [self.tree])
        out: dict[str, None] = {}
        for scope in scopes:
            for a in scope.iter("a"):
                href = (a.get("href") or "").strip()
                if href and not href.startswith(("javascript:", "#", "mailto:")):
                    absolute = urljoin(self.url, href)
                    if self.profile.attachment_url(absolute):
                        out.setdefault(absolute)
        return tuple(out)

    def text(self, root, title: str | None, byline_texts: list[str]) -> str:
        for el in select(root, self.layout.dates + self.layout.title):
            if el is not root:
                _drop(el)
        _flatten_tables(root)
        own = _block_text(root)
        text = _trafilatura_text(root, self.url) if own else ""
        # Trafilatura cleans inline noise; when it loses much of a known body, trust the blocks.
        if len(text) < 0.8 * len(own):
            text = own
        return self._tidy(text, title, byline_texts)

    def _tidy(self, text: str, title: str | None, byline_texts: list[str]) -> str:
        title_key = canonical(title or "").lower()
        skip = {canonical(b).lower() for b in byline_texts if b}
        out = []
        for line in clean(text).split("\n"):
            key = canonical(line).lower()
            if key in FURNITURE_LINES or key in skip or (title_key and key == title_key):
                continue
            if _COUNTER.match(line) or line == "|" or vndates.is_today_widget(line):
                continue
            if len(line) <= 60 and vndates.date_label(line) and vndates.find_dates(line):
                continue
            if len(line) <= 40 and vndates.parse_date(line) and not re.search(r"[^\d\s/.:,|-]", line):
                continue  # a bare date line such as "02-12-2018"
            out.append(line)
        return "\n".join(out)


def _language(tree, text: str) -> str | None:
    lang = (tree.get("lang") or tree.get("xml:lang") or "").strip().lower()
    if not lang:
        for m in tree.iter("meta"):
            if (m.get("http-equiv") or "").lower() == "content-language" and m.get("content"):
                lang = m.get("content").strip().lower()
                break
    if lang:
        return lang.replace("_", "-").split("-")[0]
    if text and vietnamese_score(text) > 0.3:
        return "vi"
    return None


def _published_values(hit: _DateHit | None) -> tuple[date | None, datetime | None]:
    if hit is None:
        return None, None
    if isinstance(hit.value, datetime):
        return hit.value.date(), hit.value.replace(tzinfo=VIETNAM).astimezone(UTC)
    return hit.value, None


def _updated_value(hit: _DateHit | None) -> datetime | None:
    if hit is None:
        return None
    value = hit.value if isinstance(hit.value, datetime) else datetime.combine(hit.value, time(0, 0))
    return value.replace(tzinfo=VIETNAM).astimezone(UTC)


def resolve_profile(profile: str | Profile | None, html: str, url: str) -> Profile:
    if isinstance(profile, Profile):
        return profile
    if profile and profile != "auto":
        return get_profile(profile)
    if profile == "auto":
        return get_profile("auto")
    return recognize(html, url)


def extract(
    body: bytes | str,
    url: str,
    *,
    content_type: str | None = None,
    profile: str | Profile | None = None,
    fetched_at: datetime | None = None,
) -> Extracted:
    """Read an article page. ``profile`` None recognizes the CMS from the page itself.

    Raises :class:`archive.errors.InputError` for content that is not an HTML page.
    A page that is HTML but has no article (a listing, an error page) extracts with
    little or no text; the store decides it is not a version.
    """
    decoded = _decode(body, content_type)
    tree = _parse(decoded.text, url)
    prof = resolve_profile(profile, decoded.text, url)
    layout = prof.layout(fetched_at.date() if fetched_at else None)
    reader = _Reader(tree, url, prof, layout, decoded)

    canonical_url = prof.canonical_url(url)
    link = reader.meta.get("canonical")
    if link:
        absolute = urljoin(url, link)
        if urlsplit(absolute).hostname == urlsplit(url).hostname and prof.is_article_url(absolute):
            canonical_url = prof.canonical_url(absolute)

    reader.drop_boilerplate()
    title = reader.title()
    body_el = reader.body()
    published, updated = reader.dates(body_el)
    if published is None and prof.name == "auto":
        published = reader.generic_dates()
    byline_texts = [_text(el) for el in select(tree, layout.dates)]
    source_line = reader.source_line(body_el)
    attachments = reader.attachment_links(body_el)

    text = ""
    if body_el is not None:
        text = reader.text(body_el, title, byline_texts)
    if not text:
        doc = _page_level_trafilatura(tree, url)
        if doc is not None:
            text = reader._tidy(doc.text or "", title, byline_texts)
            if title is None and doc.title:
                title = clean_line(doc.title)
            if published is None and doc.date:
                try:
                    published = _DateHit(date.fromisoformat(doc.date[:10]), False, "htmldate")
                except ValueError:
                    pass
    # a trailing "Nguồn: …" / "Theo …" line is a source line, not text
    lines = text.split("\n") if text else []
    while lines and len(lines[-1]) <= 160 and _SOURCE_LINE.match(lines[-1]):
        source_line = source_line or lines[-1]
        lines.pop()
    text = "\n".join(lines)

    pub_date, pub_at = _published_values(published)
    return Extracted(
        url=url,
        canonical_url=canonical_url,
        article_key=prof.article_key(canonical_url),
        title=title,
        text=text,
        published=pub_date,
        published_at=pub_at,
        published_source=published.source if published else None,
        updated=_updated_value(updated),
        updated_source=updated.source if updated else None,
        language=_language(tree, text),
        source_line=source_line,
        extractor=f"{prof.layout_name(layout)}/{EXTRACTOR_VERSION}",
        attachment_links=attachments,
        charset=decoded.charset,
        charset_source=decoded.source,
    )
