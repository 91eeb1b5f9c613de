"""The analysis layer's shape: analysers never import Facts, and every box a fact reports is
in original-image pixels (the working copy's map: analysis/work.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from imagecheck.analysis.composition import analyse_composition
from imagecheck.analysis.work import WorkMap
from imagecheck_dev import synth
from imagecheck_dev.facts import facts_of

ANALYSIS = Path(__file__).resolve().parents[1] / "src" / "imagecheck" / "analysis"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


@pytest.mark.parametrize("module", sorted(p.name for p in ANALYSIS.glob("*.py")
                                          if p.name != "facts.py"))
def test_no_analyser_imports_facts(module: str) -> None:
    assert "imagecheck.analysis.facts" not in _imports(ANALYSIS / module)


def test_work_map_scales_by_a_whole_factor_and_maps_boxes_back() -> None:
    m = WorkMap.of(1000, 600)
    assert (m.scale, m.size) == (3, (333, 200))
    assert m.shrink(np.zeros((600, 1000, 3), np.uint8)).shape == (200, 333, 3)
    assert m.to_original((0, 0, 333, 200)) == (0, 0, 999, 600)
    assert m.to_original((10, 5, 400, 250)) == (30, 15, 1000, 600)  # clipped to the image
    assert WorkMap.of(300, 200).scale == 1


def test_composition_boxes_are_in_original_pixels() -> None:
    img = synth.comparison(synth.shot("shoe", (1200, 1200)), synth.shot("mug", (1200, 1200)),
                           marker="VS")
    facts = facts_of(img, file_size=img.nbytes)
    assert facts.scale == 3
    c = analyse_composition(facts.work, facts.subject.mask, facts.work_map)
    assert c == facts.composition
    assert c.halves is not None
    left, right = c.halves
    assert left[0] == 0 and right[2] == c.extent[2] == 1200 and left[2] == right[0]
    assert abs(left[2] - 600) <= 3 * 4
    for x0, y0, x1, y1 in (*c.marker_boxes, *c.panels):
        assert 0 <= x0 < x1 <= 1200 and 0 <= y0 < y1 <= 1200


def test_subject_box_is_in_original_pixels() -> None:
    img = np.full((900, 1200, 3), 255, np.uint8)
    img[300:600, 450:750] = (200, 40, 40)
    facts = facts_of(img, file_size=img.nbytes)
    box = facts.subject.box
    assert box is not None and facts.scale == 3
    # Within a working pixel of the square's true box.
    assert all(abs(a - b) <= 3 for a, b in zip(box, (450, 300, 750, 600), strict=True))
