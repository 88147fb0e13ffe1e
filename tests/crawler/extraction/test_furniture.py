"""What a line of an article body is (crawler/extraction/furniture.py) and the reader's
generic fixes: comments gone before trafilatura, the article among several body matches."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from crawler.extraction import extract
from crawler.extraction.furniture import (
    Line,
    body_lines,
    choose,
    furniture,
    is_byline,
    is_dateline,
    is_interface,
    is_signoff,
)
from crawler.extraction.selectors import best_body, css

PARAS = [
    "The council voted on Tuesday night to rebuild the eastern storm wall before the winter storms arrive.",
    "Engineers told the meeting that the wall could fail in a storm of similar strength next year.",
    "The work is expected to cost four million pounds, about half of it paid by the regional authority.",
]


def page(body: str, head: str = "<title>Storm wall to be rebuilt | Example News</title>") -> bytes:
    return f"<!DOCTYPE html><html lang='en'><head>{head}</head><body>{body}</body></html>".encode()


@pytest.mark.parametrize("line", [
    "Updated 10:42 a.m. GMT, March 5, 2024",
    "Publié le 3 mai 2024 à 10h15, mis à jour le 4 mai 2024 à 08h02",
    "Aktualisiert am 14.06.2024, 18:05 Uhr",
    "Actualizado: 27/02/2024 12:30 h",
    "Aggiornato il 18 marzo 2024 alle 09:40",
    "Bijgewerkt op 4 december 2023, 14:12",
    "Cập nhật: 15:30, 14/10/2024",
    "Thứ hai, 14/10/2024 09:15 (GMT+7)",
    "November 12, 2023 · 4 min read",
])
def test_date_and_update_lines_in_any_language(line):
    assert is_dateline(line)


@pytest.mark.parametrize("line", [
    "Hội chợ kéo dài đến hết ngày 16/10, mở cửa phục vụ khách tham quan từ 8 giờ đến 22 giờ hằng ngày.",
    "The new services will leave the central station at 22:40 and 23:10 on weekdays, calling at every station.",
])
def test_sentences_with_dates_are_not_date_lines(line):
    assert not is_dateline(line)


@pytest.mark.parametrize("line", [
    "By Maya Linwood", "Von Jonas Becker", "Par Claire Dubois", "Por Lucía Herrera",
    "Door Pieter de Graaf", "By Maya Linwood | Published March 5, 2024", "Writing by Helen Carver; Editing by Jon Mertz",
])
def test_bylines(line):
    assert is_byline(line)


def test_a_sentence_starting_with_by_is_no_byline():
    assert not is_byline("By the end of the year the ladder had carried more than ten thousand fish upstream.")


@pytest.mark.parametrize("line", [
    "Subscribe to keep reading", "Get unlimited access to every story for 1 pound a week. Cancel any time.",
    "Sign up for our morning briefing", "Advertisement", "Đăng ký nhận bản tin", "Đọc nhiều nhất",
    "Les plus lus", "Lesen Sie auch:", "3 / 12 · Photo: Agency", "2:31", "Was this article helpful?",
    "Jetzt 4 Wochen für 0 Euro testen, danach 9,90 Euro monatlich. Jederzeit kündbar.",
])
def test_interface_phrases(line):
    assert is_interface(line)


def test_content_that_mentions_a_newsletter_is_content():
    assert not is_interface(
        "The council will send every household a printed newsletter each month while the works last, "
        "with the dates when the promenade is closed."
    )


def test_link_lines_are_furniture_table_rows_are_not():
    assert furniture(Line("Markets slip as oil climbs", 26, "p", None)) == "links"
    assert furniture(Line("22:40\tMillbrook\tMonday to Saturday", 0, "row", None)) is None


def test_choose_keeps_prose_trafilatura_dropped_and_drops_its_furniture():
    root = lxml_html.fromstring(
        "<div><p>By Maya Linwood</p><p>Updated 10:42 a.m. GMT, March 5, 2024</p>"
        + "".join(f"<p>{p}</p>" for p in PARAS)
        + "<div class='promo'><h4>Subscribe to keep reading</h4><p>The best of our journalism, every day.</p></div>"
        + "<ul><li><a href='/a'>Another story</a></li><li><a href='/b'>And another one</a></li></ul></div>"
    )
    traf = "\n".join(["Updated 10:42 a.m. GMT, March 5, 2024", PARAS[0], PARAS[2], "Subscribe to keep reading"])
    assert choose(body_lines(root), traf) == "\n".join(PARAS)


def test_comment_markers_never_split_or_cut_a_paragraph():
    marked = "He told us by <!-- -->email<!-- -->. " + PARAS[0]
    got = extract(page(f"<article><h1>Storm wall to be rebuilt</h1><div><p>{marked}</p><p>{PARAS[1]}</p>"
                       f"<?ad slot?><p>{PARAS[2]}</p></div></article>"),
                  "https://news.example.org/2024/03/storm-wall.html", profile="auto")
    assert got.text.split("\n") == ["He told us by email. " + PARAS[0], PARAS[1], PARAS[2]]


def test_the_article_not_the_teaser_among_several_article_elements():
    teasers = "".join(
        f"<article class='teaser'><a href='/s{i}'><h3>Other story {i}</h3></a><p>The latest on this.</p></article>"
        for i in range(3)
    )
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    got = extract(page(f"<main>{teasers}<article class='story'><h1>Storm wall to be rebuilt</h1>{body}</article>"
                       f"{teasers}</main>"),
                  "https://news.example.org/2024/03/storm-wall.html", profile="auto")
    assert got.text == "\n".join(PARAS)


def test_best_body_prefers_the_title_holder_then_prose_then_the_inner_wrapper():
    tree = lxml_html.fromstring(
        "<div><article id='t'><p>" + "Long teaser text without the title. " * 8 + "</p></article>"
        "<article id='a'><h1>The Title Here</h1><p>Short but the article.</p><p>" + "More words. " * 10 + "</p></article></div>"
    )
    assert best_body(css("article")(tree), "The Title Here").get("id") == "a"
    assert best_body(css("article")(tree), None).get("id") == "t"
    nested = lxml_html.fromstring(
        "<div><section id='outer'><section id='inner'><p>" + "Prose. " * 30 + "</p></section><a href='#'>x</a></section></div>"
    )
    assert best_body(css("section")(nested)).get("id") == "inner"


@pytest.mark.parametrize("line", [
    "Sầu riêng là mặt hàng đóng góp lớn nhất vào kim ngạch xuất khẩu rau quả. Ảnh minh họa",
    "Quang cảnh hội nghị (Ảnh: Minh Châu)",
    "Volunteers measure the trunk of a plane tree. Photo: Riverside Post",
])
def test_captions_are_furniture(line):
    assert furniture(Line(line, 0, "p", None)) == "caption"


def test_prose_in_figures_and_bio_boxes_needs_trafilatura():
    root = lxml_html.fromstring(
        "<div>" + "".join(f"<p>{p}</p>" for p in PARAS)
        + "<figure><img src='x.jpg'><figcaption>Volunteers measure the trunk of a century-old plane tree"
          " on Mill Lane during the survey.</figcaption></figure>"
        + "<div class='author-bio'><p>Theo Landry has reported on the city's neighbourhoods and green"
          " spaces since 2015.</p></div></div>"
    )
    lines = body_lines(root)
    assert [ln.aside for ln in lines] == [False, False, False, True, True]
    assert choose(lines, "\n".join(PARAS[:2])) == "\n".join(PARAS)


@pytest.mark.parametrize("line", [
    "Comments from residents were mostly positive, the council said.",
    "Public comments close Friday",
    "Video evidence from the night was shown to the court on Monday, the lawyers said.",
])
def test_sentences_and_headings_that_use_an_interface_word_are_content(line):
    assert not is_interface(line)


def test_copyright_lines_are_furniture():
    assert is_interface("© 2024 Example News. All rights reserved.")
    assert is_interface("Bản quyền thuộc về Sở Công Thương")


def test_embedded_posts_and_contact_lines_are_furniture():
    root = lxml_html.fromstring(
        "<div>" + "".join(f"<p>{p}</p>" for p in PARAS)
        + "<blockquote class='twitter-tweet'><p>Delighted the trial got the green light tonight, thanks all!</p>"
          "— Sam Okoro (@samokoro) June 12, 2024</blockquote>"
        + "<p><em>Contact the reporter at newsdesk@valley.example.com</em></p></div>"
    )
    lines = body_lines(root)
    traf = "\n".join([*PARAS, "Delighted the trial got the green light tonight, thanks all!"])
    assert choose(lines, traf) == "\n".join(PARAS)


def test_list_items_trafilatura_kept_match_without_its_dashes():
    root = lxml_html.fromstring(
        f"<div><p>{PARAS[0]}</p><h3>In numbers</h3><dl><dt>Length</dt><dd>32 metres</dd>"
        f"<dt>Cost</dt><dd>4.5 million euros</dd></dl><p>{PARAS[1]}</p></div>"
    )
    traf = "\n".join([PARAS[0], "- Length", "- 32 metres", "- Cost", "- 4.5 million euros", PARAS[1]])
    assert choose(body_lines(root), traf).split("\n") == [
        PARAS[0], "In numbers", "Length", "32 metres", "Cost", "4.5 million euros", PARAS[1]]


@pytest.mark.parametrize("line,signoff", [
    ("Thu Hà", True), ("P.V", True), ("Nguyễn Văn A", True),
    ("Kết quả đạt được.", False), ("Monitoring continues", False), ("It works.", False),
])
def test_signoffs(line, signoff):
    assert is_signoff(line) is signoff


def test_a_closing_signoff_is_the_source_line_not_text():
    body = "".join(f"<p>{p}</p>" for p in PARAS) + "<p style='text-align:right'><strong>Thu Hà</strong></p>"
    got = extract(page(f"<article><h1>Storm wall to be rebuilt</h1>{body}</article>"),
                  "https://news.example.org/2024/03/storm-wall.html", profile="auto")
    assert got.text == "\n".join(PARAS) and got.source_line == "Thu Hà"
