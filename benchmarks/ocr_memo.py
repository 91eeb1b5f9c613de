"""A disk memo of OCR results for benchmark runs (never used by the package itself).

Tuning the detectors re-scans the same images many times; the OCR pass dominates each scan
and does not change while the code around it does. ``install(folder)`` wraps the loaded
backend so that each distinct input array is read once and its lines are kept in
``folder`` (one JSON file per array, keyed by the array's SHA-256, backend, version, the
SHA-256 of its model files and, where not onnxruntime in float32, what runs each of them in
which precision, so results of one model, engine or precision are never served for
another). Install it
before the worker pool starts (workers are forked and inherit the wrapper).

``engine="openvino"`` reads with rapidocr's models on OpenVINO (``rapidocr-openvino``)
wherever the settings ask for ``rapidocr``, so a benchmark compares the engines under the
same settings; each engine keeps its own memo. ``openvino:det=f32`` (or ``rec=``) sets
the precision a model is asked for (bf16 by default), to measure each model's.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np

from imagecheck.analysis import ocr

DEFAULT_FOLDER = Path.home() / ".cache" / "imagecheck-bench" / "ocr"


class MemoBackend:
    """An OCR backend that answers from ``folder`` where it has read the array before."""

    def __init__(self, inner: ocr.OcrBackend, folder: Path) -> None:
        self._inner = inner
        self.name = inner.name
        self.version = inner.version
        models = hashlib.sha256("".join(m.sha256 for m in inner.models()).encode())
        runtimes = [f"{m.runtime.split()[0]}-{m.runtime.split()[-1]}" for m in inner.models()
                    if m.runtime]
        tag = "".join(f"-{r}" for r in runtimes) if set(runtimes) - {"onnxruntime-f32"} else ""
        self._folder = folder / f"{inner.name}-{inner.version}-{models.hexdigest()[:16]}{tag}"
        self._folder.mkdir(parents=True, exist_ok=True)

    def models(self) -> list[ocr.ModelInfo]:
        return self._inner.models()

    def read(self, rgb: np.ndarray) -> list[ocr.OcrBox]:
        digest = hashlib.sha256(repr(rgb.shape).encode() + rgb.tobytes()).hexdigest()
        path = self._folder / f"{digest}.json"
        if path.is_file():
            rows = json.loads(path.read_text(encoding="utf-8"))
            return [ocr.OcrBox(t, c, tuple(tuple(p) for p in q)) for t, c, q in rows]
        boxes = self._inner.read(rgb)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps([[b.text, b.confidence, b.quad] for b in boxes],
                                  ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
        return boxes


#: The backend that runs rapidocr's models on each engine.
ENGINES = {"onnxruntime": "rapidocr", "openvino": "rapidocr-openvino"}


def install(folder: Path | None = DEFAULT_FOLDER, name: str = "rapidocr",
            engine: str = "onnxruntime") -> None:
    """Route every later ``get_backend(name)`` in this process (and forked workers)
    through the memo in ``folder`` (``None``: no memo); ``rapidocr`` read on ``engine``."""
    engine, _, precision = engine.partition(":")
    if precision:
        ocr.OpenVinoOcrBackend.PRECISION = {
            **ocr.OpenVinoOcrBackend.PRECISION,
            **dict(p.split("=", 1) for p in precision.split(","))}
    inner = ocr.get_backend(ENGINES[engine] if name == "rapidocr" else name)
    if inner is not None and not isinstance(inner, MemoBackend):
        ocr._BACKENDS[name] = MemoBackend(inner, folder) if folder else inner
