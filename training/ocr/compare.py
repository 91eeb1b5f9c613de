"""Other OCR models or engines against onnxruntime's float ones: speed and agreement of the lines.

    PYTHONPATH=src python training/ocr/compare.py [DATASET] [--step N] [--det F] [--rec F]
    PYTHONPATH=src python training/ocr/compare.py --memos FLOAT_DIR INT8_DIR
    PYTHONPATH=src python training/ocr/compare.py DATASET... --openvino [det=bf16,rec=f32]

e.g. ``--det PP-OCRv6_det_small_int8.onnx``, written by training/ocr/quantise.py.

Speed: every ``--step``-th image of DATASET (listing-dev by default) is read by the float
OCR as a check reads it; the inputs its detection and recognition models receive are
recorded and each is run through the float and the int8 model in turn, one thread,
``--repeats`` rounds (each model only when ``--det`` or ``--rec`` names an int8 one).
Printed: the median CPU time of one inference of each model and the median of the
per-input ratios.

Agreement: the lines the whole OCR (imagecheck.analysis.ocr.RapidOcrBackend) reads with
the float and with the int8 models on the same images; a line agrees when a line of the
other reading overlaps its box by IoU >= ``IOU`` and has the same text. With ``--memos``
the two readings are the OCR memos of two benchmark runs (benchmarks/ocr_memo.py) over the
same images, e.g. ``benchmarks/accuracy.py --ocr-memo DIR`` with each model.

OpenVINO: ``--openvino`` reads every image of each DATASET (its ``images`` folder, whole, as
loaded) with the whole OCR on onnxruntime and on OpenVINO (``rapidocr-openvino``, each
model in the precision given, bf16 by default) and prints the agreement, per dataset and
over all; both readings go through the benchmarks' OCR memo (benchmarks/ocr_memo.py), so
a rerun, or a benchmark run before it on the same arrays, costs no OCR.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from ocr_memo import DEFAULT_FOLDER, MemoBackend, install  # noqa: E402
from quantise import Recorder  # noqa: E402

from imagecheck.analysis import ppocr  # noqa: E402
from imagecheck.analysis.ocr import (  # noqa: E402
    OcrBackend,
    RapidOcrBackend,  # noqa: E402
    get_backend,
)
from imagecheck.loading import load_bytes  # noqa: E402

DATASET = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "listing-dev"
#: Boxes overlapping by this much are the same line.
IOU = 0.5
Line = tuple[str, tuple[int, int, int, int]]


def iou(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def agreement(pairs: list[tuple[list[Line], list[Line]]]) -> dict[str, int]:
    """Counts over (reference lines, other lines) pairs, one pair per image."""
    out = {"images": len(pairs), "same_texts": 0, "reference_lines": 0, "other_lines": 0,
           "same": 0, "text_differs": 0, "lost": 0, "new": 0}
    for before, after in pairs:
        out["same_texts"] += sorted(t for t, _ in before) == sorted(t for t, _ in after)
        out["reference_lines"] += len(before)
        out["other_lines"] += len(after)
        left = list(after)
        for text, box in before:
            best = max(left, key=lambda line: iou(box, line[1]), default=None)
            if best is None or iou(box, best[1]) < IOU:
                out["lost"] += 1
                continue
            left.remove(best)
            out["same" if best[0] == text else "text_differs"] += 1
        out["new"] += len(left)
    return out


def lines_of(rows: list[Any]) -> list[Line]:
    """Memo rows or OCR boxes as (text, axis-aligned box)."""
    out = []
    for text, _, quad in rows:
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        out.append((text, (int(min(xs)), int(min(ys)), int(np.ceil(max(xs))),
                           int(np.ceil(max(ys))))))
    return out


def from_memos(before: Path, after: Path) -> list[tuple[list[Line], list[Line]]]:
    """The arrays both memo folders read, paired."""
    pairs = []
    for path in sorted(before.glob("*.json")):
        other = after / path.name
        if other.is_file():
            pairs.append((lines_of(json.loads(path.read_text(encoding="utf-8"))),
                          lines_of(json.loads(other.read_text(encoding="utf-8")))))
    return pairs


def engines(datasets: list[Path], precision: str) -> None:
    """Print the agreement of onnxruntime's and OpenVINO's readings of every image of
    ``datasets``; ``precision``: e.g. ``det=bf16,rec=f32``."""
    install(DEFAULT_FOLDER, "rapidocr-openvino", f"openvino:{precision}".rstrip(":"))
    before: OcrBackend = MemoBackend(RapidOcrBackend(), DEFAULT_FOLDER)
    after = get_backend("rapidocr-openvino")
    assert after is not None
    print("OpenVINO:", ", ".join(f"{m.name} {m.runtime}" for m in after.models()))
    everything = []
    for folder in datasets:
        pairs = []
        for path in sorted((folder / "images").iterdir()):
            rgb = load_bytes(path.read_bytes()).rgb
            pairs.append(tuple(lines_of([(b.text, b.confidence, b.quad) for b in engine.read(rgb)])
                               for engine in (before, after)))
        print(f"{folder.name}: {json.dumps(agreement(pairs))}")  # type: ignore[arg-type]
        everything += pairs
    print(f"all: {json.dumps(agreement(everything))}")  # type: ignore[arg-type]


def timings(a: ppocr.Model, b: ppocr.Model, inputs: list[np.ndarray],
            repeats: int) -> tuple[float, float, float]:
    """Median CPU ms of one inference with each model, and the median per-input ratio
    (``b`` over ``a``), each input run through both in turn."""
    for model in (a, b):  # warm-up
        model(inputs[0])
    times: dict[str, list[float]] = {"a": [], "b": []}
    ratios = []
    for _ in range(repeats):
        for x in inputs:
            pair = []
            for key, model in (("a", a), ("b", b)):
                start = time.process_time()
                model(x)
                pair.append(time.process_time() - start)
                times[key].append(pair[-1] * 1000)
            ratios.append(pair[1] / max(pair[0], 1e-9))
    return statistics.median(times["a"]), statistics.median(times["b"]), statistics.median(ratios)


def recorded(images: list[np.ndarray]
             ) -> tuple[list[list[Line]], RapidOcrBackend, Recorder, Recorder]:
    """onnxruntime's lines of each of ``images``, its OCR, and the inputs each model
    received."""
    base = RapidOcrBackend()
    det, rec = Recorder(base._engine._det), Recorder(base._engine._rec)
    base._engine._det, base._engine._rec = det, rec
    lines = [lines_of([(b.text, b.confidence, b.quad) for b in base.read(rgb)])
             for rgb in images]
    return lines, base, det, rec


def engine_timings(images: list[np.ndarray], repeats: int) -> None:
    """Print each model's CPU time on onnxruntime against OpenVINO in bf16, on the inputs
    the OCR gives it on ``images``, one thread."""
    _, base, det, rec = recorded(images)
    det_path, rec_path = (base._dir / RapidOcrBackend.MODEL_FILES[t] for t in ("det", "rec"))
    reference = ppocr.onnxruntime_models(det_path, rec_path, 1)
    other = ppocr.openvino_models(det_path, rec_path, 1, {"det": "bf16", "rec": "bf16"}, None)
    for task, inputs in (("det", det.inputs), ("rec", rec.inputs)):
        before_ms, after_ms, ratio = timings(getattr(reference, task), getattr(other, task),
                                             inputs, repeats)
        print(f"{task}: {len(inputs)} inputs x {repeats}, median CPU ms onnxruntime"
              f" {before_ms:.1f}, {other.runtime[task]} {after_ms:.1f}; median per-input"
              f" ratio {ratio:.2f}", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("dataset", nargs="*", type=Path, default=[DATASET])
    ap.add_argument("--step", type=int, default=8, help="every N-th image (default 8)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--det", type=Path, help="int8 detection model (default: the float one)")
    ap.add_argument("--rec", type=Path, help="int8 recognition model (default: the float one)")
    ap.add_argument("--memos", nargs=2, type=Path, metavar=("FLOAT_DIR", "INT8_DIR"))
    ap.add_argument("--openvino", nargs="?", const="", metavar="PRECISION",
                    help="OpenVINO against onnxruntime, e.g. det=bf16,rec=f32 (default bf16)")
    ap.add_argument("--speed", action="store_true",
                    help="with --openvino: each model's time in bf16 instead")
    args = ap.parse_args()
    if args.memos:
        print(json.dumps(agreement(from_memos(*args.memos))))
        return 0
    dataset = args.dataset[0]
    labels = json.loads((dataset / "labels.json").read_text(encoding="utf-8"))
    images = [load_bytes((dataset / "images" / lab["file"]).read_bytes()).rgb
              for lab in labels[::args.step]]
    if args.openvino is not None and args.speed:
        engine_timings(images, args.repeats)
        return 0
    if args.openvino is not None:
        engines(args.dataset, args.openvino)
        return 0
    floats = {t: RapidOcrBackend.find()[1] / f for t, f in RapidOcrBackend.MODEL_FILES.items()}
    int8_models = ppocr.onnxruntime_models(args.det or floats["det"], args.rec or floats["rec"], 1)
    quant = RapidOcrBackend()
    quant._engine = ppocr.PpOcr(int8_models, RapidOcrBackend.MAX_SIDE)
    before, _, det, rec = recorded(images)
    pairs = [(lines, lines_of([(b.text, b.confidence, b.quad) for b in quant.read(rgb)]))
             for lines, rgb in zip(before, images, strict=True)]
    print(f"{len(images)} images (every {args.step}th of {dataset.name}):"
          f" {json.dumps(agreement(pairs))}")
    float_models = ppocr.onnxruntime_models(floats["det"], floats["rec"], 1)
    for task, path, inputs in (("det", args.det, det.inputs), ("rec", args.rec, rec.inputs)):
        if path is None:
            continue
        before_ms, after_ms, ratio = timings(getattr(float_models, task),
                                             getattr(int8_models, task), inputs, args.repeats)
        print(f"{task}: {len(inputs)} inputs x {args.repeats}, median CPU ms float"
              f" {before_ms:.1f}, int8 {after_ms:.1f}; median per-input ratio {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
