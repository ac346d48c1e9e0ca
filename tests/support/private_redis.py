"""A redis-server of a test's own on a free port, which the test may stop, start again
(empty: nothing is kept on disk) or lock down, without touching the machine's Redis.

    with PrivateRedis(tmp_path) as r:
        r.url             # redis://127.0.0.1:<port>/0
        r.stop(); r.start()
"""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import redis


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrivateRedis:
    def __init__(
        self, root: Path, *extra_args: str, username: str | None = None, password: str = ""
    ) -> None:
        """extra_args go to redis-server (e.g. "--aclfile", path); username and password are
        the user to ping it as when the default user is off."""
        self.root = root
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._args = extra_args
        self._user = (username, password or None)
        self._server: subprocess.Popen[bytes] | None = None

    def client(self) -> redis.Redis:
        username, password = self._user
        return redis.Redis(port=self.port, username=username, password=password)

    def start(self) -> None:
        self._server = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", *self._args],
            stdout=(self.root / "redis.log").open("ab"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not self._answers():
            if time.monotonic() > deadline:
                raise RuntimeError((self.root / "redis.log").read_text())
            time.sleep(0.1)

    def stop(self) -> None:
        if self._server is not None and self._server.poll() is None:
            self._server.kill()
            self._server.wait(timeout=10)

    def _answers(self) -> bool:
        try:
            return bool(self.client().ping())
        except redis.ConnectionError:
            return False

    def __enter__(self) -> PrivateRedis:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
