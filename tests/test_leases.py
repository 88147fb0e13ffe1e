"""Leases: one crawl per site at a time, on SQLite and PostgreSQL; expiry and takeover."""

from __future__ import annotations

import subprocess
import sys

import pytest

from archive.db import open_engine
from archive.leases import SiteBusy, acquire, hold_lease, holder_of, release, renew


@pytest.fixture
def engine(db_url):
    engine = open_engine(db_url)
    yield engine
    engine.dispose()


def test_acquire_is_exclusive_until_release(engine):
    assert acquire(engine, "s", "a", 60)
    assert not acquire(engine, "s", "b", 60)
    assert acquire(engine, "s", "a", 60)  # re-entrant for the holder
    assert acquire(engine, "other", "b", 60)  # per site
    assert holder_of(engine, "s")[0] == "a"
    release(engine, "s", "b")  # not b's to release
    assert holder_of(engine, "s")[0] == "a"
    release(engine, "s", "a")
    assert holder_of(engine, "s") is None
    assert acquire(engine, "s", "b", 60)


def test_an_expired_lease_is_taken_over(engine):
    assert acquire(engine, "s", "dead", -1)  # already expired: its holder was killed
    assert holder_of(engine, "s") is None
    assert acquire(engine, "s", "b", 60)
    assert not renew(engine, "s", "dead", 60)
    assert renew(engine, "s", "b", 60)


def test_hold_lease_raises_site_busy(engine):
    with hold_lease(engine, "s", ttl=60, holder="a"):
        with pytest.raises(SiteBusy) as err:
            with hold_lease(engine, "s", ttl=60, holder="b"):
                pass
        assert err.value.exit_code == 75 and "'s'" in str(err.value)
    assert holder_of(engine, "s") is None


def test_two_processes_race_one_wins(db_url):
    open_engine(db_url).dispose()
    code = (
        "import sys; from archive.db import open_engine; from archive.leases import acquire;"
        f"print(acquire(open_engine({db_url!r}), 'race', sys.argv[1], 60))"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, f"p{i}"], stdout=subprocess.PIPE, text=True)
             for i in range(4)]
    results = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert sorted(results) == ["False", "False", "False", "True"]
