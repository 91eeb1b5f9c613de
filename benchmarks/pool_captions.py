"""Captions added to real photos: how many does the text classifier still call overlays?

The counterpart of false_alarms.py: a change that quiets print on the product must not
quiet added text. Three plain captions (no promotional wording: bottom-left grey English,
top-right red Chinese, top-left black English) are laid with
``imagecheck_dev.synth.text_overlay`` on every ``--every``-th clean photo of
../shared/datasets/product-pool. The OCR lines over the pixels a caption changed are
classed; the caption is caught when one of them is an overlay. Captions OCR does not read
at all are counted apart (nothing the classifier can do).

    python benchmarks/pool_captions.py [POOL] [--every N] [--jobs N] [--ocr-memo [DIR]] [--show]
"""

from __future__ import annotations

import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # imagecheck_dev

from imagecheck import build_settings
from imagecheck.analysis.facts import Facts
from imagecheck.loading import load_array, load_path
from imagecheck_dev import synth

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dataset_options  # noqa: E402
from false_alarms import DEFAULT_POOL  # noqa: E402

#: text, height (share of the image's), colour, position
CAPTIONS: tuple[tuple[str, float, synth.Color, synth.Position], ...] = (
    ("Soft Touch Finish", 0.05, (60, 60, 60), "bottom-left"),
    ("夏季新款上架", 0.07, (220, 40, 40), "top-right"),
    ("Made for everyday", 0.045, (30, 30, 30), "top-left"),
)


def _classed(job: tuple[Path, int, str]) -> list[tuple[str, str]]:
    """(text, kind) of the lines read over the caption ``job`` names."""
    path, caption, platform = job
    text, size, colour, position = CAPTIONS[caption]
    rgb = load_path(path).rgb
    image = synth.text_overlay(rgb, text, size, colour, position)
    ys, xs = np.nonzero(np.any(image != rgb, axis=-1))
    x0, y0, x1, y1 = xs.min(), ys.min(), xs.max() + 1, ys.max() + 1
    settings = build_settings({}, platform=platform)
    lines = Facts(load_array(image), settings.analysis, "main").text.boxes
    return [(b.text, b.kind) for b in lines if b.kind != "artefact"
            and b.box[0] < x1 and b.box[2] > x0 and b.box[1] < y1 and b.box[3] > y0]


def main(argv: list[str] | None = None) -> int:
    ap = dataset_options.parser(__doc__, DEFAULT_POOL, name="pool", ocr=False, jobs=2)
    ap.add_argument("--every", type=int, default=4, help="take every Nth clean photo")
    ap.add_argument("--show", action="store_true", help="list every caption not caught")
    args = ap.parse_args(argv)
    dataset_options.install_ocr(args)
    manifest = json.loads((args.pool / "manifest.json").read_text(encoding="utf-8"))
    photos = [args.pool / m["file"] for m in manifest if m["screen"] == "clean"][::args.every]
    jobs = [(p, c, args.platform) for p in photos for c in range(len(CAPTIONS))]
    with ProcessPoolExecutor(max(1, args.jobs)) as pool:
        results = list(pool.map(_classed, jobs, chunksize=2))
    read = [(job, lines) for job, lines in zip(jobs, results, strict=True) if lines]
    caught = [lines for _, lines in read if any(kind == "overlay" for _, kind in lines)]
    if args.show:
        for (path, caption, _), lines in read:
            if not any(kind == "overlay" for _, kind in lines):
                print(f"  {path.name} caption {caption}: {lines}")
    print(f"{len(jobs)} composites ({len(photos)} photos); caption read in {len(read)},"
          f" classed overlay in {len(caught)} ({100 * len(caught) / max(1, len(read)):.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
