"""What the analysis costs beyond OCR: one process, dev images resized to 1000x1000.

OCR answers from the disk memo (benchmarks/ocr_memo.py; filled by the first run), so the
figure is everything a check costs except the OCR pass itself: loading the array, every
analysis fact and every rule of the pdd main role. Run it from two checkouts in one
session (``PYTHONPATH=OTHER/src``) to measure what a change adds.

    python benchmarks/analysis_cost.py [FOLDER] [--images N] [--repeat R]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np

from imagecheck import build_settings
from imagecheck.check import check_image
from imagecheck.loading import load_path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ocr_memo  # noqa: E402

DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "listing-dev"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER / "images")
    ap.add_argument("--images", type=int, default=60, help="every k-th image, this many")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    ocr_memo.install()
    files = sorted(p for p in args.folder.iterdir() if p.is_file())
    step = max(1, len(files) // args.images)
    arrays: list[np.ndarray] = []
    for p in files[::step][: args.images]:
        rgb = load_path(p).rgb
        arrays.append(cv2.resize(rgb, (1000, 1000), interpolation=cv2.INTER_CUBIC))
    settings = build_settings({}, platform="pdd")
    for a in arrays:  # fill the memo, warm every import
        check_image(a, "main", settings)
    per_image = []
    for a in arrays:
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            check_image(a, "main", settings)
            times.append(time.perf_counter() - start)
        per_image.append(min(times))
    ms = [t * 1000 for t in per_image]
    print(f"{len(arrays)} images 1000x1000, OCR memoised: median {statistics.median(ms):.1f} ms,"
          f" mean {statistics.mean(ms):.1f} ms, max {max(ms):.1f} ms per check")
    return 0


if __name__ == "__main__":
    sys.exit(main())
