"""What OCR adds per 1000x1000 image: the ``facts.text`` fact (rapidocr detection and
recognition, then overlay/print classing), timed alone, with the model loaded beforehand
as a worker does and one inference thread.

    taskset -c 0 python benchmarks/ocr_speed.py [DATASET_IMAGES] [--side 1000]

Two sets: the synthetic catalogue (``imagecheck_dev.synth.cases``) generated at SIDE x SIDE,
and, when the folder exists (default ``../shared/datasets/listing-dev/images``), every
image there resized to SIDE x SIDE. Prints median, 90th percentile and maximum in ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # imagecheck_dev

from imagecheck.analysis.facts import Facts
from imagecheck.analysis.ocr import get_backend
from imagecheck.analysis.options import AnalysisOptions
from imagecheck.loading import LoadedImage, load_path
from imagecheck_dev import synth

DEFAULT_IMAGES = (
    Path(__file__).resolve().parents[2] / "shared" / "datasets" / "listing-dev" / "images"
)


def text_seconds(rgb: np.ndarray) -> float:
    """Seconds ``facts.text`` takes on ``rgb`` (background and subject computed first)."""
    facts = Facts(LoadedImage(rgb, "PNG", "RGB", 0, 0.0, None, 1, False), AnalysisOptions())
    _ = facts.background, facts.subject, facts.bands
    start = time.perf_counter()
    _ = facts.text
    return time.perf_counter() - start


def report(name: str, images: list[np.ndarray]) -> None:
    times = sorted(text_seconds(img) * 1000 for img in images)
    p90 = times[min(len(times) - 1, int(0.9 * len(times)))]
    print(f"{name:<32} n={len(times):<4} median {statistics.median(times):6.0f} ms"
          f"   p90 {p90:6.0f} ms   max {times[-1]:6.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("images", nargs="?", type=Path, default=DEFAULT_IMAGES)
    parser.add_argument("--side", type=int, default=1000)
    args = parser.parse_args()
    get_backend("rapidocr")
    side = args.side
    report(f"synthetic cases {side}x{side}", [c.image for c in synth.cases((side, side))])
    if args.images.is_dir():
        files = sorted(p for p in args.images.iterdir() if p.is_file())
        resized = [cv2.resize(load_path(p).rgb, (side, side), interpolation=cv2.INTER_AREA)
                   for p in files]
        report(f"{args.images.parent.name} at {side}x{side}", resized)


if __name__ == "__main__":
    main()
