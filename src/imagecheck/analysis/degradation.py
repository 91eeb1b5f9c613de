"""Degradation: effective resolution, pixelation, JPEG quality and one-axis resampling.

Everything is measured on the full-resolution grayscale inside one window of at most
:data:`WINDOW` pixels square, placed where the image has the most detail (a plain white
background carries no evidence either way), so the cost does not grow with image size.

- **Effective resolution**: a down-and-up resample by a factor ``f`` loses the detail
  finer than ``1/(2f)`` cycles per pixel. Relative to what a 16x resample loses, a sharp
  photo loses a clear share already at 1.5x; an image blown up from ``1/f`` of its size
  loses almost nothing below ``f``. The largest factor that loses almost nothing is the
  effective factor: detail is that of an image ``f`` times smaller.
- **Pixelation**: a nearest-neighbour enlargement repeats rows and columns; the share of
  repeated ones gives the factor (a share of ``1 - 1/f``).
- **JPEG quality**: decoded JPEG keeps its 8x8 DCT coefficients on multiples of the
  quantiser step; the step of the lowest AC coefficients, against the standard IJG
  table, gives the encoder quality (low quality is what shows as blocking).
- **Interpolation period**: enlarging by a whole factor with interpolation leaves that
  period in the fine detail of both axes; blur leaves none.
- **Resampling**: interpolating by a non-integer factor makes the fine detail vary
  periodically across the axis (Popescu and Farid); a strong period along one axis only
  means the image was resized along that axis alone, i.e. stretched or squeezed.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

#: Side of the square window the measures run in (full-resolution pixels).
WINDOW = 384
#: Down-up resample factors tried for the effective resolution, smallest first.
FACTORS: tuple[float, ...] = (1.5, 2.0, 3.0, 4.0, 6.0)
#: A resample that loses less than this share of the 16x loss lost "almost nothing".
LOSS_FLOOR = 0.01
#: Above the effective factor, an enlarged image's loss jumps by more than this per step
#: (its detail stops at a sharp cut-off); a blurred image's rises gradually.
CUTOFF_JUMP = 5.0
#: Below this effective factor a loss of detail counts as enlargement, not blur.
BLUR_FACTOR = 3.0
#: Strength (over the median) of a whole-factor period on both axes that marks an
#: interpolated enlargement.
PERIOD_STRENGTH = 4.0
#: A window whose 8 commonest grey levels hold this share of its pixels is a flat-colour
#: graphic: its few soft edges cannot tell an enlargement from anti-aliasing.
FLAT_SHARE = 0.9
#: A period the picture itself shows (in its brightness, at the period or twice it) this
#: strongly, and at least a quarter as strongly as in the fine detail (hard stripe edges
#: double it there), is a pattern of the product (stripes, checks, a knit), not a
#: resampling trace.
PATTERN_STRENGTH = 20.0
#: Standard IJG luminance quantisation steps of the coefficients used: (0,1), (1,0), (1,1).
_IJG = {(0, 1): 11.0, (1, 0): 12.0, (1, 1): 12.0}


@dataclass(frozen=True)
class Degradation:
    """How much real detail the image holds, and traces of how it was processed.

    ``resample`` holds the strongest period of the fine detail along x and along y
    (frequency, strength); ``pattern`` says, per axis, whether that period is the
    picture's own (stripes, checks), not a resampling trace."""

    window: tuple[int, int, int, int]
    detail_loss: tuple[float, ...]
    effective_factor: float
    cutoff_jump: float
    repeat_factor: float
    jpeg_quality: float | None
    blockiness: float
    resample: tuple[tuple[float, float], tuple[float, float]]
    interpolation_period: int
    flat_share: float = 0.0
    pattern: tuple[bool, bool] = (False, False)

    @property
    def upscale_factor(self) -> float:
        """How many times the image was enlarged: by repeated pixels, or by the
        effective factor where its detail stops at a sharp cut-off (1 = not enlarged;
        a flat-colour graphic's soft edges are not judged)."""
        flat = self.flat_share >= FLAT_SHARE
        sharp = self.effective_factor if not (self.blurred or flat) else 1.0
        return max(sharp, self.repeat_factor)

    @property
    def blurred(self) -> bool:
        """Detail fades gradually and far, without an enlargement's cut-off or period
        (blur); a small loss of detail cannot be told from an enlargement and counts
        as one."""
        return (self.effective_factor >= BLUR_FACTOR and self.cutoff_jump < CUTOFF_JUMP
                and not self.interpolation_period)

    @property
    def blur_factor(self) -> float:
        """The effective factor where the image is :attr:`blurred`, else 1."""
        return self.effective_factor if self.blurred else 1.0


def analyse_degradation(gray: np.ndarray, work_gray: np.ndarray) -> Degradation:
    """Measure ``gray`` (full resolution) inside its most detailed window; ``work_gray``
    (a small copy) only picks where that window goes."""
    x0, y0, x1, y1 = detail_window(gray.shape, work_gray)
    win = gray[y0:y1, x0:x1]
    g = win.astype(np.float32)
    loss = detail_loss(g)
    effective, jump = effective_factor(loss)
    quality, blockiness = jpeg_quality(win)
    spectra = [detail_spectrum(g, 1), detail_spectrum(g, 0)] if min(g.shape) >= 64 else []
    # An enlargement by a whole factor leaves that period in the detail on both axes
    # (period 4 is also the JPEG grid's, so it counts only without JPEG quantisation).
    period = 0
    for p in (3, 4) if spectra else ():
        if p == 4 and quality is not None:
            continue
        if min(period_strength(*sp, p) for sp in spectra) >= PERIOD_STRENGTH:
            period = p
    resample = ((resample_peak(*spectra[0]), resample_peak(*spectra[1])) if spectra
                else ((0.0, 0.0), (0.0, 0.0)))
    return Degradation(
        window=(x0, y0, x1, y1),
        detail_loss=tuple(round(v, 4) for v in loss),
        effective_factor=effective,
        cutoff_jump=jump,
        repeat_factor=repeat_factor(win),
        jpeg_quality=quality,
        blockiness=blockiness,
        resample=resample,
        pattern=(_pattern(g, 1, *resample[0]), _pattern(g, 0, *resample[1])),
        interpolation_period=period,
        flat_share=round(float(np.sort(np.bincount(win.ravel()))[-8:].sum()) / win.size, 3),
    )


def detail_window(shape: tuple[int, ...], work_gray: np.ndarray) -> tuple[int, int, int, int]:
    """The ``WINDOW``-square window (clipped to the image) with the most fine detail."""
    h, w = shape[:2]
    side_h, side_w = min(WINDOW, h), min(WINDOW, w)
    if side_h == h and side_w == w:
        return (0, 0, w, h)
    sy, sx = h / work_gray.shape[0], w / work_gray.shape[1]
    energy = np.abs(cv2.Laplacian(work_gray.astype(np.float32), cv2.CV_32F))
    kh = max(1, min(work_gray.shape[0], round(side_h / sy)))
    kw = max(1, min(work_gray.shape[1], round(side_w / sx)))
    ii = cv2.integral(energy)
    sums = ii[kh:, kw:] - ii[:-kh, kw:] - ii[kh:, :-kw] + ii[:-kh, :-kw]
    y, x = np.unravel_index(int(np.argmax(sums)), sums.shape)
    # Start on the 8x8 grid of the image, where a JPEG's blocks start.
    y0 = min(int(y * sy), h - side_h) // 8 * 8
    x0 = min(int(x * sx), w - side_w) // 8 * 8
    return (x0, y0, x0 + side_w, y0 + side_h)


def detail_loss(g: np.ndarray) -> list[float]:
    """For each of :data:`FACTORS`, what a down-up resample loses, as a share of what a
    16x one loses (1 where the window is too small or featureless to tell)."""
    h, w = g.shape

    def lost(f: float) -> float:
        small = cv2.resize(g, (max(1, round(w / f)), max(1, round(h / f))),
                           interpolation=cv2.INTER_AREA)
        back = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
        return float(np.mean((g - back) ** 2))

    total = lost(16.0) if min(h, w) >= 64 else 0.0
    if total < 1.0:
        return [1.0] * len(FACTORS)
    return [lost(f) / total for f in FACTORS]


def effective_factor(loss: list[float]) -> tuple[float, float]:
    """Where the detail loss first reaches :data:`LOSS_FLOOR` (interpolated in log loss):
    the effective factor (1 = full resolution), and the loss jump at that step."""
    if loss[0] >= LOSS_FLOOR:
        return 1.0, 0.0
    for i in range(1, len(FACTORS)):
        if loss[i] >= LOSS_FLOOR:
            lo, hi = max(loss[i - 1], 1e-6), loss[i]
            t = np.log(LOSS_FLOOR / lo) / np.log(hi / lo) if hi > lo else 1.0
            f = FACTORS[i - 1] + t * (FACTORS[i] - FACTORS[i - 1])
            return round(float(f), 2), round(hi / lo, 2)
    return FACTORS[-1], 0.0


def repeat_factor(win: np.ndarray) -> float:
    """Nearest-neighbour enlargement factor from repeated columns and rows (1 = none)."""
    shares = []
    gi = win.astype(np.int16)
    for axis in (1, 0):
        if gi.shape[axis] < 16:
            return 1.0
        d = np.abs(np.diff(gi, axis=axis)).sum(axis=1 - axis).astype(np.float32)
        local = cv2.blur(d.reshape(1, -1), (9, 1)).ravel()
        active = local > 0.05 * max(float(local.max()), 1.0)
        if active.sum() < 8:
            return 1.0
        shares.append(float(((d < 0.15 * local) & active).sum() / active.sum()))
    share = min(float(np.mean(shares)), 0.9)
    return round(1.0 / (1.0 - share), 2)


def jpeg_quality(win: np.ndarray) -> tuple[float | None, float]:
    """Estimated JPEG encoder quality (``None`` when there is no quantisation evidence)
    and the blockiness: how much larger the steps across the 8x8 grid are than
    elsewhere (1 = no grid)."""
    gi = win.astype(np.int16)
    offsets, ratios = [], []
    for axis in (1, 0):
        steps = np.minimum(np.abs(np.diff(gi, axis=axis)), 12).sum(axis=1 - axis)
        n = len(steps) // 8 * 8
        if n < 32:
            return None, 1.0
        phase = steps[:n].reshape(-1, 8).sum(axis=0).astype(np.float64)
        p = int(np.argmax(phase))
        ratios.append(float(phase[p] / max(np.delete(phase, p).max(), 1.0)))
        offsets.append((p + 1) % 8)
    blockiness = round(float(np.mean(ratios)), 2)
    # The grid starts where the window does (on the image's own grid), unless the image
    # was cropped after compression: then it sits where the steps peak.
    scales = _quant_scales(win)
    if not scales and blockiness >= 1.3 and offsets != [0, 0]:
        scales = _quant_scales(win[offsets[1]:, offsets[0]:])
    if not scales:
        return None, blockiness
    scale = float(np.median(scales))
    quality = 5000.0 / scale if scale > 100 else (200.0 - scale) / 2.0
    return round(float(np.clip(quality, 1.0, 100.0)), 1), blockiness


def _quant_scales(win: np.ndarray) -> list[float]:
    """IJG scale factors (percent) implied by the quantiser steps of the lowest AC
    coefficients of the 8x8 blocks starting at the window's corner (none if unclear)."""
    b = win.astype(np.float32) - 128.0
    bh, bw = b.shape[0] // 8, b.shape[1] // 8
    if bh * bw < 16:
        return []
    blocks = b[: bh * 8, : bw * 8].reshape(bh, 8, bw, 8).transpose(0, 2, 1, 3).reshape(-1, 8, 8)
    # Blocks with clipped pixels (pure white or black) no longer sit on the quantiser's
    # multiples; flat blocks carry no evidence.
    flat = blocks.reshape(-1, 64)
    top, bottom = flat.max(axis=1), flat.min(axis=1)
    blocks = blocks[(top < 126) & (bottom > -127) & (top - bottom >= 4)]
    blocks = blocks[:: max(1, len(blocks) // 1536)]
    dct = _DCT @ blocks @ _DCT.T
    scales = []
    for i, ((u, v), base) in enumerate(_IJG.items()):
        step = quant_step(dct[:, u, v])
        if step is not None:
            scales.append(step / base * 100.0)
        elif i == 1 and not scales:
            break  # the two largest coefficients show no quantiser: not a JPEG grid
    return scales


def _dct_matrix() -> np.ndarray:
    k = np.arange(8)
    m = np.cos((2 * k[None, :] + 1) * k[:, None] * np.pi / 16) * np.sqrt(2 / 8)
    m[0] /= np.sqrt(2)
    return np.asarray(m, np.float32)


_DCT = _dct_matrix()


def quant_step(coefs: np.ndarray) -> float | None:
    """The quantiser step the non-zero ``coefs`` sit on, if they clearly do: within a
    unit of its multiples, on more than one multiple, and none between zero and half a
    step. Steps are tried next to the commonest non-zero magnitudes; steps below 3
    cannot be told from rounding noise and give ``None``."""
    c = np.abs(coefs[np.abs(coefs) >= 1.5])
    if c.size < 64:
        return None
    counts = np.bincount(np.rint(c).astype(np.int64))
    counts[:3] = 0
    common = np.argsort(counts)[::-1][:4]
    steps = np.unique(np.clip(np.concatenate([common - 1, common, common + 1]), 3, None))
    best, best_fit = None, 0.0
    for q in steps.astype(np.float64):
        big = c[c >= 0.75 * q]
        if big.size < 32 or (c < 0.4 * q).sum() >= 0.1 * big.size:
            continue
        k = np.rint(big / q)
        near = float(np.mean(np.abs(big - k * q) <= max(1.0, 0.06 * q)))
        multiples = np.unique(k, return_counts=True)[1]
        fit = float(np.mean(np.cos(2 * np.pi * big / q)))
        if near >= 0.75 and fit > 0.7 and (multiples >= 4).sum() >= 2 and fit > best_fit:
            best, best_fit = float(q), fit
    return best


def detail_spectrum(g: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray, float]:
    """How the fine detail (clipped second differences) varies across ``axis``
    (1 = along x): frequencies in cycles per pixel, spectrum, and its median (for
    strengths; a period is about 3-8 times the median in untouched images)."""
    g = g if axis == 0 else g.T
    d2 = np.abs(g[2:] - 2 * g[1:-1] + g[:-2])
    # Clipping keeps strong edges of the content from drowning the weak periodic trace.
    d2 = np.minimum(d2, 2.0 * float(d2.mean()) + 1e-3).mean(axis=1)
    d2 = d2 - cv2.blur(d2.reshape(-1, 1).astype(np.float32), (1, 9)).ravel()
    spectrum = np.abs(np.fft.rfft(d2 * np.hanning(len(d2))))
    freq = np.fft.rfftfreq(len(d2))
    median = max(float(np.median(spectrum[freq > 0.03])), 1e-6)
    return freq, spectrum, median


def resample_peak(freq: np.ndarray, spectrum: np.ndarray, median: float) -> tuple[float, float]:
    """The strongest period of a :func:`detail_spectrum`, leaving out the 8x8 JPEG grid:
    its frequency and strength."""
    ok = (freq > 0.03) & (freq < 0.49)
    for k in (1, 2, 3):
        ok &= np.abs(freq - k / 8) > 0.012
    s, f = spectrum[ok], freq[ok]
    i = int(np.argmax(s))
    return (round(float(f[i]), 3), round(float(s[i] / median), 1))


def _pattern(g: np.ndarray, axis: int, f: float, strength: float) -> bool:
    """Whether the resampling peak at ``f`` along ``axis`` is the period of a pattern the
    picture itself shows (see :data:`PATTERN_STRENGTH`)."""
    return f > 0 and content_strength(g, axis, f) >= max(PATTERN_STRENGTH, strength / 4)


def content_strength(g: np.ndarray, axis: int, f: float) -> float:
    """How strongly the brightness of ``g`` across ``axis`` (1 = along x) repeats at
    frequency ``f`` or half of it, over the median of its spectrum."""
    g = g if axis == 0 else g.T
    profile = g.mean(axis=1)
    profile = profile - cv2.blur(profile.reshape(-1, 1).astype(np.float32), (1, 31)).ravel()
    spectrum = np.abs(np.fft.rfft(profile * np.hanning(len(profile))))
    freq = np.fft.rfftfreq(len(profile))
    median = max(float(np.median(spectrum[freq > 0.03])), 1e-6)
    return max(period_strength(freq, spectrum, median, 1 / (f * k)) for k in (1.0, 0.5))


def period_strength(freq: np.ndarray, spectrum: np.ndarray, median: float, period: float
                    ) -> float:
    """Strength of one period in a :func:`detail_spectrum`."""
    i = int(np.argmin(np.abs(freq - 1 / period)))
    return float(spectrum[max(0, i - 1): i + 2].max() / median)
