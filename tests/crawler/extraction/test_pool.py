"""The extraction pool gives exactly what one process gives, in order, and honest errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from crawler.extraction import extract
from crawler.extraction.pool import ExtractionPool, Job, read_job
from crawler.profiles import get_profile, recognize
from tests.conftest import SEED_DIR
from tests.profile_walk import fetch
from tests.sample_sites import SITES


def _pages():
    """Every article page of two sample sites, plus the seed and two pages that are not HTML."""
    out = []
    for name in ("liferay", "joomla"):
        site = SITES[name](8)
        for art in site.articles:
            url = site.article_url(art)
            resp = fetch(site, url)
            out.append(Job(resp.body_bytes(), url, resp.content_type, name, None))
    seed = (SEED_DIR / "article.html").read_bytes()
    url = json.loads((SEED_DIR / "article.expected.json").read_text())["url"]
    out.append(Job(seed, url, "text/html; charset=utf-8", None, datetime(2018, 12, 3, tzinfo=UTC)))
    out.append(Job(b"%PDF-1.4 binary", "http://x.test/a.pdf", "application/pdf", "auto", None))
    out.append(Job(b"", "http://x.test/empty", "text/html", "auto", None))
    return out


@pytest.fixture(scope="module")
def jobs():
    return _pages()


def _in_process(job: Job):
    profile = (get_profile(job.profile) if job.profile
               else recognize(job.body[:200_000].decode("utf-8", "replace"), job.url))
    try:
        return extract(job.body, job.url, content_type=job.content_type, profile=profile,
                       fetched_at=job.fetched_at), None
    except Exception as exc:  # InputError
        return None, str(exc)


def test_two_workers_give_the_same_fields_in_the_same_order(jobs):
    expected = [_in_process(j) for j in jobs]
    assert sum(1 for e, _ in expected if e is not None and e.text) >= 2
    assert [err for _, err in expected[-2:]] and all(err for _, err in expected[-2:])
    with ExtractionPool(2) as pool:
        assert pool.parallel
        got = list(pool.map(jobs, lambda j: j))
    assert [item for item, _ in got] == jobs
    assert [result for _, result in got] == expected


def test_in_process_pool_needs_no_workers_and_agrees(jobs):
    with ExtractionPool(0) as pool:
        assert not pool.parallel
        got = [result for _, result in pool.map(jobs, lambda j: j)]
    assert got == [read_job(j) for j in jobs]


def test_items_without_a_page_pass_through_in_order(jobs):
    items = list(range(7))
    with ExtractionPool(2) as pool:
        got = list(pool.map(items, lambda i: jobs[-3] if i % 2 else None))
    assert [i for i, _ in got] == items
    assert [r is None for _, r in got] == [True, False, True, False, True, False, True]
    assert all(r[0].title for i, r in got if r is not None)


def test_derive_mode_gives_the_fields_and_what_the_store_would_compute(jobs):
    from dataclasses import replace

    from archive.storage.derived import Derived, derive

    wanted = [replace(j, store_body=True) for j in jobs]
    with ExtractionPool(2) as pool:
        got = [result for _, result in pool.map(wanted, lambda j: j, derive=True)]
    with ExtractionPool(0) as pool:
        here = [result for _, result in pool.map(wanted, lambda j: j, derive=True)]
    assert [(ex, err) for ex, err, _ in got] == [read_job(j) for j in jobs]
    assert [(ex, err) for ex, err, _ in here] == [read_job(j) for j in jobs]
    assert all(d == Derived() for _, _, d in here)  # one process: the store computes, when needed
    for job, (ex, _, derived) in zip(wanted, got, strict=True):
        assert derived == derive(ex, job.body)
    assert any(d.flags for _, _, d in got) and all(d.body.data for _, _, d in got)
