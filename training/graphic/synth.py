"""Rendered graphics for the graphic-vs-photo model: logos, seals, signs, clip-art.

Every graphic is drawn from a seed (reproducible): one to four flat-filled shapes and
words in a few colours, on white, on a flat colour, as a coloured tile or on
transparency; drawn large and scaled down (anti-aliased edges), sometimes softened,
then stored as JPEG (quality 55-95) or PNG at 120-900 pixels.
"""

from __future__ import annotations

import io
import math
import random
import string

from PIL import Image, ImageDraw, ImageFilter, ImageFont

PALETTE = [
    (0, 0, 0), (20, 20, 20), (200, 16, 46), (230, 0, 18), (0, 56, 168), (0, 114, 206),
    (255, 204, 0), (255, 121, 0), (0, 150, 57), (120, 40, 140), (90, 90, 90), (180, 150, 80),
    (212, 175, 55), (0, 160, 220), (240, 90, 40), (255, 255, 255), (60, 60, 60),
    (140, 0, 30), (0, 80, 50), (250, 220, 180),
]
WORDS = ["QUALITY", "STOP", "SALE", "BRAND", "NOVA", "ACME", "ZETA", "LUMA", "100%", "BEST",
         "TOP", "PRO", "FRESH", "ORIGINAL", "PREMIUM", "OK", "AX", "MAX", "VITA", "KOI"]


def _colour(rng: random.Random, avoid: tuple[int, int, int] | None = None) -> tuple[int, ...]:
    while True:
        c = rng.choice(PALETTE) if rng.random() < 0.8 else tuple(
            rng.randrange(256) for _ in range(3))
        if avoid is None or sum(abs(a - b) for a, b in zip(c, avoid, strict=True)) > 120:
            return c


def _word(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return rng.choice(WORDS)
    return "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.randint(1, 7)))


def _star(cx: float, cy: float, r0: float, r1: float, n: int, rot: float) -> list:
    pts = []
    for i in range(2 * n):
        r = r0 if i % 2 == 0 else r1
        a = rot + math.pi * i / n
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return pts


def _shape(draw: ImageDraw.ImageDraw, rng: random.Random, box: tuple[float, ...],
           fill: tuple[int, ...], bg: tuple[int, ...]) -> None:
    x0, y0, x1, y1 = box
    cx, cy, r = (x0 + x1) / 2, (y0 + y1) / 2, min(x1 - x0, y1 - y0) / 2
    kind = rng.choice(["ellipse", "rect", "round", "poly", "star", "seal", "ring", "stripes",
                       "arc", "swoosh", "text", "text"])
    width = max(2, int(r * rng.uniform(0.04, 0.15)))
    if kind == "ellipse":
        draw.ellipse(box, fill=fill)
    elif kind == "rect":
        draw.rectangle(box, fill=fill)
    elif kind == "round":
        draw.rounded_rectangle(box, radius=r * rng.uniform(0.1, 0.5), fill=fill)
    elif kind == "poly":
        n = rng.randint(3, 8)
        draw.regular_polygon((cx, cy, r), n, rotation=rng.uniform(0, 90), fill=fill)
    elif kind == "star":
        draw.polygon(_star(cx, cy, r, r * rng.uniform(0.4, 0.6), rng.randint(5, 8),
                           rng.uniform(0, 1)), fill=fill)
    elif kind == "seal":
        draw.polygon(_star(cx, cy, r, r * 0.9, rng.randint(16, 30), 0), fill=fill)
        draw.ellipse((cx - 0.75 * r, cy - 0.75 * r, cx + 0.75 * r, cy + 0.75 * r),
                     outline=bg, width=width)
    elif kind == "ring":
        draw.ellipse(box, outline=fill, width=width * 2)
    elif kind == "stripes":
        n = rng.randint(2, 4)
        for i in range(n):
            t = y0 + (y1 - y0) * i / n
            draw.polygon([(x0 + i * r * 0.2, t + (y1 - y0) / n * 0.7),
                          (x1, t), (x1, t + (y1 - y0) / n * 0.5),
                          (x0 + i * r * 0.2, t + (y1 - y0) / n)], fill=fill)
    elif kind == "arc":
        draw.arc(box, rng.uniform(0, 180), rng.uniform(200, 360), fill=fill, width=width * 3)
    elif kind == "swoosh":
        draw.chord(box, rng.uniform(0, 90), rng.uniform(150, 250), fill=fill)
        draw.chord((x0 + r * 0.2, y0 - r * 0.2, x1 + r * 0.2, y1 - r * 0.3), 0, 360, fill=bg)
    else:
        word = _word(rng)
        size = max(8, int((x1 - x0) / max(1, len(word)) * rng.uniform(1.0, 1.6)))
        font = ImageFont.load_default(size=size)
        tw = draw.textlength(word, font=font)
        draw.text((cx - tw / 2, cy - size / 2), word, fill=fill, font=font)


def render(seed: int) -> bytes:
    """One graphic, encoded as the file a shop would upload."""
    rng = random.Random(seed)
    side = rng.randint(120, 900)
    aspect = rng.choice([1.0, 1.0, 1.0, rng.uniform(0.6, 1.8)])
    w, h = side, max(60, int(side / aspect))
    big = 3
    W, H = w * big, h * big
    ground = rng.random()
    transparent = ground < 0.12
    bg = (255, 255, 255) if ground < 0.7 else _colour(rng)
    img = Image.new("RGBA", (W, H), (*bg, 0 if transparent else 255))
    draw = ImageDraw.Draw(img)
    if rng.random() < 0.25:  # a logo tile: a coloured panel filling most of the frame
        tile = _colour(rng, bg)
        m = rng.uniform(0.0, 0.12)
        draw.rectangle((W * m, H * m, W * (1 - m), H * (1 - m)), fill=tile)
        bg = tile
    fills = [_colour(rng, bg) for _ in range(rng.randint(1, 3))]
    m = rng.uniform(0.05, 0.3)
    area = (W * m, H * m, W * (1 - m), H * (1 - m))
    for i in range(rng.randint(1, 4)):
        if i == 0:
            box = area
        else:
            bw = (area[2] - area[0]) * rng.uniform(0.2, 0.8)
            bh = (area[3] - area[1]) * rng.uniform(0.2, 0.8)
            bx = rng.uniform(area[0], area[2] - bw)
            by = rng.uniform(area[1], area[3] - bh)
            box = (bx, by, bx + bw, by + bh)
        _shape(draw, rng, box, rng.choice(fills + [bg]) if i else fills[0], bg)
    img = img.resize((w, h), Image.Resampling.LANCZOS)
    if rng.random() < 0.2:
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.0)))
    out = io.BytesIO()
    if transparent or rng.random() < 0.25:
        img.save(out, "PNG")
    else:
        img.convert("RGB").save(out, "JPEG", quality=rng.randint(55, 95))
    return out.getvalue()
