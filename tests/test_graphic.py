"""The graphic-vs-photo model (analysis/graphic.py) and the rules on it (LG307, TX308):
a logo or a seal drawn as the whole image is reported; rendered and real-looking product
shots are not; the model file is the one the rules' default threshold was set for."""

from __future__ import annotations

import json

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from imagecheck import build_settings, check_image
from imagecheck.analysis.facts import Facts
from imagecheck.analysis.graphic import (
    FEATURES,
    GRAPHIC_THRESHOLD,
    MODEL_PATH,
    graphic_features,
    load_model,
)
from imagecheck.loading import load_array
from imagecheck_dev import synth

NO_OCR = build_settings({}, platform="pdd", ocr="none")


def emblem(side: int = 500) -> np.ndarray:
    """A two-colour emblem on white: a ring, a bar and a disc, drawn with flat fills."""
    img = Image.new("RGB", (side, side), "white")
    d = ImageDraw.Draw(img)
    s = side / 500
    d.ellipse([90 * s, 90 * s, 410 * s, 410 * s], fill=(0, 56, 168))
    d.ellipse([150 * s, 150 * s, 350 * s, 350 * s], fill="white")
    d.rectangle([230 * s, 60 * s, 270 * s, 440 * s], fill=(200, 16, 46))
    d.ellipse([210 * s, 210 * s, 290 * s, 290 * s], fill=(0, 56, 168))
    return np.asarray(img)


def seal(side: int = 400) -> np.ndarray:
    """A serrated black quality seal with words in it."""
    img = Image.new("RGB", (side, side), "white")
    d = ImageDraw.Draw(img)
    c, r = side / 2, side * 0.45
    pts = []
    for i in range(48):
        a = np.pi * i / 24
        rr = r if i % 2 == 0 else r * 0.92
        pts.append((c + rr * np.cos(a), c + rr * np.sin(a)))
    d.polygon(pts, fill=(10, 10, 10))
    d.ellipse([c - r * 0.7, c - r * 0.7, c + r * 0.7, c + r * 0.7], outline="white", width=4)
    font = ImageFont.load_default(size=int(side * 0.12))
    d.text((c, c), "100% PURE", fill="white", font=font, anchor="mm")
    return np.asarray(img)


def probability(img: np.ndarray) -> float:
    return load_model().probability(graphic_features(Facts(load_array(img)).work))


def test_model_file_matches_the_code() -> None:
    spec = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert tuple(spec["features"]) == FEATURES
    assert spec["threshold"] == GRAPHIC_THRESHOLD
    assert len(spec["weights"]) == len(FEATURES)
    assert MODEL_PATH.stat().st_size < 10_000_000


def test_a_drawn_emblem_is_a_graphic_and_a_logo() -> None:
    assert probability(emblem()) >= GRAPHIC_THRESHOLD
    result = check_image(emblem(), "main", NO_OCR)
    hits = [f for f in result.findings if f.code == "LG307"]
    assert hits and hits[0].category == "logo" and "not a photo" in hits[0].message


def test_product_shots_are_photos() -> None:
    for kind in ("bottle", "box", "mug", "phone", "shoe", "garment"):
        img = synth.shot(kind, (600, 600))
        assert probability(img) < GRAPHIC_THRESHOLD, kind
        codes = {f.code for f in check_image(img, "main", NO_OCR).findings}
        assert not codes & {"LG307", "TX308"}, kind


def test_threshold_is_a_profile_param() -> None:
    strict = build_settings({}, platform="pdd", ocr="none",
                            params={"LG307": {"min_probability": 1.0}})
    assert not [f for f in check_image(emblem(), "main", strict).findings
                if f.code == "LG307"]


def test_a_seal_with_words_is_a_graphic_with_text() -> None:
    result = check_image(seal(), "main", build_settings({}, platform="pdd"))
    hits = [f for f in result.findings if f.code == "TX308"]
    assert hits and hits[0].category == "text" and "PURE" in hits[0].message.upper()
    assert not [f for f in result.findings if f.code == "LG307"]
