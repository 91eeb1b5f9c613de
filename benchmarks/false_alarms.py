"""False alarms on real photos with no added overlay (../shared/datasets/product-pool).

The pool's ``clean`` and ``scene`` photos carry no added text, logo, badge, frame or
watermark (print on the product does not count). Every overlay finding on them (text,
logo, badge, border, watermark categories, warning or error) is a false alarm. These
images come from sources the detectors were never tuned on, so this is a check of how the
overlay rules hold on unseen shops. Scanned as main images with the pdd profile.

    python benchmarks/false_alarms.py [POOL] [--jobs N] [--ocr-memo [DIR]] [--show]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from imagecheck import build_settings
from imagecheck.api import check_listing
from imagecheck.findings import Severity

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dataset_options  # noqa: E402

DEFAULT_POOL = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "product-pool"
#: Report categories that mean "something was added to the photo".
OVERLAY_CATEGORIES = ("text", "logo", "badge", "border", "watermark")


def main(argv: list[str] | None = None) -> int:
    ap = dataset_options.parser(__doc__, DEFAULT_POOL, name="pool", ocr=False)
    ap.add_argument("--show", action="store_true", help="list every flagged image")
    args = ap.parse_args(argv)
    dataset_options.install_ocr(args)
    manifest = json.loads((args.pool / "manifest.json").read_text(encoding="utf-8"))
    rows = [m for m in manifest if m["screen"] in ("clean", "scene")]
    settings = build_settings({}, platform=args.platform)
    report = check_listing([args.pool / m["file"] for m in rows], settings, role="main",
                           jobs=args.jobs)
    by_source: dict[str, Counter[str]] = {}
    by_category: Counter[str] = Counter()
    for m, result in zip(rows, report.images, strict=True):
        src = Path(m["file"]).name.split("_", 1)[1].split("-", 1)[0]
        counts = by_source.setdefault(src, Counter())
        counts["images"] += 1
        hits = sorted({f.category for f in result.findings
                       if f.category in OVERLAY_CATEGORIES and f.severity >= Severity.WARNING})
        by_category.update(hits)
        if hits:
            counts["flagged"] += 1
            if args.show:
                codes = sorted({f.code for f in result.findings
                                if f.category in hits and f.severity >= Severity.WARNING})
                print(f"  {Path(m['file']).name} ({m['screen']}): {', '.join(codes)}")
    total = sum(c["images"] for c in by_source.values())
    flagged = sum(c["flagged"] for c in by_source.values())
    print(f"{'source':6} {'images':>6} {'flagged':>7}")
    for src, c in sorted(by_source.items()):
        print(f"{src:6} {c['images']:6} {c['flagged']:7}")
    print(f"overlay false alarms: {flagged}/{total} images"
          f" ({100 * flagged / total:.1f}%); by category: "
          + ", ".join(f"{k} {v}" for k, v in sorted(by_category.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
