"""When to look at a known article again: often while it is young, rarely when old, never past a cap.

News pages change most in their first hours (corrections, added photos and
attachments) and almost never after months. The interval grows with the article's
age — ``age × factor``, kept between a minimum and a maximum — and an article older
than ``max_age`` is not revisited at all (a ``--full`` crawl still sees it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta


@dataclass(frozen=True, slots=True)
class RevisitPolicy:
    factor: float = 0.25
    min_interval: timedelta = timedelta(hours=1)
    max_interval: timedelta = timedelta(days=30)
    max_age: timedelta = timedelta(days=180)

    @classmethod
    def from_settings(cls, settings) -> RevisitPolicy:
        return cls(
            factor=settings.getfloat("ARCHIVE_REVISIT_FACTOR", cls.factor),
            min_interval=timedelta(seconds=settings.getfloat("ARCHIVE_REVISIT_MIN_SECONDS", 3600)),
            max_interval=timedelta(seconds=settings.getfloat("ARCHIVE_REVISIT_MAX_SECONDS", 30 * 86400)),
            max_age=timedelta(seconds=settings.getfloat("ARCHIVE_REVISIT_MAX_AGE_SECONDS", 180 * 86400)),
        )

    def next_check(
        self, now: datetime, *, published: date | datetime | None, first_seen: datetime
    ) -> datetime | None:
        """The next time to check an article checked at ``now`` (None: never again)."""
        if isinstance(published, datetime):
            born = published
        elif isinstance(published, date):
            born = datetime.combine(published, time(0, 0), UTC)
        else:
            born = first_seen
        age = max(now - born, timedelta(0))
        if age > self.max_age:
            return None
        interval = min(max(age * self.factor, self.min_interval), self.max_interval)
        return now + interval
