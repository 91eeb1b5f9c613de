"""Accuracy on a labelled folder (the format of ../shared/datasets/listing-dev).

Scans every labelled image as a main image, maps findings onto the label fields by
category (error or warning counts; size, fill and quality findings are not labelled),
and scores them with the dataset's reference scorer when it is there (``../score.py``
beside the dataset), else with the same definitions built in (``imagecheck_dev.evaluate``).

    python benchmarks/accuracy.py [DATASET] [--platform pdd] [--ocr rapidocr|none]
        [--jobs N] [--json OUT] [--show-errors] [--ocr-memo [DIR]]

Besides the pooled table it prints one row per source (the file-name prefix, e.g. ``jd``):
verdict accuracy, clean images wrongly failed and the F1 of each field on that source.
``--ocr-memo`` keeps OCR results on disk between runs (benchmarks/ocr_memo.py), for tuning.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # imagecheck_dev

from imagecheck import build_settings
from imagecheck_dev.evaluate import FIELDS, evaluate, predictions, score

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dataset_options  # noqa: E402

DEFAULT_DATASET = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "listing-dev"


def main(argv: list[str] | None = None) -> int:
    ap = dataset_options.parser(__doc__, DEFAULT_DATASET)
    ap.add_argument("--json", type=Path, help="write predictions and scores here")
    ap.add_argument("--show-errors", action="store_true", help="list every wrong field")
    args = ap.parse_args(argv)
    dataset_options.install_ocr(args, args.ocr or "rapidocr")
    settings = build_settings({}, platform=args.platform, ocr=args.ocr)
    labels, results, res = evaluate(args.dataset, settings, args.jobs)
    print(f"{'field':17} {'tp':>4} {'fp':>4} {'fn':>4} {'tn':>4} {'prec':>6} {'recall':>6}"
          f" {'f1':>5}")
    for f in FIELDS:
        r = res[f]
        print(f"{f:17} {r['tp']:4} {r['fp']:4} {r['fn']:4} {r['tn']:4} {r['precision']:6.2f}"
              f" {r['recall']:6.2f} {r['f1']:5.2f}")
    v = res["verdict"]
    print(f"verdict_main accuracy {v['accuracy']:.3f} on {v['n']}; clean images wrongly failed"
          f" {v['clean_flagged']}/{v['clean']}")
    preds = {name: predictions(r) for name, r in results.items()}
    print_sources(labels, preds)
    if args.show_errors:
        for lab in labels:
            p = preds[lab["file"]]
            wrong = [f for f in FIELDS if lab.get(f) is not None and p[f] != lab[f]]
            if wrong:
                codes = sorted({f.code for f in results[lab["file"]].findings})
                print(f"  {lab['file']}: wrong {', '.join(wrong)}; findings {codes}")
    if args.json:
        args.json.write_text(json.dumps({"predictions": preds, "scores": res}, indent=1,
                                        ensure_ascii=False, default=str), encoding="utf-8")
    return 0


def source_of(label: dict[str, Any]) -> str:
    """A label's source: the two-letter prefix of its short name (``093_jd-phone.jpg``)."""
    return label["file"].split("_", 1)[1].split("-", 1)[0]


def print_sources(labels: list[dict[str, Any]], preds: dict[str, Any]) -> None:
    """One row per source: images, verdict accuracy, clean wrongly failed, F1 per field."""
    short = {"white_background": "white", "corner_badge": "badge", "watermark": "wmark"}
    names = [short.get(f, f) for f in FIELDS]
    print(f"\n{'source':6} {'n':>3} {'verdict':>9} {'clean×':>7} "
          + " ".join(f"{n:>6}" for n in names))
    groups: dict[str, list[dict[str, Any]]] = {}
    for lab in labels:
        groups.setdefault(source_of(lab), []).append(lab)
    for src, labs in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        res = score(labs, preds)
        v = res["verdict"]
        acc = f"{v['accuracy']:.2f}/{v['n']}" if v["n"] else "-"
        cells = []
        for f in FIELDS:
            r = res[f]
            cells.append(f"{r['f1']:6.2f}" if r["tp"] + r["fn"] + r["fp"] else f"{'-':>6}")
        print(f"{src:6} {len(labs):3} {acc:>9} {v['clean_flagged']:>3}/{v['clean']:<3} "
              + " ".join(cells))


if __name__ == "__main__":
    sys.exit(main())
