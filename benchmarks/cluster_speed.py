"""The Dask cluster path against the process pool, on the same generated catalogue.

Audits N generated 1000x1000 JPEGs (``speed.py``'s catalogue, written once under
``--work``) with ``--ocr none`` and no cache, interleaving ``audit --jobs 2`` (the
process pool) and ``audit --cluster local --jobs 2`` (a LocalCluster of 2 worker
processes), R times each, and prints the median images/s of each and their ratio (issue
17's target: the cluster path at least 0.9x the pool). Cluster start-up is included, as
a user pays it.

    python benchmarks/cluster_speed.py [--images N] [--repeat R] [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from speed import DEFAULT_WORK, IMAGECHECK, generate  # noqa: E402


def audit_seconds(catalogue: Path, *extra: str) -> float:
    start = time.perf_counter()
    subprocess.run([*IMAGECHECK, "audit", str(catalogue), "--ocr", "none", "--no-cache",
                    "--quiet", "-f", "json", "-o", os.devnull, "--jobs", "2", *extra],
                   check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--images", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    args = ap.parse_args(argv)
    catalogue = generate(args.work / f"catalogue-{args.images}", args.images)
    pool, cluster = [], []
    for _ in range(args.repeat):
        pool.append(audit_seconds(catalogue))
        cluster.append(audit_seconds(catalogue, "--cluster", "local"))
    p, c = statistics.median(pool), statistics.median(cluster)
    n = args.images
    print(f"{n} images, --ocr none, 2 workers, median of {args.repeat}; load average at the"
          f" end {os.getloadavg()[0]:.1f}")
    print(f"process pool:        {p:7.1f} s  {n / p:6.1f} images/s")
    print(f"local Dask cluster:  {c:7.1f} s  {n / c:6.1f} images/s  = {p / c:.2f}x the pool")
    return 0


if __name__ == "__main__":
    sys.exit(main())
