"""Reading an article page: (bytes, URL, headers, profile, fetch date) → :class:`Extracted`.

The steps in order; the spider, ``import`` and ``reextract`` all come through
:func:`extract`, so a page reads the same way whichever path brought it.

How a page is read:

1. Bytes are decoded (header → meta → detection, see :mod:`crawler.extraction.encoding`) to NFC.
2. The profile is the site's, or recognized from the page; its layout is the one in
   use on the fetch date.
3. Boilerplate is dropped: the layout's selectors, and generic noise — including any
   header "today" widget ("Thứ hai, ngày 3 tháng 2 năm 2018"), which is never a date.
4. Metadata: profile rules first (title, byline dates with their "Ngày đăng"/"Cập
   nhật" labels, source line), then meta tags (OpenGraph, JSON-LD, ``<time>``), then
   the URL and the text; trafilatura/htmldate's generic guesses only for ``auto``.
   Dates are day-first.
5. Text: the article body the layout points at — of several elements its selector
   matches (``article`` also matches teaser boxes), the one holding the title, else the
   one with the most prose — read line by line (tables flattened to one line per row),
   each line kept or dropped by what it is, trafilatura's reading of the same element
   being one signal (:mod:`crawler.extraction.furniture`); one paragraph per line, with
   no title, date or source line repeated in it. Comments and processing instructions
   are gone from the tree before anything reads it.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urljoin, urlsplit

from archive.storage.records import Extracted
from archive.vietnamese import dates as vndates
from archive.vietnamese.textnorm import clean_line
from crawler.extraction.dates import (
    DateHit,
    choose_dates,
    generic_date,
    published_values,
    updated_value,
)
from crawler.extraction.encoding import Decoded, vietnamese_score
from crawler.extraction.furniture import is_signoff
from crawler.extraction.page import decode, head_meta, parse
from crawler.extraction.selectors import best_body, css, drop_node, node_text, select, select_first
from crawler.extraction.text import SOURCE_LINE, body_text, page_level_trafilatura, page_text, tidy
from crawler.profiles import get_profile, recognize
from crawler.profiles.base import Layout, Profile

#: Bumped when the extraction logic changes in a way that can change its output;
#: recorded with every version (with the profile layout) so re-extraction can tell.
EXTRACTOR_VERSION = "2026.12.1"

# Never content, on any site.
GENERIC_DROP = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "link", "button", "select", "input", "textarea",
)


class _Reader:
    """One page being read; a short-lived object so the steps share state plainly."""

    def __init__(self, tree, url: str, profile: Profile, layout: Layout, decoded: Decoded):
        self.tree = tree
        self.url = url
        self.profile = profile
        self.layout = layout
        self.decoded = decoded
        self.meta = head_meta(tree)

    # boilerplate
    def drop_boilerplate(self) -> None:
        for el in select(self.tree, GENERIC_DROP + self.layout.drop):
            drop_node(el)
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
            if not vndates.is_today_widget(node_text(el)):
                parent = el.getparent()
                ptext = node_text(parent)
                if parent is None or len(ptext) > 120 or not vndates.is_today_widget(ptext):
                    continue
                target = parent
            if target in protected:
                continue
            drop_node(target)

    # title
    def title(self) -> str | None:
        for el in select(self.tree, self.layout.title):
            t = node_text(el)
            if t:
                return t
        for key in ("og:title", "twitter:title", "ld:headline"):
            if self.meta.get(key):
                return clean_line(self.meta[key])
        for sel in ("article h1", "h1.title", "h1.entry-title", ".title h1", "h1", "h2.title"):
            t = node_text(select_first(self.tree, (sel,)))
            if t and len(t) > 10:
                return t
        titles = self.tree.findall(".//title")
        return self._title_from_head(node_text(titles[0])) if titles else None

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

    # body and text
    def body(self, title: str | None = None):
        """The layout's first body selector that matches; of several matches, the article."""
        for sel in self.layout.body:
            found = css(sel)(self.tree)
            if found:
                return best_body(found, title)
        return None

    def source_line(self, root) -> str | None:
        found = None
        for el in select(self.tree, self.layout.source):
            t = node_text(el)
            if t:
                found = found or t
            drop_node(el)
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
                drop_node(el)
        return tidy(body_text(root, self.url), title, byline_texts)


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
    decoded = decode(body, content_type)
    tree = parse(decoded.text, url)
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
    body_el = reader.body(title)
    published, updated = choose_dates(tree, reader.meta, layout, url, body_el)
    if published is None and prof.name == "auto":
        published = generic_date(tree)
    byline_texts = [node_text(el) for el in select(tree, layout.dates)]
    source_line = reader.source_line(body_el)
    attachments = reader.attachment_links(body_el)

    text = ""
    if body_el is not None:
        text = reader.text(body_el, title, byline_texts)
    if not text:
        doc = page_level_trafilatura(tree, url)
        if doc is not None:
            text = tidy(page_text(tree, doc.text or ""), title, byline_texts)
            if title is None and doc.title:
                title = clean_line(doc.title)
            if published is None and doc.date:
                try:
                    published = DateHit(date.fromisoformat(doc.date[:10]), False, "htmldate")
                except ValueError:
                    pass
    # a trailing "Nguồn: …" / "Theo …" line is a source line, not text
    lines = text.split("\n") if text else []
    while lines and len(lines[-1]) <= 160 and SOURCE_LINE.match(lines[-1]):
        source_line = source_line or lines[-1]
        lines.pop()
    # so is an author's sign-off, a name alone on the last line ("Thu Hà", "P.V")
    if len(lines) > 1 and is_signoff(lines[-1]):
        source_line = source_line or lines[-1]
        lines.pop()
    text = "\n".join(lines)

    pub_date, pub_at = published_values(published)
    return Extracted(
        url=url,
        canonical_url=canonical_url,
        article_key=prof.article_key(canonical_url),
        title=title,
        text=text,
        published=pub_date,
        published_at=pub_at,
        published_source=published.source if published else None,
        updated=updated_value(updated),
        updated_source=updated.source if updated else None,
        language=_language(tree, text),
        source_line=source_line,
        extractor=f"{prof.layout_name(layout)}/{EXTRACTOR_VERSION}",
        attachment_links=attachments,
        charset=decoded.charset,
        charset_source=decoded.source,
    )
