"""A seeded fuzz harness over what imagecheck reads: images, paths, caches, profiles, CSVs.

Each case feeds one mutated input to the public entry point that reads it and counts:

- crash: any exception other than the documented error (``InputError`` for images,
  ``ShopInputError`` for shop files), or an IN005 "check could not run" finding;
- hang: a case that took longer than ``--limit`` seconds (checked with ``SIGALRM``);
- silent skip: an input file missing from the report of a folder scan;
- overwrite: an input file whose bytes changed.

``tests/test_fuzz.py`` runs it in CI at a small size; on demand:

    python tests/fuzz.py --cases 300 [--seed 1] [--limit 20]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import random
import signal
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from PIL import Image

from imagecheck.check import check_image
from imagecheck.cli import main as cli
from imagecheck.config import build_settings
from imagecheck.loading import InputError, load_bytes
from imagecheck.shop.model import ShopInputError
from imagecheck.shop.profiles import read_profile
from imagecheck.shop.readers import read_chats, read_orders, read_tracking

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "shop"
SETTINGS = build_settings(ocr="none")


class Hang(Exception):
    """A case ran past its time limit."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise Hang

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def seed_images(rng: random.Random) -> list[bytes]:
    """Small valid images in every format the loader reads, and odd modes."""
    arr = np.asarray(np.random.default_rng(rng.randrange(1 << 30)).integers(
        0, 255, (48, 64, 3)), dtype=np.uint8)
    img = Image.fromarray(arr)
    out = []
    for fmt, mode, extra in [("JPEG", "RGB", {}), ("JPEG", "L", {"progressive": True}),
                             ("PNG", "RGBA", {}), ("PNG", "P", {}), ("PNG", "I;16", {}),
                             ("GIF", "P", {}), ("WEBP", "RGB", {}), ("BMP", "RGB", {}),
                             ("TIFF", "CMYK", {})]:
        buf = io.BytesIO()
        frame = img.convert("L").convert(mode) if mode == "I;16" else img.convert(mode)
        if fmt == "GIF":
            frame.save(buf, fmt, save_all=True, append_images=[frame.rotate(90)])
        else:
            frame.save(buf, fmt, **extra)
        out.append(buf.getvalue())
    return out


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to four random edits: bit flips, byte runs, cuts, insertions, header sizes."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(6)
        if not out:
            out = bytearray(b"\0")
        at = rng.randrange(len(out))
        if kind == 0:
            out[at] ^= 1 << rng.randrange(8)
        elif kind == 1:
            out[at:at + rng.randint(1, 16)] = bytes(rng.randrange(256) for _ in range(8))
        elif kind == 2:
            del out[at:]
        elif kind == 3:
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
        elif kind == 4:  # a large dimension where a header keeps one
            out[at:at + 2] = rng.choice([b"\xff\xff", b"\x7f\xff", b"\x00\x00", b"\x1b\x58"])
        else:
            out += bytes(rng.randrange(256) for _ in range(rng.randint(1, 256)))
    return bytes(out)


def case_image(rng: random.Random, seeds: list[bytes], folder: Path) -> str | None:
    """Decode and fully check one mutated image; ``None`` when all is well."""
    data = mutate(rng.choice(seeds), rng)
    try:
        load_bytes(data)
    except InputError:
        pass
    result = check_image(data, "main", SETTINGS)
    crashed = [f.message for f in result.findings if f.code == "IN005"]
    return crashed[0] if crashed else None


#: Characters that make file names awkward, with a non-UTF-8 byte among them.
NAME_PARTS = ["-", "=", "+", "@", " ", "\n", "\t", "..", "主图", "é", "\u202e", "'", '"', "<",
              "&", ";", "$(x)", "%s", "~", "#"]


def case_paths(rng: random.Random, seeds: list[bytes], folder: Path) -> str | None:
    """Scan a folder of awkwardly named files in every format; each must be reported, and
    no input changed."""
    root = Path(tempfile.mkdtemp(dir=folder))
    names = set()
    for i in range(4):
        name = "".join(rng.choice(NAME_PARTS) for _ in range(rng.randint(1, 4))) + f"{i}.jpg"
        raw = os.fsencode(root) + b"/" + os.fsencode(name.replace("/", "_"))
        if rng.random() < 0.3:
            raw = raw[:-4] + b"\xff.jpg"
        with open(raw, "wb") as fh:
            fh.write(rng.choice(seeds) if rng.random() < 0.7 else mutate(rng.choice(seeds), rng))
        names.add(raw)
    before = {p: hashlib.sha256(open(p, "rb").read()).digest() for p in names}
    fmt = rng.choice(["json", "text", "csv", "html", "sarif", "junit"])
    out = root.parent / f"{root.name}.{fmt}"
    result = CliRunner().invoke(cli, ["scan", "--ocr", "none", "--jobs", "1", "-f", fmt,
                                      "-o", str(out), str(root)])
    if result.exit_code not in (0, 1, 2) or result.exception and not isinstance(
            result.exception, SystemExit):
        return f"scan exited {result.exit_code}: {result.exception!r}"
    if "internal error" in result.output:
        return result.output.strip()
    if any(hashlib.sha256(open(p, "rb").read()).digest() != d for p, d in before.items()):
        return "overwrite: an input changed"
    if fmt == "json":
        reported = {os.fsencode(i["path"]) for i in json.loads(out.read_bytes())["images"]}
        if reported != names:
            return f"silent skip: {sorted(names - reported)}"
    return None


def case_cache(rng: random.Random, seeds: list[bytes], folder: Path) -> str | None:
    """Audit through a cache whose database file has random damage."""
    root = Path(tempfile.mkdtemp(dir=folder))
    (root / "l").mkdir()
    (root / "l" / "a.jpg").write_bytes(seeds[0])
    cache = root / "cache"
    args = ["audit", "--ocr", "none", "--jobs", "1", "--quiet", "--cache-dir", str(cache),
            "-f", "json", str(root / "l")]
    CliRunner().invoke(cli, args)
    db = cache / "results.sqlite"
    if db.exists():
        db.write_bytes(mutate(db.read_bytes(), rng))
    extra = ["--clear-cache"] if rng.random() < 0.3 else []
    result = CliRunner().invoke(cli, args[:1] + extra + args[1:])
    if result.exit_code not in (0, 1) or "internal error" in result.output:
        return f"audit exited {result.exit_code}: {result.output[-200:]!r}"
    return None


def case_profile(rng: random.Random, seeds: list[bytes], folder: Path) -> str | None:
    """Read a mutated shop profile (TOML, YAML or JSON)."""
    source = rng.choice(sorted(EXAMPLES.glob("profile.*")))
    path = Path(tempfile.mkdtemp(dir=folder)) / source.name
    path.write_bytes(mutate(source.read_bytes(), rng))
    with contextlib.suppress(ShopInputError):
        read_profile(path)
    return None


def case_csv(rng: random.Random, seeds: list[bytes], folder: Path) -> str | None:
    """Read a mutated chat, order or tracking export."""
    name, reader = rng.choice([("chats.csv", read_chats), ("orders.csv", read_orders),
                               ("tracking.csv", read_tracking)])
    path = Path(tempfile.mkdtemp(dir=folder)) / name
    path.write_bytes(mutate((EXAMPLES / name).read_bytes(), rng))
    with contextlib.suppress(ShopInputError):
        reader(path)  # type: ignore[operator]
    return None


CASES: dict[str, Callable[[random.Random, list[bytes], Path], str | None]] = {
    "image": case_image, "paths": case_paths, "cache": case_cache,
    "profile": case_profile, "csv": case_csv,
}


def run(cases: int, seed: int = 0, limit: float = 20.0) -> dict[str, Counter[str]]:
    """Run ``cases`` cases of every kind; return counts by kind and outcome, with the
    first failures' messages kept under ``failures``."""
    rng = random.Random(seed)
    seeds = seed_images(rng)
    counts: dict[str, Counter[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind, case in CASES.items():
            tally = counts.setdefault(kind, Counter())
            for i in range(cases):
                outcome = "ok"
                try:
                    with time_limit(limit):
                        problem = case(random.Random(f"{seed}-{kind}-{i}"), seeds, Path(tmp))
                    if problem:
                        outcome = problem.split(":")[0] if problem.startswith(
                            ("overwrite", "silent skip")) else "crash"
                        tally[f"{outcome}: {problem[:160]}"] += 1
                except Hang:
                    outcome = "hang"
                except Exception as exc:  # noqa: BLE001 - every other exception is a crash
                    outcome = "crash"
                    tally[f"crash: {type(exc).__name__}: {str(exc)[:160]}"] += 1
                tally[outcome] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--cases", type=int, default=100, help="cases of each kind")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--limit", type=float, default=20.0, help="seconds before a case hangs")
    args = ap.parse_args(argv)
    counts = run(args.cases, args.seed, args.limit)
    bad = 0
    for kind, tally in counts.items():
        outcomes = {k: v for k, v in tally.items() if ":" not in k}
        print(f"{kind:8} " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
        for k, v in tally.items():
            if ":" in k:
                print(f"    {v} x {k}")
        bad += sum(v for k, v in outcomes.items() if k != "ok")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
