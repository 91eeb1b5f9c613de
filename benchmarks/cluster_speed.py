"""The Dask cluster path against the process pool, on the same generated catalogue.

Audits N generated 1000x1000 JPEGs (``speed.py``'s catalogue, written once under
``--work``) with ``--ocr none`` and no cache, interleaving ``audit --jobs 2`` (the
process pool) and ``audit --cluster local --jobs 2`` (a LocalCluster of 2 worker
processes), R times each, and prints the median images/s of each and their ratio (issue
17's target: the cluster path at least 0.9x the pool), and the CPU time of each audit
with every process it started (the steadier figure on a loaded machine). Cluster
start-up is included, as a user pays it.

    python benchmarks/cluster_speed.py [--images N] [--repeat R] [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from speed import DEFAULT_WORK, IMAGECHECK, generate  # noqa: E402


def audit_seconds(catalogue: Path, *extra: str) -> tuple[float, float]:
    """Wall time and CPU time (the audit and every process it started) of one audit."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([*IMAGECHECK, "audit", str(catalogue), "--ocr", "none", "--no-cache",
                    "--quiet", "-f", "json", "-o", os.devnull, "--jobs", "2", *extra],
                   check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--images", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    args = ap.parse_args(argv)
    catalogue = generate(args.work / f"catalogue-{args.images}", args.images)
    pool, cluster = [], []
    print(f"load average at the start {os.getloadavg()[0]:.1f}", flush=True)
    for _ in range(args.repeat):
        pool.append(audit_seconds(catalogue))
        cluster.append(audit_seconds(catalogue, "--cluster", "local"))
        print(f"pool {pool[-1][0]:.1f} s ({pool[-1][1]:.1f} s CPU), cluster {cluster[-1][0]:.1f}"
              f" s ({cluster[-1][1]:.1f} s CPU)", flush=True)
    p, c = (statistics.median(w for w, _ in pool), statistics.median(w for w, _ in cluster))
    pc, cc = (statistics.median(t for _, t in pool), statistics.median(t for _, t in cluster))
    n = args.images
    print(f"{n} images, --ocr none, 2 workers, median of {args.repeat}; load average at the"
          f" end {os.getloadavg()[0]:.1f}")
    print(f"process pool:        {p:7.1f} s  {n / p:6.1f} images/s  CPU {pc:6.1f} s")
    print(f"local Dask cluster:  {c:7.1f} s  {n / c:6.1f} images/s  CPU {cc:6.1f} s"
          f"  = {p / c:.2f}x the pool's throughput, {pc / cc:.2f}x its images per CPU second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
