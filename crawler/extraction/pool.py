"""Extraction on every core: a small process pool in front of :func:`extract`.

Reading a page (trafilatura, lxml, the date choice) is CPU work that holds the GIL; the
store's writes are short. ``reextract``, ``import`` of WARC files and the crawl hand the
pages to worker processes and keep the writes — one transaction per article, in order
— in their own process, so results are the same rows and hashes as in one process.

``workers=0`` (or 1) reads in the calling process: no pool, nothing to start; the
default is one worker per core when there are at least two. Workers are forked from a
forkserver that has already imported the extraction code, so starting one is cheap and
no worker inherits the caller's threads, sockets or database connections.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from archive.errors import InputError
from archive.storage.records import Extracted

T = TypeVar("T")

#: Pages submitted ahead of the one being written, per worker: enough to keep every worker
#: busy while the caller writes, few enough that memory stays bounded.
WINDOW_PER_WORKER = 4


def default_workers() -> int:
    """One worker per core when there are at least two; 0 (in-process) on one core."""
    n = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return n if n > 1 else 0


@dataclass(frozen=True, slots=True)
class Job:
    """One page to read: what :func:`extract` needs, all of it picklable.

    ``profile`` is a profile name; None recognizes the platform from the page's first
    bytes exactly as :func:`crawler.profiles.profile_for` does for a site registered as
    ``auto``.
    """

    body: bytes
    url: str
    content_type: str | None
    profile: str | None
    fetched_at: datetime | None


def read_job(job: Job) -> tuple[Extracted | None, str | None]:
    """(fields, None), or (None, why) for a page that is not HTML. Bugs raise."""
    from crawler.extraction.reader import extract
    from crawler.profiles import get_profile, recognize

    try:
        if job.profile is None:
            profile = recognize(job.body[:200_000].decode("utf-8", "replace"), job.url)
        else:
            profile = get_profile(job.profile)
        if profile.name == "auto":  # read as discovery judged the page, as the crawl did
            from crawler.discovery.explore import judged_profile

            profile = judged_profile(job.body, job.content_type, job.url, profile)
        return extract(job.body, job.url, content_type=job.content_type, profile=profile,
                       fetched_at=job.fetched_at), None
    except InputError as exc:
        return None, str(exc)


def _warm() -> None:
    import crawler.extraction.reader  # noqa: F401  (trafilatura, lxml, the profiles)


class ExtractionPool:
    """``with ExtractionPool(workers) as pool: for item, result in pool.map(items, job_of): …``"""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = default_workers() if workers is None else max(0, workers)
        self._executor: ProcessPoolExecutor | None = None
        if self.workers > 1:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["crawler.extraction.reader"])
            self._executor = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_warm)

    @property
    def parallel(self) -> bool:
        return self._executor is not None

    def submit(self, job: Job) -> Future:
        if self._executor is None:
            future: Future = Future()
            try:
                future.set_result(read_job(job))
            except BaseException as exc:  # a bug: the caller sees it where it waits
                future.set_exception(exc)
            return future
        return self._executor.submit(read_job, job)

    async def read(self, job: Job) -> tuple[Extracted | None, str | None]:
        """For asyncio callers (the spider): await a page's fields without blocking the loop."""
        return await asyncio.wrap_future(self.submit(job))

    def map(self, items: Iterable[T], job_of: Callable[[T], Job | None]
            ) -> Iterator[tuple[T, tuple[Extracted | None, str | None] | None]]:
        """Each item with its page's fields, in the items' order.

        ``job_of`` returns None for an item with nothing to read (it is yielded with
        None). At most ``WINDOW_PER_WORKER`` pages per worker are in flight, so a large
        WARC file or archive is never read into memory at once.
        """
        window = max(1, self.workers) * WINDOW_PER_WORKER
        pending: deque[tuple[T, Future | None]] = deque()
        for item in items:
            job = job_of(item)
            pending.append((item, self.submit(job) if job is not None else None))
            while len(pending) >= window or (pending and not self.parallel):
                yield self._next(pending)
        while pending:
            yield self._next(pending)

    @staticmethod
    def _next(pending: deque) -> tuple[Any, Any]:
        item, future = pending.popleft()
        return item, (future.result() if future is not None else None)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


async def run_in_pool(pool: ExtractionPool, fn: Callable[..., T], *args: Any) -> T:
    """Await ``fn(*args)`` in one of ``pool``'s workers (``fn`` and its arguments picklable),
    or call it here when the pool has none. A worker that died (killed, out of memory)
    breaks the pool: the page is then read here, and so are the pages after it."""
    from concurrent.futures.process import BrokenProcessPool

    executor = pool._executor
    if executor is not None:
        try:
            return await asyncio.wrap_future(executor.submit(fn, *args))
        except BrokenProcessPool:
            pool._executor = None
            executor.shutdown(wait=False, cancel_futures=True)
    return fn(*args)
