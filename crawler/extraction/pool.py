"""Extraction on every core: a small process pool in front of :func:`extract`.

Reading a page (trafilatura, lxml, the date choice) is CPU work that holds the GIL; the
store's writes are short. ``reextract``, ``import`` of WARC files and the crawl hand the
pages to worker processes and keep the writes — each article whole, in order — in
their own process, so results are the same rows and hashes as in one process.

With ``derive=True``, :meth:`ExtractionPool.map` also has the workers compute what the
store would otherwise compute from each page in the calling process — the body's digest
and zlib bytes, the content hash, the flags (:func:`archive.storage.derived.derive`, pure
functions) — and sends pages to the workers a few at a time, so the process that writes
spends its time writing.

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
from archive.storage.derived import Derived, derive
from archive.storage.records import Extracted

T = TypeVar("T")

#: Pages submitted ahead of the one being written, per worker: enough to keep every worker
#: busy while the caller writes, few enough that memory stays bounded.
WINDOW_PER_WORKER = 4
#: Pages per task in :meth:`ExtractionPool.map` with ``derive=True``: one round trip to a
#: worker (and one wake-up of the executor's threads) for several pages.
PAGES_PER_TASK = 4
#: Tasks in flight per worker in that mode.
TASKS_PER_WORKER = 3


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
    #: The caller stores this body: compute its stored form too (``derive`` mode only).
    store_body: bool = False
    #: The content hash of the version the page is expected to read as (re-extraction):
    #: when it does, no new version is made and its flags are not computed.
    current_hash: str | None = None


#: What :func:`derive_job` gives: the fields (or None and why not) and the derived values.
Derivation = tuple[Extracted | None, str | None, Derived]


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


def derive_job(job: Job) -> Derivation:
    """:func:`read_job`, and what the store derives from the page and its fields."""
    extracted, error = read_job(job)
    return extracted, error, derive(extracted, job.body if job.store_body else None,
                                    unless_hash=job.current_hash)


def derive_jobs(jobs: list[Job]) -> list[Derivation]:
    return [derive_job(job) for job in jobs]


def _warm() -> None:
    import archive.storage.derived  # noqa: F401  (the flags' rules)
    import crawler.extraction.reader  # noqa: F401  (trafilatura, lxml, the profiles)


class _Task:
    """Pages sent to a worker together (``derive`` mode)."""

    __slots__ = ("future", "jobs", "results")

    def __init__(self) -> None:
        self.jobs: list[Job] = []
        self.future: Future | None = None
        self.results: list[Derivation] | None = None

    def result(self) -> list[Derivation]:
        if self.results is None:
            assert self.future is not None
            self.results = self.future.result()
            self.future = None
        return self.results


class ExtractionPool:
    """``with ExtractionPool(workers) as pool: for item, result in pool.map(items, job_of): …``"""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = default_workers() if workers is None else max(0, workers)
        self._executor: ProcessPoolExecutor | None = None
        if self.workers > 1:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["crawler.extraction.reader", "archive.storage.derived"])
            self._executor = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_warm)
            # start the workers now (they are started on demand, one per task): they boot
            # while the caller still prepares its first pages
            for _ in range(self.workers):
                self._executor.submit(_warm)

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

    def map(self, items: Iterable[T], job_of: Callable[[T], Job | None], *, derive: bool = False
            ) -> Iterator[tuple[T, Any]]:
        """Each item with its page's fields, in the items' order.

        ``job_of`` returns None for an item with nothing to read (it is yielded with
        None). At most ``WINDOW_PER_WORKER`` pages per worker are in flight, so a large
        WARC file or archive is never read into memory at once.

        ``derive=True`` yields :func:`derive_job`'s (fields, why not, derived values)
        instead of :func:`read_job`'s pair, and sends ``PAGES_PER_TASK`` pages per task
        (``TASKS_PER_WORKER`` tasks in flight per worker). In the calling process
        (no workers) nothing is computed ahead: the derived values are empty.
        """
        if derive:
            yield from self._map_derived(items, job_of)
            return
        window = max(1, self.workers) * WINDOW_PER_WORKER
        pending: deque[tuple[T, Future | None]] = deque()
        for item in items:
            job = job_of(item)
            pending.append((item, self.submit(job) if job is not None else None))
            while len(pending) >= window or (pending and not self.parallel):
                yield self._next(pending)
        while pending:
            yield self._next(pending)

    def _map_derived(self, items: Iterable[T], job_of: Callable[[T], Job | None]
                     ) -> Iterator[tuple[T, Derivation | None]]:
        if not self.parallel:  # nothing to gain: the store computes what it needs, when it does
            for item in items:
                job = job_of(item)
                yield item, ((*read_job(job), Derived()) if job is not None else None)
            return
        window = self.workers * TASKS_PER_WORKER * PAGES_PER_TASK  # items held, at most
        pending: deque[tuple[T, _Task | None, int]] = deque()  # item, its task, its place in it
        current: _Task | None = None  # the task being filled, not yet submitted

        def pop() -> tuple[T, Derivation | None]:
            nonlocal current
            item, task, i = pending.popleft()
            if task is None:
                return item, None
            if task is current:  # the next item is in the task being filled: send it as it is
                self._send(task)
                current = None
            return item, task.result()[i]

        for item in items:
            job = job_of(item)
            if job is None:
                pending.append((item, None, 0))
            else:
                if current is None:
                    current = _Task()
                pending.append((item, current, len(current.jobs)))
                current.jobs.append(job)
                if len(current.jobs) >= PAGES_PER_TASK:
                    self._send(current)
                    current = None
            while len(pending) >= window:
                yield pop()
        if current is not None:
            self._send(current)
            current = None
        while pending:
            yield pop()

    def _send(self, task: _Task) -> None:
        assert self._executor is not None
        task.future = self._executor.submit(derive_jobs, task.jobs)
        task.jobs = []

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
