"""Leave-one-source-out (LOSO) figures on a labelled folder (listing-dev's format).

What is fitted here is the operating threshold of the graphic-vs-photo model (rules
LG307/TX308, param ``min_probability``): the model itself is trained on product-pool
photos and rendered graphics only (training/graphic/train.py), never on these images.
The shipped threshold is set on the pool too. To show what choosing it on labelled
images would be worth on a shop never seen, this script does it as the dataset README's
"Measuring as if unseen" asks: for each source, pick the threshold that gives the best
main-verdict accuracy on all the *other* sources, score the left-out source with it, and
pool the left-out predictions. It prints the all-in figures (shipped threshold), the
pooled LOSO figures and each source's chosen threshold.

    python benchmarks/loso.py [DATASET] [--platform pdd] [--jobs N] [--ocr-memo [DIR]]

One scan serves every fold: the graphic rules run at the lowest threshold and their
findings are dropped again below each candidate (they carry the model's probability).
The hand-set thresholds of the other rules are not refitted (they have no fitting
procedure to repeat); their figures are the all-in ones.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # imagecheck_dev

from imagecheck import build_settings
from imagecheck.analysis.graphic import GRAPHIC_THRESHOLD
from imagecheck.report.model import ImageResult
from imagecheck_dev.evaluate import FIELDS, evaluate, predictions, score

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dataset_options  # noqa: E402
from accuracy import DEFAULT_DATASET, source_of  # noqa: E402

#: The rules whose threshold is refitted, and the candidates tried.
GRAPHIC_RULES = ("LG307", "TX308")
CANDIDATES = tuple(round(0.5 + 0.01 * i, 2) for i in range(50)) + (0.995, 0.999, 1.0)


def at_threshold(results: Mapping[str, ImageResult], t: float) -> dict[str, Any]:
    """Predictions with the graphic rules' findings kept only where the probability
    reaches ``t``."""
    out = {}
    for name, res in results.items():
        kept = tuple(f for f in res.findings
                     if f.code not in GRAPHIC_RULES or float(f.value or 0) >= t)
        out[name] = predictions(replace(res, findings=kept))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = dataset_options.parser(__doc__, DEFAULT_DATASET, ocr=False,
                                memo_help="reuse OCR results kept in DIR")
    args = ap.parse_args(argv)
    dataset_options.install_ocr(args)
    low = {code: {"min_probability": CANDIDATES[0]} for code in GRAPHIC_RULES}
    settings = build_settings({}, platform=args.platform, params=low)
    labels, results, _ = evaluate(args.dataset, settings, args.jobs)
    by_t = {t: at_threshold(results, t) for t in CANDIDATES}
    groups: dict[str, list[dict[str, Any]]] = {}
    for lab in labels:
        groups.setdefault(source_of(lab), []).append(lab)
    pooled: dict[str, Any] = {}
    print(f"{'left out':8} {'n':>3} {'threshold':>9} {'verdict':>9}")
    for src, labs in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        others = [lab for lab in labels if source_of(lab) != src]
        # Best accuracy on the other sources; among equals the most cautious threshold.
        best = max(CANDIDATES, key=lambda t: (score(others, by_t[t])["verdict"]["accuracy"], t))
        for lab in labs:
            pooled[lab["file"]] = by_t[best][lab["file"]]
        v = score(labs, by_t[best])["verdict"]
        acc = f"{v['accuracy']:.2f}/{v['n']}" if v["n"] else "-"
        print(f"{src:8} {len(labs):3} {best:9.3f} {acc:>9}")
    for title, preds in (("all-in, shipped threshold", by_t[GRAPHIC_THRESHOLD]),
                         ("leave-one-source-out, pooled", pooled)):
        res = score(labels, preds)
        v = res["verdict"]
        f1 = "  ".join(f"{f} {res[f]['f1']:.2f}" for f in FIELDS)
        print(f"\n{title}: verdict_main accuracy {v['accuracy']:.3f} on {v['n']};"
              f" clean images wrongly failed {v['clean_flagged']}/{v['clean']}\n  F1: {f1}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
