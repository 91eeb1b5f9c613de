"""Client memory of a cluster audit, 1,000 against 20,000 images (issue 17).

Writes N small generated JPEGs (``--side`` pixels, 200 by default; 8 distinct images
repeated, 5 to a listing; the client's memory does not depend on what a check costs)
under ``--work``, then runs
``audit --cluster local --jobs 2 --ocr none --no-cache`` (``--runners pool``: without
``--cluster``, the process pool; the client is then the pool's parent) on the first N of
them, once with ``--store`` (results streamed to a results store, summary report) and
once without (the whole report in memory, written as JSON), and prints the client
process's peak RSS (``VmHWM``: the scheduler runs in it, the workers do not), its own
CPU time and the wall time (medians of ``--repeat`` runs).

    python benchmarks/cluster_memory.py [--images 1000 20000] [--side PX]
                                        [--modes store memory] [--runners cluster pool]
                                        [--repeat N] [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # imagecheck_dev

from imagecheck_dev import synth

#: The client runs in this process's Python, so its pid is the one measured.
IMAGECHECK = [sys.executable, "-c", "from imagecheck.cli import main; main()"]

PER_LISTING = 5


def generate(root: Path, n: int, side: int) -> Path:
    """``n`` images of ``side`` pixels under ``root`` (kept between runs)."""
    shapes = [synth.shot(kind, (side, side), at=(0.3 + 0.1 * j, 0.5))
              for kind in ("bottle", "mug") for j in range(4)]
    seeds = []
    for j, shape in enumerate(shapes):
        seed = root / "seeds" / f"{j}.jpg"
        if not seed.exists():
            synth.save(shape, seed)
        seeds.append(seed)
    for i in range(n):
        target = root / "catalogue" / f"l{i // PER_LISTING:05d}" / f"{i % PER_LISTING}.jpg"
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(seeds[i % len(seeds)], target)
    return root / "catalogue"


def client_cost(args: list[str]) -> tuple[float, float, float]:
    """The client process's peak RSS (MiB) and CPU time (s, its own, not its workers'),
    and the wall time (s) of one audit."""
    start = time.perf_counter()
    proc = subprocess.Popen([*IMAGECHECK, *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    peak, cpu = 0, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    while proc.poll() is None:
        try:
            for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
            fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            cpu = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
        except (OSError, IndexError, ValueError):
            pass
        time.sleep(0.2)
    return peak / 1024, cpu, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--images", type=int, nargs="+", default=[1000, 20000])
    ap.add_argument("--side", type=int, default=200, help="image side in pixels")
    ap.add_argument("--modes", nargs="+", choices=["store", "memory"],
                    default=["store", "memory"])
    ap.add_argument("--runners", nargs="+", choices=["cluster", "pool"], default=["cluster"],
                    help="a local Dask cluster, or the process pool (no Dask)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each (medians shown)")
    ap.add_argument("--work", type=Path,
                    default=Path(tempfile.gettempdir()) / "imagecheck-cluster-memory")
    args = ap.parse_args(argv)
    for n in args.images:
        catalogue = generate(args.work / f"n{n}-{args.side}", n, args.side)
        store = args.work / f"store{n}"
        modes = {"store": ("--store", ["--store", str(store), "-o", os.devnull]),
                 "memory": ("report in memory", ["-f", "json", "-o", os.devnull])}
        for runner in args.runners:
            common = ["audit", str(catalogue), "--jobs", "2", "--ocr", "none", "--no-cache",
                      "--quiet", *(["--cluster", "local"] if runner == "cluster" else [])]
            for name, extra in (modes[m] for m in args.modes):
                runs = [client_cost([*common, *extra]) for _ in range(args.repeat)]
                rss, cpu, wall = (statistics.median(r[i] for r in runs) for i in range(3))
                print(f"{n:>6} images, {runner:<7} {name:<16}: client peak RSS {rss:5.0f} MiB"
                      f" (runs: {', '.join(f'{r[0]:.0f}' for r in runs)}), client CPU"
                      f" {cpu:6.1f} s ({1000 * cpu / n:.2f} ms/image), wall {wall:6.0f} s",
                      flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
