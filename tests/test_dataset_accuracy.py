"""Accuracy targets on the labelled dev images (../shared/datasets/listing-dev).

Skips cleanly where the dataset is not beside the project. One scan of the whole set
(with OCR, two workers) serves every assertion.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from imagecheck import build_settings
from imagecheck.evaluate import evaluate
from imagecheck.findings import Severity
from imagecheck.report.model import ImageResult

DATASET = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "listing-dev"

pytestmark = pytest.mark.skipif(not (DATASET / "labels.json").is_file(),
                                reason="listing-dev dataset not present")

#: Issue targets: field -> lowest F1.
TARGETS = {
    "white_background": 0.9,
    "border": 0.85,
    "centred": 0.8,
    "text": 0.9,
    "logo": 0.75,
    "corner_badge": 0.85,
    "watermark": 0.8,
}


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


def test_no_clean_image_failed_by_background_framing_or_overlay_rules(run: Any) -> None:
    assert _clean_flagged(run, ("BG", "FR", "OV")) == []


def test_composition_rules_flag_no_clean_image(run: Any) -> None:
    assert _clean_flagged(run, ("CP",)) == []


def test_badge_and_watermark_rules_flag_no_clean_image(run: Any) -> None:
    labels, results, _ = run
    flagged = [
        lab["file"]
        for lab in labels
        if lab.get("verdict_main") == "pass"
        and any(f.category in ("badge", "watermark") and f.severity >= Severity.WARNING
                for f in results[lab["file"]].findings)
    ]
    assert flagged == []


def test_at_most_two_clean_images_flagged_for_text(run: Any) -> None:
    assert len(_clean_flagged(run, ("TX301", "TX302", "TX303"))) <= 2


def test_every_labelled_image_is_in_the_report(run: Any) -> None:
    labels, results, _ = run
    assert {lab["file"] for lab in labels} == set(results)
