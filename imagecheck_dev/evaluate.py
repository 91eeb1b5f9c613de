"""Measuring accuracy on a labelled folder (the format of ``listing-dev/labels.json``).

Findings map onto the label fields by category: a finding counts for a field when its
category is the field's and its severity is warning or error; size, fill and other
quality findings are not labelled and do not count.
"""

from __future__ import annotations

import importlib.util
import json
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from imagecheck.api import check_listing
from imagecheck.config import Settings
from imagecheck.findings import Severity
from imagecheck.report.model import ImageResult

FIELDS = ("white_background", "centred", "text", "logo", "border", "corner_badge", "watermark")
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
#: Fields whose label is true when the image complies (the others are true on a violation).
COMPLIANT_WHEN_TRUE = frozenset({"white_background", "centred"})

Scorer = Callable[[list[dict[str, Any]], dict[str, Any]], dict[str, Any]]


def predictions(result: ImageResult) -> dict[str, Any]:
    """The label fields a result implies, in the labels' own sense, and its main verdict."""
    hit = dict.fromkeys(FIELDS, False)
    for f in result.findings:
        field = CATEGORY_FIELD.get(f.category)
        if field and f.severity >= Severity.WARNING:
            hit[field] = True
    out: dict[str, Any] = {f: (not hit[f]) if f in COMPLIANT_WHEN_TRUE else hit[f]
                           for f in FIELDS}
    out["verdict_main"] = "fail" if any(hit.values()) or result.unreadable else "pass"
    return out


def score(labels: Sequence[Mapping[str, Any]], preds: Mapping[str, Any]) -> dict[str, Any]:
    """Precision, recall and F1 per field (the violation is the positive class; null labels
    are skipped) and the main-verdict accuracy, as the dataset's README defines them."""
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


def reference_scorer(dataset: Path) -> Scorer | None:
    """The dataset's own ``score`` function, where ``score.py`` sits beside the dataset."""
    path = dataset.parent / "score.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("listing_score", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score  # type: ignore[no-any-return]


def evaluate(
    dataset: Path, settings: Settings, jobs: int = 0
) -> tuple[list[dict[str, Any]], dict[str, ImageResult], dict[str, Any]]:
    """Scan every labelled image of ``dataset`` as a main image; return the labels, the
    results by file name and the scores (by the dataset's scorer where it has one)."""
    labels = json.loads((dataset / "labels.json").read_text(encoding="utf-8"))
    paths = [dataset / "images" / lab["file"] for lab in labels]
    report = check_listing(paths, settings, role="main", jobs=jobs)
    results = {Path(r.path).name: r for r in report.images}
    preds = {name: predictions(r) for name, r in results.items()}
    scorer = reference_scorer(dataset) or score
    return labels, results, scorer(labels, preds)
