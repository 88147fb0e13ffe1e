"""Leases: one crawl per site at a time, on SQLite and PostgreSQL; expiry and takeover."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest

from archive.errors import ArchiveError
from archive.storage.db import open_engine
from archive.storage.leases import (
    SiteBusy,
    acquire,
    default_holder,
    default_ttl,
    hold_lease,
    holder_is_dead_here,
    holder_name,
    holder_of,
    live_leases,
    pid_alive,
    release,
    release_dead_holders,
    renew,
)


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


def test_live_leases_are_what_holder_of_says_for_every_site(engine):
    assert live_leases(engine) == {}
    assert acquire(engine, "a", "x:1", 60)
    assert acquire(engine, "b", "y:2", 60)
    assert acquire(engine, "gone", "z:3", -1)  # expired
    leases = live_leases(engine)
    assert set(leases) == {"a", "b"}
    assert all(leases[key] == holder_of(engine, key) for key in ("a", "b"))


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
        "import sys; from archive.storage.db import open_engine; from archive.storage.leases import acquire;"
        f"print(acquire(open_engine({db_url!r}), 'race', sys.argv[1], 60))"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, f"p{i}"], stdout=subprocess.PIPE, text=True)
             for i in range(4)]
    results = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert sorted(results) == ["False", "False", "False", "True"]


def test_hold_lease_renews_in_the_background(engine):
    with hold_lease(engine, "s", ttl=0.3, holder="a"):
        deadline = time.monotonic() + 1.0  # more than three lease times
        while time.monotonic() < deadline:
            assert not acquire(engine, "s", "b", 60)
            time.sleep(0.05)
    assert acquire(engine, "s", "b", 60)


def test_leases_of_dead_local_processes_are_released(engine):
    host = socket.gethostname()
    assert acquire(engine, "dead", f"{host}:4242", 60)
    assert acquire(engine, "alive", f"{host}:4343", 60)
    assert acquire(engine, "mine", f"{host}:{os.getpid()}", 60)
    assert acquire(engine, "remote", "elsewhere:4242", 60)  # another host: only expiry frees it
    assert release_dead_holders(engine, alive=lambda pid: pid != 4242) == ["dead"]
    assert holder_of(engine, "dead") is None
    assert [holder_of(engine, k) is not None for k in ("alive", "mine", "remote")] == [True] * 3


def test_holder_is_dead_here_judges_only_other_processes_of_this_host():
    host = socket.gethostname()
    assert holder_name(4242) == f"{host}:4242" and default_holder() == holder_name()
    assert holder_name(7, "elsewhere") == "elsewhere:7"

    def gone(pid: int) -> bool:
        return False

    assert holder_is_dead_here(f"{host}:4242", gone)
    assert not holder_is_dead_here(f"{host}:4242", lambda pid: True)
    assert not holder_is_dead_here(default_holder(), gone)  # never ourselves
    for other in ("elsewhere:4242", f"{host}:x", f"{host}:", host, "", None, "ghost"):
        assert not holder_is_dead_here(other, gone), other


def test_pid_alive_counts_a_zombie_as_dead():
    import psutil

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 20
    while psutil.Process(proc.pid).status() != psutil.STATUS_ZOMBIE:  # exited, not yet reaped
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert not pid_alive(proc.pid)
    proc.wait()
    assert not pid_alive(proc.pid)
    assert pid_alive(os.getpid())


def test_lease_time_from_the_environment(monkeypatch):
    monkeypatch.delenv("SCT_ARCHIVE_LEASE_TTL", raising=False)
    assert default_ttl() == 120
    monkeypatch.setenv("SCT_ARCHIVE_LEASE_TTL", "2.5")
    assert default_ttl() == 2.5
    for bad in ("soon", "0"):
        monkeypatch.setenv("SCT_ARCHIVE_LEASE_TTL", bad)
        with pytest.raises(ArchiveError, match="SCT_ARCHIVE_LEASE_TTL"):
            default_ttl()
