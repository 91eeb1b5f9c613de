"""Deterministic synthetic listing photos for tests, sample images and benchmarks.

Every generator is seeded and returns an RGB ``uint8`` array of shape ``(H, W, 3)`` (shapes are
given as ``(height, width)`` like numpy). Products are built as :class:`Sprite` layers (shaded
colour plus soft alpha), placed on a background with a contact shadow by :func:`place`, and
finished with camera noise and lens softness by :func:`soften`. Overlays, borders and quality
degradations take an array and return a new one, so they compose freely::

    img = badge(text_overlay(shot("bottle", label="LOTION"), "包邮"), "roundel", text="正品")

:func:`cases` is the labelled catalogue tests and benchmarks iterate; :func:`write_odd_files`
writes awkward input files (corrupt, truncated, CMYK, animated, EXIF-rotated, a pixel bomb...).
"""

from __future__ import annotations

import io
import math
import struct
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

Array = NDArray[np.uint8]
FloatArray = NDArray[np.float32]
Color = tuple[int, int, int]
Shape = tuple[int, int]
Position = Literal[
    "top-left", "top-right", "bottom-left", "bottom-right", "center", "top", "bottom"
]
Corner = Literal["top-left", "top-right", "bottom-left", "bottom-right"]

#: Supersampling factor for anti-aliased vector drawing.
_SS = 3
#: Light direction (x, y, z) for shading: from the upper left, towards the viewer.
_LIGHT = np.array([-0.45, -0.6, 0.66], dtype=np.float32) / np.linalg.norm([-0.45, -0.6, 0.66])


# --------------------------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------------------------


class FontUnavailableError(RuntimeError):
    """The CJK font package ``noto-cjk-sans-otc`` is not installed."""


@lru_cache(maxsize=1)
def cjk_font_path() -> Path:
    """Path to NotoSansCJK-Regular.ttc from the ``noto-cjk-sans-otc`` package."""
    try:
        import noto_cjk_sans_otc
    except ImportError as exc:
        raise FontUnavailableError(
            "synthetic text needs the 'noto-cjk-sans-otc' package "
            "(pip install 'imagecheck[test]') for NotoSansCJK-Regular.ttc"
        ) from exc
    path = Path(str(noto_cjk_sans_otc.FONT_PATH))
    if not path.is_file():
        raise FontUnavailableError(f"'noto-cjk-sans-otc' is installed but {path} is missing")
    return path


@lru_cache(maxsize=64)
def cjk_font(size: int) -> ImageFont.FreeTypeFont:
    """Noto Sans CJK SC (Simplified Chinese forms, Latin included) at ``size`` pixels."""
    return ImageFont.truetype(str(cjk_font_path()), size=max(1, int(size)), index=2)


# --------------------------------------------------------------------------------------------
# Low-level helpers
# --------------------------------------------------------------------------------------------


def _rgb(color: int | Color) -> Color:
    return (color, color, color) if isinstance(color, int) else color


def _tint(color: Color, k: float) -> Color:
    """``color`` scaled by ``k`` (darker below 1, lighter above), clipped to 0..255."""
    r, g, b = (min(255, max(0, int(c * k))) for c in color)
    return r, g, b


def _u8(img: NDArray[Any]) -> Array:
    return np.asarray(np.clip(np.rint(img), 0, 255), np.uint8)


def _blur(img: NDArray[Any], sigma: float, sigma_y: float = 0.0) -> FloatArray:
    """Gaussian blur in float32 (``sigma_y`` defaults to ``sigma``)."""
    return np.asarray(cv2.GaussianBlur(img.astype(np.float32, copy=False), (0, 0), sigma,
                                       sigmaY=sigma_y), np.float32)


def _clip_slices(
    dst: Shape, src: Shape, x: int, y: int
) -> tuple[tuple[slice, slice], tuple[slice, slice]] | None:
    """Slices pasting a ``src`` block at (x, y) into ``dst``, clipped; None if disjoint."""
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + src[1], dst[1]), min(y + src[0], dst[0])
    if x0 >= x1 or y0 >= y1:
        return None
    return (slice(y0, y1), slice(x0, x1)), (slice(y0 - y, y1 - y), slice(x0 - x, x1 - x))


def _blit(dst: FloatArray, rgb: FloatArray, alpha: FloatArray, x: int, y: int) -> None:
    """Alpha-composite ``rgb``/``alpha`` onto float ``dst`` in place at top-left (x, y)."""
    sl = _clip_slices(dst.shape[:2], alpha.shape, x, y)
    if sl is None:
        return
    d, s = sl
    a = alpha[s][..., None]
    dst[d] = dst[d] * (1 - a) + rgb[s] * a


def _supersampled(shape: Shape, draw: Callable[[ImageDraw.ImageDraw, int], object]) -> FloatArray:
    """Anti-aliased coverage mask in [0, 1] drawn by ``draw(d, scale)`` at _SS x resolution."""
    h, w = shape
    big = Image.new("L", (w * _SS, h * _SS), 0)
    draw(ImageDraw.Draw(big), _SS)
    small = big.resize((w, h), Image.Resampling.BOX)
    return np.asarray(small, dtype=np.float32) / 255.0


def _polygon_mask(shape: Shape, points: Sequence[tuple[float, float]]) -> FloatArray:
    """Anti-aliased coverage of the polygon through ``points`` (pixel coordinates)."""
    return _supersampled(shape, lambda d, s: d.polygon([(x * s, y * s) for x, y in points],
                                                       fill=255))


def _grain(shape: Shape, rng: np.random.Generator, amp: float, sigma: float = 0.0) -> FloatArray:
    """Zero-mean noise field, optionally blurred to a texture scale of ``sigma`` pixels."""
    n = rng.standard_normal(shape).astype(np.float32)
    if sigma > 0:
        n = _blur(n, sigma)
        n /= max(float(n.std()), 1e-6)
    return n * amp


def _smooth_closed(points: Sequence[tuple[float, float]], n: int = 24) -> list[tuple[float, float]]:
    """Closed Catmull-Rom curve through ``points`` (for organic silhouettes)."""
    p = np.asarray(points, dtype=np.float64)
    out: list[tuple[float, float]] = []
    k = len(p)
    for i in range(k):
        p0, p1, p2, p3 = p[i - 1], p[i], p[(i + 1) % k], p[(i + 2) % k]
        for t in np.linspace(0, 1, n, endpoint=False):
            t2, t3 = t * t, t * t * t
            q = 0.5 * (
                2 * p1
                + (-p0 + p2) * t
                + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2
                + (-p0 + 3 * p1 - 3 * p2 + p3) * t3
            )
            out.append((float(q[0]), float(q[1])))
    return out


def _text_rgba(
    text: str,
    size: int,
    fill: Color,
    stroke: int = 0,
    stroke_fill: Color = (255, 255, 255),
) -> Image.Image:
    """Text rendered on a tight transparent RGBA tile (multi-line allowed)."""
    font = cjk_font(size)
    probe = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    x0, y0, x1, y1 = probe.multiline_textbbox((0, 0), text, font=font, stroke_width=stroke,
                                               align="center", spacing=size // 6)
    x0, y0, x1, y1 = math.floor(x0), math.floor(y0), math.ceil(x1), math.ceil(y1)
    tile = Image.new("RGBA", (x1 - x0 + 2, y1 - y0 + 2), (0, 0, 0, 0))
    ImageDraw.Draw(tile).multiline_text(
        (1 - x0, 1 - y0), text, font=font, fill=(*fill, 255), stroke_width=stroke,
        stroke_fill=(*stroke_fill, 255), align="center", spacing=size // 6,
    )
    return tile


def _fit_font_size(text: str, box_w: float, box_h: float, start: int) -> int:
    """Largest font size <= ``start`` whose rendering of ``text`` fits in box_w x box_h."""
    size = max(int(start), 6)
    while size > 6:
        tile = _text_rgba(text, size, (0, 0, 0))
        if tile.width <= box_w and tile.height <= box_h:
            break
        size = int(size * 0.9)
    return size


def _paste_rgba(img: Array, tile: Image.Image, x: int, y: int, opacity: float = 1.0) -> Array:
    """New array with the RGBA ``tile`` composited at (x, y) at ``opacity``."""
    out = img.astype(np.float32)
    t = np.asarray(tile, dtype=np.float32)
    _blit(out, t[..., :3], t[..., 3] / 255.0 * opacity, x, y)
    return _u8(out)


def _anchor(
    shape: Shape, tile_wh: tuple[int, int], position: Position, margin: int
) -> tuple[int, int]:
    """Top-left corner placing a tile of ``tile_wh`` at ``position`` with ``margin``."""
    h, w = shape
    tw, th = tile_wh
    xs = {"left": margin, "center": (w - tw) // 2, "right": w - tw - margin}
    ys = {"top": margin, "center": (h - th) // 2, "bottom": h - th - margin}
    if position == "center":
        return xs["center"], ys["center"]
    if position in ("top", "bottom"):
        return xs["center"], ys[position]
    v, hz = position.split("-")
    return xs[hz], ys[v]


# --------------------------------------------------------------------------------------------
# Sprites: shaded products with soft alpha
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sprite:
    """A product layer: float RGB (h, w, 3) in 0..255 and coverage alpha (h, w) in 0..1."""

    rgb: FloatArray
    alpha: FloatArray

    @property
    def shape(self) -> Shape:
        """(height, width) of the layer."""
        return self.alpha.shape[0], self.alpha.shape[1]


def _stack(shape: Shape, parts: Sequence[tuple[Sprite, int, int]]) -> Sprite:
    """Union of sprites drawn back to front at (x, y) offsets on a layer of ``shape``."""
    rgb = np.zeros((*shape, 3), np.float32)
    alpha = np.zeros(shape, np.float32)
    for s, x, y in parts:
        _blit(rgb, s.rgb, s.alpha, x, y)
        sl = _clip_slices(shape, s.shape, x, y)
        if sl is not None:
            d, src = sl
            alpha[d] = alpha[d] + s.alpha[src] * (1 - alpha[d])
    return Sprite(rgb, alpha)


def _dome(alpha: FloatArray, color: Color, bevel: float, gloss: float = 0.25,
          ambient: float = 0.45) -> FloatArray:
    """Shade a flat silhouette as a rounded solid: bevelled edges lit from the upper left."""
    solid = (alpha > 0.5).astype(np.uint8)
    dist = cv2.distanceTransform(solid, cv2.DIST_L2, 5)
    t = np.clip(dist / max(bevel, 1.0), 0, 1)
    height = np.sqrt(1 - (1 - t) ** 2) * bevel
    height = _blur(height, max(bevel / 8, 1.0))
    gy, gx = np.gradient(height)
    n = np.dstack([-gx, -gy, np.ones_like(gx)])
    n /= np.linalg.norm(n, axis=2, keepdims=True)
    lambert = np.clip(n @ _LIGHT, 0, 1)
    half = _LIGHT + np.array([0, 0, 1], np.float32)
    half /= np.linalg.norm(half)
    spec = np.clip(n @ half, 0, 1) ** 40 * 255 * gloss
    shade = ambient + (1 - ambient) * lambert
    return np.asarray(np.asarray(color, np.float32) * shade[..., None] + spec[..., None])


def _lathe(
    profile: NDArray[np.float64],
    row_color: FloatArray,
    label: FloatArray | None = None,
    label_rows: tuple[int, int] = (0, 0),
    gloss: float = 0.5,
) -> Sprite:
    """A body of revolution seen from the side: ``profile`` gives the half-width per row.

    ``row_color`` (h, 3) colours each row; ``label`` (rows, cols, 4 RGBA) is wrapped round the
    visible half of the cylinder between ``label_rows``, so printed text follows the surface.
    """
    h = len(profile)
    w = int(2 * profile.max()) + 4
    x = np.arange(w, dtype=np.float64) + 0.5 - w / 2
    r = profile[:, None]
    alpha = np.clip(r - np.abs(x)[None, :] + 0.5, 0, 1).astype(np.float32)
    u = np.clip(x[None, :] / np.maximum(r, 1e-3), -1, 1)
    theta = np.arcsin(u)
    base = np.broadcast_to(row_color[:, None, :], (h, w, 3)).astype(np.float32).copy()
    if label is not None:
        y0, y1 = label_rows
        lw = label.shape[1]
        cols = np.clip(((theta[y0:y1] / np.pi + 0.5) * (lw - 1)).round().astype(int), 0, lw - 1)
        rows = np.clip(np.arange(y1 - y0) * label.shape[0] // max(y1 - y0, 1), 0,
                       label.shape[0] - 1)
        tex = label[rows[:, None], cols]
        a = tex[..., 3:4] / 255.0
        base[y0:y1] = base[y0:y1] * (1 - a) + tex[..., :3] * a
    light = -0.55
    lambert = np.clip(np.cos(theta - light), 0, 1)
    shade = (0.42 + 0.58 * lambert) * (1 - 0.25 * np.abs(u) ** 6)
    spec = gloss * 255 * (np.exp(-(((theta + 0.62) / 0.09) ** 2)) + 0.35 * np.exp(
        -(((theta - 1.05) / 0.07) ** 2)))
    rgb = base * shade[..., None].astype(np.float32) + spec[..., None].astype(np.float32)
    return Sprite(rgb.astype(np.float32), alpha)


def _label_texture(
    text: str, shape: Shape, bg: Color, fg: Color, stripe: Color | None
) -> FloatArray:
    """A flat printed label (RGBA float) with centred ``text`` and an optional accent stripe."""
    h, w = shape
    tile = Image.new("RGBA", (w, h), (*bg, 255))
    d = ImageDraw.Draw(tile)
    if stripe is not None:
        d.rectangle([0, int(h * 0.78), w, int(h * 0.86)], fill=(*stripe, 255))
    # The visible half of a cylinder spans the middle of the texture; keep text there.
    size = _fit_font_size(text, w * 0.34, h * 0.6, int(h * 0.4))
    t = _text_rgba(text, size, fg)
    tile.alpha_composite(t, ((w - t.width) // 2, int(h * 0.38 - t.height / 2)))
    return np.asarray(tile, dtype=np.float32)


def _bands(h: int, stops: Sequence[tuple[float, Color]]) -> FloatArray:
    """Per-row colours: each (start_fraction, colour) holds until the next stop."""
    out = np.zeros((h, 3), np.float32)
    for (f, c), nxt in zip(stops, [*stops[1:], (1.0, (0, 0, 0))], strict=True):
        out[int(f * h): int(nxt[0] * h) if nxt[0] < 1 else h] = c
    return out


def _smoothstep(a: float, b: float, t: NDArray[np.float64]) -> NDArray[np.float64]:
    s = np.clip((t - a) / (b - a), 0, 1)
    return s * s * (3 - 2 * s)


def bottle(height: int, color: Color = (236, 236, 232), cap: Color = (40, 40, 44),
           label: str | None = None, label_color: Color = (250, 250, 248),
           ink: Color = (50, 50, 60)) -> Sprite:
    """A lotion/drink bottle: cap, glossy cylindrical shading, optional printed label."""
    t = np.linspace(0, 1, height)
    rmax = 0.2 * height
    neck, body = 0.085 * height, rmax
    profile = neck + (body - neck) * _smoothstep(0.2, 0.36, t)
    profile = np.where(t < 0.13, 0.1 * height, profile)
    profile = profile * (1 - 0.06 * _smoothstep(0.965, 1.0, t))
    rows = _bands(height, [(0.0, cap), (0.13, color)])
    tex, rows_span = None, (0, 0)
    if label:
        y0, y1 = int(0.46 * height), int(0.86 * height)
        tex = _label_texture(label, (y1 - y0, int(np.pi * body)), label_color, ink, ink)
        rows_span = (y0, y1)
    return _lathe(profile, rows, tex, rows_span, gloss=0.55)


def mug(height: int, color: Color = (245, 245, 243), inside: Color | None = None,
        print_text: str | None = None, ink: Color = (200, 40, 40)) -> Sprite:
    """A ceramic mug with a ring handle, rim opening and optional print on its side."""
    body_h = height
    r = 0.4 * height
    t = np.linspace(0, 1, body_h)
    profile = r * (1 - 0.04 * t) * (1 - 0.05 * _smoothstep(0.96, 1.0, t))
    tex, span = None, (0, 0)
    if print_text:
        y0, y1 = int(0.25 * body_h), int(0.8 * body_h)
        tex = _label_texture(print_text, (y1 - y0, int(np.pi * r)), color, ink, None)
        tex[..., 3] = np.where(tex[..., :3].sum(-1) < sum(color) - 30, 255, 0)
        span = (y0, y1)
    body = _lathe(profile, _bands(body_h, [(0.0, color)]), tex, span, gloss=0.45)
    # Rim: a dark elliptical opening at the top.
    rim_h = int(0.14 * r)
    bw = body.shape[1]
    inner = _supersampled((2 * rim_h + 2, bw), lambda d, s: d.ellipse(
        [s * (bw / 2 - r * 0.93), s * 1, s * (bw / 2 + r * 0.93), s * (2 * rim_h)], fill=255))
    inside_c = np.asarray(inside or _tint(color, 0.55), np.float32)
    grad = np.linspace(0.6, 1.0, inner.shape[0], dtype=np.float32)[:, None, None]
    rgb = body.rgb.copy()
    _blit(rgb, np.broadcast_to(inside_c * grad, (*inner.shape, 3)).astype(np.float32), inner, 0, 0)
    alpha = body.alpha.copy()
    top = _supersampled((2 * rim_h + 2, bw), lambda d, s: d.ellipse(
        [s * (bw / 2 - r), 0, s * (bw / 2 + r), s * (2 * rim_h + 1)], fill=255))
    alpha[: top.shape[0]] = np.where(np.arange(top.shape[0])[:, None] < rim_h, top,
                                     alpha[: top.shape[0]])
    body = Sprite(rgb, alpha)
    # Handle: a ring on the right, shaded as a rounded solid.
    hh = int(0.62 * height)
    hw = int(0.34 * height)

    def draw_ring(d: ImageDraw.ImageDraw, s: int) -> None:
        d.ellipse([0, 0, s * hw - 1, s * hh - 1], fill=255)
        d.ellipse([s * hw * 0.02, s * hh * 0.2, s * hw * 0.68, s * hh * 0.8], fill=0)

    ring = _supersampled((hh, hw), draw_ring)
    handle = Sprite(_dome(ring, color, bevel=hw * 0.12, gloss=0.3), ring)
    w = bw + int(hw * 0.75)
    return _stack((height, w), [(handle, bw - int(hw * 0.35), int(0.18 * height)), (body, 0, 0)])


def box(height: int, color: Color = (180, 40, 50), brand: str | None = None,
        ink: Color = (255, 245, 230), depth: float = 0.28) -> Sprite:
    """A product box in three-quarter view (front, side, top faces) with optional printed brand."""
    fw = int(height * 0.72)
    dx, dy = int(fw * depth), int(fw * depth * 0.5)
    w, h = fw + dx + 2, height
    front = [(0, dy), (fw, dy), (fw, h - 1), (0, h - 1)]
    side = [(fw, dy), (fw + dx, 0), (fw + dx, h - 1 - dy), (fw, h - 1)]
    top = [(0, dy), (dx, 0), (fw + dx, 0), (fw, dy)]
    c = np.asarray(color, np.float32)
    faces = [(front, 0.92), (side, 0.62), (top, 1.12)]
    rgb = np.zeros((h, w, 3), np.float32)
    alpha = np.zeros((h, w), np.float32)
    yy = np.linspace(1.04, 0.9, h, dtype=np.float32)[:, None, None]
    for poly, k in faces:
        m = _polygon_mask((h, w), poly)
        _blit(rgb, np.broadcast_to(c * k * yy, (h, w, 3)).astype(np.float32), m, 0, 0)
        alpha = np.maximum(alpha, m)
    # Edge highlight where front meets top.
    edge = _supersampled((h, w), lambda d, s: d.line([(0, dy * s), (fw * s, dy * s)],
                                                     fill=255, width=int(max(2, s * 2))))
    _blit(rgb, np.full((h, w, 3), 255, np.float32), edge * 0.45, 0, 0)
    if brand:
        size = _fit_font_size(brand, fw * 0.8, (h - dy) * 0.3, int(h * 0.16))
        tile = np.asarray(_text_rgba(brand, size, ink), np.float32)
        tx, ty = (fw - tile.shape[1]) // 2, dy + int((h - dy) * 0.32)
        _blit(rgb, tile[..., :3] * 0.95, tile[..., 3] / 255.0, tx, ty)
        band = _supersampled((h, w), lambda d, s: d.rectangle(
            [0, s * (dy + (h - dy) * 0.7), s * fw, s * (dy + (h - dy) * 0.76)], fill=255))
        _blit(rgb, np.broadcast_to(np.asarray(ink, np.float32) * 0.9, (h, w, 3)).copy(), band, 0, 0)
    return Sprite(rgb, alpha)


def phone(height: int, body_color: Color = (60, 62, 70),
          screen: tuple[Color, Color] = ((40, 90, 200), (230, 120, 170))) -> Sprite:
    """A smartphone face-on: rounded-corner body, bezel, wallpaper screen and a glass reflection."""
    w = int(height * 0.49)
    rad = w * 0.16
    body = _supersampled((height, w), lambda d, s: d.rounded_rectangle(
        [0, 0, s * w - 1, s * height - 1], radius=s * rad, fill=255))
    rgb = _dome(body, body_color, bevel=w * 0.05, gloss=0.5, ambient=0.6)
    m = int(w * 0.045)
    scr = _supersampled((height, w), lambda d, s: d.rounded_rectangle(
        [s * m, s * m, s * (w - m), s * (height - m)], radius=s * rad * 0.8, fill=255))
    yy, xx = np.mgrid[0:height, 0:w].astype(np.float32)
    t = np.clip((xx / w + yy / height) / 2, 0, 1)[..., None]
    wall = np.asarray(screen[0], np.float32) * (1 - t) + np.asarray(screen[1], np.float32) * t
    for cx, cy, rr in ((0.3, 0.35, 0.25), (0.7, 0.7, 0.3)):
        blob = np.exp(-(((xx / w - cx) ** 2 + (yy / height - cy) ** 2 * 0.25) / rr**2 * 4))
        wall = wall * (1 - 0.35 * blob[..., None]) + 255 * 0.35 * blob[..., None]
    _blit(rgb, wall.astype(np.float32), scr, 0, 0)
    glare = np.clip(1 - np.abs((xx / w) * 1.2 - (yy / height) * 0.9 - 0.15) / 0.12, 0, 1) * 0.16
    _blit(rgb, np.full((height, w, 3), 255, np.float32), (glare * scr).astype(np.float32), 0, 0)
    cam = _supersampled((height, w), lambda d, s: d.ellipse(
        [s * (w / 2 - w * 0.025), s * m * 0.25, s * (w / 2 + w * 0.025), s * (m * 0.25 + w * 0.05)],
        fill=255))
    _blit(rgb, np.full((height, w, 3), 15, np.float32), cam, 0, 0)
    return Sprite(rgb, body)


def shoe(height: int, color: Color = (45, 50, 70), sole: Color = (235, 235, 232),
         accent: Color = (90, 110, 200), seed: int = 0) -> Sprite:
    """A sneaker in side view: padded upper, collar opening, laces, accent stripe, white sole."""
    w = int(height * 2.3)
    pts = [(0.03, 0.9), (0.0, 0.62), (0.03, 0.3), (0.09, 0.2), (0.2, 0.3), (0.31, 0.1),
           (0.39, 0.13), (0.55, 0.36), (0.76, 0.5), (0.92, 0.58), (0.995, 0.76), (0.97, 0.93),
           (0.5, 0.99)]
    alpha = _polygon_mask((height, w), [(x * w, y * height) for x, y in _smooth_closed(pts)])
    rgb = _dome(alpha, color, bevel=height * 0.3, gloss=0.18)
    rng = np.random.default_rng(seed)
    rgb += _grain((height, w), rng, 7.0, 1.0)[..., None]

    def layer(paint: Color, cover: FloatArray) -> None:
        _blit(rgb, np.broadcast_to(np.asarray(paint, np.float32), (height, w, 3)).copy(),
              cover * alpha, 0, 0)

    def strokes(lines: Sequence[Sequence[tuple[float, float]]], width: float) -> FloatArray:
        def draw(d: ImageDraw.ImageDraw, s: int) -> None:
            for line in lines:
                d.line([(s * w * x, s * height * y) for x, y in line], fill=255,
                       width=max(1, int(s * height * width)), joint="curve")
        return _supersampled((height, w), draw)

    collar = _polygon_mask((height, w), [(x * w, y * height) for x, y in _smooth_closed(
        [(0.08, 0.24), (0.18, 0.33), (0.29, 0.18), (0.2, 0.25)], 12)])
    layer(_tint(color, 0.35), collar)
    layer(accent, strokes([[(0.22, 0.74), (0.45, 0.52), (0.7, 0.66)]], 0.06) * 0.9)
    laces = [[(0.36 + 0.05 * i, 0.2 + 0.055 * i), (0.42 + 0.05 * i, 0.25 + 0.05 * i)]
             for i in range(5)]
    layer((238, 238, 238), strokes(laces, 0.03))
    layer(_tint(color, 1.5),
          strokes([[(0.8, 0.56), (0.93, 0.64), (0.98, 0.76)]], 0.02) * 0.5)
    yy, xx = np.mgrid[0:height, 0:w].astype(np.float32)
    sole_top = 0.76 * height + 0.05 * height * np.cos((xx / w) * np.pi)
    sole_m = (yy > sole_top).astype(np.float32) * alpha
    _blit(rgb, _dome(sole_m, sole, bevel=height * 0.06, gloss=0.1, ambient=0.7), sole_m, 0, 0)
    tread = (np.abs(yy - (sole_top + 0.12 * height)) < max(1.0, height * 0.008)).astype(np.float32)
    layer(_tint(sole, 0.75), tread * sole_m)
    return Sprite(rgb.astype(np.float32), alpha)


def garment(height: int, color: Color = (70, 110, 170), seed: int = 0) -> Sprite:
    """A T-shirt laid flat: silhouette with sleeves, neckline, soft folds and fabric weave."""
    w = int(height * 1.15)
    pts = [(0.38, 0.02), (0.5, 0.09), (0.62, 0.02), (0.8, 0.07), (1.0, 0.3), (0.86, 0.42),
           (0.78, 0.33), (0.79, 0.98), (0.21, 0.98), (0.22, 0.33), (0.14, 0.42), (0.0, 0.3),
           (0.2, 0.07)]
    alpha = _polygon_mask((height, w), [(x * w, y * height) for x, y in pts])
    rgb = _dome(alpha, color, bevel=height * 0.06, gloss=0.05, ambient=0.65)
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:w].astype(np.float32)
    folds = _grain((height, w), rng, 1.0, height * 0.05)
    folds += 0.6 * np.sin((xx * 0.7 + yy) / height * 9)
    weave = _grain((height, w), rng, 4.0, 0.6)
    rgb = rgb * (1 + 0.06 * folds[..., None]) + weave[..., None]
    neck = _supersampled((height, w), lambda d, s: d.chord(
        [s * w * 0.4, -s * height * 0.06, s * w * 0.6, s * height * 0.14], 0, 180, fill=255))
    _blit(rgb, rgb * 0.55, neck * alpha, 0, 0)
    return Sprite(rgb.astype(np.float32), alpha)


#: Product kinds by name; each maker takes the sprite height first.
PRODUCTS: dict[str, Callable[..., Sprite]] = {
    "bottle": bottle,
    "box": box,
    "mug": mug,
    "shoe": shoe,
    "phone": phone,
    "garment": garment,
}


# --------------------------------------------------------------------------------------------
# Backgrounds
# --------------------------------------------------------------------------------------------


def solid(shape: Shape = (800, 800), color: int | Color = 255) -> Array:
    """A uniform background: 255 pure white, 250 near-white, 240-246 off-white, ~200 grey..."""
    return np.full((*shape, 3), _rgb(color), np.uint8)


def gradient(shape: Shape = (800, 800), start: int | Color = 255, end: int | Color = 215,
             kind: Literal["vertical", "radial"] = "vertical") -> Array:
    """A studio sweep: vertical top-to-bottom or radial centre-to-corner colour gradient."""
    h, w = shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "vertical":
        t = yy / max(h - 1, 1)
    else:
        t = np.hypot((xx - w / 2) / (w / 2), (yy - h / 2) / (h / 2)) / math.sqrt(2)
    t = t[..., None]
    a, b = np.asarray(_rgb(start), np.float32), np.asarray(_rgb(end), np.float32)
    return _u8(a * (1 - t) + b * t)


def wood(shape: Shape = (800, 800), seed: int = 0, color: Color = (176, 124, 82)) -> Array:
    """A wooden table top: planks with warped grain lines, knots and varying tone."""
    h, w = shape
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    plank_h = h / 5
    plank = np.floor(yy / plank_h)
    def along(sx: float, sy: float) -> FloatArray:
        n = _blur(rng.standard_normal(shape), sx, sy)
        return n / max(float(n.std()), 1e-6)

    streaks = along(60, 1.2)
    warp = along(w * 0.2, h * 0.04) * 2.5 + streaks * 0.8
    grain = (np.sin(yy * 0.18 + warp + plank * 37) * 0.5 + 0.5) ** 4
    tone = 0.85 + 0.15 * np.sin(plank * 2.3 + 1)[..., None]
    shade = (1 - 0.25 * grain + 0.04 * streaks)[..., None] * tone
    gap = (np.abs((yy % plank_h) - plank_h) < 2) | ((yy % plank_h) < 2)
    img = np.asarray(color, np.float32) * shade
    img[gap] *= 0.55
    for _ in range(2):
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        knot = np.exp(-(((xx - cx) / 18) ** 2 + ((yy - cy) / 8) ** 2))
        img *= (1 - 0.35 * knot)[..., None]
    return _u8(img)


def carpet(shape: Shape = (800, 800), seed: int = 0, color: Color = (128, 118, 112)) -> Array:
    """A carpet/rug: dense fibre noise with a faint woven diamond pattern."""
    h, w = shape
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    fibre = _grain(shape, rng, 0.12, 0.7) + _grain(shape, rng, 0.06, 3.0)
    pattern = 0.05 * np.sign(np.sin((xx + yy) / 14) * np.sin((xx - yy) / 14))
    img = np.asarray(color, np.float32) * (1 + fibre + pattern)[..., None]
    img += _grain(shape, rng, 6.0, 0)[..., None] * np.array([1.0, 0.9, 0.8], np.float32)
    return _u8(img)


def room(shape: Shape = (800, 800), seed: int = 0) -> Array:
    """A lifestyle room corner: striped wallpaper, skirting board, wood floor and window light."""
    h, w = shape
    horizon = int(h * 0.62)
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:horizon, 0:w].astype(np.float32)
    stripes = 0.04 * (np.sin(xx / w * 2 * np.pi * 14) > 0.6)
    wall = np.asarray((232, 224, 210), np.float32) * (1 - stripes)[..., None]
    wall = wall * (1 + _grain((horizon, w), rng, 0.01, 2.0))[..., None]
    floor = wood((h - horizon, w), seed=seed + 1, color=(150, 105, 70)).astype(np.float32)
    img = np.concatenate([wall, floor], axis=0)
    img[horizon - int(h * 0.03): horizon] = (245, 244, 240)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    light = np.exp(-(((xx - w * 0.8) / (w * 0.35)) ** 2 + ((yy - h * 0.3) / (h * 0.5)) ** 2))
    vignette = 1 - 0.25 * (((xx - w / 2) / w) ** 2 + ((yy - h / 2) / h) ** 2) * 4
    img = img * (0.85 + 0.25 * light)[..., None] * vignette[..., None]
    return _u8(_blur(img, 1.2))


#: Lifestyle background makers by name.
SCENES: dict[str, Callable[..., Array]] = {"wood": wood, "carpet": carpet, "room": room}


# --------------------------------------------------------------------------------------------
# Composition and finishing
# --------------------------------------------------------------------------------------------


def place(background: Array, sprite: Sprite, at: tuple[float, float] = (0.5, 0.5),
          shadow: float = 0.35) -> Array:
    """Composite ``sprite`` centred at fractional ``at`` (x, y) with a soft contact shadow."""
    h, w = background.shape[:2]
    sh, sw = sprite.shape
    x, y = int(at[0] * w - sw / 2), int(at[1] * h - sh / 2)
    out = background.astype(np.float32)
    if shadow > 0:
        pad = int(sh * 0.25)
        cover = np.zeros((sh + 2 * pad, sw + 2 * pad), np.float32)
        cover[pad: pad + sh, pad: pad + sw] = sprite.alpha
        ambient = np.roll(_blur(cover, sh * 0.03), int(sh * 0.015), axis=0)
        cols = np.flatnonzero(sprite.alpha[int(sh * 0.9):].max(axis=0) > 0.5)
        contact = np.zeros_like(cover)
        if cols.size:
            c0, c1 = cols[0] + pad, cols[-1] + pad
            cy = pad + sh - 1
            ey = max(sh * 0.025, 2)
            cv2.ellipse(contact, (int((c0 + c1) / 2), int(cy)), (int((c1 - c0) * 0.55), int(ey)),
                        0, 0, 360, 1.0, -1)
            contact = _blur(contact, max(sh * 0.012, 1.5))
        dark = np.clip(shadow * 0.45 * ambient + shadow * contact, 0, 0.85)
        _blit(out, np.zeros((*dark.shape, 3), np.float32), dark, x - pad, y - pad)
    _blit(out, sprite.rgb, sprite.alpha, x, y)
    return _u8(out)


def soften(img: Array, seed: int = 0, noise: float = 1.2, sigma: float = 0.55) -> Array:
    """Camera finish: slight lens softness and sensor noise (pure white stays near 255)."""
    rng = np.random.default_rng(seed)
    out = _blur(img, sigma)
    out += _grain(img.shape[:2], rng, noise)[..., None]
    return _u8(out)


def _background(shape: Shape, background: int | Color | str | Array, seed: int) -> Array:
    if isinstance(background, np.ndarray):
        return background
    if isinstance(background, str):
        return SCENES[background](shape, seed=seed)
    return solid(shape, background)


def _sized(kind: str, shape: Shape, fill: float, **product: object) -> Sprite:
    """Product ``kind`` whose longer extent (relative to the canvas) covers ``fill`` of it."""
    make = PRODUCTS[kind]
    h, w = shape
    sprite = make(max(int(h * fill), 8), **product)
    sh, sw = sprite.shape
    if sw / w > sh / h:
        sprite = make(max(int(sh * fill * w / sw), 8), **product)
    return sprite


def shot(kind: str = "bottle", shape: Shape = (800, 800),
         background: int | Color | str | Array = 255, at: tuple[float, float] = (0.5, 0.5),
         fill: float = 0.7, seed: int = 0, shadow: float = 0.35, **product: object) -> Array:
    """A finished product photo: product ``kind`` spanning ``fill`` of the frame on a background."""
    bg = _background(shape, background, seed)
    return soften(place(bg, _sized(kind, shape, fill, **product), at, shadow), seed)


#: Typical height of each product relative to a bottle, for groups.
_RELATIVE_HEIGHT: dict[str, float] = {"bottle": 1.0, "box": 0.8, "mug": 0.6, "phone": 0.9,
                                      "shoe": 0.45, "garment": 1.0}


def product_set(kinds: Sequence[str] = ("bottle", "box", "mug"), shape: Shape = (800, 800),
                background: int | Color | str | Array = 255, fill: float = 0.9,
                seed: int = 0) -> Array:
    """Several products standing side by side on one baseline, spanning ``fill`` of the width."""
    bg = _background(shape, background, seed)
    h, w = shape
    gap = 0.04 * w

    def build(top: float) -> list[Sprite]:
        return [PRODUCTS[k](max(int(top * _RELATIVE_HEIGHT[k]), 8)) for k in kinds]

    sprites = build(h * 0.7)
    total = sum(s.shape[1] for s in sprites) + gap * (len(kinds) - 1)
    if total > fill * w:
        sprites = build(h * 0.7 * fill * w / total)
        total = sum(s.shape[1] for s in sprites) + gap * (len(kinds) - 1)
    x = (w - total) / 2
    base_y = 0.5 * h + max(s.shape[0] for s in sprites) / 2
    for s in sprites:
        bg = place(bg, s, ((x + s.shape[1] / 2) / w, (base_y - s.shape[0] / 2) / h))
        x += s.shape[1] + gap
    return soften(bg, seed)


# --------------------------------------------------------------------------------------------
# Borders
# --------------------------------------------------------------------------------------------


def frame(img: Array, width: int = 2, color: int | Color = 0, inset: int = 0,
          dash: int = 0) -> Array:
    """A frame round the edge: thin line, thick band, coloured, inset by white margin, dashed."""
    out = img.copy()
    h, w = out.shape[:2]
    if inset:
        out[:inset], out[-inset:], out[:, :inset], out[:, -inset:] = 255, 255, 255, 255
    c = np.asarray(_rgb(color), np.uint8)
    a, b = inset, inset + width
    mask = np.zeros((h, w), bool)
    mask[a:b, a: w - a] = mask[h - b: h - a, a: w - a] = True
    mask[a: h - a, a:b] = mask[a: h - a, w - b: w - a] = True
    if dash:
        yy, xx = np.mgrid[0:h, 0:w]
        mask &= ((xx + yy) // dash) % 2 == 0
    out[mask] = c
    return out


def letterbox(img: Array, bar: float = 0.12, color: int | Color = 0) -> Array:
    """Letterbox bars: the picture squeezed between solid bars at top and bottom only."""
    h, w = img.shape[:2]
    b = int(h * bar)
    inner = cv2.resize(img, (w, h - 2 * b), interpolation=cv2.INTER_AREA)
    out = np.empty_like(img)
    out[:] = _rgb(color)
    out[b: h - b] = inner
    return out


# --------------------------------------------------------------------------------------------
# Quality degradations
# --------------------------------------------------------------------------------------------


def gaussian_blur(img: Array, sigma: float = 4.0) -> Array:
    """Out-of-focus blur with a Gaussian of ``sigma`` pixels."""
    return np.asarray(cv2.GaussianBlur(img, (0, 0), sigma), np.uint8)


def motion_blur(img: Array, length: int = 25, angle: float = 0.0) -> Array:
    """Camera-shake blur along a line of ``length`` pixels at ``angle`` degrees."""
    k = np.zeros((length, length), np.float32)
    k[length // 2, :] = 1
    rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1.0)
    k = np.asarray(cv2.warpAffine(k, rot, (length, length)), np.float32)
    return np.asarray(cv2.filter2D(img, -1, k / k.sum(), borderType=cv2.BORDER_REPLICATE),
                      np.uint8)


def upscaled(
    img: Array, factor: int = 4, method: Literal["nearest", "bilinear"] = "bilinear"
) -> Array:
    """A low-resolution copy blown back up: downscale by ``factor``, upscale to the same size."""
    h, w = img.shape[:2]
    small = cv2.resize(img, (w // factor, h // factor), interpolation=cv2.INTER_AREA)
    interp = cv2.INTER_NEAREST if method == "nearest" else cv2.INTER_LINEAR
    return np.asarray(cv2.resize(small, (w, h), interpolation=interp), np.uint8)


def jpeg_bytes(img: Array, quality: int = 20) -> bytes:
    """The image encoded as JPEG at ``quality`` (4:2:0 subsampling, like most web JPEGs)."""
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def jpeg_roundtrip(img: Array, quality: int = 20) -> Array:
    """The image after a JPEG encode/decode at ``quality``: blocking and ringing artefacts."""
    return np.asarray(Image.open(io.BytesIO(jpeg_bytes(img, quality))).convert("RGB"))


def stretched(img: Array, factor: float = 1.3, axis: Literal["x", "y"] = "x") -> Array:
    """Distorted aspect: the image stretched by ``factor`` along one axis (new shape)."""
    h, w = img.shape[:2]
    size = (int(w * factor), h) if axis == "x" else (w, int(h * factor))
    return np.asarray(cv2.resize(img, size, interpolation=cv2.INTER_LINEAR), np.uint8)


# --------------------------------------------------------------------------------------------
# Overlays: text, badges, watermarks, logos
# --------------------------------------------------------------------------------------------

def text_overlay(img: Array, text: str = "包邮", size: float = 0.08,
                 color: Color = (230, 30, 40), position: Position = "top-left",
                 stroke: float = 0.0, margin: float = 0.04,
                 stroke_color: Color = (255, 255, 255)) -> Array:
    """Promotional text at a corner, centre, top or bottom; ``size`` is a fraction of height."""
    h = img.shape[0]
    px = int(h * size)
    tile = _text_rgba(text, px, color, stroke=int(px * stroke), stroke_fill=stroke_color)
    x, y = _anchor(img.shape[:2], tile.size, position, int(h * margin))
    return _paste_rgba(img, tile, x, y)


def banner(img: Array, text: str = "限时秒杀 全场包邮", edge: Literal["top", "bottom"] = "bottom",
           height: float = 0.14, color: Color = (225, 35, 45),
           text_color: Color = (255, 240, 120)) -> Array:
    """A solid promotional strip across the top or bottom edge carrying ``text``."""
    out = img.copy()
    h, w = out.shape[:2]
    bh = int(h * height)
    rows = slice(0, bh) if edge == "top" else slice(h - bh, h)
    out[rows] = color
    size = _fit_font_size(text, w * 0.9, bh * 0.75, int(bh * 0.6))
    tile = _text_rgba(text, size, text_color)
    y0 = rows.start + (bh - tile.height) // 2
    return _paste_rgba(out, tile, (w - tile.width) // 2, y0)


def _badge_layer(shape_name: str, s: int, color: Color, text: str | None,
                 corner: Corner) -> Image.Image:
    """An RGBA badge tile of side ``s`` drawn for ``corner`` (ribbons run across the corner)."""
    big = s * _SS
    tile = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    d = ImageDraw.Draw(tile)
    fill = (*color, 255)
    light = (*_tint(color, 1.4), 255)
    text_box = (0.7, 0.5)
    if shape_name == "roundel":
        d.ellipse([0, 0, big - 1, big - 1], fill=fill)
        m = big * 0.07
        d.ellipse([m, m, big - m, big - m], outline=light, width=max(2, big // 40))
    elif shape_name == "starburst":
        n, cx = 18, big / 2
        pts = [(cx + (cx if i % 2 == 0 else cx * 0.8) * math.cos(i * math.pi / n),
                cx + (cx if i % 2 == 0 else cx * 0.8) * math.sin(i * math.pi / n))
               for i in range(2 * n)]
        d.polygon(pts, fill=fill)
        text_box = (0.62, 0.45)
    elif shape_name == "rect":
        d.rounded_rectangle([0, big * 0.25, big - 1, big * 0.75], radius=big * 0.08, fill=fill)
        text_box = (0.85, 0.38)
    elif shape_name == "price_tag":
        d.polygon([(0, big * 0.5), (big * 0.22, big * 0.2), (big - 1, big * 0.2),
                   (big - 1, big * 0.8), (big * 0.22, big * 0.8)], fill=fill)
        r = big * 0.05
        d.ellipse([big * 0.14 - r, big * 0.5 - r, big * 0.14 + r, big * 0.5 + r],
                  fill=(255, 255, 255, 255))
        text_box = (0.62, 0.45)
    elif shape_name == "ribbon":
        a, b = big * 0.3, big * 0.72
        d.polygon([(a, 0), (b, 0), (0, b), (0, a)], fill=fill)
        text_box = (0.6, 0.22)
    else:
        raise ValueError(f"unknown badge shape {shape_name!r}; use one of {BADGE_SHAPES}")
    if text:
        size = _fit_font_size(text, s * text_box[0], s * text_box[1], int(s * 0.3))
        t = _text_rgba(text, size * _SS, (255, 255, 255))
        if shape_name == "ribbon":
            t = t.rotate(45, expand=True, resample=Image.Resampling.BICUBIC)
            cx = cy = big * 0.255
        else:
            cx = big * (0.57 if shape_name == "price_tag" else 0.5)
            cy = big * 0.5
        tile.alpha_composite(t, (int(cx - t.width / 2), int(cy - t.height / 2)))
    tile = tile.resize((s, s), Image.Resampling.LANCZOS)
    v, hz = corner.split("-")
    if hz == "right":
        tile = tile.transpose(Image.Transpose.FLIP_LEFT_RIGHT) if shape_name == "ribbon" else tile
    if v == "bottom" and shape_name == "ribbon":
        tile = tile.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    return tile


#: Badge shapes :func:`badge` draws.
BADGE_SHAPES: tuple[str, ...] = ("roundel", "starburst", "ribbon", "rect", "price_tag")


def badge(img: Array, shape: str = "roundel", text: str | None = "正品",
          corner: Corner = "top-left", color: Color = (220, 30, 40), size: float = 0.2,
          margin: float = 0.02) -> Array:
    """A corner badge (roundel, starburst, diagonal ribbon, rect tag, price tag) with optional text.

    Text on a ribbon reads correctly only in the top-left corner; elsewhere it is mirrored, as
    with a flipped sticker.
    """
    h = img.shape[0]
    s = int(h * size)
    tile = _badge_layer(shape, s, color, text, corner)
    m = 0 if shape == "ribbon" else int(h * margin)
    x, y = _anchor(img.shape[:2], tile.size, corner, m)
    return _paste_rgba(img, tile, x, y)


def watermark(img: Array, text: str = "小明家居旗舰店", opacity: float = 0.25,
              tiled: bool = True, angle: float = 30.0, size: float = 0.05,
              color: Color = (120, 120, 120), position: Position = "center") -> Array:
    """Semi-transparent text: tiled and rotated across the image, or one mark at ``position``."""
    h, w = img.shape[:2]
    px = max(int(h * size), 8)
    tile = _text_rgba(text, px, color)
    if not tiled:
        tile = tile.rotate(angle, expand=True, resample=Image.Resampling.BICUBIC)
        x, y = _anchor((h, w), tile.size, position, int(h * 0.03))
        return _paste_rgba(img, tile, x, y, opacity)
    side = int(math.hypot(h, w)) + tile.width
    layer = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    sx, sy = int(tile.width * 1.6), int(tile.height * 4)
    for row, yy in enumerate(range(0, side, sy)):
        for xx in range(-(row % 2) * sx // 2, side, sx):
            layer.alpha_composite(tile, (xx, yy))
    layer = layer.rotate(angle, resample=Image.Resampling.BICUBIC)
    return _paste_rgba(img, layer, (w - side) // 2, (h - side) // 2, opacity)


def stock_grid(img: Array, opacity: float = 0.3, spacing: float = 0.16,
               text: str = "stockphotos") -> Array:
    """A stock-agency watermark: a faint diagonal line lattice with the agency name centred."""
    h, w = img.shape[:2]
    layer = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    step = int(h * spacing)
    lw = max(1, h // 400)
    for k in range(-h, w + h, step):
        d.line([(k, 0), (k + h, h)], fill=(255, 255, 255, 255), width=lw + 1)
        d.line([(k, h), (k + h, 0)], fill=(255, 255, 255, 255), width=lw + 1)
        d.line([(k + 2, 0), (k + h + 2, h)], fill=(90, 90, 90, 160), width=lw)
    t = _text_rgba(text, int(h * 0.09), (255, 255, 255), stroke=max(1, h // 300),
                   stroke_fill=(90, 90, 90))
    layer.alpha_composite(t, ((w - t.width) // 2, (h - t.height) // 2))
    return _paste_rgba(img, layer, 0, 0, opacity)


def logo_mark(img: Array, corner: Corner = "top-left", name: str = "LUMA",
              color: Color = (30, 90, 200), size: float = 0.07) -> Array:
    """A small brand mark (coloured rounded square with an initial, plus wordmark)."""
    h = img.shape[0]
    s = max(int(h * size), 12)
    word = _text_rgba(name, int(s * 0.6), (40, 40, 40))
    tile = Image.new("RGBA", (s + int(s * 0.2) + word.width, s), (0, 0, 0, 0))
    icon = Image.new("RGBA", (s * _SS, s * _SS), (0, 0, 0, 0))
    ImageDraw.Draw(icon).rounded_rectangle([0, 0, s * _SS - 1, s * _SS - 1], radius=s * _SS // 4,
                                           fill=(*color, 255))
    icon = icon.resize((s, s), Image.Resampling.LANCZOS)
    ini = _text_rgba(name[0], int(s * 0.6), (255, 255, 255))
    icon.alpha_composite(ini, ((s - ini.width) // 2, (s - ini.height) // 2))
    tile.alpha_composite(icon, (0, 0))
    tile.alpha_composite(word, (s + int(s * 0.2), (s - word.height) // 2))
    x, y = _anchor(img.shape[:2], tile.size, corner, int(h * 0.03))
    return _paste_rgba(img, tile, x, y)


# --------------------------------------------------------------------------------------------
# Comparisons and collages
# --------------------------------------------------------------------------------------------


def _fit(img: Array, shape: Shape, cover: bool = False) -> Array:
    """``img`` scaled into ``shape``: cropped to cover it, or padded with its corner colour."""
    h, w = shape
    ih, iw = img.shape[:2]
    k = max(h / ih, w / iw) if cover else min(h / ih, w / iw)
    rw, rh = max(1, round(iw * k)), max(1, round(ih * k))
    r = cv2.resize(img, (rw, rh), interpolation=cv2.INTER_AREA)
    out = np.empty((h, w, 3), np.uint8)
    out[:] = img[0, 0]
    y, x = (rh - h) // 2, (rw - w) // 2
    sl = _clip_slices((h, w), (rh, rw), -x, -y)
    assert sl is not None
    out[sl[0]] = r[sl[1]]
    return out


def _mark(img: Array, good: bool, cx: int, cy: int, r: int) -> Array:
    """A check (green) or cross (red) disc drawn as vector strokes at (cx, cy)."""
    tile = Image.new("RGBA", (2 * r * _SS, 2 * r * _SS), (0, 0, 0, 0))
    d = ImageDraw.Draw(tile)
    R = r * _SS
    d.ellipse([0, 0, 2 * R - 1, 2 * R - 1], fill=(40, 170, 80, 255) if good else (220, 40, 40, 255))
    wdt = max(3, R // 5)
    if good:
        d.line([(R * 0.55, R * 1.0), (R * 0.9, R * 1.35), (R * 1.5, R * 0.65)],
               fill=(255, 255, 255, 255), width=wdt, joint="curve")
    else:
        d.line([(R * 0.6, R * 0.6), (R * 1.4, R * 1.4)], fill=(255, 255, 255, 255), width=wdt)
        d.line([(R * 1.4, R * 0.6), (R * 0.6, R * 1.4)], fill=(255, 255, 255, 255), width=wdt)
    tile = tile.resize((2 * r, 2 * r), Image.Resampling.LANCZOS)
    return _paste_rgba(img, tile, cx - r, cy - r)


def comparison(left: Array, right: Array, marker: Literal["VS", "对比", "checks"] | None = None,
               divider: bool = True) -> Array:
    """Two panels side by side (same size as ``left``), optionally with VS/对比 or ✓/✗ markers."""
    h, w = left.shape[:2]
    half = w // 2
    out = np.concatenate([_fit(left, (h, half)), _fit(right, (h, w - half))], axis=1)
    if divider:
        out[:, half - max(1, w // 200): half + max(1, w // 200)] = (200, 200, 200)
    if marker in ("VS", "对比"):
        r = int(h * 0.08)
        disc = Image.new("RGBA", (2 * r, 2 * r), (0, 0, 0, 0))
        ImageDraw.Draw(disc).ellipse([0, 0, 2 * r - 1, 2 * r - 1], fill=(230, 60, 30, 255))
        t = _text_rgba(marker, int(r * 0.8), (255, 255, 255))
        disc.alpha_composite(t, ((2 * r - t.width) // 2, (2 * r - t.height) // 2))
        out = _paste_rgba(out, disc, half - r, h // 2 - r)
    elif marker == "checks":
        r = int(h * 0.05)
        out = _mark(out, True, half // 2, int(h * 0.1), r)
        out = _mark(out, False, half + half // 2, int(h * 0.1), r)
    return out


def collage(images: Sequence[Array], layout: Literal["2x2", "3x1"] = "2x2",
            shape: Shape | None = None, gap: int = 6) -> Array:
    """Panels tiled in a 2x2 grid or a 3x1 row with white gutters."""
    h, w = shape or images[0].shape[:2]
    rows, cols = (2, 2) if layout == "2x2" else (1, 3)
    out = np.full((h, w, 3), 255, np.uint8)
    ph, pw = (h - gap * (rows - 1)) // rows, (w - gap * (cols - 1)) // cols
    for i in range(rows * cols):
        r, c = divmod(i, cols)
        y, x = r * (ph + gap), c * (pw + gap)
        out[y: y + ph, x: x + pw] = _fit(images[i % len(images)], (ph, pw))
    return out


def picture_in_picture(base: Array, inset: Array, corner: Corner = "bottom-right",
                       size: float = 0.32, border: int = 4) -> Array:
    """A small framed inset photo over a corner of ``base``."""
    h, w = base.shape[:2]
    s = int(h * size)
    tile = np.full((s, s, 3), 255, np.uint8)
    tile[border: s - border, border: s - border] = _fit(inset, (s - 2 * border, s - 2 * border),
                                                      cover=True)
    rgba = Image.fromarray(np.dstack([tile, np.full((s, s), 255, np.uint8)]), "RGBA")
    x, y = _anchor((h, w), (s, s), corner, int(h * 0.03))
    return _paste_rgba(base, rgba, x, y)


# --------------------------------------------------------------------------------------------
# Saving
# --------------------------------------------------------------------------------------------


def save(img: Array, path: str | Path, format: str | None = None, quality: int = 90) -> Path:
    """Write ``img`` to ``path`` (format from the suffix unless given; JPEG/WebP at ``quality``)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fmt = (format or Image.registered_extensions().get(p.suffix.lower(), "PNG")).upper()
    kwargs: dict[str, object] = {"quality": quality} if fmt in ("JPEG", "WEBP") else {}
    if fmt == "JPEG":
        kwargs["subsampling"] = 0 if quality >= 90 else 2
    Image.fromarray(img).save(p, fmt, **kwargs)
    return p


# --------------------------------------------------------------------------------------------
# The labelled catalogue
# --------------------------------------------------------------------------------------------

#: Expected-field vocabulary: the dataset's labels plus quality/composition fields.
#: True = the thing is present (a violation, except white_background/centred where
#: False is the violation); None = ambiguous, do not score.
CLEAN: dict[str, bool | None] = {
    "white_background": True,
    "centred": True,
    "text": False,
    "logo": False,
    "border": False,
    "corner_badge": False,
    "watermark": False,
    "blurry": False,
    "upscaled": False,
    "compressed": False,
    "stretched": False,
    "comparison": False,
    "collage": False,
    "small_subject": False,
    "touches_edge": False,
}


@dataclass(frozen=True)
class Case:
    """A named synthetic image and the fields a correct checker should report for it."""

    name: str
    image: Array = field(repr=False)
    expect: dict[str, bool | None]


def _e(**changes: bool | None) -> dict[str, bool | None]:
    return {**CLEAN, **changes}


def _catalogue(shape: Shape) -> dict[str, tuple[Callable[[], Array], dict[str, bool | None]]]:
    """Case builders by name (built lazily so :func:`case` makes only what it is asked for)."""
    def base(kind: str = "bottle", **kw: object) -> Array:
        return shot(kind, shape, **kw)  # type: ignore[arg-type]

    grey_bg = {"white_background": False}
    cs: dict[str, tuple[Callable[[], Array], dict[str, bool | None]]] = {
        # Clean products on pure white.
        "clean_bottle": (lambda: base("bottle", fill=0.78), _e()),
        "clean_box": (lambda: base("box", fill=0.66), _e()),
        "clean_mug": (lambda: base("mug", fill=0.55), _e()),
        "clean_shoe": (lambda: base("shoe", fill=0.8), _e()),
        "clean_phone": (lambda: base("phone", fill=0.8), _e()),
        "clean_garment": (lambda: base("garment", fill=0.8, shadow=0.15), _e()),
        "printed_label_bottle": (lambda: base("bottle", fill=0.8, label="基础润肤乳液\nLOTION",
                                              color=(250, 250, 248), cap=(235, 235, 235)), _e()),
        "printed_brand_box": (lambda: base("box", fill=0.66, brand="LUMA 茶"), _e()),
        "printed_mug": (lambda: base("mug", fill=0.55, print_text="HELLO"), _e()),
        "white_on_white": (lambda: base("mug", fill=0.55, color=(248, 248, 246),
                                        inside=(215, 215, 212)), _e()),
        "white_box_on_white": (lambda: base("box", fill=0.6, color=(246, 246, 244)), _e()),
        "touching_edge": (lambda: base("phone", fill=1.0, at=(0.5, 0.52)),
                          _e(touches_edge=True)),
        "touching_edge_side": (lambda: base("shoe", fill=0.95, at=(0.38, 0.5)),
                               _e(touches_edge=True, centred=None)),
        "off_centre": (lambda: base("bottle", fill=0.55, at=(0.25, 0.62)), _e(centred=False)),
        "tiny_product": (lambda: base("box", fill=0.12), _e(small_subject=True)),
        "product_set": (lambda: product_set(("bottle", "box", "mug"), shape), _e()),
        # Backgrounds.
        "bg_near_white_250": (lambda: base(background=250), _e()),
        "bg_offwhite_244": (lambda: base(background=244), _e(white_background=None)),
        "bg_light_grey_240": (lambda: base(background=240), _e(white_background=None)),
        "bg_grey_200": (lambda: base(background=200), _e(**grey_bg)),
        "bg_coloured": (lambda: base(background=(250, 214, 222)), _e(**grey_bg)),
        "bg_gradient_vertical": (lambda: base(background=gradient(shape, 250, 205)), _e(**grey_bg)),
        "bg_gradient_radial": (lambda: base(background=gradient(shape, 255, 200, "radial")),
                               _e(**grey_bg)),
        "bg_wood": (lambda: base("mug", fill=0.5, background="wood"), _e(**grey_bg)),
        "bg_carpet": (lambda: base("shoe", fill=0.75, background="carpet"), _e(**grey_bg)),
        "bg_room": (lambda: base("box", fill=0.45, background="room", at=(0.5, 0.62)),
                    _e(white_background=False, centred=None)),
        # Borders.
        "border_hairline_faint": (lambda: frame(base(), 1, 225), _e(border=None)),
        "border_thin_line": (lambda: frame(base(), 2, 0), _e(border=True)),
        "border_thick_band": (lambda: frame(base(), 30, 225), _e(border=True)),
        "border_coloured": (lambda: frame(base(), 12, (220, 30, 40)), _e(border=True)),
        "border_inset_line": (lambda: frame(base(), 3, (200, 40, 40), inset=20), _e(border=True)),
        "border_dashed": (lambda: frame(base(), 8, (250, 120, 0), dash=16), _e(border=True)),
        "letterbox": (lambda: letterbox(base()), _e(border=None, white_background=None)),
        # Quality.
        "blur_gaussian": (lambda: gaussian_blur(base(), 5), _e(blurry=True)),
        "blur_motion": (lambda: motion_blur(base(), 31, 15), _e(blurry=True)),
        "upscaled_4x_nearest": (lambda: upscaled(base(), 4, "nearest"), _e(upscaled=True)),
        "upscaled_2x_bilinear": (lambda: upscaled(base(), 2, "bilinear"), _e(upscaled=True)),
        "jpeg_q12": (lambda: jpeg_roundtrip(base("box", brand="LUMA"), 12), _e(compressed=True)),
        "jpeg_q28": (lambda: jpeg_roundtrip(base("shoe", fill=0.8), 28), _e(compressed=True)),
        "stretched_1_3x": (lambda: stretched(base("mug", fill=0.55)), _e(stretched=True)),
        # Text overlays.
        "text_baoyou_corner": (lambda: text_overlay(base(), "包邮", 0.1), _e(text=True)),
        "text_miaosha_centre": (lambda: text_overlay(base(), "限时秒杀", 0.12, (255, 200, 0),
                                                     "center", stroke=0.08), _e(text=True)),
        "text_price_bottom_right": (lambda: text_overlay(base(), "¥99", 0.09, (220, 20, 20),
                                                         "bottom-right"), _e(text=True)),
        "text_sale_top": (lambda: text_overlay(base("shoe", fill=0.8), "50% OFF SALE", 0.07,
                                               (20, 20, 20), "top"), _e(text=True)),
        "text_small_english": (lambda: text_overlay(base(), "FREE SHIPPING", 0.035, (60, 60, 60),
                                                    "bottom-left"), _e(text=True)),
        "text_small_chinese": (lambda: text_overlay(base(), "正品保证 假一赔十", 0.03,
                                                    (90, 90, 90), "bottom-left"), _e(text=True)),
        "text_on_product": (lambda: text_overlay(base("box", fill=0.7), "限时秒杀", 0.1,
                                                 (255, 235, 80), "center", 0.05,
                                                 stroke_color=(90, 0, 0)),
                            _e(text=True)),
        "text_banner_bottom": (lambda: banner(base("phone", fill=0.7, at=(0.5, 0.44))),
                               _e(text=True)),
        "text_banner_top": (lambda: banner(base("box", fill=0.6, at=(0.5, 0.56)), "新品 正品保证",
                                           "top", 0.12, (20, 20, 20), (255, 255, 255)),
                            _e(text=True)),
        # Corner badges.
        "badge_roundel": (lambda: badge(base(), "roundel", "正品\n保证"),
                          _e(corner_badge=True, text=True)),
        "badge_starburst": (lambda: badge(base(), "starburst", "SALE", "top-right", (250, 180, 0)),
                            _e(corner_badge=True, text=True)),
        "badge_ribbon": (lambda: badge(base(), "ribbon", "新品", size=0.26),
                         _e(corner_badge=True, text=True)),
        "badge_rect_tag": (lambda: badge(base(), "rect", "限时秒杀", "bottom-left", size=0.24),
                           _e(corner_badge=True, text=True)),
        "badge_price_tag": (lambda: badge(base(), "price_tag", "¥99", "bottom-right",
                                          (240, 80, 20), 0.22), _e(corner_badge=True, text=True)),
        "badge_plain_roundel": (lambda: badge(base(), "roundel", None, "top-right", (30, 120, 220),
                                              0.14), _e(corner_badge=True)),
        # Watermarks and logos.
        "watermark_tiled_10": (lambda: watermark(base(), opacity=0.1),
                               _e(watermark=True, text=None)),
        "watermark_tiled_30": (lambda: watermark(base("garment", fill=0.8), "taobao.example",
                                                 0.3, angle=-25), _e(watermark=True, text=None)),
        "watermark_single_50": (lambda: watermark(base(), "SAMPLE", 0.5, tiled=False, size=0.15,
                                                  color=(200, 40, 40)),
                                _e(watermark=True, text=None)),
        "watermark_tiled_50": (lambda: watermark(base("shoe", fill=0.8), "优品小店 正品", 0.5,
                                                 angle=20, size=0.04, color=(170, 170, 170)),
                               _e(watermark=True, text=None)),
        "watermark_url": (lambda: watermark(base(), "www.example-shop.com", 0.4, tiled=False,
                                            angle=0, size=0.035, position="bottom-right"),
                          _e(watermark=True, text=None)),
        "watermark_stock_grid": (lambda: stock_grid(base("bottle", fill=0.78, background="wood")),
                                 _e(watermark=True, text=None, white_background=False)),
        "logo_mark": (lambda: logo_mark(base()), _e(logo=True, text=None)),
        # Comparisons and collages.
        "comparison_plain": (lambda: comparison(base("mug"), base("mug", color=(90, 140, 200))),
                             _e(comparison=True, centred=None)),
        "comparison_no_divider": (lambda: comparison(base("box"), base("box", color=(40, 90, 160)),
                                                     divider=False),
                                  _e(comparison=True, centred=None)),
        "comparison_vs": (lambda: comparison(base(), base("box"), "VS"),
                          _e(comparison=True, centred=None, text=True)),
        "comparison_duibi": (lambda: comparison(base("shoe"), base("shoe", color=(150, 60, 40)),
                                                "对比"),
                             _e(comparison=True, centred=None, text=True)),
        "comparison_checks": (lambda: comparison(base(), gaussian_blur(base(), 3), "checks"),
                              _e(comparison=True, centred=None)),
        "collage_2x2": (lambda: collage([base(k) for k in ("bottle", "box", "mug", "phone")]),
                        _e(collage=True, centred=None)),
        "collage_3x1": (lambda: collage([base(k) for k in ("shoe", "garment", "mug")], "3x1"),
                        _e(collage=True, centred=None)),
        "collage_pip": (lambda: picture_in_picture(base("phone", fill=0.8), base("box")),
                        _e(collage=True)),
    }
    return cs


def case_names(shape: Shape = (800, 800)) -> list[str]:
    """Names of all catalogue cases, in catalogue order."""
    return list(_catalogue(shape))


def case(name: str, shape: Shape = (800, 800)) -> Case:
    """Build one catalogue case by name."""
    make, expect = _catalogue(shape)[name]
    return Case(name, make(), dict(expect))


def cases(shape: Shape = (800, 800), names: Sequence[str] | None = None) -> list[Case]:
    """The labelled catalogue: every case (or those in ``names``) with its expected fields."""
    cat = _catalogue(shape)
    return [Case(n, cat[n][0](), dict(cat[n][1])) for n in (names or list(cat))]


# --------------------------------------------------------------------------------------------
# Odd input files
# --------------------------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _bomb_png(side: int = 16000) -> bytes:
    """A valid 1-bit PNG of side x side pixels (a decompression bomb) in a few tens of KB."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    comp = zlib.compressobj(9)
    body = b"".join(comp.compress(row * 1000) for _ in range(side // 1000))
    body += comp.compress(row * (side % 1000)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", body)
            + _png_chunk(b"IEND", b""))


def _asymmetric(shape: Shape = (300, 400)) -> Array:
    """White image with a red block top-left and a blue bar along the bottom (orientation probe)."""
    h, w = shape
    img = solid(shape, 255)
    img[: h // 4, : w // 4] = (220, 30, 30)
    img[h - h // 8:, :] = (30, 60, 220)
    return img


def write_odd_files(folder: str | Path) -> dict[str, Path]:
    """Write awkward input files into ``folder``; returns them by name.

    ``exif_rotated`` is stored 400x300 with a red block top-left and orientation 6, so once
    EXIF-transposed it is 300x400 with the red block top-right. ``bomb`` is a valid 16000x16000
    PNG that Pillow refuses as a decompression bomb.
    """
    d = Path(folder)
    d.mkdir(parents=True, exist_ok=True)
    photo = shot("bottle", (240, 240), seed=3)
    jpg = jpeg_bytes(photo, 85)
    files: dict[str, Path] = {}

    def put(name: str, filename: str, data: bytes | Image.Image, **kw: Any) -> None:
        p = d / filename
        if isinstance(data, bytes):
            p.write_bytes(data)
        else:
            data.save(p, **kw)
        files[name] = p

    pil = Image.fromarray(photo)
    put("empty", "empty.jpg", b"")
    put("truncated_jpeg", "truncated.jpg", jpg[: len(jpg) // 2])
    put("corrupt_jpeg", "corrupt.jpg", bytes(np.random.default_rng(1).integers(0, 256, 4096,
                                                                              dtype=np.uint8)))
    put("text_as_png", "notes.png", "这不是图片 not an image\n".encode())
    put("cmyk_jpeg", "cmyk.jpg", pil.convert("CMYK"), format="JPEG", quality=90)
    g16 = (np.asarray(pil.convert("L"), np.uint16) * 257).astype(np.uint16)
    put("gray16_png", "gray16.png", Image.fromarray(g16), format="PNG")
    put("gray_jpeg", "gray.jpg", pil.convert("L"), format="JPEG", quality=90)
    sprite = bottle(220)
    cut = _stack((300, 300), [(sprite, (300 - sprite.shape[1]) // 2, 40)])
    rgba = np.dstack([_u8(cut.rgb), _u8(cut.alpha * 255)])
    rgba_img = Image.fromarray(rgba, "RGBA")
    put("rgba_png", "transparent.png", rgba_img, format="PNG")
    put("la_png", "la.png", rgba_img.convert("LA"), format="PNG")
    pal = rgba_img.convert("RGB").quantize(63)
    pal_arr = np.asarray(pal).copy()
    pal_arr[rgba[..., 3] < 128] = 63
    p_img = Image.fromarray(pal_arr, "P")
    palette = pal.getpalette() or []
    p_img.putpalette(palette[: 63 * 3] + [255, 255, 255])
    put("palette_png", "palette.png", p_img, format="PNG", transparency=63)
    frames = [Image.fromarray(_asymmetric((240, 240)))] + [Image.fromarray(photo)] * 2
    put("animated_gif", "animated.gif", frames[0], format="GIF", save_all=True,
        append_images=frames[1:], duration=200, loop=0)
    put("animated_webp", "animated.webp", frames[0], format="WEBP", save_all=True,
        append_images=frames[1:], duration=200, loop=0, quality=80)
    exif = Image.Exif()
    exif[0x0112] = 6
    put("exif_rotated", "rotated.jpg", Image.fromarray(_asymmetric()), format="JPEG",
        quality=90, exif=exif)
    put("bomb", "bomb.png", _bomb_png())
    put("chinese_name", "主图 白底.jpg", jpg)
    put("spaces_name", "detail image 2.png", pil, format="PNG")
    put("wrong_extension", "real_image.dat", jpg)
    return files
