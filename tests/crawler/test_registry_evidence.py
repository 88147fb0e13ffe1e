"""The registry's evidence (crawler/sites.toml): what public stored copies show of each site.

Every URL recorded as evidence is a test case for the site's profile: an article URL
must be taken for an article, its variants (tracking parameters, fragments, session
ids, host spelling) must give one ``article_key`` and two article URLs two keys; a
listing URL must not be taken for an article. Where a profile does not (yet) read a
real URL shape, the gap is listed below with its reason, and the test checks that the
gap is still there, so the list stays true when a profile learns the shape.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit, urlunsplit

import pytest
from click.testing import CliRunner

from archive.cli import cli
from archive.errors import InputError
from crawler.profiles import get_profile
from crawler.registry import DEFAULT_SITES_FILE, EVIDENCE_KINDS, load_registry

REGISTRY = load_registry(DEFAULT_SITES_FILE)

#: Real URL shapes a profile does not read yet: url -> why. (For the profile owners.)
KNOWN_GAPS: dict[str, str] = {}

#: Hosts that the evidence contradicted (the old guess must be an alias now, not the host).
CORRECTED = {
    "sct-haiphong": ("socongthuong.haiphong.gov.vn", "sct.haiphong.gov.vn"),
    "sct-caobang": ("socongthuong.caobang.gov.vn", "sct.caobang.gov.vn"),
    "sct-nghean": ("nghean.vn", "sct.nghean.gov.vn"),
    "sct-hatinh": ("socongthuong.hatinh.gov.vn", "sct.hatinh.gov.vn"),
    "sct-tuyenquang": ("socongthuong.tuyenquang.gov.vn", "sct.tuyenquang.gov.vn"),
    "sct-thainguyen": ("beta.congthuongthainguyen.gov.vn", "sct.thainguyen.gov.vn"),
    "sct-phutho": ("socongthuong.phutho.gov.vn", "sct.phutho.gov.vn"),
    "sct-bacninh": ("bacninh.gov.vn", "sct.bacninh.gov.vn"),
    "sct-quangtri": ("soct.quangtri.gov.vn", "sct.quangtri.gov.vn"),
    "sct-tayninh": ("socongthuong.tayninh.gov.vn", "sct.tayninh.gov.vn"),
    "sct-bariavungtau": ("soct.baria-vungtau.gov.vn", "sct.baria-vungtau.gov.vn"),
    "sct-bacgiang": ("socongthuong.bacgiang.gov.vn", "sct.bacgiang.gov.vn"),
    "sct-quangnam": ("congthuong.quangnam.gov.vn", "sct.quangnam.gov.vn"),
    "sct-namdinh": ("socongthuong.namdinh.gov.vn", "sct.namdinh.gov.vn"),
    "sct-thaibinh": ("socongthuong.thaibinh.gov.vn", "sct.thaibinh.gov.vn"),
    "sct-vinhphuc": ("soct.vinhphuc.gov.vn", "sct.vinhphuc.gov.vn"),
    "ttkc-nghean": ("khuyencongnghean.com.vn", "ttkhuyencong.nghean.gov.vn"),
    "sct-ninhbinh": ("congthuong.ninhbinh.gov.vn", "sct.ninhbinh.gov.vn"),
    "cuc-ctdp": ("arit.gov.vn", "arid.gov.vn"),
}


def _cases(kind: str) -> list[tuple[str, str, str]]:
    return [(s.key, s.profile, e.url) for s in REGISTRY for e in s.evidence if e.kind == kind]


def variants(url: str) -> list[str]:
    """The same page as the web spells it: tracking, fragments, session ids, host case."""
    parts = urlsplit(url)
    joiner = "&" if parts.query else "?"
    return [
        url + joiner + "utm_source=zalo&utm_medium=social&fbclid=IwAR0abc",
        url + "#binh-luan",
        urlunsplit((parts.scheme, parts.netloc.upper(), parts.path, parts.query, "")),
        urlunsplit((parts.scheme, parts.netloc, parts.path + ";jsessionid=0A1B2C3D4E5F", parts.query, "")),
    ]


# -- how much is grounded --------------------------------------------------------------------


def test_evidence_counts_do_not_regress():
    seen = [s for s in REGISTRY if s.host_seen]
    # 37 of 59 on 2026-12-01, second pass (the issue asks for 35; the searches for the rest are
    # recorded); 39 of 60 on 2026-12-02, with sct-ninhthuan
    assert len(seen) >= 37
    assert sum(bool(s.evidence_of("article")) for s in REGISTRY) >= 24
    assert all(s.evidence for s in seen)


def test_every_entry_has_evidence_or_says_what_was_searched():
    for site in REGISTRY:
        assert site.evidence or site.searched, site.key
        if not site.host_seen:
            assert site.searched, f"{site.key}: nothing seen, so say what was searched"
        for query in site.searched:
            assert re.match(r"^\d{4}-\d{2}-\d{2} \w[\w ()-]*: ", query), (site.key, query)


def test_host_seen_means_a_url_on_the_host_and_notes_say_what_is_a_guess():
    for site in REGISTRY:
        on_host = [e for e in site.evidence if e.kind != "related" and e.host in site.hosts]
        assert bool(on_host) >= site.host_seen, site.key
        assert site.notes, site.key
        assert {e.kind for e in site.evidence} <= set(EVIDENCE_KINDS)
        assert len(site.evidence_of("article")) <= 3, site.key


def test_evidence_is_facts_not_page_text():
    for site in REGISTRY:
        for e in site.evidence:
            assert len(e.note) <= 160 and len(e.source) <= 160, (site.key, e.url)
            assert re.match(r"^\d{4}(-\d{2}){0,2}$", e.seen), (site.key, e.seen)
        assert len(site.notes) <= 800, site.key


def test_every_evidence_url_belongs_to_its_site():
    for site in REGISTRY:
        for e in site.evidence:
            if e.kind == "related":  # another host's page (or the portal a site lives under)
                continue
            found = REGISTRY.for_url(e.url)
            assert found is not None and found.key == site.key, (site.key, e.url)


def test_contradicted_hosts_are_corrected_and_kept_as_aliases():
    for key, (host, old) in CORRECTED.items():
        site = REGISTRY.get(key)
        assert site.host == host, key
        assert old in site.hosts and old != site.host, key
        for url in site.start_urls:
            assert urlsplit(url).hostname.removeprefix("www.") == host, (key, url)
    # the old spellings still find their site (they may redirect)
    assert REGISTRY.for_url("https://sct.caobang.gov.vn/tin-tuc").key == "sct-caobang"
    assert REGISTRY.for_url("https://socongthuong.binhduong.gov.vn/").key == "sct-binhduong"


def test_the_merger_keeps_current_and_former_province():
    for site in REGISTRY:
        if site.kind == "sct-legacy":
            assert site.former_province and site.province, site.key
            assert not site.live or "2025" in site.notes, f"{site.key}: say what is known of it after mid-2025"
            if not site.live:
                assert site.warc_imports and not site.enabled, site.key
    assert REGISTRY.get("sct-hanam").province == "Ninh Bình"
    assert REGISTRY.get("sct-haugiang").province == "Cần Thơ"


def test_platforms_follow_the_url_shapes_seen():
    assert REGISTRY.get("sct-nghean").profile == "websphere"
    assert REGISTRY.get("sct-dongthap").profile == "liferay"
    assert REGISTRY.get("sct-tayninh").profile == "sharepoint"
    assert REGISTRY.get("sct-dongnai").profile == "auto"  # NukeViet now, not SharePoint
    for site in REGISTRY:
        urls = " ".join(e.url for e in site.evidence if e.kind != "related")
        if "/-/asset_publisher/" in urls:
            assert site.profile == "liferay", site.key
        if "/webcenter/portal/" in urls:
            assert site.profile == "webcenter", site.key
        if "/wps/portal/" in urls and "!ut/p/" in urls:
            assert site.profile == "websphere", site.key
        if re.search(r"/(?:Pages|Lists/[^/]+)/\w+\.aspx", urls):
            assert site.profile == "sharepoint", site.key


# -- every evidence URL is a case for its site's profile -------------------------------------


@pytest.mark.parametrize(("key", "profile", "url"), _cases("article"))
def test_evidence_articles_are_articles_with_one_key(key, profile, url):
    prof = get_profile(profile)
    if url in KNOWN_GAPS:
        assert not prof.is_article_url(url), f"{key}: fixed? drop it from KNOWN_GAPS ({KNOWN_GAPS[url]})"
        return
    assert prof.is_article_url(url), url
    key_ = prof.article_key(url)
    assert key_ and prof.article_key(prof.canonical_url(url)) == key_
    for variant in variants(url):
        # as the spider sees a link once canonical (raw links with tracking parameters
        # are not all taken by every profile: see the report of 2026-12-01)
        assert prof.is_article_url(prof.canonical_url(variant)), variant
        assert prof.article_key(variant) == key_, variant


@pytest.mark.parametrize("key", sorted({k for k, _, _ in _cases("article")}))
def test_two_evidence_articles_are_two_keys(key):
    site = REGISTRY.get(key)
    prof = get_profile(site.profile)
    urls = [e.url for e in site.evidence_of("article") if e.url not in KNOWN_GAPS]
    keys = {prof.article_key(u) for u in urls}
    assert len(keys) == len(urls), urls


@pytest.mark.parametrize(("key", "profile", "url"), _cases("listing"))
def test_evidence_listings_are_not_articles(key, profile, url):
    prof = get_profile(profile)
    if url in KNOWN_GAPS:
        assert prof.is_article_url(url), f"{key}: fixed? drop it from KNOWN_GAPS ({KNOWN_GAPS[url]})"
        return
    assert not prof.is_article_url(url), url
    assert not prof.is_article_url(prof.canonical_url(url))
    for variant in variants(url):
        assert not prof.is_article_url(prof.canonical_url(variant)), variant


def test_known_gaps_are_evidence():
    urls = {e.url for s in REGISTRY for e in s.evidence}
    assert set(KNOWN_GAPS) <= urls


# -- the command -----------------------------------------------------------------------------


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_sites_json_shows_evidence_and_host_seen():
    result = _run("sites", "--json")
    assert result.exit_code == 0, result.output
    data = {s["key"]: s for s in json.loads(result.output)}
    nghean = data["sct-nghean"]
    assert nghean["host_seen"] is True and nghean["profile"] == "websphere"
    assert nghean["evidence"][0]["kind"] == "listing" and nghean["evidence"][0]["seen"] == "2019-08"
    assert "!ut/p/" in nghean["evidence"][0]["url"]
    assert nghean["aliases"] == ["https://sct.nghean.gov.vn"]
    assert "host" not in nghean["guesses"] and "profile" in nghean["guesses"]
    assert data["sct-sonla"]["host_seen"] is False and data["sct-sonla"]["searched"]
    assert data["sct-sonla"]["guesses"] == ["host", "profile", "start_urls"]
    assert data["sct-binhduong"]["guesses"] == []


def test_sites_unverified_lists_what_is_still_a_guess():
    result = _run("sites", "--unverified")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["KEY", "PROFILE", "SEEN", "EVIDENCE", "STILL", "A", "GUESS", "BASE", "URL"]
    sonla = next(x for x in lines if x.startswith("sct-sonla "))
    assert "host, profile, start_urls" in sonla and "searches" in sonla
    daklak = next(x for x in lines if x.startswith("sct-daklak "))
    assert "3 article, 1 listing" in daklak and "✓" in daklak
    assert not any(x.startswith("sct-binhduong ") for x in lines)  # verified: not a guess
    assert f"{len(REGISTRY) - 1} site(s)" in result.output


def test_markdown_shows_host_seen_and_the_evidence():
    text = REGISTRY.to_markdown()
    assert "| host seen |" in text and "## Evidence" in text
    assert "### `sct-daklak`" in text
    assert "- article, seen 2026-04-23: <https://socongthuong.daklak.gov.vn/vi/news/" in text
    assert '- searched: 2026-12-01 pages: "Sở Công Thương Sơn La hoạt động ngành công thương"' in text


# -- validation of the new fields ------------------------------------------------------------

_BASE = """[[site]]
key = "a"
name = "Site a"
kind = "sct"
province = "Hà Nội"
base_url = "https://a.example.gov.vn"
"""


def _error(tmp_path, text: str) -> str:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_registry(path)
    message = str(err.value)
    assert "\n" not in message and str(path) in message and "(site 'a')" in message
    return message


def _evidence(**fields: str) -> str:
    values = {"kind": "article", "url": "https://a.example.gov.vn/tin-tuc/bai-viet-mot-hai-ba-bon",
              "seen": "2024", "source": "stored copy"}
    values.update(fields)
    return "\n[[site.evidence]]\n" + "".join(f"{k} = {json.dumps(v, ensure_ascii=False)}\n"
                                             for k, v in values.items() if v is not None)


def test_a_valid_entry_with_evidence(tmp_path):
    path = tmp_path / "ok.toml"
    path.write_text(
        _BASE + 'aliases = ["https://sct.a.example.gov.vn"]\nhost_seen = true\n'
        'searched = ["2026-12-01 pages: \\"a\\""]\n'
        + _evidence() + _evidence(kind="listing", url="https://sct.a.example.gov.vn/tin-tuc", seen="2019-08-01")
        + _evidence(kind="related", url="https://portal.example.gov.vn/x", note="the province portal"),
        encoding="utf-8",
    )
    site = load_registry(path).get("a")
    assert site.host_seen and site.hosts == ("a.example.gov.vn", "sct.a.example.gov.vn")
    assert [e.kind for e in site.evidence] == ["article", "listing", "related"]
    assert site.evidence[2].to_dict() == {"url": "https://portal.example.gov.vn/x", "kind": "related",
                                          "seen": "2024", "source": "stored copy",
                                          "note": "the province portal"}
    assert site.searched == ('2026-12-01 pages: "a"',)
    assert load_registry(path).for_url("https://sct.a.example.gov.vn/tin-tuc").key == "a"
    assert site.guesses() == ["profile", "start_urls"]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("host_seen = true\n", "host_seen = true needs an evidence URL on 'a.example.gov.vn'"),
        (_evidence(seen="2024-13-45x"), "seen must be 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'"),
        (_evidence(seen="last year"), "seen must be"),
        (_evidence(kind="rumour"), "unknown kind 'rumour'"),
        (_evidence(source=""), "missing source"),
        (_evidence(url="a.example.gov.vn/x"), "is not an http(s) URL"),
        (_evidence(url="https://other.gov.vn/x"), "is not on the site's host or an alias"),
        (_evidence() + _evidence() + _evidence() + _evidence(), "at most 3 article URLs"),
        ("\n[[site.evidence]]\nurl = \"https://a.example.gov.vn/x\"\nseen = \"2024\"\nsource = \"s\"\ncolour = 1\n",
         "unknown field 'colour'"),
        ('searched = "one query"\n', "searched must be a list of strings"),
        ('aliases = "https://old.example.gov.vn"\n', "aliases must be a list of URLs"),
        ('aliases = ["old.example.gov.vn"]\n', "alias 'old.example.gov.vn' is not an http(s) URL"),
        ('host_seen = "yes"\n', "host_seen must be true or false"),
    ],
)
def test_bad_evidence(tmp_path, extra, expected):
    head, tables = (extra, "") if not extra.startswith("\n[[") else ("", extra)
    assert expected in _error(tmp_path, _BASE + head + tables)
