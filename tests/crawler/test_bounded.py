"""Bounded waits and incremental cost, against sample sites on 127.0.0.1.

* a site whose pages misbehave every way a provincial server does (a page dripping one
  byte every half second, a connection reset, a truncated body, a redirect loop, a 503
  that answers on the retry) is crawled to its end with its good pages archived and no
  error page archived (the time it takes is measured by bench, see BENCHMARKS.md);
* an incremental crawl on a day with one new article reads at most two listing pages per
  chain on a site whose every page repeats the newest articles in a sidebar.
"""

from __future__ import annotations

import json

from tests.crawlkit import path_of, served, served_site


def test_a_faulty_site_ends_partial_with_its_good_pages_archived(tmp_path):
    with served("wordpress", tmp_path, n=12, page_size=20) as s:
        arts = s.site.articles
        broken = {"drip": arts[1], "reset": arts[3], "truncate": arts[5], "loop": arts[7]}
        for how, a in broken.items():
            s.server.break_path(path_of(s.site.article_url(a)), how)
        flaky = arts[9]
        s.server.fail_next(path_of(s.site.article_url(flaky)), status=503, times=1)
        done = s.crawl(s.key, "--json", check=False)
        assert done.returncode == 0, done.stderr[-3000:]
        run = json.loads(done.stdout)["runs"][0]
        assert run["outcome"] == "partial", run
        archived = {a["title"] for a in s.archived().values()}
        assert archived == {a.title for a in arts} - {a.title for a in broken.values()}
        assert flaky.title in archived  # the 503 was retried
        assert run["failed"] == len(broken)
        assert all("xxxxxxxx" not in (a["text"] or "") for a in s.archived().values())


def test_one_new_article_reads_at_most_two_listing_pages_per_chain(tmp_path):
    with served_site("dnnportal", tmp_path, n=130) as s:  # 13 listing pages, sidebar of 5 newest
        s.crawl(s.key)
        assert len(s.archived()) == 130
        s.site.add_articles(1)
        s.server.clear_log()
        run = json.loads(s.crawl(s.key, "--json").stdout)["runs"][0]
        assert run["new_articles"] == 1, run
        chain = [r.path for r in s.server.log
                 if r.path == "/tin-tuc/Default.aspx" or r.path.startswith("/tin-tuc/mid/412/Page/")]
        assert 1 <= len(chain) <= 2, chain
