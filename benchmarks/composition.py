"""Recall of the composition and degradation rules (CP601, CP602, IQ507..IQ510) on
generated cases, and false alarms on the clean dev images.

Generates comparisons, collages, insets, upscaled, JPEG-degraded, blurred and stretched
images from :mod:`imagecheck_dev.synth` (several products and backgrounds per kind), runs
these rules on each, and prints the share of each kind the expected rule found and
the share of clean generated images any of them flagged; times their analysis on one
core; then scans the labelled dev set (skipped when absent) and prints which images
they flag, split by label.

    python benchmarks/composition.py [DATASET]
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # imagecheck_dev

from imagecheck.analysis.facts import Facts
from imagecheck.loading import LoadedImage, load_path
from imagecheck.rules.registry import ImageRule, all_rules
from imagecheck_dev import synth

DEFAULT_DATASET = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "listing-dev"
KINDS = ("bottle", "box", "mug", "shoe", "phone", "garment")
SCENES = (255, 255, "wood", 236)


def _loaded(img: np.ndarray) -> LoadedImage:
    return LoadedImage(img, "PNG", "RGB", img.nbytes, 0.0, None, 1, False)


#: The rule modules measured here.
MODULES = ("imagecheck.rules.composition", "imagecheck.rules.degradation")


def fired(image: LoadedImage) -> set[str]:
    """Codes of the composition and degradation rules that fire on ``image`` (default
    parameters)."""
    facts = Facts(image)
    return {
        r.code for r in all_rules(ImageRule)
        if r.func.__module__ in MODULES and any(True for _ in r.func(facts, r.defaults()))
    }


def generated() -> Iterator[tuple[str, str | None, np.ndarray]]:
    """(kind of case, code expected or None for clean, image)."""
    for i, kind in enumerate(KINDS):
        other = KINDS[(i + 2) % len(KINDS)]
        bg = SCENES[i % len(SCENES)]

        def shot(k: str = kind, bg: object = bg, i: int = i, **kw: object) -> np.ndarray:
            return synth.shot(k, background=bg, seed=i, **kw)  # type: ignore[arg-type]

        yield "clean", None, shot()
        yield "clean product set", None, synth.product_set((kind, other), background=bg, seed=i)
        yield "clean pair of one product", None, synth.product_set((kind, kind), background=bg,
                                                                   seed=i)
        yield "comparison plain", "CP601", synth.comparison(shot(), shot(other))
        yield "comparison VS", "CP601", synth.comparison(shot(), shot(other), "VS")
        yield "comparison checks", "CP601", synth.comparison(shot(), synth.gaussian_blur(shot(), 3),
                                                             "checks")
        yield "comparison two versions, no line", "CP601", synth.comparison(
            shot(), synth.shot(kind, background=bg, seed=i + 1, fill=0.7), divider=False)
        yield "comparison contrasting, no line", "CP601", synth.comparison(
            synth.shot(kind, background=255, seed=i), synth.shot(other, background="wood", seed=i),
            divider=False)
        yield "collage 2x2", "CP602", synth.collage([shot(k) for k in KINDS[i:] + KINDS[:i]])
        yield "collage 3x1", "CP602", synth.collage([shot(k) for k in KINDS[i:] + KINDS[:i]],
                                                    "3x1")
        yield "inset", "CP602", synth.picture_in_picture(shot(fill=0.8), shot(other))
        yield "upscaled 2x", "IQ507", synth.upscaled(shot(), 2)
        yield "upscaled 4x", "IQ507", synth.upscaled(shot(), 4)
        yield "pixelated 3x", "IQ507", synth.upscaled(shot(), 3, "nearest")
        for q in (10, 20, 30):
            yield f"JPEG q{q}", "IQ508", synth.jpeg_roundtrip(shot(), q)
        yield "blur sigma 5", "IQ509", synth.gaussian_blur(shot(), 5)
        yield "stretched 1.3x", "IQ510", synth.stretched(shot(), 1.3, "x" if i % 2 else "y")


def run_generated() -> None:
    hits: dict[str, list[bool]] = {}
    wrong: dict[str, list[str]] = {}
    for name, code, img in generated():
        codes = fired(_loaded(img))
        ok = not codes if code is None else code in codes
        hits.setdefault(name, []).append(ok)
        extra = codes - ({code} if code else set())
        if extra:
            wrong.setdefault(name, []).extend(sorted(extra))
    print("generated cases (share the expected rule found; clean: share left quiet)")
    for name, oks in hits.items():
        other = f"   other codes: {', '.join(sorted(set(wrong[name])))}" if name in wrong else ""
        print(f"  {name:34s} {sum(oks)}/{len(oks)} = {sum(oks) / len(oks):.2f}{other}")


def run_speed() -> None:
    """Single-core time of the composition and degradation analysis on
    1000x1000 images; the shared facts it reads (grey copy, subject) are not counted."""
    cv2.setNumThreads(1)
    images = [synth.shot("shoe", (1000, 1000)), synth.shot("box", (1000, 1000), background="wood"),
              synth.collage([synth.shot(k, (1000, 1000)) for k in KINDS[:4]]),
              synth.jpeg_roundtrip(synth.shot("mug", (1000, 1000), background=236), 20)]
    times = []
    for _ in range(5):
        for img in images:
            facts = Facts(_loaded(img))
            _ = facts.gray, facts.subject
            t = time.perf_counter()
            _ = facts.composition, facts.degradation
            times.append((time.perf_counter() - t) * 1000)
    print(f"composition and degradation analysis on one core, 1000x1000:"
          f" median {np.median(times):.1f} ms, max {max(times):.1f} ms")


def run_dev(dataset: Path) -> None:
    labels_path = dataset / "labels.json"
    if not labels_path.is_file():
        print(f"dev set not found at {dataset}; skipped")
        return
    labels = json.loads(labels_path.read_text(encoding="utf-8"))
    flagged: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    for lab in labels:
        verdict = str(lab.get("verdict_main"))
        counts[verdict] = counts.get(verdict, 0) + 1
        codes = fired(load_path(dataset / "images" / lab["file"]))
        if codes:
            flagged.setdefault(verdict, []).append(f"{lab['file']} ({', '.join(sorted(codes))})")
    print(f"dev set {dataset.name}: images flagged by any of these rules, by verdict_main label")
    for verdict, n in sorted(counts.items()):
        got = flagged.get(verdict, [])
        print(f"  {verdict:5s} {len(got)}/{n} = {len(got) / n:.2f}")
        for line in got:
            print(f"      {line}")


def main(argv: list[str]) -> None:
    run_generated()
    run_speed()
    run_dev(Path(argv[0]) if argv else DEFAULT_DATASET)


if __name__ == "__main__":
    main(sys.argv[1:])
