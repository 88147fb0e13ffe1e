"""Planning an ``auto`` crawl from what the pages are, and reading an article the way its
page was judged.

:class:`Explorer` keeps the per-run state: the site's :class:`~.templates.Knowledge`
(loaded from the archive, saved at the end), the page budget (``ARCHIVE_DISCOVERY_BUDGET``
pages fetched only to see what they are) and the depth bound
(``ARCHIVE_DISCOVERY_DEPTH`` links away from a start URL). For each fetched page it
returns a :class:`Plan`: article links to request (templates proven to hold articles,
and the items of the page's own list), listing pages to walk (templates proven to be
listings, the pager of this one) and links to probe (unknown templates, within the
bounds).

:func:`reading_profile` turns an article :class:`~.classify.Verdict` into a profile
whose layout reads that page's title, date and main block (a title in a ``<span
class="Head">`` while ``<title>`` is the portal's name, a .NET date under it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..profiles.auto import AutoProfile, GenericLayout
from ..profiles.base import Page, Profile, RequestSpec
from .content import Verdict, classify
from .templates import Knowledge, page_number, url_template

DEFAULT_DEPTH = 3
DEFAULT_BUDGET = 200


@dataclass
class Plan:
    verdict: Verdict
    articles: list[str] = field(default_factory=list)  # newest first (page order)
    listings: list[str] = field(default_factory=list)
    probes: list[str] = field(default_factory=list)
    #: next pages only a form can reach (an ASP.NET WebForms pager: ``__doPostBack``)
    postbacks: list[RequestSpec] = field(default_factory=list)


class Explorer:
    def __init__(self, knowledge: Knowledge | None = None, *, depth: int = DEFAULT_DEPTH,
                 budget: int = DEFAULT_BUDGET, min_chars: int = 200) -> None:
        self.knowledge = knowledge or Knowledge()
        self.depth = depth
        self.budget = budget
        self.min_chars = min_chars
        self.probed = 0
        self.seen: set[str] = set()
        self.non_articles = 0  # pages fetched that were no article

    def judge(self, text: str, url: str, when: Any = None) -> Verdict:
        verdict = classify(text, url, min_chars=self.min_chars)
        self.knowledge.observe(url, verdict.kind, when)
        if verdict.kind != "article":
            self.non_articles += 1
        return verdict

    def take_probe(self, url: str) -> bool:
        """Whether the budget allows fetching ``url`` only to see what it is."""
        if url in self.seen or self.probed >= self.budget:
            return False
        self.seen.add(url)
        self.probed += 1
        return True

    def plan(self, verdict: Verdict, url: str, depth: int) -> Plan:
        """What to request after a page judged ``verdict`` at ``depth`` links from a start URL."""
        plan = Plan(verdict)
        here = url_template(url)
        list_t = verdict.list_template()
        kinds = self.knowledge
        if list_t is not None and verdict.kind == "listing":
            for link in verdict.groups[list_t]:
                if kinds.kind_of(link) in (None, "article"):
                    plan.articles.append(link)
        queued = set(plan.articles)
        for link in verdict.links:
            if link in queued or link == url:
                continue
            kind = kinds.kind_of(link)
            template = url_template(link)
            if kind == "article":
                plan.articles.append(link)
            elif kind == "listing" or (
                verdict.kind == "listing" and template == here and page_number(link) is not None
            ) or (verdict.kind == "listing" and self._pager(link, url)):
                plan.listings.append(link)
            elif kind is None and depth < self.depth:
                plan.probes.append(link)
            queued.add(link)
        return plan

    @staticmethod
    def postbacks(page: Page, spec: RequestSpec) -> list[RequestSpec]:
        """The next page of a listing paged by ASP.NET postbacks (``Page$N`` / ``Page$Next``),
        as the form POST a browser would send (hidden fields and ``__EVENTTARGET``)."""
        from ..profiles import sharepoint

        if "__doPostBack" not in page.text or "__VIEWSTATE" not in page.text:
            return []
        sp = sharepoint.PROFILE
        form = sp._form(page)
        pager = [(t, a) for t, a in sharepoint._POSTBACK.findall(page.text) if a.startswith("Page$")]
        if form is None or not pager:
            return []
        return list(sp._postback(page, spec, form, page.tree, pager))

    @staticmethod
    def _pager(link: str, url: str) -> bool:
        """A link to another page of this listing: it carries a page number and shares the
        listing's path up to that number (``/tin-tuc/mid/412/Page/2/…`` from
        ``/tin-tuc/Default.aspx``), or a page query on the same path."""
        n = page_number(link)
        if n is None:
            return False
        from urllib.parse import urlsplit

        a, b = urlsplit(link), urlsplit(url)
        first = lambda p: [s for s in p.split("/") if s][:1]  # noqa: E731
        return a.path == b.path or first(a.path) == first(b.path)


@lru_cache(maxsize=64)
def _layout(title: str | None, date: str | None, body: str | None) -> type:
    attrs: dict[str, Any] = {"VERSION": "learned"}
    if title:
        attrs["title"] = (title, *GenericLayout.title)
    if date:
        attrs["dates"] = (date, *GenericLayout.dates)
    if body:
        attrs["body"] = (body, *GenericLayout.body)
        attrs["attachments"] = (*GenericLayout.attachments, body)
    return type("LearnedLayout", (GenericLayout,), attrs)


class _ReadingProfile(AutoProfile):
    def __init__(self, layout: type) -> None:
        self.layouts = (layout,)  # type: ignore[misc]

    def layout_name(self, layout) -> str:
        return "auto.V1"

    def is_article_url(self, url: str) -> bool:
        return True  # the page was judged an article by its content: trust its rel=canonical


@lru_cache(maxsize=64)
def _profile(title: str | None, date: str | None, body: str | None) -> Profile:
    return _ReadingProfile(_layout(title, date, body))


def reading_profile(verdict: Verdict, base: Profile) -> Profile:
    """``base`` (auto) with a layout that reads this page as it was judged."""
    if verdict.kind != "article" or not (verdict.title_path or verdict.body_path):
        return base
    return _profile(verdict.title_path, verdict.date_path, verdict.body_path)


def judged_profile(body: bytes, content_type: str | None, url: str, auto: Profile) -> Profile:
    """``auto`` reading a page the way discovery judges it (its title, date and main block),
    as the crawl did: import and reextract then agree with the crawl."""
    from ..extraction.encoding import decode_html
    from .content import classify

    try:
        text = decode_html(body, content_type).text
    except ValueError:
        return auto
    return reading_profile(classify(text, url), auto)
