"""Accuracy on a labelled folder (the format of ../shared/datasets/listing-dev).

Scans every labelled image as a main image, maps findings onto the label fields by
category (error or warning counts; size, fill and quality findings are not labelled),
and scores them with the dataset's reference scorer when it is there (``../score.py``
beside the dataset), else with the same definitions built in.

    python benchmarks/accuracy.py [DATASET] [--platform pdd] [--ocr rapidocr|none]
        [--jobs N] [--json OUT] [--show-errors]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import sys
from pathlib import Path
from typing import Any

from imagecheck import build_settings, check_listing
from imagecheck.findings import Severity
from imagecheck.report.model import ImageResult

DEFAULT_DATASET = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "listing-dev"
FIELDS = ["white_background", "centred", "text", "logo", "border", "corner_badge", "watermark"]
#: Report category -> label field.
CATEGORY_FIELD = {
    "background": "white_background",
    "centring": "centred",
    "text": "text",
    "logo": "logo",
    "border": "border",
    "badge": "corner_badge",
    "watermark": "watermark",
}
COMPLIANT_WHEN_TRUE = {"white_background", "centred"}


def predictions(result: ImageResult) -> dict[str, Any]:
    """The label fields a result implies, in the label's own sense."""
    hit = {f: False for f in FIELDS}
    for f in result.findings:
        field = CATEGORY_FIELD.get(f.category)
        if field and f.severity >= Severity.WARNING:
            hit[field] = True
    out: dict[str, Any] = {
        f: (not hit[f]) if f in COMPLIANT_WHEN_TRUE else hit[f] for f in FIELDS
    }
    out["verdict_main"] = "fail" if any(hit.values()) or result.unreadable else "pass"
    return out


def load_scorer(dataset: Path) -> Any:
    """The dataset's reference ``score`` function, if it sits beside the dataset."""
    path = dataset.parent / "score.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("listing_score", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score


def builtin_score(labels: list[dict[str, Any]], preds: dict[str, Any]) -> dict[str, Any]:
    """The scorer's definitions: the violation is the positive class; nulls skipped."""
    out: dict[str, Any] = {}
    for f in FIELDS:
        tp = fp = fn = tn = 0
        for lab in labels:
            if lab.get(f) is None:
                continue
            truth = (not lab[f]) if f in COMPLIANT_WHEN_TRUE else bool(lab[f])
            p = preds.get(lab["file"], {}).get(f)
            guess = False if p is None else ((not p) if f in COMPLIANT_WHEN_TRUE else bool(p))
            tp += truth and guess
            fn += truth and not guess
            fp += guess and not truth
            tn += not truth and not guess
        prec = tp / (tp + fp) if tp + fp else math.nan
        rec = tp / (tp + fn) if tp + fn else math.nan
        f1 = 2 * prec * rec / (prec + rec) if tp else 0.0
        out[f] = dict(tp=tp, fp=fp, fn=fn, tn=tn, precision=prec, recall=rec, f1=f1)
    scored = [lab for lab in labels if lab.get("verdict_main")]
    ok = sum(preds[lab["file"]]["verdict_main"] == lab["verdict_main"] for lab in scored)
    clean = [lab for lab in scored if lab["verdict_main"] == "pass"]
    out["verdict"] = dict(
        n=len(scored), accuracy=ok / len(scored) if scored else math.nan, clean=len(clean),
        clean_flagged=sum(preds[lab["file"]]["verdict_main"] != "pass" for lab in clean),
    )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dataset", nargs="?", type=Path, default=DEFAULT_DATASET)
    ap.add_argument("--platform", default="pdd")
    ap.add_argument("--ocr", default=None, help="OCR backend (default: the configured one)")
    ap.add_argument("--jobs", type=int, default=0)
    ap.add_argument("--json", type=Path, help="write predictions and scores here")
    ap.add_argument("--show-errors", action="store_true", help="list every wrong field")
    args = ap.parse_args(argv)
    labels = json.loads((args.dataset / "labels.json").read_text(encoding="utf-8"))
    images = args.dataset / "images"
    settings = build_settings({}, platform=args.platform, ocr=args.ocr)
    report = check_listing([images / lab["file"] for lab in labels], settings, role="main",
                           jobs=args.jobs)
    by_name = {Path(r.path).name: r for r in report.images}
    preds = {name: predictions(r) for name, r in by_name.items()}
    scorer = load_scorer(args.dataset) or builtin_score
    res = scorer(labels, preds)
    print(f"{'field':17} {'tp':>4} {'fp':>4} {'fn':>4} {'tn':>4} {'prec':>6} {'recall':>6}"
          f" {'f1':>5}")
    for f in FIELDS:
        r = res[f]
        print(f"{f:17} {r['tp']:4} {r['fp']:4} {r['fn']:4} {r['tn']:4} {r['precision']:6.2f}"
              f" {r['recall']:6.2f} {r['f1']:5.2f}")
    v = res["verdict"]
    print(f"verdict_main accuracy {v['accuracy']:.3f} on {v['n']}; clean images wrongly failed"
          f" {v['clean_flagged']}/{v['clean']}")
    if args.show_errors:
        for lab in labels:
            p = preds[lab["file"]]
            wrong = [f for f in FIELDS if lab.get(f) is not None and p[f] != lab[f]]
            if wrong:
                codes = sorted({f.code for f in by_name[lab["file"]].findings})
                print(f"  {lab['file']}: wrong {', '.join(wrong)}; findings {codes}")
    if args.json:
        args.json.write_text(json.dumps({"predictions": preds, "scores": res}, indent=1,
                                        ensure_ascii=False, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
