"""What flushing written files to disk (fsync) costs a report and a results store.

Runs, interleaved, the same command with ``os.fsync`` as it is and with ``os.fsync``
made a no-op (the writers before they flushed), R times each, and prints the median
wall time of each and, for the runs that flush, the median number of fsync calls and the
time spent in them (the steadier figure on a loaded machine):

- ``scan sample_images --ocr none --jobs 1`` written as JSON and as an HTML page;
- ``audit --store`` (``--ocr none --no-cache --jobs 1``) of N generated ``--side`` px
  JPEGs, 5 to a listing (``cluster_memory.py``'s catalogue, written once under ``--work``);
- with ``--thumbnails M``, ``audit -f html -o`` of M such images (more than 500: the page
  keeps its thumbnails in a folder, one file each, written afresh every run).

    python benchmarks/write_cost.py [--images 300] [--side 200] [--repeat 5]
                                    [--thumbnails 600] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cluster_memory import generate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
#: The CLI with os.fsync timed (argv[1] "on") or a no-op ("off"); the count and the
#: seconds spent in it go to the file named by IMAGECHECK_FSYNC_LOG.
RUN = """
import atexit, json, os, sys, time
mode = sys.argv.pop(1)
spent = [0, 0.0]
real = os.fsync
def timed(fd):
    start = time.perf_counter()
    real(fd)
    spent[0] += 1
    spent[1] += time.perf_counter() - start
os.fsync = timed if mode == "on" else (lambda fd: None)
atexit.register(lambda: open(os.environ["IMAGECHECK_FSYNC_LOG"], "w").write(json.dumps(spent)))
from imagecheck.cli import main
main()
"""


def run(mode: str, args: list[str], log: Path) -> tuple[float, int, float]:
    """Wall time, fsync calls and seconds in fsync of one command."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", RUN, mode, *args], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "IMAGECHECK_FSYNC_LOG": str(log)})
    wall = time.perf_counter() - start
    calls, spent = json.loads(log.read_text())
    return wall, calls, spent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--images", type=int, default=300)
    ap.add_argument("--side", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--thumbnails", type=int, default=0)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "imagecheck-bench")
    args = ap.parse_args(argv)
    catalogue = generate(args.work / f"write-cost-{args.images}-{args.side}", args.images,
                         args.side)
    out = args.work / "write-cost-out"
    out.mkdir(parents=True, exist_ok=True)
    log = out / "fsync.json"
    scan = ["scan", str(ROOT / "sample_images"), "--ocr", "none", "--jobs", "1"]
    cases = {
        "scan sample_images -f json -o": [*scan, "-f", "json", "-o", str(out / "r.json")],
        "scan sample_images -f html -o": [*scan, "-f", "html", "-o", str(out / "r.html")],
        f"audit --store, {args.images} images": [
            "audit", str(catalogue), "--ocr", "none", "--no-cache", "--jobs", "1", "-q",
            "--store", str(out / "store"), "-f", "json", "-o", str(out / "audit.json")],
    }
    if args.thumbnails:
        many = generate(args.work / f"write-cost-{args.thumbnails}-{args.side}",
                        args.thumbnails, args.side)
        cases[f"audit -f html -o, {args.thumbnails} thumbnails"] = [
            "audit", str(many), "--ocr", "none", "--no-cache", "--jobs", "1", "-q", "-f",
            "html", "-o", "{page}"]
    print(f"load average at the start {os.getloadavg()[0]:.1f}", flush=True)
    for name, command in cases.items():
        times: dict[str, list[tuple[float, int, float]]] = {"off": [], "on": []}
        for i in range(args.repeat):
            for mode in ("off", "on"):
                page = str(out / f"page-{mode}-{i}.html")  # a new thumbnail folder each run
                times[mode].append(run(mode, [a.replace("{page}", page) for a in command],
                                       log))
        off = statistics.median(w for w, _, _ in times["off"])
        on = statistics.median(w for w, _, _ in times["on"])
        calls = statistics.median(c for _, c, _ in times["on"])
        spent = statistics.median(s for _, _, s in times["on"])
        print(f"{name}: without fsync {off:.2f} s, with {on:.2f} s ({on - off:+.2f} s);"
              f" {calls:.0f} fsync calls, {spent * 1000:.1f} ms in them"
              f" (median of {args.repeat})", flush=True)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
