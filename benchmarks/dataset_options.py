"""The command-line options the dataset benchmarks share (accuracy, fix, loso, false_alarms).

:func:`parser` gives an argument parser with the dataset folder (positional, optional),
``--platform``, ``--jobs``, ``--ocr-memo``, ``--engine`` and, where the benchmark chooses
the OCR backend, ``--ocr``; each benchmark adds its own options to it; :func:`install_ocr`
acts on the OCR ones.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import ocr_memo


def parser(doc: str | None, dataset: Path, *, name: str = "dataset", ocr: bool = True,
           jobs: int = 0, memo_help: str = "reuse OCR results kept in DIR (for tuning runs)"
           ) -> argparse.ArgumentParser:
    """A parser described by the first line of ``doc``, its positional ``name`` defaulting to
    ``dataset``, ``--jobs`` to ``jobs``; ``--ocr`` only if ``ocr``."""
    ap = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    ap.add_argument(name, nargs="?", type=Path, default=dataset)
    ap.add_argument("--platform", default="pdd")
    if ocr:
        ap.add_argument("--ocr", default=None, help="OCR backend (default: the configured one)")
    ap.add_argument("--jobs", type=int, default=jobs)
    ap.add_argument("--ocr-memo", nargs="?", type=Path, const=ocr_memo.DEFAULT_FOLDER,
                    help=memo_help)
    ap.add_argument("--engine", default="onnxruntime",
                    help="run rapidocr's models on onnxruntime (default) or openvino;"
                    " openvino:det=f32,rec=bf16 sets each model's precision")
    return ap


def install_ocr(args: argparse.Namespace, name: str = "rapidocr") -> None:
    """The OCR memo (``--ocr-memo``) and engine (``--engine``) for backend ``name``, in
    this process before its workers start."""
    if args.ocr_memo or args.engine != "onnxruntime":
        ocr_memo.install(args.ocr_memo, name, args.engine)
