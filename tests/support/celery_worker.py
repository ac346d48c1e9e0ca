"""A real `celery worker` subprocess for tests and benchmarks, its log kept for failures."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path


class RealWorker:
    """`celery -A worker.celery_app worker` on all three queues, started and ready."""

    def __init__(
        self,
        log: Path,
        env: dict[str, str],
        concurrency: int = 2,
        app: str = "worker.celery_app",
    ) -> None:
        self.log = log
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", app, "worker",
             "-Q", "fetch,parse,store", "-c", str(concurrency), "-l", "INFO",
             "--without-gossip", "--without-mingle", "-n", f"test-{uuid.uuid4().hex[:6]}@%h"],
            stdout=log.open("wb"), stderr=subprocess.STDOUT, env={**os.environ, **env},
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while " ready." not in log.read_text(errors="replace"):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"celery worker did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait()


class RealBeat:
    """`celery -A worker.celery_app beat` with its schedule file under `root`."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.log = root / "beat.log"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "worker.celery_app", "beat", "-l", "INFO",
             "-s", str(root / "beat-schedule")],
            stdout=self.log.open("wb"), stderr=subprocess.STDOUT, env={**os.environ, **env},
            start_new_session=True,
        )  # fmt: skip

    def stop(self) -> None:
        os.killpg(self.proc.pid, 15)
        self.proc.wait(timeout=20)
