"""A minimal Liferay site serving the seed page on 127.0.0.1 (free port): a listing
linking two URL variants of the seed article, the article (today's or the next day's
fetch) and robots.txt. Used by the crawl and daemon tests that run on the real page."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import urlsplit

from tests.conftest import SEED_DIR

EXPECTED = json.loads((SEED_DIR / "article.expected.json").read_text(encoding="utf-8"))
ARTICLE_PATH = urlsplit(EXPECTED["url"]).path


class SeedSite(BaseHTTPRequestHandler):
    log: ClassVar[list[tuple[str, str]]] = []
    day = "article.html"

    def do_GET(self):
        self.log.append(("GET", self.path))
        if self.path == "/robots.txt":
            body, ctype = b"User-agent: *\nDisallow: /tim-kiem\n", "text/plain"
        elif self.path.startswith("/web/guest/tin-tuc?") or self.path == "/web/guest/tin-tuc":
            body = (
                '<html><head><meta name="generator" content="Liferay Portal"></head><body>'
                '<a href="#main-content" id="skip-to-content">Truy cập nội dung luôn</a>'
                f'<div class="asset-publisher"><div class="asset-abstract"><a href="{ARTICLE_PATH}'
                '?redirect=%2Fweb%2Fguest%2Ftin-tuc&amp;p_p_id=101_INSTANCE_x">Hội nghị</a></div>'
                f'<div class="asset-abstract"><a href="{ARTICLE_PATH};jsessionid=ABC?viewMode=print">'
                'In</a></div></div><a href="/tim-kiem?q=x">Tìm kiếm</a></body></html>'
            ).encode()
            ctype = "text/html; charset=utf-8"
        elif self.path.split("?")[0].split(";")[0] == ARTICLE_PATH:
            body, ctype = (SEED_DIR / self.day).read_bytes(), "text/html; charset=utf-8"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def serving() -> Iterator[str]:
    """Serve the seed site (request log and day reset); yields its base URL."""
    SeedSite.log = []
    SeedSite.day = "article.html"
    server = ThreadingHTTPServer(("127.0.0.1", 0), SeedSite)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def registry_toml(base: str, *, enabled: bool = True) -> str:
    return (
        f'[[site]]\nkey = "seed"\nname = "Seed"\nkind = "sct-legacy"\nprovince = "Hồ Chí Minh"\n'
        f'former_province = "Bình Dương"\nbase_url = "{base}"\nstart_urls = ["{base}/web/guest/tin-tuc"]\n'
        f'profile = "liferay"\n' + ("" if enabled else "enabled = false\n")
    )
