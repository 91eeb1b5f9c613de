"""Accuracy targets on the labelled dev images (../shared/datasets/listing-dev).

Skips cleanly where the dataset is not beside the project. One scan of the whole set
(with OCR, two workers) serves every assertion.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from imagecheck import build_settings
from imagecheck.findings import Severity
from imagecheck.report.model import ImageResult
from imagecheck_dev.evaluate import evaluate

DATASET = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "listing-dev"

pytestmark = pytest.mark.skipif(not (DATASET / "labels.json").is_file(),
                                reason="listing-dev dataset not present")

#: Field -> lowest F1 on the whole set of 307 (measured; only ever raised).
TARGETS = {
    "white_background": 0.98,
    "border": 0.99,
    "centred": 0.94,
    "text": 0.95,
    "logo": 0.89,
    "corner_badge": 0.97,
    "watermark": 0.8,
}
#: Lowest main-verdict accuracy, and most clean (``pass``) images wrongly failed.
VERDICT_ACCURACY = 0.97
MAX_CLEAN_FAILED = 1
#: Most clean images flagged by each group of rules (background/framing/overlay rules,
#: composition and degradation rules, badge and watermark rules, text rules).
MAX_CLEAN_FLAGGED = {"BG-FR-OV": 0, "CP": 0, "badge-watermark": 0, "text": 1}


@pytest.fixture(scope="module")
def run() -> tuple[list[dict[str, Any]], dict[str, ImageResult], dict[str, Any]]:
    return evaluate(DATASET, build_settings({}, platform="pdd"), jobs=2)


def _clean_flagged(run: Any, prefixes: tuple[str, ...]) -> list[str]:
    labels, results, _ = run
    return [
        lab["file"]
        for lab in labels
        if lab.get("verdict_main") == "pass"
        and any(f.code.startswith(prefixes) and f.severity >= Severity.WARNING
                for f in results[lab["file"]].findings)
    ]


@pytest.mark.parametrize("field", sorted(TARGETS))
def test_f1_target(run: Any, field: str) -> None:
    scores = run[2]
    assert scores[field]["f1"] >= TARGETS[field], scores[field]


def test_verdict_accuracy(run: Any) -> None:
    verdict = run[2]["verdict"]
    assert verdict["accuracy"] >= VERDICT_ACCURACY, verdict
    assert verdict["clean_flagged"] <= MAX_CLEAN_FAILED, verdict


def test_few_clean_images_failed_by_background_framing_or_overlay_rules(run: Any) -> None:
    flagged = _clean_flagged(run, ("BG", "FR", "OV", "TX309"))
    assert len(flagged) <= MAX_CLEAN_FLAGGED["BG-FR-OV"], flagged


def test_composition_rules_flag_few_clean_images(run: Any) -> None:
    flagged = _clean_flagged(run, ("CP", "IQ507", "IQ508", "IQ509", "IQ510"))
    assert len(flagged) <= MAX_CLEAN_FLAGGED["CP"], flagged


def test_badge_and_watermark_rules_flag_few_clean_images(run: Any) -> None:
    labels, results, _ = run
    flagged = [
        lab["file"]
        for lab in labels
        if lab.get("verdict_main") == "pass"
        and any(f.category in ("badge", "watermark") and f.severity >= Severity.WARNING
                for f in results[lab["file"]].findings)
    ]
    assert len(flagged) <= MAX_CLEAN_FLAGGED["badge-watermark"], flagged


def test_few_clean_images_flagged_for_text(run: Any) -> None:
    flagged = _clean_flagged(run, ("TX301", "TX302", "LG303"))
    assert len(flagged) <= MAX_CLEAN_FLAGGED["text"], flagged


def test_every_labelled_image_is_in_the_report(run: Any) -> None:
    labels, results, _ = run
    assert {lab["file"] for lab in labels} == set(results)
