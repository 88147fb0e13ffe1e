"""A real HTTP server over one :class:`~.base.SampleSite`, for crawls end to end.

``SampleServer(site)`` binds 127.0.0.1 on a free port, sets ``site.base_url`` and
serves the site from a daemon thread (a ``ThreadingHTTPServer``, HTTP/1.1 with
keep-alive). On top of :meth:`SampleSite.route` it adds what a real web server does:

* ``/robots.txt`` from ``site.robots_disallow`` (plus a ``Sitemap:`` line when
  ``site.has_sitemap``);
* validators on every routed response: ``ETag`` (the Response's own, else a weak tag
  of the URL and the Response's ``last_modified`` — the content's modification time,
  as CMSs compute it — else a hash of the body; or, when ``site.stable_etag`` is set, one constant ETag per URL: a lying
  server) and ``Last-Modified`` (the Response's ``last_modified``, naive = Vietnam
  time, else ``site.started``);
* ``304 Not Modified`` for a GET whose 200 response matches ``If-None-Match`` (weak
  comparison, lists, ``*``) or — only without ``If-None-Match`` —
  ``If-Modified-Since`` ≥ ``Last-Modified``;
* a thread-safe request log (:attr:`SampleServer.log`, :meth:`paths`);
* faults for retry/timeout tests: :meth:`fail_next` and :meth:`hang` (a hung handler
  waits on an event that :meth:`stop` sets, so stopping is immediate).

A site exception is answered with 500 and its traceback printed to stderr (and kept
in :attr:`SampleServer.errors`).

    with SampleServer(site) as srv:
        urllib.request.urlopen(srv.base_url + "/robots.txt")
        assert srv.paths(status=200) == ["/robots.txt"]

No pytest imports here: the demo command and the benchmarks use this package too.
"""

from __future__ import annotations

import hashlib
import socket
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.sample_sites.base import Request, Response, SampleSite

__all__ = ["LoggedRequest", "SampleServer", "http_date", "parse_etags"]

VIETNAM = timezone(timedelta(hours=7), "ICT")


@dataclass
class LoggedRequest:
    method: str
    path: str  # with the query string, as requested: "/tin-tuc?page=2"
    headers: dict[str, str]  # request headers, keys lower-case
    status: int  # the status actually sent (304, a fault's status, 500…)
    body: bytes = b""  # request body
    time: float = field(default_factory=time.time)  # epoch seconds when the request arrived


def _utc(dt: datetime) -> datetime:
    """Naive datetimes are Vietnam local time."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=VIETNAM)
    return dt.astimezone(UTC).replace(microsecond=0)


def http_date(dt: datetime) -> str:
    """An HTTP date (GMT) for ``dt`` (naive = Vietnam time)."""
    return format_datetime(_utc(dt), usegmt=True)


def parse_etags(value: str) -> list[str]:
    """The entity tags of an If-None-Match value, weak prefixes stripped ("*" kept)."""
    tags = []
    for part in value.split(","):
        part = part.strip()
        if part.startswith(("W/", "w/")):
            part = part[2:]
        if part:
            tags.append(part)
    return tags


def _strong(tag: str) -> str:
    return tag[2:] if tag.startswith(("W/", "w/")) else tag


class _Fault:
    __slots__ = ("event", "prefix", "remaining", "seconds", "status")

    def __init__(self, prefix: str, remaining: int | None, status: int = 0, seconds: float = 0) -> None:
        self.prefix = prefix
        self.remaining = remaining  # None: every matching request
        self.status = status
        self.seconds = seconds
        self.event = threading.Event()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):  # a client that went away (timeouts, resets): not news
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Apache"
    disable_nagle_algorithm = True
    timeout = 60  # idle keep-alive connections end eventually
    sample: SampleServer  # set on the per-server subclass

    def version_string(self) -> str:
        return self.server_version

    # quiet: no per-request lines on stderr
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        self.sample._track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.sample._track(self.connection, False)

    def do_GET(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        srv = self.sample
        arrived = time.time()
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            length = int(headers.get("content-length") or 0)
        except ValueError:
            length = 0
        body = self.rfile.read(length) if length > 0 else b""
        target = self.path
        if "://" in target:  # absolute-form request target (a proxy-style client)
            s = urlsplit(target)
            target = s.path + ("?" + s.query if s.query else "")
        entry = LoggedRequest(self.command, target, headers, 0, body, arrived)

        hang = srv._match_hang(target)
        if hang is not None:
            with srv._hang_cond:
                srv.hanging += 1
                srv._hang_cond.notify_all()
            try:
                hang.event.wait(hang.seconds)
            finally:
                with srv._hang_cond:
                    srv.hanging -= 1
            if srv.stopped:  # drop the connection without an answer
                entry.status = 0
                srv._record(entry)
                self.close_connection = True
                return

        failed = srv._match_failure(target)
        if failed is not None:
            resp = Response(failed, f"<html><body><h1>{failed}</h1></body></html>")
            self._send(entry, resp.status, resp.body_bytes(), {"Content-Type": resp.content_type})
            return

        split = urlsplit(target)
        path = split.path or "/"
        if path == "/robots.txt":
            resp = srv.robots_response()
        else:
            req = Request(
                method=self.command, path=path,
                query=parse_qs(split.query, keep_blank_values=True), headers=headers, body=body,
            )
            try:
                resp = srv.site.route(req)
                if resp is None:
                    raise TypeError(f"{type(srv.site).__name__}.route returned None for {target}")
                payload = resp.body_bytes()
            except Exception:
                text = traceback.format_exc()
                srv.errors.append(text)
                print(f"SampleServer: {self.command} {target} failed:\n{text}", file=sys.stderr, flush=True)
                self._send(entry, 500, b"<html><body><h1>500</h1></body></html>",
                           {"Content-Type": "text/html; charset=utf-8"})
                return
        status, payload, out = srv.finish_response(self.command, target, headers, resp)
        self._send(entry, status, payload, out)

    def _send(self, entry: LoggedRequest, status: int, payload: bytes, headers: dict[str, str]) -> None:
        entry.status = status
        srv = self.sample
        srv._record(entry)
        try:
            self.send_response(status)
        except Exception:  # unknown status codes have no reason phrase: fine
            self.send_response_only(status, "Status")
            self.send_header("Date", self.date_time_string())
        for key, value in headers.items():
            self.send_header(key, value)
        if status != 304 and not (100 <= status < 200) and status != 204:
            self.send_header("Content-Length", str(len(payload)))
        if srv.stopped:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and status not in (204, 304) and payload:
            self.wfile.write(payload)


class SampleServer:
    """Serve one :class:`SampleSite` on http://127.0.0.1:<free port> (see the module docstring)."""

    def __init__(self, site: SampleSite, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.site = site
        self.host = host
        self.port = port
        self.base_url = ""
        self.log: list[LoggedRequest] = []
        self.errors: list[str] = []
        self.stopped = False
        self.hanging = 0  # handlers currently held by hang()
        self._hang_cond = threading.Condition()
        self._lock = threading.Lock()
        self._failures: list[_Fault] = []
        self._hangs: list[_Fault] = []
        self._conns: set[socket.socket] = set()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> SampleServer:
        if self._httpd is not None:
            return self
        if self.stopped:
            raise RuntimeError("a stopped SampleServer cannot be restarted; make a new one")
        handler = type("SampleHandler", (_Handler,), {"sample": self})
        httpd = _HTTPServer((self.host, self.port), handler)
        self.port = httpd.server_address[1]
        self.base_url = f"http://{self.host}:{self.port}"
        self.site.base_url = self.base_url  # before the first request
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
            name=f"SampleServer:{self.port}", daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop promptly: wake hung handlers, stop accepting, close open connections. Idempotent."""
        with self._lock:
            if self.stopped:
                return
            self.stopped = True
            faults = self._hangs + self._failures
            conns = list(self._conns)
        for fault in faults:
            fault.event.set()
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
        for conn in conns:  # idle keep-alive connections would otherwise keep being served
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> SampleServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    # -- the request log -------------------------------------------------------------------

    def _record(self, entry: LoggedRequest) -> None:
        with self._lock:
            self.log.append(entry)

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()

    def requests(self, status: int | None = None, method: str | None = None) -> list[LoggedRequest]:
        with self._lock:
            entries = list(self.log)
        return [
            e for e in entries
            if (status is None or e.status == status) and (method is None or e.method == method.upper())
        ]

    def paths(self, status: int | None = None, method: str | None = None) -> list[str]:
        """Logged request paths (with query), in arrival order, optionally filtered."""
        return [e.path for e in self.requests(status, method)]

    # -- faults ----------------------------------------------------------------------------

    def fail_next(self, path_prefix: str, status: int = 503, times: int = 1) -> None:
        """Answer the next ``times`` requests whose path (with query) starts with ``path_prefix``
        with ``status`` instead of routing them."""
        with self._lock:
            self._failures.append(_Fault(path_prefix, times, status=status))

    def hang(self, path_prefix: str, seconds: float, times: int | None = None) -> None:
        """Hold requests whose path starts with ``path_prefix`` for ``seconds`` before answering
        (``times`` None: every matching request until :meth:`clear_faults`). :meth:`stop` wakes
        them at once and drops their connections unanswered."""
        with self._lock:
            self._hangs.append(_Fault(path_prefix, times, seconds=seconds))

    def wait_hanging(self, n: int = 1, timeout: float = 5.0) -> bool:
        """Block until at least ``n`` requests are being held by :meth:`hang` (False on timeout)."""
        with self._hang_cond:
            return self._hang_cond.wait_for(lambda: self.hanging >= n, timeout)

    def clear_faults(self) -> None:
        """Forget pending faults; hung requests are released and answered normally."""
        with self._lock:
            faults = self._hangs + self._failures
            self._hangs, self._failures = [], []
        for fault in faults:
            fault.event.set()

    def _match(self, faults: list[_Fault], target: str) -> _Fault | None:
        with self._lock:
            for fault in faults:
                if target.startswith(fault.prefix) and (fault.remaining is None or fault.remaining > 0):
                    if fault.remaining is not None:
                        fault.remaining -= 1
                        if fault.remaining == 0:
                            faults.remove(fault)
                    return fault
        return None

    def _match_failure(self, target: str) -> int | None:
        fault = self._match(self._failures, target)
        return fault.status if fault else None

    def _match_hang(self, target: str) -> _Fault | None:
        if self.stopped:
            return None
        return self._match(self._hangs, target)

    def _track(self, conn: socket.socket, add: bool) -> None:
        with self._lock:
            if add:
                self._conns.add(conn)
            else:
                self._conns.discard(conn)

    # -- responses -------------------------------------------------------------------------

    def robots_txt(self) -> str:
        lines = ["User-agent: *"]
        lines += [f"Disallow: {p}" for p in self.site.robots_disallow]
        if getattr(self.site, "has_sitemap", False):
            lines += ["", f"Sitemap: {self.base_url}/sitemap.xml"]
        return "\n".join(lines) + "\n"

    def robots_response(self) -> Response:
        return Response(200, self.robots_txt(), content_type="text/plain; charset=utf-8",
                        last_modified=self.site.started)

    def finish_response(
        self, method: str, target: str, headers: dict[str, str], resp: Response
    ) -> tuple[int, bytes, dict[str, str]]:
        """(status, body, headers) to send for ``resp``: validators added, 304 when it applies."""
        payload = resp.body_bytes()
        if self.site.stable_etag:
            etag = '"' + hashlib.sha1(target.encode("utf-8")).hexdigest()[:16] + '"'
        elif resp.etag:
            etag = resp.etag if resp.etag.startswith(('"', "W/")) else f'"{resp.etag}"'
        elif resp.last_modified is not None:
            # as CMSs do: a weak tag from the page's content modification time, so hit
            # counters and date widgets in the HTML do not make every fetch "changed"
            stamp = f"{target}|{resp.last_modified.isoformat()}"
            etag = 'W/"' + hashlib.sha1(stamp.encode("utf-8")).hexdigest()[:16] + '"'
        else:
            etag = '"' + hashlib.sha1(payload).hexdigest()[:16] + '"'
        modified = _utc(resp.last_modified or self.site.started)
        out: dict[str, str] = {
            "Content-Type": resp.content_type,
            "ETag": etag,
            "Last-Modified": format_datetime(modified, usegmt=True),
        }
        lower = {k.lower(): k for k in out}
        for key, value in resp.headers.items():  # the site's own headers win
            out.pop(lower.get(key.lower(), key), None)
            out[key] = value
        if method == "GET" and resp.status == HTTPStatus.OK and self._not_modified(headers, etag, modified):
            out.pop("Content-Type", None)
            return 304, b"", out
        return resp.status, payload, out

    @staticmethod
    def _not_modified(headers: dict[str, str], etag: str, modified: datetime) -> bool:
        inm = headers.get("if-none-match")
        if inm is not None:
            tags = parse_etags(inm)
            return "*" in tags or _strong(etag) in tags
        ims = headers.get("if-modified-since")
        if ims:
            try:
                since = parsedate_to_datetime(ims)
            except (TypeError, ValueError, IndexError):
                return False
            if since is None:
                return False
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            return since >= modified
        return False
