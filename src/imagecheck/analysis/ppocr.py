"""PP-OCR text detection and recognition, run on onnxruntime (or OpenVINO) directly.

The models are the ONNX files shipped in the pinned ``rapidocr`` wheel; rapidocr's own
package is never imported (its import chain, a YAML model registry and an HTTP stack, took
seconds of a pre-upload hook's start). Every step follows rapidocr 3.10.0
(https://github.com/RapidAI/RapidOCR, Apache-2.0, itself after PaddleOCR, Apache-2.0) with
the settings imagecheck ran it with, so the output is the same line for line: growing a
side shorter than 30 pixels and padding a very wide strip (``RapidOCR.preprocess_img``,
``apply_vertical_padding``), DB detection and its post-processing (``TextDetector``,
``DBPostProcess``: threshold 0.3, box threshold 0.5, unclip ratio 1.6, dilation, fast
score), reading order (``TextDetector.sorted_boxes``), the perspective crop of each line
(``get_rotate_crop_image``), recognition in batches of 6 sorted by width
(``TextRecognizer``) and CTC decoding with the dictionary embedded in the model
(``CTCLabelDecode``), then boxes mapped back, empty lines and lines scored under 0.5
dropped (``RapidOCR.build_final_output``). The angle classifier is not run.

The two models are run through :class:`Models`, the one seam between the pipeline and an
inference runtime: :func:`onnxruntime_models` (the default) or :func:`openvino_models`
(the same ONNX files compiled by OpenVINO, in bf16 where the CPU computes in it).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pyclipper

#: A side shorter than this is grown before detection (rapidocr's ``min_side_len``).
MIN_SIDE = 30
#: An image this many times wider than high is padded above and below.
WIDE = 8
#: Detection: probability threshold, least mean probability of a box, most boxes.
DET_THRESH, BOX_THRESH, MAX_CANDIDATES = 0.3, 0.5, 1000
#: How far a detected kernel is grown (its area times this over its perimeter).
UNCLIP_RATIO = 1.6
#: Boxes whose top-left corners lie this close in y are one row, read left to right.
ROW_GAP = 10
#: Recognition input height and least width, and lines per batch.
REC_HEIGHT, REC_WIDTH, REC_BATCH = 48, 320, 6
#: Lines read with a lower mean confidence are dropped.
TEXT_SCORE = 0.5

Quad = np.ndarray  # (4, 2) float32: top-left, top-right, bottom-right, bottom-left


#: A loaded model: its input array in, its first output out.
Model = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Models:
    """The detection and recognition models, loaded.

    ``chars``: the recognition model's dictionary (embedded in the ONNX file);
    ``runtime``: what runs each model and in which precision, by task (``det``, ``rec``),
    as the runtime reports it: ``onnxruntime 1.32.0 f32``, ``openvino 2026.4.1 bf16``.
    """

    det: Model
    rec: Model
    chars: tuple[str, ...]
    runtime: Mapping[str, str]


def onnxruntime_models(det_path: Path, rec_path: Path, threads: int) -> Models:
    """The models on onnxruntime, float32, with ``threads`` intra-op threads each."""
    det, name, _ = _onnxruntime(det_path, threads)
    rec, _, meta = _onnxruntime(rec_path, threads)
    return Models(det, rec, _dictionary(meta.get("character"), rec_path),
                  {"det": name, "rec": name})


def openvino_models(det_path: Path, rec_path: Path, threads: int,
                    precision: Mapping[str, str], cache: Path | None) -> Models:
    """Each model whose task ``precision`` asks for ``bf16`` compiled by OpenVINO in bf16
    where the CPU computes in it natively (AVX-512 BF16, AMX); the others on onnxruntime in
    float32 (OpenVINO in float32 took 1.07-1.09x onnxruntime's CPU time on these models).

    OpenVINO gets ``threads`` inference threads per model, one stream, threads not pinned
    to cores. Compiled models are kept in ``cache`` (loading them again then takes about
    a third of the time); where the cache cannot be written they are compiled without it.
    """
    import openvino as ov

    core = ov.Core()
    native = "BF16" in core.get_property("CPU", "OPTIMIZATION_CAPABILITIES")
    version = ov.get_version().split("-")[0]
    loaded, meta = {}, {}
    for task, path in (("det", det_path), ("rec", rec_path)):
        if precision[task] != "bf16" or not native:
            run, name, meta[task] = _onnxruntime(path, threads)
            loaded[task] = run, name
            continue
        model = core.read_model(str(path))
        if model.has_rt_info(["framework", "character"]):
            meta[task] = {"character": model.get_rt_info(["framework", "character"]).astype(str)}
        config = {"INFERENCE_NUM_THREADS": threads, "NUM_STREAMS": 1,
                  "ENABLE_CPU_PINNING": False, "PERFORMANCE_HINT": "LATENCY",
                  "INFERENCE_PRECISION_HINT": "bf16"}
        compiled = None
        if cache is not None:
            try:
                compiled = core.compile_model(model, "CPU", {**config, "CACHE_DIR": str(cache)})
            except (OSError, RuntimeError):  # an unwritable cache: compile without it
                pass
        if compiled is None:
            compiled = core.compile_model(model, "CPU", config)
        used = _precision_name(str(compiled.get_property("INFERENCE_PRECISION_HINT")))
        loaded[task] = (_openvino_runner(compiled.create_infer_request()),
                        f"openvino {version} {used}")
    return Models(loaded["det"][0], loaded["rec"][0],
                  _dictionary(meta.get("rec", {}).get("character"), rec_path),
                  {task: name for task, (_, name) in loaded.items()})


def _openvino_runner(request: Any) -> Model:
    """A compiled OpenVINO model's infer request as a :data:`Model`."""
    return lambda x: request.infer([x], share_inputs=True)[0]


def _onnxruntime(path: Path, threads: int) -> tuple[Model, str, Mapping[str, str]]:
    """The model at ``path`` on onnxruntime, ``onnxruntime VERSION f32`` and the model's
    metadata.

    Its ``threads`` intra-op threads wait for work without spinning (on a busy machine a
    spinning thread burns the CPU its partner needs: with 2 threads an OCR pass took
    1.3-1.5x the wall time spinning as not, at load 5-15 on 2 cores, and about the same on
    idle cores). The memory arena is on (a process reuses its buffers from image to image;
    rapidocr switches it off).
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 4
    options.enable_cpu_mem_arena = True
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    providers = [("CPUExecutionProvider", {"arena_extend_strategy": "kSameAsRequested"})]
    session = ort.InferenceSession(str(path), options, providers=providers)
    name = session.get_inputs()[0].name
    return ((lambda x: session.run(None, {name: x})[0]), f"onnxruntime {ort.__version__} f32",
            session.get_modelmeta().custom_metadata_map)


def _dictionary(character: str | None, rec_path: Path) -> tuple[str, ...]:
    """The recognition model's character dictionary, from its ``character`` metadata."""
    if character is None:
        raise ValueError(f"{rec_path.name} has no embedded character dictionary")
    return tuple(character.splitlines())


def _precision_name(element_type: str) -> str:
    """``bf16``/``f32``/... for an OpenVINO element type as printed (``<Type: 'bfloat16'>``,
    ``bf16``)."""
    for name, spelt in (("bf16", "bfloat16"), ("f16", "float16"), ("f32", "float32")):
        if name in element_type or spelt in element_type:
            return name
    return element_type


class PpOcr:
    """The PP-OCR pipeline over loaded :class:`Models`.

    ``det_side``: the detection input's long side is at most this (multiples of 32).
    """

    def __init__(self, models: Models, det_side: int) -> None:
        self._det = models.det
        self._rec = models.rec
        self._chars = ["blank", *models.chars, " "]
        self._det_side = det_side
        self._mean = np.asarray([0.5, 0.5, 0.5], np.float32)
        self._std = np.asarray([0.5, 0.5, 0.5], np.float32)

    def __call__(self, bgr: np.ndarray) -> list[tuple[Quad, str, float]]:
        """The text lines of a BGR uint8 image: quad (in its pixels), text and score."""
        ori_h, ori_w = bgr.shape[:2]
        img, ratio_h, ratio_w = _grow_short_side(bgr)
        img, top = _pad_wide(img)
        quads = self._detect(img)
        if not len(quads):
            return []
        texts = self._recognise([_crop(img, q.copy()) for q in quads])
        quads[:, :, 1] -= top
        quads[:, :, 0] *= ratio_w
        quads[:, :, 1] *= ratio_h
        quads = np.where(quads < 0, 0, quads)
        quads[..., 0] = np.where(quads[..., 0] > ori_w, ori_w, quads[..., 0])
        quads[..., 1] = np.where(quads[..., 1] > ori_h, ori_h, quads[..., 1])
        return [(quad, text, score) for quad, (text, score) in zip(quads, texts, strict=True)
                if text.strip() and score >= TEXT_SCORE]

    # --- detection ------------------------------------------------------------------------

    def _detect(self, img: np.ndarray) -> np.ndarray:
        """The text quads of ``img`` in reading order, float32 (n, 4, 2)."""
        h, w = img.shape[:2]
        ratio = self._det_side / max(h, w) if max(h, w) > self._det_side else 1.0
        size_h = int(round(int(h * ratio) / 32) * 32)
        size_w = int(round(int(w * ratio) / 32) * 32)
        if size_w <= 0 or size_h <= 0:
            return np.zeros((0, 4, 2), np.float32)
        resized = cv2.resize(img, (size_w, size_h))
        x = (resized.astype(np.float32) * (1 / 255.0) - self._mean) / self._std
        x = np.expand_dims(x.transpose((2, 0, 1)), axis=0).astype(np.float32)
        pred = self._det(x)[0, 0]
        quads = _db_boxes(pred, w, h)
        return _reading_order(quads) if len(quads) else quads

    # --- recognition ----------------------------------------------------------------------

    def _recognise(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        """Text and mean confidence of each crop, in batches of similar width."""
        order = np.argsort(np.array([c.shape[1] / float(c.shape[0]) for c in crops]))
        out: list[tuple[str, float]] = [("", 0.0)] * len(crops)
        for begin in range(0, len(crops), REC_BATCH):
            batch = [crops[i] for i in order[begin:begin + REC_BATCH]]
            widest = max([REC_WIDTH / REC_HEIGHT] + [c.shape[1] * 1.0 / c.shape[0] for c in batch])
            x = np.concatenate([_rec_input(c, widest)[np.newaxis, :] for c in batch])
            preds = self._rec(x.astype(np.float32))
            for i, line in zip(order[begin:begin + REC_BATCH], _ctc_decode(preds, self._chars),
                               strict=True):
                out[i] = line
        return out


def _grow_short_side(img: np.ndarray) -> tuple[np.ndarray, float, float]:
    """``img`` with a side under :data:`MIN_SIDE` grown to it (both sides rounded to
    multiples of 32), and the height and width ratios back to ``img``."""
    h, w = img.shape[:2]
    if min(h, w) >= MIN_SIDE:
        return img, 1.0, 1.0
    ratio = float(MIN_SIDE) / h if h < w else float(MIN_SIDE) / w
    size_h = int(round(int(h * ratio) / 32) * 32)
    size_w = int(round(int(w * ratio) / 32) * 32)
    return cv2.resize(img, (size_w, size_h)), h / size_h, w / size_w


def _pad_wide(img: np.ndarray) -> tuple[np.ndarray, int]:
    """``img`` padded with black above and below if low or very wide, and the top pad."""
    h, w = img.shape[:2]
    if h > MIN_SIDE and w / h <= WIDE:
        return img, 0
    pad = int(abs(max(int(w / WIDE), MIN_SIDE) * 2 - h) / 2)
    return cv2.copyMakeBorder(img, pad, pad, 0, 0, cv2.BORDER_CONSTANT, value=(0, 0, 0)), pad


def _db_boxes(pred: np.ndarray, dest_w: int, dest_h: int) -> np.ndarray:
    """DB post-processing: the quads of the probability map ``pred``, in the pixels of a
    ``dest_w`` x ``dest_h`` image, float32 (n, 4, 2)."""
    height, width = pred.shape
    mask = cv2.dilate((pred > DET_THRESH).astype(np.uint8), np.array([[1, 1], [1, 1]]))
    contours, _ = cv2.findContours((mask * 255).astype(np.uint8), cv2.RETR_LIST,
                                   cv2.CHAIN_APPROX_SIMPLE)
    quads = []
    for contour in contours[:MAX_CANDIDATES]:
        points, short = _mini_box(contour)
        if short < 3 or _box_score(pred, points.reshape(-1, 2)) < BOX_THRESH:
            continue
        box, short = _mini_box(_unclip(points))
        if short < 5:
            continue
        box[:, 0] = np.clip(np.round(box[:, 0] / width * dest_w), 0, dest_w)
        box[:, 1] = np.clip(np.round(box[:, 1] / height * dest_h), 0, dest_h)
        quad = _clockwise(box.astype(np.int32))
        quad[:, 0] = np.minimum(np.maximum(quad[:, 0], 0), dest_w - 1).astype(np.int64)
        quad[:, 1] = np.minimum(np.maximum(quad[:, 1], 0), dest_h - 1).astype(np.int64)
        side = int(np.linalg.norm(quad[0] - quad[1]))
        if side > 3 and int(np.linalg.norm(quad[0] - quad[3])) > 3:
            quads.append(quad)
    return np.array(quads, np.float32).reshape(-1, 4, 2)


def _mini_box(contour: np.ndarray) -> tuple[np.ndarray, float]:
    """The minimum-area rectangle round ``contour`` (top-left first, clockwise) and its
    short side."""
    rect = cv2.minAreaRect(contour)
    points = sorted(cv2.boxPoints(rect), key=lambda p: p[0])
    left = (0, 1) if points[1][1] > points[0][1] else (1, 0)
    right = (2, 3) if points[3][1] > points[2][1] else (3, 2)
    box = np.array([points[left[0]], points[right[0]], points[right[1]], points[left[1]]])
    return box, min(rect[1])


def _box_score(pred: np.ndarray, box: np.ndarray) -> float:
    """Mean probability of ``pred`` inside ``box``."""
    h, w = pred.shape[:2]
    box = box.copy()
    xmin = np.clip(np.floor(box[:, 0].min()).astype(np.int32), 0, w - 1)
    xmax = np.clip(np.ceil(box[:, 0].max()).astype(np.int32), 0, w - 1)
    ymin = np.clip(np.floor(box[:, 1].min()).astype(np.int32), 0, h - 1)
    ymax = np.clip(np.ceil(box[:, 1].max()).astype(np.int32), 0, h - 1)
    mask = np.zeros((ymax - ymin + 1, xmax - xmin + 1), dtype=np.uint8)
    box[:, 0] = box[:, 0] - xmin
    box[:, 1] = box[:, 1] - ymin
    cv2.fillPoly(mask, [box.reshape(-1, 2).astype(np.int32)], 1)
    return float(cv2.mean(pred[ymin:ymax + 1, xmin:xmax + 1], mask)[0])


def _unclip(box: np.ndarray) -> np.ndarray:
    """``box`` grown by its area times :data:`UNCLIP_RATIO` over its perimeter."""
    area, length = _area_length(box)
    distance = area * UNCLIP_RATIO / length
    offset = pyclipper.PyclipperOffset()
    offset.AddPath(box, pyclipper.JT_ROUND, pyclipper.ET_CLOSEDPOLYGON)
    return np.array(offset.Execute(distance)).reshape((-1, 1, 2))


def _area_length(box: np.ndarray) -> tuple[float, float]:
    """Area and perimeter of the polygon ``box``, computed as GEOS does (shapely's
    ``Polygon(box).area`` and ``.length``, which rapidocr uses, to the last bit; shapely
    took longer to import than the detection post-processing takes to run)."""
    ring = [(float(x), float(y)) for x, y in box]
    ring.append(ring[0])
    x0 = ring[0][0]
    total = 0.0
    for before, here, after in zip(ring, ring[1:], ring[2:], strict=False):
        total += (here[0] - x0) * (before[1] - after[1])
    length = 0.0
    for (ax, ay), (bx, by) in zip(ring, ring[1:], strict=False):
        dx, dy = bx - ax, by - ay
        length += math.sqrt(dx * dx + dy * dy)
    return abs(total / 2.0), length


def _clockwise(pts: np.ndarray) -> np.ndarray:
    """The four points ordered top-left, top-right, bottom-right, bottom-left, float32."""
    by_x = pts[np.argsort(pts[:, 0]), :]
    left, right = by_x[:2, :], by_x[2:, :]
    tl, bl = left[np.argsort(left[:, 1]), :]
    tr, br = right[np.argsort(right[:, 1]), :]
    return np.array([tl, tr, br, bl], dtype="float32")


def _reading_order(quads: np.ndarray) -> np.ndarray:
    """Quads top to bottom; those within :data:`ROW_GAP` in y, left to right."""
    ys = quads[:, 0, 1]
    by_y = np.argsort(ys, kind="stable")
    quads, ys = quads[by_y], ys[by_y]
    rows = np.concatenate([[0], np.cumsum((np.diff(ys) >= ROW_GAP).astype(np.int32))])
    return quads[np.lexsort((quads[:, 0, 0], rows))]


def _crop(img: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """The line inside ``quad`` warped upright; turned a quarter if it stands tall."""
    width = int(max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[2] - quad[3])))
    height = int(max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2])))
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]]).astype(np.float32)
    matrix = cv2.getPerspectiveTransform(quad, target)
    crop = cv2.warpPerspective(img, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE,
                               flags=cv2.INTER_CUBIC)
    if crop.shape[0] * 1.0 / crop.shape[1] >= 1.5:
        crop = np.rot90(crop)
    return crop


def _rec_input(crop: np.ndarray, wh_ratio: float) -> np.ndarray:
    """``crop`` scaled to :data:`REC_HEIGHT`, normalised to [-1, 1], right-padded with
    zeros to ``REC_HEIGHT * wh_ratio`` pixels; (3, height, width) float32."""
    width = int(REC_HEIGHT * wh_ratio)
    h, w = crop.shape[:2]
    resized_w = min(width, int(math.ceil(REC_HEIGHT * (w / float(h)))))
    resized = cv2.resize(crop, (resized_w, REC_HEIGHT)).astype("float32")
    resized = resized.transpose((2, 0, 1)) / 255
    resized -= 0.5
    resized /= 0.5
    padded = np.zeros((3, REC_HEIGHT, width), dtype=np.float32)
    padded[:, :, 0:resized_w] = resized
    return padded


def _ctc_decode(preds: np.ndarray, chars: list[str]) -> list[tuple[str, float]]:
    """Greedy CTC: repeats merged, blanks dropped; score the mean of the kept
    probabilities (each and the mean rounded to 5 places)."""
    out = []
    for idx, prob in zip(preds.argmax(axis=2), preds.max(axis=2), strict=True):
        keep = np.ones(len(idx), dtype=bool)
        keep[1:] = idx[1:] != idx[:-1]
        keep &= idx != 0
        conf = [round(c, 5) for c in prob[keep].tolist()] or [0]
        out.append(("".join(chars[i] for i in idx[keep]), float(np.mean(conf).round(5))))
    return out
