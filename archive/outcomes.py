"""How a crawl run ended, in words and as an exit code — one rule for every kind of run.

Every run ends as one of:

============== ==== ==========================================================================
outcome        exit meaning
============== ==== ==========================================================================
finished       0    complete: every listing and article request answered
partial        0    some listing or article requests failed, or a bound was hit
                    (ARCHIVE_MAX_PAGES, ARCHIVE_MAX_LISTING_PAGES, CLOSESPIDER_*)
empty          65   pages were fetched but no article was found, or every article
                    request failed (EX_DATAERR)
unreachable    69   the start URLs could not be fetched: DNS, refused, timeouts, HTTP
                    errors (EX_UNAVAILABLE)
failed         1    the crawl itself broke (an exception in the crawler, a write error)
interrupted    143  stopped by SIGTERM (130: SIGINT); the run is recorded
============== ==== ==========================================================================

plus what only a supervisor knows: ``timeout`` (the scheduler stopped it) and ``running``
(not closed yet, or the process died). ``crawl`` exits 75 when every requested site was
busy (another crawl holds its lease). Imports nothing of ours: the crawler, the scheduler
and the read side all use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

FINISHED = "finished"
PARTIAL = "partial"
EMPTY = "empty"
UNREACHABLE = "unreachable"
FAILED = "failed"
INTERRUPTED = "interrupted"
TIMEOUT = "timeout"
RUNNING = "running"

OUTCOMES = (FINISHED, PARTIAL, EMPTY, UNREACHABLE, FAILED, INTERRUPTED)
#: Outcomes after which the site is unhealthy (``status`` exits 1).
BAD_OUTCOMES = frozenset({EMPTY, UNREACHABLE, FAILED, TIMEOUT})
#: Runs that did their work (the archive can be trusted to hold what they saw).
GOOD_OUTCOMES = frozenset({FINISHED, PARTIAL})

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_EMPTY = 65
EXIT_UNREACHABLE = 69
EXIT_BUSY = 75
EXIT_INTERRUPTED = 143

EXIT_CODES = {
    FINISHED: EXIT_OK, PARTIAL: EXIT_OK, EMPTY: EXIT_EMPTY, UNREACHABLE: EXIT_UNREACHABLE,
    FAILED: EXIT_FAILED, INTERRUPTED: EXIT_INTERRUPTED, TIMEOUT: EXIT_FAILED, RUNNING: EXIT_FAILED,
}
#: The most severe outcome decides the exit code of a crawl of several sites.
_SEVERITY = (INTERRUPTED, FAILED, RUNNING, TIMEOUT, UNREACHABLE, EMPTY, PARTIAL, FINISHED)

WORDS = {
    FINISHED: "finished: everything answered",
    PARTIAL: "partial: some requests failed or a bound was hit",
    EMPTY: "EMPTY: no article archived",
    UNREACHABLE: "UNREACHABLE: the site could not be fetched",
    FAILED: "FAILED: the crawl broke",
    INTERRUPTED: "interrupted",
    TIMEOUT: "timed out",
    RUNNING: "still running (or its process died)",
}

#: Scrapy close reasons that are bounds, not breakage.
BOUND_REASONS = frozenset({"closespider_pagecount", "closespider_timeout", "closespider_itemcount",
                           "closespider_pagecount_no_item", "closespider_timeout_no_item"})


def exit_code(outcomes: Iterable[str]) -> int:
    """The exit code of a crawl whose sites ended with ``outcomes``."""
    seen = set(outcomes)
    for outcome in _SEVERITY:
        if outcome in seen:
            return EXIT_CODES[outcome]
    return EXIT_OK


@dataclass(frozen=True, slots=True)
class RunFacts:
    """What a crawl saw, as counted by the spider."""

    reason: str = "finished"  # Scrapy's close reason
    responses: int = 0  # HTTP responses received (any status, robots.txt included)
    start_answered: int = 0  # start URLs (first listing pages) that answered 2xx/3xx
    start_requests: int = 0
    articles_seen: int = 0  # distinct article keys linked (or given, or due) in this run
    article_ok: int = 0  # article responses 200 (archived or not) or 304
    article_failed: int = 0  # article requests that failed (4xx/5xx, network), every variant tried
    listing_failed: int = 0  # listing requests that failed (not the optional feeds/sitemaps)
    bound_hit: bool = False  # ARCHIVE_MAX_PAGES / ARCHIVE_MAX_LISTING_PAGES / a CLOSESPIDER_* bound
    crashed: int = 0  # exceptions in the crawler's own code (spider callbacks, pipeline)
    expects_listings: bool = True  # False: a recrawl of given URLs only


def judge(f: RunFacts) -> tuple[str, str | None]:
    """(outcome, why) of a run from its facts (see the module docstring)."""
    if f.reason == "shutdown":
        return INTERRUPTED, "stopped by a signal"
    if f.crashed:
        return FAILED, f"{f.crashed} error(s) in the crawler (see its log)"
    if f.reason not in ("finished", *BOUND_REASONS):
        return FAILED, f"closed: {f.reason}"
    if f.expects_listings and f.start_requests and not f.start_answered and not f.article_ok:
        return UNREACHABLE, f"none of the {f.start_requests} start URL(s) could be fetched"
    if not f.expects_listings and f.article_failed and not f.article_ok and not f.responses:
        return UNREACHABLE, "no request could be fetched"
    if f.article_failed and not f.article_ok:
        return EMPTY, f"every article request failed ({f.article_failed})"
    if f.expects_listings and not f.articles_seen:
        return EMPTY, "pages were fetched but no article link was found"
    if f.listing_failed or f.article_failed or f.bound_hit or f.reason in BOUND_REASONS:
        parts = []
        if f.listing_failed:
            parts.append(f"{f.listing_failed} listing page(s) failed")
        if f.article_failed:
            parts.append(f"{f.article_failed} article(s) failed")
        if f.bound_hit or f.reason in BOUND_REASONS:
            parts.append("a bound was hit" + (f" ({f.reason})" if f.reason in BOUND_REASONS else ""))
        return PARTIAL, "; ".join(parts)
    return FINISHED, None
