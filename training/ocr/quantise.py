"""Build an int8 copy of the rapidocr wheel's PP-OCR text detection model.

    PYTHONPATH=src python training/ocr/quantise.py [--pool DIR] [--out FILE]

Measured and not adopted (docs/performance.md, "int8 OCR models"): the model this writes
runs in about 0.7x the float model's CPU time on an AVX-512 VNNI CPU, but lowered five
field F1s on listing-dev, so imagecheck ships and runs the float models. This script is
the recipe, to repeat the measurement (training/ocr/compare.py) with another onnxruntime,
calibration set or choice of float nodes.

The float model is the ONNX file of the pinned ``rapidocr`` wheel (PP-OCRv6 small text
detection, Apache-2.0, PaddleOCR via RapidOCR). It is quantised with onnxruntime's static
quantisation after onnxruntime's pre-processing (shape inference and graph optimisation)
and conversion to opset 17 (per-channel quantisation needs 13 or later; the wheel's models
are opset 11): QOperator format (``QLinearConv``: every convolution runs in int8; in QDQ
format half of them stayed float and the model ran slower than the float one), uint8
activations and int8 weights per output channel (onnxruntime's fast path on x86), ranges
from MinMax calibration. ``FLOAT_NODES`` stay float: the first convolution, on the
normalised image, and the DB head after the neck's concatenation (convolution, two
transposed convolutions, sigmoid), which draws the probability map the boxes are cut
from; quantising them too lost or changed more lines.

Recognition is not quantised here: in int8 (static, all operators or only the
convolutions) it ran at about 0.6x the float model's time but read a different text on
about a quarter of the lines, and dropped others.

Calibration data (nothing from listing-dev, which the figures are reported on): every
``POOL_STEP``-th product-pool photo in manifest order, and every case of the test
generator's catalogue (imagecheck_dev.synth.cases at 800x800: products on white and on
scenes, added text, banners, badges, watermarks, borders): 122 images. Each goes through
the float OCR exactly as a check does (imagecheck.analysis.text.RapidOcrBackend); the
inputs its detection model receives are recorded and are the calibration batches.
Deterministic (fixed image list, MinMax ranges) for one onnxruntime and onnx version
(measured with onnxruntime 1.32.0, onnx 1.23.2; ``pip install onnx``). About 2.2 CPU
minutes (19 minutes' wall time on the busy 2-core machine) and 4 GB of memory.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import onnx
from onnx import version_converter
from onnxruntime.quantization import (
    CalibrationDataReader,
    CalibrationMethod,
    QuantFormat,
    QuantType,
    quantize_static,
)
from onnxruntime.quantization.shape_inference import quant_pre_process

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # imagecheck_dev

from imagecheck.analysis import ppocr  # noqa: E402
from imagecheck.analysis.ocr import RapidOcrBackend  # noqa: E402
from imagecheck.loading import load_bytes  # noqa: E402
from imagecheck_dev import synth  # noqa: E402

POOL = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "product-pool"
OUT = "PP-OCRv6_det_small_int8.onnx"
#: Every this-many-th product-pool photo is a calibration image.
POOL_STEP = 8
#: Nodes of the pre-processed detection graph kept float: the first convolution and the
#: DB head.
FLOAT_NODES = ("Conv.0", "Conv.82", "Relu.18", "ConvTranspose.0", "Add.218", "Relu.19",
               "ConvTranspose.2", "Add.220", "Sigmoid.0")
#: The opset the models are converted to before quantisation.
OPSET = 17
#: Batches of intermediate outputs kept before the calibrator merges their ranges.
MERGE_EVERY = 8


class Recorder:
    """A loaded model (:data:`ppocr.Model`) that keeps a copy of every input it is run on."""

    def __init__(self, model: ppocr.Model) -> None:
        self._model = model
        self.inputs: list[np.ndarray] = []

    def __call__(self, x: np.ndarray) -> np.ndarray:
        self.inputs.append(x.copy())
        return self._model(x)


class Batches(CalibrationDataReader):
    """The recorded inputs, one by one."""

    def __init__(self, batches: list[dict[str, np.ndarray]]) -> None:
        self._iter: Iterator[dict[str, np.ndarray]] = iter(batches)

    def get_next(self) -> dict[str, np.ndarray] | None:
        return next(self._iter, None)


def calibration_images(pool: Path) -> list[np.ndarray]:
    """The calibration images, RGB uint8, in a fixed order."""
    manifest = json.loads((pool / "manifest.json").read_text(encoding="utf-8"))
    images = [load_bytes((pool / item["file"]).read_bytes()).rgb
              for item in manifest[::POOL_STEP]]
    images += [case.image for case in synth.cases((800, 800))]
    return images


def record(images: list[np.ndarray]) -> list[np.ndarray]:
    """The inputs the float detection model receives on ``images``."""
    backend = RapidOcrBackend()
    engine: ppocr.PpOcr = backend._engine
    det = Recorder(engine._det)
    engine._det = det
    for rgb in images:
        backend.read(rgb)
    return det.inputs


def quantise(src: Path, dest: Path, batches: list[np.ndarray]) -> None:
    """``src`` quantised to int8, calibrated on ``batches``, written to ``dest`` with
    ``src``'s metadata."""
    with tempfile.TemporaryDirectory() as tmp:
        prepared = Path(tmp) / "prepared.onnx"
        quant_pre_process(str(src), str(prepared), skip_symbolic_shape=True)
        # Per-channel quantisation needs opset 13 or later; the wheel's models are opset 11.
        onnx.save(version_converter.convert_version(onnx.load(str(prepared)), OPSET),
                  str(prepared))
        name = onnx.load(str(prepared)).graph.input[0].name
        quantize_static(
            str(prepared), str(dest), Batches([{name: x} for x in batches]),
            quant_format=QuantFormat.QOperator, per_channel=True,
            activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
            calibrate_method=CalibrationMethod.MinMax, nodes_to_exclude=list(FLOAT_NODES),
            extra_options={"CalibMaxIntermediateOutputs": MERGE_EVERY},
        )
    model, original = onnx.load(str(dest)), onnx.load(str(src))
    del model.metadata_props[:]
    model.metadata_props.extend(original.metadata_props)
    model.doc_string = (f"{src.name} quantised to int8 (static, QOperator, per-channel weights,"
                        f" MinMax calibration) by imagecheck training/ocr/quantise.py;"
                        f" Apache-2.0 (PaddleOCR, RapidOCR)")
    onnx.save(model, str(dest))


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--pool", type=Path, default=POOL)
    ap.add_argument("--out", type=Path, default=Path(OUT))
    args = ap.parse_args()
    start = time.process_time()
    images = calibration_images(args.pool)
    inputs = record(images)
    print(f"{len(images)} calibration images, {len(inputs)} detection inputs")
    src = RapidOcrBackend()._dir / RapidOcrBackend.MODEL_FILES["det"]
    quantise(src, args.out, inputs)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    print(f"{time.process_time() - start:.0f} CPU seconds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
