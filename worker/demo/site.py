"""Serve the bundled demo news site (static files under site/) on 127.0.0.1."""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SITE = Path(__file__).resolve().parent / "site"


class _Handler(SimpleHTTPRequestHandler):
    """Static files, with article URLs served without their `.html` suffix."""

    def translate_path(self, path: str) -> str:
        local = Path(super().translate_path(path))
        if not local.exists() and local.with_suffix(".html").is_file():
            return str(local.with_suffix(".html"))
        return str(local)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # the demo's own output stays readable


class DemoSite:
    """The demo site in a background thread: `with DemoSite(port) as site: site.url(...)`."""

    def __init__(self, port: int = 8765, host: str = "127.0.0.1") -> None:
        handler = partial(_Handler, directory=str(SITE))
        self.server = ThreadingHTTPServer((host, port), handler)
        self.host, self.port = (
            str(self.server.server_address[0]),
            int(self.server.server_address[1]),
        )
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def article_urls(self) -> list[str]:
        """Every article page of the site."""
        pages = sorted(p for p in SITE.rglob("*.html") if p.name != "index.html")
        return [self.url("/" + str(p.relative_to(SITE).with_suffix(""))) for p in pages]

    def __enter__(self) -> DemoSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
