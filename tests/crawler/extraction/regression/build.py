"""Write the regression pages: ``python tests/crawler/extraction/regression/build.py``.

Every page is one of our own article texts (``bodies.py``) in a page skeleton modelled on
how real news sites are built — header and menus, teaser ``<article>`` boxes beside the
real one, bylines and update lines, share bars, video strips, galleries, subscription and
newsletter prompts, "most read" lists, comment markers (``<!-- -->``) inside paragraphs,
tables and lists that are content — and the expected text is the article's blocks only
(one line per paragraph, heading, list item or table row; no title, byline or date).

The pages are committed (``pages/<name>.html`` + ``pages/<name>.txt`` + ``pages.json``):
this script only has to run again when a page is added or changed here.
"""

from __future__ import annotations

import html
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bodies import BODIES  # noqa: E402

PAGES = HERE / "pages"

# --------------------------------------------------------------------- words per language

UI = {
    "en": dict(ad="Advertisement", subscribe="Subscribe to keep reading",
               subscribe2="Get unlimited access to every story for 1 pound a week. Cancel any time.",
               already="Already a subscriber? Log in", newsletter="Sign up for our morning briefing",
               newsletter2="The day's top stories in your inbox at 7am.", privacy="Privacy notice",
               most="Most read", watch="Watch", more="Read more:", related="Related stories",
               share="Share", tags="Topics", comments="comments", photo="Photo", by="By",
               video="Video", next="Next", prev="Previous"),
    "vi": dict(ad="Quảng cáo", subscribe="Đăng ký tài khoản để đọc tiếp",
               subscribe2="Trải nghiệm không quảng cáo chỉ với 2.000 đồng mỗi ngày.",
               already="Bạn đã có tài khoản? Đăng nhập", newsletter="Đăng ký nhận bản tin",
               newsletter2="Tin nổi bật mỗi sáng gửi tới hộp thư của bạn.", privacy="Chính sách bảo mật",
               most="Đọc nhiều nhất", watch="Xem video", more="Xem thêm:", related="Tin liên quan",
               share="Chia sẻ", tags="Từ khóa", comments="bình luận", photo="Ảnh", by="",
               video="Video", next="Tiếp", prev="Trước"),
    "fr": dict(ad="Publicité", subscribe="Abonnez-vous pour lire la suite",
               subscribe2="Accès illimité à tous les articles pour 1 euro le premier mois.",
               already="Déjà abonné ? Se connecter", newsletter="Inscrivez-vous à notre newsletter",
               newsletter2="L'essentiel de l'actualité chaque matin.", privacy="Politique de confidentialité",
               most="Les plus lus", watch="Vidéos", more="Lire aussi :", related="À lire aussi",
               share="Partager", tags="Mots-clés", comments="commentaires", photo="Photo", by="Par",
               video="Vidéo", next="Suivant", prev="Précédent"),
    "de": dict(ad="Anzeige", subscribe="Jetzt weiterlesen mit Abo",
               subscribe2="Alle Artikel für 0,99 Euro im ersten Monat, jederzeit kündbar.",
               already="Schon Abonnent? Anmelden", newsletter="Newsletter abonnieren",
               newsletter2="Die wichtigsten Nachrichten jeden Morgen.", privacy="Datenschutz",
               most="Meistgelesen", watch="Videos", more="Lesen Sie auch:", related="Mehr zum Thema",
               share="Teilen", tags="Themen", comments="Kommentare", photo="Foto", by="Von",
               video="Video", next="Weiter", prev="Zurück"),
    "es": dict(ad="Publicidad", subscribe="Suscríbete para seguir leyendo",
               subscribe2="Acceso ilimitado por 1 euro al mes durante el primer año.",
               already="¿Ya eres suscriptor? Inicia sesión", newsletter="Recibe nuestro boletín",
               newsletter2="Las noticias más importantes cada mañana.", privacy="Política de privacidad",
               most="Lo más leído", watch="Vídeos", more="Leer más:", related="Noticias relacionadas",
               share="Compartir", tags="Temas", comments="comentarios", photo="Foto", by="Por",
               video="Vídeo", next="Siguiente", prev="Anterior"),
    "it": dict(ad="Pubblicità", subscribe="Abbonati per continuare a leggere",
               subscribe2="Tutti gli articoli a 1 euro a settimana, disdici quando vuoi.",
               already="Sei già abbonato? Accedi", newsletter="Iscriviti alla newsletter",
               newsletter2="Le notizie principali ogni mattina.", privacy="Informativa privacy",
               most="I più letti", watch="Video", more="Leggi anche:", related="Articoli correlati",
               share="Condividi", tags="Argomenti", comments="commenti", photo="Foto", by="di",
               video="Video", next="Avanti", prev="Indietro"),
    "nl": dict(ad="Advertentie", subscribe="Word abonnee en lees verder",
               subscribe2="Onbeperkt lezen voor 1 euro per week, maandelijks opzegbaar.",
               already="Al abonnee? Log in", newsletter="Meld je aan voor de nieuwsbrief",
               newsletter2="Elke ochtend het belangrijkste nieuws.", privacy="Privacybeleid",
               most="Meest gelezen", watch="Video's", more="Lees ook:", related="Gerelateerd",
               share="Delen", tags="Onderwerpen", comments="reacties", photo="Foto", by="Door",
               video="Video", next="Volgende", prev="Vorige"),
    "pt": dict(ad="Publicidade", subscribe="Assine para continuar a ler",
               subscribe2="Acesso ilimitado por 1 euro por semana, cancele quando quiser.",
               already="Já é assinante? Entrar", newsletter="Subscreva a nossa newsletter",
               newsletter2="As notícias mais importantes todas as manhãs.", privacy="Política de privacidade",
               most="Mais lidas", watch="Vídeos", more="Leia também:", related="Relacionadas",
               share="Partilhar", tags="Temas", comments="comentários", photo="Foto", by="Por",
               video="Vídeo", next="Seguinte", prev="Anterior"),
}

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
}

# Headlines of other (invented) stories, for teasers, lists and strips.
HEADLINES = {
    "en": ["Council delays vote on new parking charges", "Weather warning issued for the coast",
           "Local theatre announces spring season", "Hospital opens new children's ward",
           "School canteens switch to local suppliers", "Ferry fares to rise from next month",
           "Football club names new head coach", "Museum finds lost medieval map in archive",
           "Bus drivers agree new pay deal", "Record crowds at the summer food festival"],
    "vi": ["Giá vàng trong nước tăng mạnh phiên đầu tuần", "Khởi công dự án đường ven biển",
           "Xuất khẩu nông sản tăng trưởng khá trong quý", "Cảnh báo mưa lớn ở các tỉnh miền Trung",
           "Học sinh hào hứng với ngày hội đọc sách", "Nhiều tuyến xe buýt mới đi vào hoạt động",
           "Chợ đêm phố cổ thu hút du khách", "Kiểm tra an toàn thực phẩm dịp cuối năm",
           "Hợp tác xã chè mở rộng vùng nguyên liệu", "Bệnh viện tỉnh đưa vào sử dụng máy chụp mới"],
    "fr": ["Grève des transports prévue jeudi", "Le marché de Noël ouvre ses portes",
           "Un nouveau lycée pour la rentrée", "Alerte orange aux orages ce week-end",
           "Le club de rugby remporte le derby", "Hausse des prix de l'énergie en janvier"],
    "de": ["Stadtrat beschließt neuen Haushalt", "Unwetterwarnung für das Wochenende",
           "Neues Schwimmbad öffnet im Herbst", "Straßenbahnlinie wird verlängert",
           "Weihnachtsmarkt zieht Bilanz", "Museum zeigt Schätze aus dem Depot"],
    "es": ["El ayuntamiento aprueba los presupuestos", "Aviso amarillo por lluvias intensas",
           "Abre la nueva biblioteca municipal", "El equipo local asciende de categoría",
           "Suben los precios del alquiler en el centro", "Fiestas patronales con récord de público"],
    "it": ["Il comune approva il nuovo bilancio", "Allerta meteo per il fine settimana",
           "Apre il nuovo museo della città", "Sciopero dei trasporti venerdì"],
    "nl": ["Gemeente presenteert nieuwe begroting", "Storm verwacht aan de kust",
           "Nieuw zwembad opent in het najaar", "Bus rijdt vaker naar het station"],
    "pt": ["Câmara aprova orçamento para o próximo ano", "Aviso amarelo para chuva forte",
           "Nova linha de metro abre em setembro", "Festival de música esgota bilhetes"],
}


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def date_words(lang: str, iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    if lang == "vi":
        return f"{d:02d}/{m:02d}/{y}"
    month = MONTHS[lang].split()[m - 1]
    if lang == "en":
        return f"{month} {d}, {y}"
    if lang == "de":
        return f"{d}. {month} {y}"
    return f"{d} {month} {y}"


def byline_lines(lang: str, author: str, iso: str, style: int) -> list[str]:
    """One or two lines of byline / publication / update text, the way sites write them."""
    dw = date_words(lang, iso)
    y, m, d = iso.split("-")
    if lang == "en":
        return [[f"By {author}", f"Updated 10:42 a.m. GMT, {dw}"],
                [f"By {author} | Published {dw}, 8:05 AM"],
                [f"{author}, Staff reporter", f"{dw} · 4 min read"]][style % 3]
    if lang == "vi":
        return [[f"Thứ hai, {dw} 09:15 (GMT+7)", author],
                [f"Cập nhật: 15:30, {dw}"],
                [f"{author} - {dw} 07:45"]][style % 3]
    if lang == "fr":
        return [[f"Par {author}", f"Publié le {dw} à 10h15, mis à jour le {dw} à 18h02"],
                [f"{author} · Publié le {d}/{m}/{y} à 07h30"]][style % 2]
    if lang == "de":
        return [[f"Von {author}", f"Aktualisiert am {d}.{m}.{y}, 18:05 Uhr"],
                [f"{dw}, 14:20 Uhr · {author}"]][style % 2]
    if lang == "es":
        return [[f"Por {author}", f"Actualizado: {d}/{m}/{y} 12:30 h"],
                [f"{author} | {dw} - 09:12 CET"]][style % 2]
    if lang == "it":
        return [[f"di {author}", f"Aggiornato il {dw} alle 09:40"]][0]
    if lang == "nl":
        return [[f"Door {author}", f"Bijgewerkt op {dw}, 14:12"]][0]
    if lang == "pt":
        return [[f"Por {author}", f"Atualizado em {d}/{m}/{y} às 11h20"]][0]
    raise ValueError(lang)


# --------------------------------------------------------------------------- components


def nav(lang: str) -> str:
    items = {"en": "Home News Business Sport Culture Opinion Weather",
             "vi": "Trang chủ|Thời sự|Kinh tế|Công Thương|Văn hóa|Thể thao|Liên hệ",
             "fr": "Accueil Actualités Économie Sport Culture Météo",
             "de": "Startseite Politik Wirtschaft Sport Kultur Wetter",
             "es": "Portada Actualidad Economía Deportes Cultura Tiempo",
             "it": "Home Cronaca Economia Sport Cultura Meteo",
             "nl": "Home Nieuws Economie Sport Cultuur Weer",
             "pt": "Início Atualidade Economia Desporto Cultura Tempo"}[lang]
    words = items.split("|") if "|" in items else items.split()
    return "<ul>" + "".join(f'<li><a href="/{i}">{esc(w)}</a></li>' for i, w in enumerate(words)) + "</ul>"


def teaser_articles(lang: str, rng: random.Random, n: int, cls: str = "teaser") -> str:
    heads = rng.sample(HEADLINES[lang], n)
    out = []
    for i, h in enumerate(heads):
        summary = {"en": "The latest on this developing story.", "vi": "Thông tin chi tiết trong bài viết.",
                   "fr": "Tout ce qu'il faut savoir.", "de": "Alle Einzelheiten im Überblick.",
                   "es": "Todas las claves de la noticia.", "it": "Tutti i dettagli.",
                   "nl": "Alles wat je moet weten.", "pt": "Tudo o que precisa de saber."}[lang]
        out.append(
            f'<article class="{cls}"><a href="/story/{i + 100}"><img src="/img/t{i}.jpg" alt="">'
            f"<h3>{esc(h)}</h3></a><p>{esc(summary)}</p></article>"
        )
    return "".join(out)


def link_list(lang: str, rng: random.Random, n: int, ordered: bool = True) -> str:
    tag = "ol" if ordered else "ul"
    heads = rng.sample(HEADLINES[lang], min(n, len(HEADLINES[lang])))
    return f"<{tag}>" + "".join(
        f'<li><a href="/story/{200 + i}">{esc(h)}</a></li>' for i, h in enumerate(heads)
    ) + f"</{tag}>"


def most_read(lang: str, rng: random.Random, cls: str = "most-read") -> str:
    u = UI[lang]
    return f'<section class="{cls}"><h2>{esc(u["most"])}</h2>{link_list(lang, rng, 5)}</section>'


def video_strip(lang: str, rng: random.Random) -> str:
    u = UI[lang]
    heads = rng.sample(HEADLINES[lang], 3)
    items = "".join(
        f'<div class="vid-item"><a href="/video/{i}"><span class="label">{esc(u["video"])}</span>'
        f"<span class=\"dur\">{rng.randint(1, 4)}:{rng.randint(10, 59)}</span>"
        f"<span class=\"ttl\">{esc(h)}</span></a></div>"
        for i, h in enumerate(heads)
    )
    return f'<div class="video-strip"><h3>{esc(u["watch"])}</h3>{items}</div>'


def gallery(lang: str, rng: random.Random, n: int = 4) -> str:
    u = UI[lang]
    agency = rng.choice(["Agency", "Staff", "Reuters-style Pool", "Local Press"])
    figs = "".join(
        f'<figure class="slide"><img src="/g/{i}.jpg" alt=""><figcaption>{i + 1} / {n} · '
        f"{esc(u['photo'])}: {agency}</figcaption></figure>"
        for i in range(n)
    )
    return (f'<div class="gallery">{figs}<div class="gallery-nav"><a href="#">{esc(u["prev"])}</a>'
            f'<a href="#">{esc(u["next"])}</a></div></div>')


def paywall(lang: str) -> str:
    u = UI[lang]
    return (f'<div class="paywall-prompt"><h4>{esc(u["subscribe"])}</h4><p>{esc(u["subscribe2"])}</p>'
            f'<a class="cta" href="/subscribe">{esc(u["subscribe"])}</a><p><a href="/login">'
            f'{esc(u["already"])}</a></p></div>')


def newsletter(lang: str) -> str:
    u = UI[lang]
    return (f'<div class="newsletter-signup"><strong>{esc(u["newsletter"])}</strong><p>'
            f'{esc(u["newsletter2"])}</p><form><input type="email"><button>OK</button></form>'
            f'<small><a href="/privacy">{esc(u["privacy"])}</a></small></div>')


def ad_slot(lang: str) -> str:
    return f'<div class="ad-wrapper"><span class="ad-label">{esc(UI[lang]["ad"])}</span><div id="div-gpt-ad-3"></div></div>'


def read_more(lang: str, rng: random.Random) -> str:
    u = UI[lang]
    return f'<p class="inline-related"><strong>{esc(u["more"])}</strong> <a href="/story/300">{esc(rng.choice(HEADLINES[lang]))}</a></p>'


def related_box(lang: str, rng: random.Random, teasers: bool) -> str:
    u = UI[lang]
    inner = teaser_articles(lang, rng, 3, "card") if teasers else link_list(lang, rng, 3, ordered=False)
    return f'<div class="more-stories"><h2>{esc(u["related"])}</h2>{inner}</div>'


def share_bar(lang: str) -> str:
    u = UI[lang]
    return (f'<div class="toolbar"><span>{esc(u["share"])}</span><a href="#fb">Facebook</a>'
            f'<a href="#x">X</a><a href="#mail">Email</a><a href="#copy">Link</a></div>')


def tags_line(lang: str, rng: random.Random) -> str:
    u = UI[lang]
    words = rng.sample(["economy", "transport", "city", "weather", "food", "science", "culture"], 3)
    return f'<div class="story-tags">{esc(u["tags"])}: ' + ", ".join(
        f'<a href="/t/{w}">{w}</a>' for w in words) + "</div>"


def author_box(lang: str, author: str) -> str:
    bio = {"en": f"{author} covers local government and transport.",
           "vi": f"{author} là phóng viên mảng kinh tế.",
           "fr": f"{author} est journaliste au service économie.",
           "de": f"{author} ist Redakteurin im Lokalressort.",
           "es": f"{author} es periodista de la sección local.",
           "it": f"{author} scrive di cronaca locale.",
           "nl": f"{author} is verslaggever regio.",
           "pt": f"{author} é jornalista da secção local."}[lang]
    return f'<div class="author-card"><img src="/a.jpg" alt=""><a href="/author">{esc(author)}</a><p>{esc(bio)}</p></div>'


def comment_count(lang: str, rng: random.Random) -> str:
    return f'<div class="comment-count"><a href="#c">{rng.randint(3, 80)} {esc(UI[lang]["comments"])}</a></div>'


def user_comments(lang: str) -> str:
    say = {"en": ["Finally, this should have happened years ago.", "Who is going to pay for all this?"],
           "vi": ["Rất bổ ích, cảm ơn tòa soạn.", "Mong địa phương sớm triển khai."],
           "fr": ["Enfin une bonne nouvelle.", "Et qui va payer ?"],
           "de": ["Endlich!", "Wer bezahlt das eigentlich?"],
           "es": ["Ya era hora.", "¿Y quién lo paga?"],
           "it": ["Finalmente.", "E chi paga?"], "nl": ["Eindelijk.", "Wie betaalt dat?"],
           "pt": ["Finalmente.", "E quem paga?"]}[lang]
    items = "".join(f'<div class="comment"><b>reader{i}</b><p>{esc(s)}</p></div>' for i, s in enumerate(say))
    return f'<section id="comments-section" class="discussion">{items}</section>'


# ------------------------------------------------------------------------------ blocks


def render_blocks(blocks, rng: random.Random, markers: bool, lang: str) -> list[str]:
    """HTML of each block; with ``markers``, React-style ``<!-- -->`` markers inside paragraphs."""
    out = []
    for kind, content in blocks:
        if kind == "p":
            text = esc(content)
            if markers:
                words = text.split(" ")
                for _ in range(3):
                    i = rng.randrange(1, len(words))
                    words[i] = "<!-- -->" + words[i] + "<!-- -->"
                text = " ".join(words)
            out.append(f"<p>{text}</p>")
        elif kind == "h2":
            out.append(f"<h2>{esc(content)}</h2>")
        elif kind in ("ul", "ol"):
            out.append(f"<{kind}>" + "".join(f"<li>{esc(i)}</li>" for i in content) + f"</{kind}>")
        elif kind == "table":
            head, *rows = content
            out.append(
                "<table><thead><tr>" + "".join(f"<th>{esc(c)}</th>" for c in head) + "</tr></thead><tbody>"
                + "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows)
                + "</tbody></table>"
            )
        else:
            raise ValueError(kind)
    return out


def expected_lines(blocks) -> list[str]:
    lines = []
    for kind, content in blocks:
        if kind in ("p", "h2"):
            lines.append(content)
        elif kind in ("ul", "ol"):
            lines.extend(content)
        elif kind == "table":
            lines.extend("\t".join(r) for r in content)
    return lines


def interleave(parts: list[str], inserts: dict[int, list[str]]) -> str:
    """Body parts with furniture inserted after part ``i`` (-1: before the first)."""
    out = list(inserts.get(-1, []))
    for i, p in enumerate(parts):
        out.append(p)
        out.extend(inserts.get(i, []))
    return "\n".join(out)


# ---------------------------------------------------------------------------- skeletons


def head(b: dict, site: str, url: str, jsonld: bool) -> str:
    title = esc(b["title"])
    ld = ""
    if jsonld:
        ld = ('<script type="application/ld+json">'
              + json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                            "headline": b["title"], "datePublished": b["date"] + "T08:00:00+00:00"},
                           ensure_ascii=False) + "</script>")
    return (f'<!DOCTYPE html>\n<html lang="{b["lang"]}"><head><meta charset="utf-8">'
            f"<title>{title} | {esc(site)}</title>"
            f'<meta property="og:title" content="{html.escape(b["title"])}">'
            f'<meta property="og:type" content="article"><link rel="canonical" href="{url}">'
            f'<link rel="stylesheet" href="/s.css"><script>window.dataLayer=[];</script>{ld}</head>')


def site_header(b: dict, site: str) -> str:
    return (f'<header class="site-header"><div class="logo"><a href="/">{esc(site)}</a></div>'
            f'<nav class="main-nav">{nav(b["lang"])}</nav></header>')


def site_footer(b: dict, site: str) -> str:
    return (f'<footer class="site-footer"><p>© 2024 {esc(site)}</p>'
            f'<ul><li><a href="/about">About</a></li><li><a href="/contact">Contact</a></li></ul></footer>')


def build_page(spec: dict) -> tuple[str, list[str]]:
    b = BODIES[spec["body"]]
    lang = b["lang"]
    rng = random.Random(spec["name"])
    site = spec.get("site", "The Daily Example")
    url = spec["url"]
    f = set(spec["furniture"])
    parts = render_blocks(b["blocks"], rng, "markers" in f, lang)
    n = len(parts)
    ins: dict[int, list[str]] = {}

    def put(i: int, html_: str) -> None:
        ins.setdefault(max(-1, min(i, n - 1)), []).append(html_)

    if "ad-comments" in f:  # comment markers and a processing instruction between paragraphs
        put(0, "<!-- ad slot: mid-article-1 --><?ad-slot id=3?>")
        put(2, "<!--googleoff: index-->")
        put(3, "<!--googleon: index-->")
    if "gallery" in f:
        put(1, gallery(lang, rng))
    if "video" in f:
        put(2, video_strip(lang, rng))
    if "readmore" in f:
        put(1, read_more(lang, rng))
    if "ad" in f:
        put(2, ad_slot(lang))
    if "paywall" in f:
        put(3, paywall(lang))
    if "newsletter" in f:
        put(n - 2, newsletter(lang))
    if "most-read-in" in f:
        put(n - 1, most_read(lang, rng, "popular-list"))
    if "related-in" in f:
        put(n - 1, related_box(lang, rng, teasers="related-teasers" in f))
    body_html = interleave(parts, ins)

    byl = byline_lines(lang, b["author"], b["date"], spec.get("byline_style", 0))
    byline_html = ""
    if "byline" in f:
        byline_html = '<div class="byline-block">' + "".join(
            f'<div class="byline-row">{esc(x)}</div>' for x in byl) + "</div>"
    if "byline-p" in f:  # bylines written as paragraphs at the top of the text
        byline_html = "".join(f"<p><em>{esc(x)}</em></p>" for x in byl)
    after = ""
    if "share" in f:
        after += share_bar(lang)
    if "tags" in f:
        after += tags_line(lang, rng)
    if "author" in f:
        after += author_box(lang, b["author"])
    if "count" in f:
        after += comment_count(lang, rng)
    h1 = f'<h1 class="headline">{esc(b["title"])}</h1>'
    skeleton = spec["skeleton"]
    if skeleton == "teasers-first":
        # Teaser boxes (each an <article>) before the story, which is an <article> too.
        main = (f'<main><section class="top-stories">{teaser_articles(lang, rng, 3)}</section>'
                f'<article class="story">{h1}{byline_html}<div class="story-body">{body_html}</div>'
                f"{after}</article>"
                f'<section class="more">{teaser_articles(lang, rng, 2)}</section></main>')
        side = f'<div class="rail">{most_read(lang, rng)}</div>' if "most-read" in f else ""
    elif skeleton == "title-outside":
        # The headline sits above the story's <article>; a "breaking" teaser <article> comes first.
        main = (f'<div class="breaking">{teaser_articles(lang, rng, 1, "breaking-card")}</div>'
                f'<div class="page-top">{h1}{byline_html}</div>'
                f'<article class="body-wrap">{body_html}{after}</article>'
                f'<div class="more">{teaser_articles(lang, rng, 4, "grid-card")}</div>')
        side = most_read(lang, rng) if "most-read" in f else ""
    elif skeleton == "article-wraps":
        # One <article> holds everything, related cards (more <article>s) at the end.
        main = (f'<article class="post">{h1}{byline_html}<div class="post-body">{body_html}</div>'
                f'{after}<div class="more-stories">{teaser_articles(lang, rng, 3, "card")}</div></article>')
        side = most_read(lang, rng) if "most-read" in f else ""
    elif skeleton == "entry-content":
        # WordPress-like: the body has its own class; widgets inside it.
        main = (f'<div id="primary"><div class="post-header">{h1}{byline_html}</div>'
                f'<div class="entry-content">{body_html}{after}</div></div>')
        side = f'<div id="secondary">{most_read(lang, rng, "widget")}</div>' if "most-read" in f else ""
    elif skeleton == "div-soup":
        # No <article>, no known body class: div soup only.
        main = (f'<div id="wrap"><div class="col-8"><div class="ttl">{h1}</div>{byline_html}'
                f'<div class="txt">{body_html}</div>{after}</div>'
                f'<div class="col-4">{most_read(lang, rng, "box")}</div></div>')
        side = ""
    elif skeleton == "vn-portal":
        main = (f'<div class="container"><div class="breadcrumb"><a href="/">Trang chủ</a> » '
                f'<a href="/tin-tuc">Tin tức</a></div><div class="news-detail">{h1}{byline_html}'
                f'<div class="sapo"></div><div class="noi-dung">{body_html}</div>{after}</div>'
                f'<div class="col-right">{most_read(lang, rng, "tin-doc-nhieu")}</div></div>')
        side = ""
    else:
        raise ValueError(skeleton)
    comments = user_comments(lang) if "user-comments" in f else ""
    page = (head(b, site, url, spec.get("jsonld", False)) + "<body>" + site_header(b, site)
            + main + side + comments + site_footer(b, site) + "</body></html>\n")
    return page, expected_lines(b["blocks"])


# --------------------------------------------------------------------------- the pages

SPECS = [
    # teaser <article> boxes beside the real one
    ("teasers-harbour", "harbour", "teasers-first", ["byline", "share", "most-read", "markers"]),
    ("teasers-rover", "rover", "teasers-first", ["byline", "video", "tags", "ad"]),
    ("teasers-fr-velo", "fr-velo", "teasers-first", ["byline", "newsletter", "share", "most-read"]),
    ("teasers-vn-hoichor", "vn-hoichor", "teasers-first", ["byline", "gallery", "related-in"]),
    ("teasers-de-obst", "de-obst", "teasers-first", ["byline", "paywall", "markers"]),
    ("title-outside-chess", "chess", "title-outside", ["byline", "readmore", "share", "most-read"]),
    ("title-outside-es-agua", "es-agua", "title-outside", ["byline", "video", "ad-comments"]),
    ("title-outside-vn-giadien", "vn-giadien", "title-outside", ["byline", "ad", "markers"]),
    ("title-outside-pt-feira", "pt-feira", "title-outside", ["byline", "gallery", "tags", "count"]),
    # one <article> holding furniture inside
    ("wraps-bakery", "bakery", "article-wraps", ["byline", "gallery", "paywall", "author", "user-comments"]),
    ("wraps-rail", "rail", "article-wraps", ["byline", "video", "most-read-in", "share"]),
    ("wraps-recipe", "recipe", "article-wraps", ["byline-p", "newsletter", "related-in", "related-teasers"]),
    ("wraps-vn-ocop", "vn-ocop", "article-wraps", ["byline", "video", "most-read-in", "markers"]),
    ("wraps-it-treno", "it-treno", "article-wraps", ["byline", "paywall", "share", "count"]),
    ("wraps-nl-dijk", "nl-dijk", "article-wraps", ["byline", "gallery", "newsletter"]),
    ("wraps-de-bruecke", "de-brücke", "article-wraps", ["byline", "ad-comments", "readmore", "tags"]),
    ("wraps-fr-fromage", "fr-fromage", "article-wraps", ["byline-p", "video", "paywall", "markers"]),
    # a body class (WordPress-like) with widgets inside
    ("entry-library", "library", "entry-content", ["byline", "newsletter", "share", "tags", "most-read"]),
    ("entry-vn-thuongmai", "vn-thuongmaidientu", "entry-content", ["byline", "readmore", "related-in"]),
    ("entry-harbour", "harbour", "entry-content", ["byline-p", "ad", "paywall", "ad-comments"]),
    ("entry-es-agua", "es-agua", "entry-content", ["byline", "gallery", "most-read-in"]),
    ("entry-vn-xangdau", "vn-xangdau", "entry-content", ["byline", "video", "markers", "author"]),
    # div soup: no <article>, no known class (page-level reading)
    ("soup-rover", "rover", "div-soup", ["byline", "share", "markers"]),
    ("soup-vn-mualu", "vn-mua-lu", "div-soup", ["byline", "ad", "tags"]),
    ("soup-de-bruecke", "de-brücke", "div-soup", ["byline", "newsletter", "user-comments"]),
    # a Vietnamese portal layout
    ("vnportal-ocop", "vn-ocop", "vn-portal", ["byline", "related-in", "share", "ad-comments"]),
    ("vnportal-giadien", "vn-giadien", "vn-portal", ["byline", "video", "markers"]),
    ("vnportal-mualu", "vn-mua-lu", "vn-portal", ["byline-p", "most-read-in", "gallery"]),
    # a mix of everything
    ("mix-bakery", "bakery", "teasers-first", ["byline", "markers", "ad-comments", "video", "gallery",
                                               "paywall", "newsletter", "most-read-in", "share", "tags"]),
    ("mix-chess", "chess", "article-wraps", ["byline-p", "markers", "readmore", "ad", "related-in",
                                             "count", "user-comments"]),
    ("mix-vn-hoichor", "vn-hoichor", "entry-content", ["byline", "markers", "gallery", "video",
                                                        "most-read-in", "newsletter"]),
    ("mix-recipe", "recipe", "title-outside", ["byline", "markers", "ad-comments", "paywall", "share"]),
    ("mix-rail", "rail", "teasers-first", ["byline-p", "markers", "video", "most-read"]),
]


def main() -> int:
    PAGES.mkdir(exist_ok=True)
    manifest = []
    for i, (name, body_key, skeleton, furniture) in enumerate(SPECS):
        b = BODIES[body_key]
        host = "tin.example.vn" if b["lang"] == "vi" else "news.example.org"
        url = f"https://{host}/{b['date'][:4]}/{b['date'][5:7]}/{name}.html"
        spec = {"name": name, "body": body_key, "skeleton": skeleton, "furniture": furniture,
                "url": url, "byline_style": i, "jsonld": i % 3 == 0}
        page, lines = build_page(spec)
        (PAGES / f"{name}.html").write_text(page, encoding="utf-8")
        (PAGES / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        manifest.append({"name": name, "url": url, "lang": b["lang"], "skeleton": skeleton,
                         "furniture": furniture})
    (HERE / "pages.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                     encoding="utf-8")
    print(f"{len(manifest)} pages in {PAGES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
