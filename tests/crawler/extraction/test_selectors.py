"""crawler.extraction.select matches simple CSS selectors in one walk of the tree;
it must select exactly what lxml's CSSSelector (cssselect's HTML translator) selects."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

from crawler.extraction import select
from crawler.profiles import get_profile, profile_names
from tests.profile_walk import fetch
from tests.sample_sites import SITES

FIELDS = ("drop", "title", "dates", "body", "source", "attachments")
TRICKY = (
    "a[href='#main-content']", "[id*='ngayHienTai']", "div > p", "p[style*='right']:last-child",
    "ul li a", "#footer a[href^='http']", "[class$='-date']", "*", "body > div .x", "div[data-api]",
)


def _pages():
    for name, cls in sorted(SITES.items()):
        site = cls(6)
        urls = [site.start_urls()[0]] + [site.article_url(a) for a in site.articles[:3]]
        for url in urls:
            resp = fetch(site, url)
            yield name, url, lxml_html.document_fromstring(resp.body_bytes())


PAGES = list(_pages())


def _reference(root, selectors):
    return [el for sel in selectors for el in CSSSelector(sel, translator="html")(root)]


@pytest.mark.parametrize("profile", profile_names())
def test_every_layout_selector_list_agrees_with_cssselect(profile):
    for layout in get_profile(profile).layouts:
        for field in FIELDS:
            selectors = getattr(layout, field)
            for _name, url, root in PAGES:
                assert select(root, selectors) == _reference(root, selectors), (layout, field, url)


def test_tricky_selectors_and_subtrees_agree_with_cssselect():
    for _name, url, root in PAGES:
        assert select(root, TRICKY) == _reference(root, TRICKY), url
        body = root.find("body")
        for sub in list(body.iter("div"))[:20]:  # matching inside a subtree, the root itself included
            assert select(sub, TRICKY) == _reference(sub, TRICKY), url
