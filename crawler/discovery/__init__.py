"""Discovery that does not depend on URL shape (the ``auto`` profile, and every profile's
fallback when its listing rules find nothing).

* :mod:`.candidates` — which links are worth a look (courlan + our navigation words);
* :mod:`.content` — what a fetched page is, judged by its content;
* :mod:`.templates` — links grouped by URL template; what each template proved to hold
  (:class:`Knowledge`, stored per site in the archive and reused by the next run);
* :mod:`.explore` — the per-run planner the spider uses, and the reading layout an
  article's verdict teaches.

Imports the profiles (URL hygiene, the auto layout), the Vietnamese dates and courlan;
never the spider, the store or the scheduler.
"""

from .candidates import is_candidate
from .content import Verdict, classify
from .templates import Knowledge, TemplateStats, page_number, url_template

__all__ = ["Knowledge", "TemplateStats", "Verdict", "classify", "is_candidate", "page_number",
           "url_template"]
