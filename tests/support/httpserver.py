"""A scripted HTTP origin on 127.0.0.1 for tests: routes with status, headers, bodies, delays,
drip-feeds, redirects, bombs and endless streams, plus a log of every request it saw.

    with ScriptedServer() as srv:
        srv.route("/a", body="<html>...</html>", headers={"ETag": '"v1"'})
        srv.redirect("/old", "/a", status=301)
        srv.route("/slow", body=b"x" * 100, drip=(1, 0.2))      # 1 byte every 0.2 s
        srv.route("/huge", body=zeros(50_000_000))                # streamed, no Content-Length
        srv.route("/bomb", body=gzip_bomb(100_000_000), headers={"Content-Encoding": "gzip"})
        srv.route("/dyn", handler=lambda req: Reply(status=200 if req.query else 404))
        httpx.get(srv.url("/a"))
        assert srv.requests[0].path == "/a"

Also: srv.redirect_chain(prefix, hops, final), srv.requests_to(path), srv.clear_log(),
srv.accepts (TCP connections accepted: a canary expects 0), ScriptedServer(host="127.0.0.2")
for a second loopback "host", host="::1" for IPv6, tls=context for HTTPS (srv.sni_names).

Unknown paths answer 404. Handlers run in daemon threads, so a route that hangs (delay=60)
never blocks the test run; stopping the server wakes them.
"""

from __future__ import annotations

import functools
import gzip
import socket
import ssl
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

Body = bytes | str | Callable[[], Iterable[bytes]]


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it."""

    method: str
    path: str  # without the query
    query: str
    client: tuple[str, int]
    time: float  # time.monotonic() when the request line was read
    headers: Mapping[str, str]  # keys lower-cased

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass(frozen=True)
class Reply:
    """What a route answers.

    body: bytes, str (UTF-8 encoded), or a callable returning an iterable of chunks, which
    is streamed without Content-Length (the connection closes to end it).
    headers: sent as given; a Content-Length here replaces the computed one (lie freely).
    delay: seconds before the status line. drip: (bytes, seconds) sends the body that many
    bytes at a time with that pause between pieces, after the headers.
    content_type: default Content-Type unless headers set one; None sends none.
    """

    status: int = 200
    body: Body = b""
    headers: Mapping[str, str] | list[tuple[str, str]] = field(default_factory=dict)
    content_type: str | None = "text/html; charset=utf-8"
    delay: float = 0.0
    drip: tuple[int, float] | None = None


Handler = Callable[[RecordedRequest], Reply]


class ScriptedServer:
    """Threaded HTTP/1.1 server on a free port of host; use as a context manager."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, tls: ssl.SSLContext | None = None
    ) -> None:
        """host: an IPv4 or IPv6 address to listen on (127.0.0.2 makes a second "host").
        tls: a server SSLContext (see tests/support/tls.py) to serve HTTPS; the SNI names
        clients send are kept in `sni_names`."""
        self._routes: dict[str, Handler] = {}
        self._log: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        server_class = _QuietServer6 if ":" in host else _QuietServer
        self._httpd = server_class((host, port), _make_handler(self))
        self._scheme = "https" if tls else "http"
        self.sni_names: list[str | None] = []
        if tls is not None:
            tls.sni_callback = lambda _sock, name, _ctx: self.sni_names.append(name)
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        self._thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------------------

    def start(self) -> ScriptedServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- addresses ---------------------------------------------------------------------

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self._scheme}://{host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    # --- scripting ---------------------------------------------------------------------

    def route(
        self,
        path: str,
        reply: Reply | None = None,
        *,
        handler: Handler | None = None,
        **fields: object,
    ) -> None:
        """Answer `path` (query ignored) with a Reply, Reply(**fields), or handler(request)."""
        if handler is None:
            fixed = reply if reply is not None else Reply(**fields)  # type: ignore[arg-type]
            handler = lambda _request: fixed  # noqa: E731
        self._routes[path] = handler

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        """`location` may be absolute or a path on this server."""
        self.route(path, status=status, headers={"Location": location}, content_type=None)

    def redirect_chain(self, prefix: str, hops: int, final: str) -> str:
        """prefix/0 -> prefix/1 -> ... -> prefix/{hops-1} -> final; returns the first path."""
        for i in range(hops):
            self.redirect(f"{prefix}/{i}", f"{prefix}/{i + 1}" if i + 1 < hops else final)
        return f"{prefix}/0"

    # --- the request log ---------------------------------------------------------------

    @property
    def accepts(self) -> int:
        """TCP connections accepted so far (a canary should see 0)."""
        return self._httpd.accepts

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._log)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    # --- used by the handler -----------------------------------------------------------

    def _record(self, request: RecordedRequest) -> Handler | None:
        with self._lock:
            self._log.append(request)
        return self._routes.get(request.path)

    def _sleep(self, seconds: float) -> bool:
        """Sleep unless the server is stopping; False if it is."""
        return not self._stopping.wait(seconds)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    accepts = 0

    def verify_request(self, request: object, client_address: object) -> bool:
        self.accepts += 1  # every TCP connection, even one that never sends a request
        return True

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients hanging up mid-response is what half of these tests do on purpose.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class _QuietServer6(_QuietServer):
    address_family = socket.AF_INET6


def _make_handler(server: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else headers then body stall on delayed ACKs (40 ms)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            request = RecordedRequest(
                method=self.command,
                path=parts.path,
                query=parts.query,
                client=(self.client_address[0], self.client_address[1]),
                time=time.monotonic(),
                headers={k.lower(): v for k, v in self.headers.items()},
            )
            handler = server._record(request)
            reply = handler(request) if handler else Reply(status=404, body="not found")
            try:
                self._send(reply)
            except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
                self.close_connection = True

        do_GET = do_HEAD = do_POST = _serve  # noqa: N815

        def _send(self, reply: Reply) -> None:
            if reply.delay and not server._sleep(reply.delay):
                self.close_connection = True
                return
            headers = (
                list(reply.headers.items())
                if isinstance(reply.headers, Mapping)
                else list(reply.headers)
            )
            names = {k.lower() for k, _ in headers}
            body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
            streamed = callable(body)
            self.send_response(reply.status)
            if reply.content_type is not None and "content-type" not in names:
                self.send_header("Content-Type", reply.content_type)
            for name, value in headers:
                self.send_header(name, value)
            if streamed:
                self.send_header("Connection", "close")
                self.close_connection = True
            elif "content-length" not in names:
                self.send_header("Content-Length", str(len(body)))  # type: ignore[arg-type]
            self.end_headers()
            if self.command == "HEAD":
                return
            chunks: Iterable[bytes] = body() if streamed else [body]  # type: ignore[operator,list-item]
            for chunk in chunks:
                if reply.drip is None:
                    self.wfile.write(chunk)
                    continue
                size, pause = reply.drip
                for i in range(0, len(chunk), size):
                    self.wfile.write(chunk[i : i + size])
                    self.wfile.flush()
                    if not server._sleep(pause):
                        self.close_connection = True
                        return
            self.wfile.flush()

    return _Handler


# --- bodies --------------------------------------------------------------------------


def zeros(total: int, chunk: int = 64 * 1024) -> Callable[[], Iterable[bytes]]:
    """A streamed body of `total` zero bytes (no Content-Length)."""

    def generate() -> Iterable[bytes]:
        block = b"\0" * chunk
        left = total
        while left > 0:
            yield block[: min(chunk, left)]
            left -= chunk

    return generate


@functools.lru_cache(maxsize=16)
def gzip_bomb(decoded_size: int, coding: str = "gzip") -> bytes:
    """Zeros that decode to decoded_size bytes: gzip, deflate (zlib-wrapped) or raw-deflate."""
    wbits = {"gzip": 31, "deflate": 15, "raw-deflate": -15}[coding]
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = b"\0" * (1 << 20)
    out = []
    left = decoded_size
    while left > 0:
        out.append(compressor.compress(block[: min(len(block), left)]))
        left -= len(block)
    out.append(compressor.flush())
    return b"".join(out)


def gzipped(data: bytes | str) -> bytes:
    return gzip.compress(data.encode("utf-8") if isinstance(data, str) else data)
