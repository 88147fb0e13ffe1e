"""Running real crawls against the sample sites, and reading back what was archived.

A :class:`Served` sample site runs on a real HTTP server on 127.0.0.1 (free port),
with a registry file naming it ``demo-<profile>``; :meth:`Served.crawl` runs
``sct-archive crawl`` in a child process (the Twisted reactor cannot restart, and
that is how ops and the daemon run it too). Assertions read the archive database
and the server's request log.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from archive.storage.models import Article, ArticleVersion, Attachment, CrawlRun, Site
from archive.storage.store import Archive
from crawler.commands.demo import registry_toml
from crawler.profiles import get_profile
from tests.sample_sites import SITES, SampleServer, SampleSite

ROOT = Path(__file__).resolve().parents[1]
FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False")


@dataclass
class Served:
    site: SampleSite
    server: SampleServer
    db: str
    env: dict[str, str]
    key: str
    tmp: Path
    procs: list[subprocess.Popen] = field(default_factory=list)

    @property
    def profile(self):
        return get_profile(self.site.profile)

    def command(self, *args: str, fast: bool = True) -> list[str]:
        return [sys.executable, "-m", "archive", "crawl", *args, *(FAST if fast else ())]

    def crawl(self, *args: str, check: bool = True, now: datetime | None = None,
              timeout: float = 240) -> subprocess.CompletedProcess:
        """``sct-archive crawl demo-<profile> ARGS`` to the end; ``now`` shifts the crawl's clock."""
        extra = ("-s", f"ARCHIVE_NOW={now.isoformat()}") if now else ()
        argv = self.command(*(args or (self.key,)), *extra)
        done = subprocess.run(argv, env=self.env, cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout)
        if check:
            assert done.returncode == 0, f"exit {done.returncode}\n{done.stderr[-4000:]}"
        return done

    def start(self, *args: str) -> subprocess.Popen:
        proc = subprocess.Popen(self.command(*(args or (self.key,))), env=self.env, cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.procs.append(proc)
        return proc

    # -- the server's view ------------------------------------------------------------

    def article_requests(self) -> list[Any]:
        """Logged requests for article pages (any URL variant)."""
        return [r for r in self.server.log
                if self.profile.is_article_url(self.site.base_url + r.path)]

    def keys_requested(self) -> Counter:
        return Counter(self.profile.article_key(self.site.base_url + r.path)
                       for r in self.article_requests())

    # -- the archive's view -----------------------------------------------------------

    def archived(self) -> dict[str, dict[str, Any]]:
        """article_key → current version fields, version count and attachments."""
        out: dict[str, dict[str, Any]] = {}
        with Archive.open(self.db) as a, a.sessions() as s:
            rows = s.execute(
                select(Article, ArticleVersion)
                .join(Site, Site.id == Article.site_id)
                .join(ArticleVersion, ArticleVersion.id == Article.current_version_id)
                .where(Site.key == self.key)
            ).all()
            for article, v in rows:
                n = len(s.scalars(select(ArticleVersion.id).where(
                    ArticleVersion.article_id == article.id)).all())
                atts = s.scalars(select(Attachment).where(Attachment.version_id == v.id)).all()
                out[article.article_key] = {
                    "url": article.canonical_url, "title": v.title,
                    "published": v.published.isoformat() if v.published else None,
                    "text": v.text, "versions": n, "gone": article.gone_at is not None,
                    "attachments": {t.filename: (t.status, t.text) for t in atts},
                }
        return out

    def runs(self) -> list[CrawlRun]:
        with Archive.open(self.db) as a, a.sessions() as s:
            return list(s.scalars(select(CrawlRun).join(Site).where(Site.key == self.key)
                                  .order_by(CrawlRun.id)))

    def truth(self) -> dict[str, dict[str, Any]]:
        return {self.profile.article_key(t["url"]): t for t in self.site.ground_truth()}


def mismatches(served: Served) -> list[str]:
    """How the archive differs from the site's ground truth (empty: exactly right)."""
    got, want = served.archived(), served.truth()
    problems = [f"missing {k}" for k in want.keys() - got.keys()]
    problems += [f"unexpected {k}" for k in got.keys() - want.keys()]
    for key in want.keys() & got.keys():
        g, w = got[key], want[key]
        for f in ("title", "published", "text"):
            if g[f] != w[f]:
                problems.append(f"{key}: {f} {str(g[f])[:120]!r} != {str(w[f])[:120]!r}")
        files = {a["filename"]: a["text_contains"] for a in w["attachments"]}
        if set(g["attachments"]) != set(files):
            problems.append(f"{key}: attachments {sorted(g['attachments'])} != {sorted(files)}")
        for name, phrase in files.items():
            status, text = g["attachments"].get(name, (None, ""))
            if phrase is not None and phrase not in " ".join((text or "").split()):
                problems.append(f"{key}: attachment {name} ({status}) lacks {phrase!r}")
    return problems


@contextmanager
def served(profile: str, tmp: Path, n: int = 36, **kwargs: Any):
    site = SITES[profile](n, **kwargs)
    with SampleServer(site) as srv:
        sites_file = tmp / "sites.toml"
        sites_file.write_text(registry_toml({profile: srv}), encoding="utf-8")
        db = f"sqlite:///{tmp / 'archive.sqlite3'}"
        env = {**os.environ, "SCT_ARCHIVE_SITES": str(sites_file), "SCT_ARCHIVE_DB": db,
               "PYTHONPATH": str(ROOT)}
        s = Served(site, srv, db, env, f"demo-{profile}", tmp)
        try:
            yield s
        finally:
            for proc in s.procs:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()


def wait_for(predicate, timeout: float = 60.0, what: str = "condition") -> None:
    """Poll ``predicate`` until it holds (a condition, not a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def later(days: float) -> datetime:
    return datetime.now(UTC) + timedelta(days=days)


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
    proc.send_signal(sig)
    proc.wait(timeout=timeout)
    return proc.returncode


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
