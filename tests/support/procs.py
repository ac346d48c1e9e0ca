"""Processes of a worker's group, read from /proc: who is in it, and peak memory."""

from __future__ import annotations

import os
from pathlib import Path


def group_members(group: int) -> list[int]:
    """Pids whose process group is `group` (a RealWorker's main process and pool children)."""
    members = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue  # exited between the listing and the read
        # Fields after the parenthesised command: state, ppid, pgrp, ...
        if int(stat.rsplit(")", 1)[1].split()[2]) == group:
            members.append(int(entry.name))
    return members


def vm_hwm_kib(pid: int) -> int:
    """Peak resident memory of `pid` in KiB (VmHWM), 0 once it has exited."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
