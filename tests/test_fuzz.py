"""The fuzz harness (tests/fuzz.py) at a small size: no crash, hang, silent skip or overwrite.

Run it at a large size on demand: ``python tests/fuzz.py --cases 500``.
"""

from __future__ import annotations

import fuzz
import pytest


@pytest.mark.parametrize("kind", sorted(fuzz.CASES))
def test_fuzz_finds_nothing(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fuzz, "CASES", {kind: fuzz.CASES[kind]})
    tally = fuzz.run(cases=25, seed=1)[kind]
    assert tally["ok"] == 25, dict(tally)
