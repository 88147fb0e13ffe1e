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

import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..profiles.auto import AutoProfile, GenericLayout
from ..profiles.base import Page, Profile, RequestSpec
from .content import Verdict, as_proven, classify
from .templates import Knowledge, page_number, url_template

if TYPE_CHECKING:
    from archive.storage.derived import Derived
    from archive.storage.records import Extracted

DEFAULT_DEPTH = 3
DEFAULT_BUDGET = 200

#: (title, date, body) CSS selectors of a judged article page (any may be None)
Layout = tuple[str | None, str | None, str | None]


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
        #: template → the (title, date, body) selectors all its article pages were read
        #: with (None: they were read at different places)
        self.layouts: dict[str, Layout | None] = {}

    def judge(self, text: str, url: str, when: Any = None) -> Verdict:
        return self.observe(classify(text, url, min_chars=self.min_chars), url, when)

    def observe(self, verdict: Verdict, url: str, when: Any = None) -> Verdict:
        """Record what the page at ``url`` turned out to be (judged here or by
        :func:`read_page` in a worker), and for an article where its title, date and
        main block were: the layout later pages of its template are read with."""
        template = self.knowledge.observe(url, verdict.kind, when)
        if verdict.kind != "article":
            self.non_articles += 1
        elif verdict.title_path or verdict.body_path:
            layout = (verdict.title_path, verdict.date_path, verdict.body_path)
            if template in self.layouts:
                self.layouts[template] = _merged_layout(self.layouts[template], layout)
            else:
                self.layouts[template] = layout
        return verdict

    def layout_for(self, url: str) -> Layout | None:
        """The layout the articles of ``url``'s template were found with, once the template
        has proved to hold articles (:meth:`~.templates.TemplateStats.kind`: two pages
        agreeing, none against, no page of it anything else) and every article of it
        judged in this run was read at the same places; else None (judge the page in full)."""
        template = url_template(url)
        layout = self.layouts.get(template)
        if layout is None or self.knowledge.kind_of(url) != "article":
            return None
        stats = self.knowledge.stats.get(template)
        if stats is None or stats.counts.get("article", 0) != stats.total:
            return None  # some page of it was no article: keep judging each one
        return layout

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


_ID_STEP = re.compile(
    r'^(?P<tag>[a-z0-9]*)(?:#(?P<id>[A-Za-z_][\w-]*)|\[id\^="(?P<prefix>[\w-]+)"\])(?P<rest>(?: .*)?)$')
_MIN_ID_PREFIX = 4


def _common_selector(a: str | None, b: str | None) -> str | bool | None:
    """One selector for the same element on two pages: the path itself when they agree;
    when they differ only by an id that carries the page's own slug
    (``#_101_INSTANCE_aB3dE_<slug> div.news-date``), that id's common prefix
    (``[id^="_101_INSTANCE_aB3dE_"] div.news-date``); else False (no common one)."""
    if a == b:
        return a
    if a is None or b is None:
        return False
    ma, mb = _ID_STEP.match(a), _ID_STEP.match(b)
    if ma is None or mb is None or (ma["tag"], ma["rest"]) != (mb["tag"], mb["rest"]):
        return False
    prefix = os.path.commonprefix([ma["id"] or ma["prefix"], mb["id"] or mb["prefix"]])  # noqa: RUF071 (characters are meant)
    if len(prefix) < _MIN_ID_PREFIX:
        return False
    return f'{ma["tag"]}[id^="{prefix}"]{ma["rest"]}'


def _merged_layout(a: Layout | None, b: Layout) -> Layout | None:
    """The layout pages read with ``a`` and a page read with ``b`` share (see
    :func:`_common_selector`), or None when they were read at different places."""
    if a is None:
        return None
    out = [_common_selector(x, y) for x, y in zip(a, b, strict=True)]
    if any(x is False for x in out):
        return None
    return (out[0], out[1], out[2])  # type: ignore[return-value]


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


@dataclass(frozen=True, slots=True)
class PageJob:
    """One fetched page for :func:`read_page`: everything it needs, all of it picklable, so
    the work can run in an :class:`~crawler.extraction.pool.ExtractionPool` worker."""

    body: bytes
    url: str
    content_type: str | None
    fetched_at: datetime | None
    profile: str  # the profile reading it: auto, or a CMS profile whose rules found nothing
    judge: bool = True  # judge by content first (False: a CMS profile's article, just read it)
    min_chars: int = 200
    #: the layout of the page's URL template, proven to hold articles (Explorer.layout_for)
    layout: Layout | None = None
    owner: int = 0  # the crawl's process id: a worker whose crawl is gone (kill -9) exits
    #: compute, for an article, what the store derives from it (:class:`PageRead.derived`)
    derive: bool = False
    #: the crawl downloads the files an article links: its flags wait for their text
    attachments: bool = True
    #: the content hash of the archived article at this URL's key: unchanged, no flags
    current_hash: str | None = None


@dataclass(frozen=True, slots=True)
class PageRead:
    """What :func:`read_page` made of a page: its verdict (None when not judged), its
    fields when it is an article, or why it could not be read (not HTML)."""

    verdict: Verdict | None
    extracted: Extracted | None = None
    error: str | None = None
    #: with ``job.derive``, for an article: the stored body, the content hash and (unless
    #: the page links files the crawl will read, or the content is unchanged) the flags,
    #: computed here so that the process writing the archive only writes
    derived: Derived | None = None


def _is_article(extracted: Extracted, min_chars: int) -> bool:
    """The article test for a page read with its template's layout: a title, a date and
    prose (shorter pages, announcements carried by their files, are judged in full)."""
    return bool(extracted.title and extracted.published
                and len(extracted.text.strip()) >= min_chars)


def read_page(job: PageJob) -> PageRead:
    """Judge a page by its content and read it the way it was judged — the crawl's work for
    every page of an ``auto`` site, in a worker or in the crawl's own process.

    With ``job.layout`` (its template proved to hold articles) the page is read with that
    layout first and only checked: its main block where the template has it, a title, a
    date and enough text. A page that fails the check is judged in full, like any page of
    an unknown template, and is no article unless that judgement says so."""
    from archive.errors import InputError

    from ..extraction.encoding import decode_html
    from ..extraction.reader import extract
    from ..profiles import get_profile

    _quiet_signals(job.owner)
    base = get_profile(job.profile)

    def read(profile: Profile) -> tuple[Extracted | None, str | None]:
        try:
            return extract(job.body, job.url, content_type=job.content_type, profile=profile,
                           fetched_at=job.fetched_at), None
        except InputError as exc:
            return None, str(exc)

    if not job.judge:
        return _derived(job, PageRead(None, *read(base)))
    try:
        text = decode_html(job.body, job.content_type).text
    except ValueError:
        return PageRead(Verdict("other", why="not HTML"))
    if job.layout is not None:
        extracted, _error = read(_profile(*job.layout))
        # without a main block to look beside, the files a page links are known only from
        # its extraction: a page whose extraction found none is judged in full
        if extracted is not None and _is_article(extracted, job.min_chars) and (
                job.layout[2] is not None or extracted.attachment_links):
            verdict = as_proven(text, job.url, *job.layout, title=extracted.title)
            if verdict is not None:
                return _derived(job, PageRead(verdict, extracted))
    verdict = classify(text, job.url, min_chars=job.min_chars)
    if verdict.kind != "article":
        return PageRead(verdict)
    return _derived(job, PageRead(verdict, *read(reading_profile(verdict, base))))


def _derived(job: PageJob, read: PageRead) -> PageRead:
    """``read`` with what the store derives from the page (``job.derive``, an article)."""
    if not job.derive or read.extracted is None:
        return read
    from dataclasses import replace

    from archive.storage.derived import derive

    ex = read.extracted
    # flags and index text read the attachments' text too: for a page whose files the
    # crawl is about to read, the store computes them
    files = job.attachments and bool(ex.attachment_links or (read.verdict and read.verdict.attachments))
    d = derive(ex, job.body, unless_hash=job.current_hash, complete=not files)
    return replace(read, derived=d)


_signals_quiet = False


def _quiet_signals(owner: int) -> None:
    """In a pool worker: leave SIGINT and SIGTERM to the crawl's process (a Ctrl-C reaches
    the whole process group; the crawl finishes the pages at hand, then closes the pool),
    and exit when that process is gone (killed with -9, it could not close the pool)."""
    global _signals_quiet
    if _signals_quiet:
        return
    _signals_quiet = True
    import multiprocessing
    import signal
    import threading

    if multiprocessing.parent_process() is None:
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if owner:
        threading.Thread(target=_exit_without, args=(owner,), daemon=True,
                         name="crawl-watch").start()


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[-1].split()[0] in (b"Z", b"X")  # dead, not reaped
    except OSError:
        return False


def _exit_without(owner: int) -> None:
    import time

    while not _gone(owner):
        time.sleep(1.0)
    os._exit(0)
