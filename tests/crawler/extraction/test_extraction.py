"""The seed page (a Liferay 6.2 replica of sct.binhduong.gov.vn) extracts right."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from crawler.extraction import VIETNAM, extract
from tests.conftest import SEED_DIR, SHARED_SEED_DIR

EXPECTED = json.loads((SEED_DIR / "article.expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed():
    return extract((SEED_DIR / "article.html").read_bytes(), EXPECTED["url"])


def test_seed_copy_matches_shared_samples():
    if not SHARED_SEED_DIR.exists():
        pytest.skip("../shared/samples not present")
    for name in ("article.html", "article-next-day.html", "article.expected.json"):
        assert (SEED_DIR / name).read_bytes() == (SHARED_SEED_DIR / name).read_bytes(), name


def test_title_is_the_article_heading_not_the_site_name(seed):
    assert seed.title == EXPECTED["title"]


def test_published_is_the_byline_date_day_first_not_the_widget(seed):
    assert seed.published == date(2018, 12, 2)
    assert seed.published_source and seed.published_source.startswith("profile")


def test_text_starts_ends_and_keeps_paragraphs(seed):
    assert seed.text.startswith(EXPECTED["text_starts_with"])
    assert seed.text.endswith(EXPECTED["text_ends_with"])
    assert len(seed.text.split("\n")) == EXPECTED["paragraphs"]
    assert all(line.strip() for line in seed.text.split("\n"))


@pytest.mark.parametrize("needle", EXPECTED["text_excludes"])
def test_text_excludes_boilerplate(seed, needle):
    assert needle not in seed.text


def test_profile_recognized_from_the_page_and_identity(seed):
    assert seed.extractor.startswith("liferay.")
    assert seed.article_key.startswith("content/hoi-nghi-cong-tac-khuyen-cong")
    assert seed.language == "vi"


def test_next_day_page_extracts_identically(seed):
    other = extract((SEED_DIR / "article-next-day.html").read_bytes(), EXPECTED["url"])
    assert (other.title, other.published, other.text) == (seed.title, seed.published, seed.text)


def test_plain_trafilatura_gets_the_seed_wrong():
    """Why profiles exist: the generic extractor reads the site name and the widget date."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        (SEED_DIR / "article.html").read_text(encoding="utf-8"), url=EXPECTED["url"],
        with_metadata=True,
    )
    assert doc.title != EXPECTED["title"]
    assert doc.date != "2018-12-02"


def test_print_view_and_noise_urls_are_one_article(seed):
    variants = [
        EXPECTED["url"] + "?redirect=%2Fweb%2Fguest%2Ftin-tuc&p_p_id=101_INSTANCE_x&_cur=2",
        EXPECTED["url"].replace("Kc7pQz2LmN0a", "Other0123") + "?viewMode=print",
        EXPECTED["url"].replace("/content/", "/content/") + ";jsessionid=ABC123",
    ]
    for url in variants:
        assert extract((SEED_DIR / "article.html").read_bytes(), url).article_key == seed.article_key


@pytest.mark.parametrize(
    "body",
    [b"", b"%PDF-1.4 binary", b"\x00\x01\x02\x03" * 50, b'{"json": true}'],
    ids=["empty", "pdf", "binary", "json"],
)
def test_non_html_is_an_input_error(body):
    from archive.errors import InputError

    with pytest.raises(InputError):
        extract(body, "http://example.gov.vn/a", content_type="application/octet-stream")


def test_published_and_updated_dates_are_both_kept_with_their_sources():
    html = (SEED_DIR / "article.html").read_text(encoding="utf-8")
    html = html.replace(
        "02-12-2018", "Ngày đăng: 08:22, 04/05/2011 | Cập nhật lúc 15:38, Thứ Tư, 25/03/2020", 1
    )
    got = extract(html.encode("utf-8"), EXPECTED["url"])
    assert got.published == date(2011, 5, 4)
    assert got.updated is not None
    assert got.updated.astimezone(VIETNAM).replace(tzinfo=None) == datetime(2020, 3, 25, 15, 38)
    assert got.published_source.startswith("profile:") and got.updated_source.startswith("profile:")
    assert "Cập nhật" not in got.text and "Ngày đăng" not in got.text


def test_meta_date_is_used_when_the_profile_finds_none():
    html = (SEED_DIR / "article.html").read_text(encoding="utf-8").replace("02-12-2018", "", 1)
    html = html.replace(
        "</head>", '<meta property="article:published_time" content="2018-12-01T09:00:00+07:00"></head>', 1
    )
    got = extract(html.encode("utf-8"), EXPECTED["url"])
    assert got.published == date(2018, 12, 1)
    assert got.published_source.startswith("meta:")
