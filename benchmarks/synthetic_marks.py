"""Watermarks and logos put on real product photos: how often each kind is found.

listing-dev holds few marks of each kind, most from one source; this puts marks of known
kinds (imagecheck_dev.synth) on clean photos of ../shared/datasets/product-pool (other
sources, never tuned on) at several sizes, and counts how often the check finds each kind
(a finding of the kind's category, warning or error) and how often the bare photo already
had a finding of that category (a false alarm, not a detection). A change to a detector
should hold or raise the first on every kind and size and keep the second where it is.

    python benchmarks/synthetic_marks.py [POOL] [--bases N] [--offset K] [--sides 800,200]
        [--kinds "corner logo,..."] [--jobs N] [--ocr-memo [DIR]] [--show]

``--offset`` starts the spread-out choice of photos K photos later: a second, disjoint set
of bases to confirm a change on photos it was not looked at on.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # imagecheck_dev

from imagecheck import build_settings, check_image
from imagecheck.findings import Severity
from imagecheck.loading import load_path
from imagecheck_dev import synth

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dataset_options  # noqa: E402
from false_alarms import DEFAULT_POOL  # noqa: E402

#: Each kind of mark: how it is put on a photo, and the report category that finds it.
KINDS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], str]] = {
    "tinted site mark": (lambda img: synth.watermark(
        img, "JD.COM 京东", 0.45, tiled=False, angle=0, size=0.07, color=(230, 60, 120)),
        "watermark"),
    "faint domain and name": (lambda img: synth.watermark(
        img, "YOUPIN.COM 优品汇", 0.3, tiled=False, angle=0, size=0.06, color=(70, 130, 210)),
        "watermark"),
    "grey copyright line": (lambda img: synth.watermark(
        img, "© shop88.com", 0.35, tiled=False, angle=0, size=0.06), "watermark"),
    "tiled shop name": (lambda img: synth.watermark(img), "watermark"),
    "stock lattice": (lambda img: synth.stock_grid(img), "watermark"),
    "corner logo": (lambda img: synth.logo_mark(img), "logo"),
}


def _categories(image: np.ndarray) -> set[str]:
    result = check_image(image, "main", build_settings({}))
    return {f.category for f in result.findings if f.severity >= Severity.WARNING}


def _one(job: tuple[str, int, list[str]]) -> tuple[str, int, set[str], dict[str, set[str]]]:
    """The categories found on one pool photo brought to long side ``side``, bare and
    with each of ``kinds`` of mark."""
    path, side, kinds = job
    rgb = load_path(path).rgb
    k = side / max(rgb.shape[:2])
    base = cv2.resize(rgb, None, fx=k, fy=k, interpolation=cv2.INTER_AREA) if k < 1 else rgb
    return path, side, _categories(base), {
        kind: _categories(KINDS[kind][0](base)) for kind in kinds}


def main(argv: list[str] | None = None) -> int:
    ap = dataset_options.parser(__doc__, DEFAULT_POOL, name="pool", ocr=False, jobs=2)
    ap.add_argument("--bases", type=int, default=24, help="clean pool photos used (spread out)")
    ap.add_argument("--offset", type=int, default=0, help="start the choice this many later")
    ap.add_argument("--sides", default="800,200", help="long sides the photos are brought to")
    ap.add_argument("--kinds", default=",".join(KINDS), help="kinds of mark, comma-separated")
    ap.add_argument("--show", action="store_true", help="list every photo a kind was missed on")
    args = ap.parse_args(argv)
    dataset_options.install_ocr(args)
    manifest = json.loads((args.pool / "manifest.json").read_text(encoding="utf-8"))
    clean = [str(args.pool / m["file"]) for m in manifest if m["screen"] == "clean"]
    bases = clean[args.offset:: max(1, len(clean) // args.bases)][: args.bases]
    kinds = [k.strip() for k in args.kinds.split(",")]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        ap.error(f"unknown kinds {unknown}; known: {', '.join(KINDS)}")
    sides = [int(s) for s in args.sides.split(",")]
    jobs = [(path, side, kinds) for side in sides for path in bases]
    with ProcessPoolExecutor(max(1, args.jobs)) as pool:
        results = list(pool.map(_one, jobs))
    print(f"{len(bases)} clean pool photos; found = a finding of the kind's category on the"
          " marked photo, bare = one on the photo without the mark")
    print(f"{'kind':22} " + " ".join(f"{f'{s} px found':>14} {'bare':>5}" for s in sides))
    for kind in kinds:
        category = KINDS[kind][1]
        cells = []
        for side in sides:
            rows = [r for r in results if r[1] == side]
            found = sum(category in marked[kind] for _, _, _, marked in rows)
            bare = sum(category in plain for _, _, plain, _ in rows)
            cells.append(f"{f'{found}/{len(rows)}':>14} {bare:>5}")
        print(f"{kind:22} " + " ".join(cells))
    if args.show:
        for path, side, _, marked in results:
            missed = [k for k in kinds if KINDS[k][1] not in marked[k]]
            if missed:
                print(f"  {Path(path).name} at {side} px: missed {', '.join(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
