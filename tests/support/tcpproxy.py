"""A TCP proxy that can blackhole its traffic: bytes stop flowing both ways and no connection
is closed or reset, as when a network path or a firewall drops packets silently."""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
from types import TracebackType


class BlackholeProxy:
    """Listens on 127.0.0.1 (an ephemeral port) and forwards each connection to `target`."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._flowing = threading.Event()
        self._flowing.set()
        self._stop = threading.Event()
        self._sockets: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> BlackholeProxy:
        self._thread.start()
        return self

    def __exit__(
        self, exc: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._flowing.set()
        self._thread.join(timeout=5)
        for sock in [*self._sockets, self._listener]:
            sock.close()

    def blackhole(self) -> None:
        """From now on, hold every byte in both directions (new connections hang too)."""
        self._flowing.clear()

    def restore(self) -> None:
        self._flowing.set()

    def _serve(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self._listener, selectors.EVENT_READ)
        peers: dict[socket.socket, socket.socket] = {}
        while not self._stop.is_set():
            if not self._flowing.is_set():
                self._flowing.wait(0.1)  # read nothing, so nothing is forwarded or answered
                continue
            for key, _ in selector.select(timeout=0.1):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                if sock is self._listener:
                    client, _addr = self._listener.accept()
                    upstream = socket.create_connection(self.target)
                    peers[client], peers[upstream] = upstream, client
                    self._sockets += [client, upstream]
                    selector.register(client, selectors.EVENT_READ)
                    selector.register(upstream, selectors.EVENT_READ)
                    continue
                try:
                    data = sock.recv(65536)
                except OSError:
                    data = b""
                other = peers.get(sock)
                if not data or other is None:
                    for end in (sock, other):
                        if end is not None and end in peers:
                            selector.unregister(end)
                            end.close()
                            peers.pop(end, None)
                    continue
                with contextlib.suppress(OSError):
                    other.sendall(data)
        selector.close()
