"""Stopping a parallel run (issue 12): Ctrl-C stops at once, workers die with the parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux signals")

#: A run of 40 slow images on 2 workers; prints the parent pid, then "done".
SCRIPT = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from imagecheck import runner
    from imagecheck.config import build_settings
    from imagecheck.listing import ImageJob

    def slow(job, settings):
        time.sleep(30)

    runner.check_job = slow
    jobs = [ImageJob(Path(f"{i}.jpg"), Path("."), "main", "order") for i in range(40)]
    print(os.getpid(), flush=True)
    results, interrupted = runner.run_jobs(jobs, build_settings(ocr="none"), workers=2)
    print("done", interrupted, sum(r.findings[0].code == "IN006" for r in results), flush=True)
""")


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found |= {int(c) for c in task.read_text().split()}
    return found


def _start() -> tuple[subprocess.Popen[str], set[int]]:
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    int(proc.stdout.readline())
    for _ in range(100):
        workers = _children(proc.pid)
        if len(workers) >= 2:
            return proc, workers
        time.sleep(0.1)
    proc.kill()
    raise AssertionError("workers did not start")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().split()[2] if Path(f"/proc/{pid}").exists() \
        else "X"
    return state not in ("Z", "X")


def test_ctrl_c_stops_a_parallel_run_at_once_with_a_partial_result() -> None:
    proc, _ = _start()
    time.sleep(0.5)
    start = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=20)
    assert time.perf_counter() - start < 10
    assert out.startswith("done True 40"), out


def test_workers_die_when_the_parent_is_killed() -> None:
    proc, workers = _start()
    proc.kill()
    proc.wait(timeout=10)
    deadline = time.time() + 10
    while any(_alive(w) for w in workers) and time.time() < deadline:
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers)
