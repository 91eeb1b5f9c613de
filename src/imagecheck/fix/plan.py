"""The planner: an image's findings -> the corrections that answer them, applied in a
fixed order (:data:`imagecheck.fix.model.CORRECTIONS`), each only where the analysis
supports it; for every failing rule left unanswered, why."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from imagecheck.analysis.background import near_white
from imagecheck.analysis.facts import Facts
from imagecheck.config import Settings
from imagecheck.findings import Box, Finding
from imagecheck.fix import canvas, crop, cutout, encode, overlays, whiten
from imagecheck.fix.model import CORRECTIONS, Correction, FixOptions
from imagecheck.i18n import join, msg, term
from imagecheck.loading import LoadedImage, load_array

#: The canvas side when the profile states no larger need.
DEFAULT_SIZE = 800
#: The product's share of the canvas when the profile's minimum is lower.
DEFAULT_FILL = 0.8
#: Fill aimed for above a profile's ``min_fill`` (FR202), so the copy clears it.
FILL_MARGIN = 0.03

#: An edge padded with white must be this share near-white over its outer
#: ``EDGE_DEPTH`` lines, or the padding would show.
EDGE_WHITE = 0.9
EDGE_DEPTH = 2
#: Other overlays up to this share of the image count as ground when judging one.
OTHERS_AREA = 0.25

#: Why rules that no correction answers stay failing.
REASONS: dict[str, str] = {
    "OV432": msg("a watermark tiled across the image covers the product: needs the"
                 " original without it"),
    "IQ505": msg("blur cannot be undone: needs a sharper photo"),
    "CP601": msg("a comparison layout: needs a single-product photo"),
    "CP602": msg("a collage: needs a single photo"),
    "IQ507": msg("detail lost to enlargement cannot be restored: needs a larger original"),
    "IQ508": msg("JPEG blocking cannot be undone: needs a better-quality original"),
    "IQ509": msg("blur cannot be undone: needs a sharper photo"),
    "IQ510": msg("a distorted product cannot be restored reliably: needs the undistorted"
                 " original"),
    "FR203": msg("the product runs off the frame: needs a photo with the whole product"),
    "TX304": msg("printed on the product (not a violation)"),
}


@dataclass
class Fixed:
    """The corrected pixels (``None`` when no correction answered a failing rule), the
    encoded copy, what was done, why failing rules were left, and how much the product
    was scaled."""

    rgb: np.ndarray | None
    data: bytes
    applied: list[Correction] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    scale: float = 1.0


def plan_and_apply(image: LoadedImage, data: bytes | None, facts: Facts,
                   findings: Sequence[Finding], settings: Settings,
                   options: FixOptions) -> Fixed:
    """Correct a copy of ``image`` (file bytes ``data``, if known) for the ``findings``
    at or above ``settings.fail_on`` that ``facts`` shows can be fixed."""
    failing = {f.code for f in findings if f.severity >= settings.fail_on}
    params = {rule.code: p for rule, p in settings.for_role(facts.role).rules}
    rgb = image.rgb.copy()
    done = _Log(failing)
    if image.mode not in ("RGB", "RGBA"):
        done.add("colour-mode", {"from": image.mode, "to": "RGB"})
    if data is not None and (profile := encode.to_srgb(data, rgb)) is not None:
        done.add("srgb", {"from": profile})
    if image.exif_rotated:
        done.add("exif-orientation", {"upright": True})
    if image.alpha is not None:
        done.add("flatten-transparency", {"onto": "#FFFFFF",
                                          "transparent_share": round(image.transparent_share, 3)})
    shift = (0, 0)
    if "OV401" in failing:
        box = crop.border_crop(facts.bands, image.width, image.height)
        if box is None:
            done.reasons["OV401"] = msg("the bands are too deep to crop without losing the"
                                         " picture")
        else:
            rgb = rgb[box[1]:box[3], box[0]:box[2]].copy()
            shift = (box[0], box[1])
            done.add("crop-border", {"box": list(box)}, answers=True)
    _remove_overlays(rgb, facts, findings, failing, shift, done)
    later: Facts | None = None
    if "BG101" in failing:
        later = _facts_of(rgb, image, facts, settings)
        if whiten.refuse(later) is None:
            done.add("whiten-background", whiten.whiten(rgb, later), answers=True)
        elif isinstance(cut := cutout.cut_out(rgb, later), str):
            done.reasons["BG101"] = cut
        else:
            done.add("cut-out", cut, answers=True)
    geometry = failing & set(CORRECTIONS["recanvas"])
    if geometry:
        later = later or _facts_of(rgb, image, facts, settings)
        rgb = _recanvas(rgb, later, params, options, geometry, done)
    limit = params.get("IQ504", {}).get("max_megabytes")
    max_bytes = int(limit * 1_000_000) if limit else None
    if not done.answered and "IQ504" not in failing:
        return Fixed(None, b"", done.applied, done.reasons)
    out, quality = encode.jpeg(rgb, max_bytes)
    done.add("encode", {"format": "JPEG", "quality": quality, "bytes": len(out)},
             answers="IQ504" in failing)
    if max_bytes is not None and len(out) > max_bytes:
        done.reasons["IQ504"] = msg("still {mb:.2f} MB at JPEG quality {quality}",
                                     mb=len(out) / 1e6, quality=quality)
    return Fixed(rgb, out, done.applied, done.reasons, done.scale)


def _facts_of(rgb: np.ndarray, image: LoadedImage, facts: Facts, settings: Settings) -> Facts:
    """The analysis of ``rgb``: ``facts`` itself where no correction has changed a pixel
    of the opaque image it describes (the same pixels give the same facts), else anew."""
    if image.alpha is None and rgb.shape == image.rgb.shape and np.array_equal(rgb, image.rgb):
        return facts
    return Facts(load_array(rgb), settings.analysis, facts.role)


class _Log:
    """The corrections applied so far and the reasons recorded."""

    def __init__(self, failing: set[str]) -> None:
        self.failing = failing
        self.applied: list[Correction] = []
        self.reasons: dict[str, str] = {}
        self.answered = False
        self.scale = 1.0

    def add(self, name: str, params: Mapping[str, object], answers: bool = False,
            codes: Sequence[str] | None = None) -> None:
        """Record correction ``name``; ``answers``: it answers a failing rule."""
        if codes is None:
            codes = [c for c in CORRECTIONS[name] if c in self.failing or not answers]
        self.applied.append(Correction(name, tuple(codes), dict(params)))
        self.answered |= answers


def _remove_overlays(rgb: np.ndarray, facts: Facts, findings: Sequence[Finding],
                     failing: set[str], shift: tuple[int, int], done: _Log) -> None:
    """Fill the failing overlays that sit on plain background; record why the others stay."""
    wanted = set(CORRECTIONS["remove-overlay"]) & failing
    located: list[tuple[str, Box]] = []
    for f in findings:
        if f.code in wanted:
            if f.box is None:
                done.reasons.setdefault(f.code, msg("the finding has no location to fill"))
            else:
                located.append((f.code, f.box))
    by_box: dict[Box, list[str]] = {}
    for (code, _), box in zip(located, overlays.extents(facts, [b for _, b in located]),
                              strict=True):
        by_box.setdefault(box, []).append(code)
    h, w = rgb.shape[:2]
    removable: list[tuple[Box, list[str]]] = []
    for box, box_codes in by_box.items():
        x0, y0, x1, y1 = box
        if x1 - shift[0] <= 0 or y1 - shift[1] <= 0 or x0 - shift[0] >= w or y0 - shift[1] >= h:
            continue  # cropped off with the border
        others = [b for b in by_box if b != box
                  and (b[2] - b[0]) * (b[3] - b[1]) <= OTHERS_AREA * facts.width * facts.height]
        why = overlays.judge(facts, box, others)
        if why:
            for code in box_codes:
                done.reasons[code] = why
        else:
            removable.append((box, box_codes))
    if removable and overlays.all_of_subject(facts, [box for box, _ in removable]):
        for _, box_codes in removable:
            for code in box_codes:
                done.reasons[code] = msg("the text or mark is all the image shows: removing it"
                                         " would leave no product")
        return
    regions, codes = [], []
    for box, box_codes in removable:
        filled = overlays.fill(rgb, facts, box, shift)
        if isinstance(filled, str):
            for code in box_codes:
                done.reasons[code] = filled
        elif filled:
            regions.append({**filled, "codes": sorted(set(box_codes))})
            codes += box_codes
    if regions:
        done.add("remove-overlay", {"regions": regions}, answers=True,
                 codes=sorted(set(codes)))


def _recanvas(rgb: np.ndarray, facts: Facts, params: Mapping[str, Mapping[str, float]],
              options: FixOptions, geometry: set[str], done: _Log) -> np.ndarray:
    """``rgb`` with the product recentred and scaled on a white square canvas, where the
    background is plain white (or was whitened)."""
    bg = facts.background
    whitened = any(c.name in ("whiten-background", "cut-out") for c in done.applied)
    subject = facts.subject
    why = None
    if bg.kind != "white" and not whitened:
        why = (msg("a scene: padding it with white would show") if bg.kind == "scene" else
               msg("the background is {kind}, not plain white: padding it with white would"
                   " show", kind=term(bg.kind)))
    elif subject.box is None:
        why = msg("no product found to recentre")
    min_fill = params.get("FR202", {}).get("min_fill", 0.25)
    min_side = int(params.get("IQ501", {}).get("min_side", 1))
    size = options.size or _profile_size(params)
    fill = options.fill or max(DEFAULT_FILL, min(0.95, min_fill + FILL_MARGIN))
    lay: canvas.Layout | str = why or canvas.layout(
        rgb.shape[1], rgb.shape[0], subject.box or (0, 0, 1, 1), subject.touches, size, fill,
        min(fill, min_fill + FILL_MARGIN), options.max_upscale, min_side)
    if isinstance(lay, str):
        for code in geometry:
            done.reasons[code] = lay
        return rgb
    if (side := _unwhite_padded_edge(rgb, lay)) is not None:
        for code in geometry:
            done.reasons[code] = msg("the image's {side} edge is not white: padding it"
                                      " with white would show a box", side=term(side))
        return rgb
    if subject.touches:
        done.reasons["FR201"] = msg("the product runs off the {edges} edge(s): recentring it"
                                     " would show the cut",
                                     edges=join([term(t) for t in subject.touches]))
    height, width = rgb.shape[:2]
    if (lay.canvas == width == height and abs(lay.scale - 1) < 1e-3
            and max(abs(lay.x0), abs(lay.y0)) <= 2):
        for code in geometry:
            done.reasons.setdefault(code, msg("the product's edges leave no room to move it"))
        return rgb
    done.scale = lay.scale
    x0, y0 = round(lay.x0), round(lay.y0)
    bx0, by0, bx1, by1 = subject.box or (0, 0, 1, 1)
    fill = max(bx1 - bx0, by1 - by0) * lay.scale / lay.canvas
    done.add("recanvas", {"canvas": [lay.canvas, lay.canvas], "scale": round(lay.scale, 6),
                          "at": list(canvas.offset(lay)),
                          "window": [x0, y0, x0 + round(lay.side), y0 + round(lay.side)],
                          "fill": round(fill, 3)}, answers=True)
    return canvas.render(rgb, lay)


def _unwhite_padded_edge(rgb: np.ndarray, lay: canvas.Layout) -> str | None:
    """The first edge of ``rgb`` that ``lay`` pads with white although it is not white
    (fewer than :data:`EDGE_WHITE` of its outer lines near-white), if any."""
    h, w = rgb.shape[:2]
    pads = {"left": lay.x0 < -0.5, "top": lay.y0 < -0.5,
            "right": lay.x0 + lay.side > w + 0.5, "bottom": lay.y0 + lay.side > h + 0.5}
    lines = {"left": rgb[:, :EDGE_DEPTH], "right": rgb[:, -EDGE_DEPTH:],
             "top": rgb[:EDGE_DEPTH], "bottom": rgb[-EDGE_DEPTH:]}
    for side, padded in pads.items():
        if padded and near_white(lines[side]).mean() < EDGE_WHITE:
            return side
    return None


def _profile_size(params: Mapping[str, Mapping[str, float]]) -> int:
    """The canvas side the profile asks for: at least :data:`DEFAULT_SIZE`, IQ501's
    minimum and IQ506's zoom side, at most IQ502's maximum."""
    size = max(DEFAULT_SIZE, int(params.get("IQ501", {}).get("min_side", 0)),
               int(params.get("IQ506", {}).get("zoom_side", 0)))
    return min(size, int(params.get("IQ502", {}).get("max_side", size)))
