"""``imagecheck fix`` on the dev images that fail: what passes after, what could not be fixed
and why, whether the product was preserved, and what it costs against ``scan``.

    python benchmarks/fix.py [DATASET] [--platform pdd] [--jobs N] [--ocr-memo [DIR]]
        [--json OUT] [--show] [--keep DIR] [--max-upscale X]
    python benchmarks/fix.py --speed N [--platform pdd]    (N 0: every failing image)

Every image is fixed as a main image (as benchmarks/accuracy.py checks them), its copy
written to a temporary folder and re-checked with the same settings. Product preservation
is measured on every copy: the original is put through the copy's geometry (crop, scale,
placement) and compared inside the product mask (the subject less the overlays filled,
eroded by one working pixel, the mask's own resolution): SSIM of the luma and the mean
absolute difference of the channels. ``--speed N`` times ``scan`` and ``fix`` of N failing
images alternately in one process (no OCR memo; CPU and wall time) and prints the medians
and the worst per-image ratio.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from imagecheck import build_settings
from imagecheck.analysis.facts import Facts
from imagecheck.check import check_image
from imagecheck.config import Settings
from imagecheck.fix.api import fix_image
from imagecheck.fix.canvas import place
from imagecheck.fix.model import FixOptions
from imagecheck.loading import load_path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dataset_options  # noqa: E402

#: ../shared beside the checkout (or beside the worktrees' folder).
DEFAULT_DATASET = next(
    (p for p in (Path(__file__).resolve().parents[i] / "shared" / "datasets" / "listing-dev"
                 for i in (2, 3)) if p.is_dir()),
    Path(__file__).resolve().parents[2] / "shared" / "datasets" / "listing-dev")
#: The preservation criterion of issue 16.
MIN_SSIM = 0.98
MAX_MAD = 2.0

_settings: Settings | None = None
_out: Path | None = None
_options = FixOptions()


def _init(settings: Settings, out: Path, options: FixOptions) -> None:
    global _settings, _out, _options
    _settings, _out, _options = settings, out, options


def fix_one(path: Path) -> dict[str, Any]:
    """Fix ``path`` and measure its copy."""
    assert _settings is not None and _out is not None
    result = fix_image(path, "main", _settings, out=_out / (path.stem + ".jpg"),
                       options=_options)
    row: dict[str, Any] = {"file": path.name,
                           "verdict": result.verdict(_settings.fail_on)}
    record = result.fix
    if record is None:
        return row
    row.update(before=list(record.before), passing=list(record.passing),
               failing=dict(record.failing), output=record.output,
               applied=[a.name for a in record.applied])
    if record.output:
        row["preserved"] = preservation(path, Path(record.output),
                                        [(a.name, dict(a.params)) for a in record.applied])
    return row


def preservation(original: Path, copy: Path,
                 applied: list[tuple[str, dict[str, Any]]]) -> dict[str, float]:
    """SSIM and mean absolute difference of the copy against the original put through the
    same geometry, inside the product mask."""
    image = load_path(original)
    facts = Facts(image)
    k = facts.scale
    mask = facts.subject.mask.astype(np.uint8)
    mask = cv2.erode(mask, np.ones((3, 3), np.uint8))
    mask = cv2.resize(mask, (mask.shape[1] * k, mask.shape[0] * k),
                      interpolation=cv2.INTER_NEAREST)
    full = np.zeros(image.rgb.shape[:2], np.uint8)
    full[: mask.shape[0], : mask.shape[1]] = mask[: full.shape[0], : full.shape[1]]
    ref, mask = image.rgb, full
    for name, params in applied:
        if name == "crop-border":
            x0, y0, x1, y1 = params["box"]
            ref, mask = ref[y0:y1, x0:x1], mask[y0:y1, x0:x1]
        elif name == "remove-overlay":
            for region in params["regions"]:
                x0, y0, x1, y1 = region["box"]
                mask[y0:y1, x0:x1] = 0
        elif name == "recanvas":
            side = params["canvas"][0]
            at = tuple(params["at"])
            ref = place(ref, params["scale"], at, side)  # type: ignore[arg-type]
            mask = place(mask, params["scale"], at, side, cv2.INTER_NEAREST)  # type: ignore[arg-type]
    out = load_path(copy).rgb
    inside = mask > 0
    if out.shape != ref.shape or not inside.any():
        return {"ssim": float("nan"), "mad": float("nan"), "pixels": 0}
    mad = float(np.abs(out.astype(np.int16) - ref.astype(np.int16))[inside].mean())
    return {"ssim": round(ssim_inside(ref, out, inside), 4), "mad": round(mad, 3),
            "pixels": int(inside.sum())}


def ssim_inside(a: np.ndarray, b: np.ndarray, inside: np.ndarray) -> float:
    """The mean SSIM (luma, Gaussian window of 1.5 px) over the pixels ``inside``."""
    x = cv2.cvtColor(a, cv2.COLOR_RGB2GRAY).astype(np.float64)
    y = cv2.cvtColor(b, cv2.COLOR_RGB2GRAY).astype(np.float64)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2

    def blur(z: np.ndarray) -> np.ndarray:
        return np.asarray(cv2.GaussianBlur(z, (11, 11), 1.5))

    mx, my = blur(x), blur(y)
    sxx, syy, sxy = blur(x * x) - mx * mx, blur(y * y) - my * my, blur(x * y) - mx * my
    ssim = ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2))
    return float(ssim[inside].mean())


def speed(dataset: Path, settings: Settings, n: int) -> None:
    """Scan, then fix where the scan fails, the images of ``dataset`` in turn (every
    third, for variety; all of them with ``n`` 0) until ``n`` have failed; then scan the
    copy, for the floor of an honest re-check (the original's analysis plus the copy's).
    CPU time of this process (the OCR runs in it) and wall time."""
    images = sorted(p for p in (dataset / "images").iterdir() if p.is_file())
    images = images[::3] if n else images
    rows: list[tuple[str, float, float, float, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in images:
            c, t = time.process_time(), time.perf_counter()
            verdict = check_image(path, "main", settings).verdict(settings.fail_on)
            scan_cpu, scan_wall = time.process_time() - c, time.perf_counter() - t
            if verdict != "fail":
                continue
            c, t = time.process_time(), time.perf_counter()
            copy = Path(tmp) / (path.stem + ".jpg")
            fix_image(path, "main", settings, out=copy)
            fix_cpu, fix_wall = time.process_time() - c, time.perf_counter() - t
            c = time.process_time()
            if copy.is_file():
                check_image(copy, "main", settings)
            rows.append((path.name, scan_cpu, fix_cpu, scan_wall, fix_wall,
                         scan_cpu + (time.process_time() - c if copy.is_file() else 0)))
            if len(rows) == n:
                break
    print(f"{len(rows)} failing images, one process, scan then fix of each in turn")
    for label, s, f in (("CPU", 1, 2), ("wall", 3, 4)):
        scans, fixes = [r[s] for r in rows], [r[f] for r in rows]
        ratios = [r[f] / r[s] for r in rows]
        print(f"{label}: scan median {statistics.median(scans) * 1000:.0f} ms, fix median"
              f" {statistics.median(fixes) * 1000:.0f} ms; per-image ratio median"
              f" {statistics.median(ratios):.2f}x, max {max(ratios):.2f}x, over 3x"
              f" {sum(r > 3 for r in ratios)}; totals {sum(fixes) / sum(scans):.2f}x")
    floor = [r[2] / r[5] for r in rows]
    print(f"CPU against scanning the original and then the copy (the two analyses a fix"
          f" must do): median {statistics.median(floor):.2f}x, max {max(floor):.2f}x")
    worst = sorted(rows, key=lambda r: r[2] / r[1], reverse=True)[:5]
    print("highest CPU ratios: " + ", ".join(
        f"{r[0]} {r[2] / r[1]:.2f}x ({r[2] / r[5]:.2f}x of original + copy)" for r in worst))


def main(argv: list[str] | None = None) -> int:
    ap = dataset_options.parser(__doc__, DEFAULT_DATASET, jobs=2, memo_help=(
        "keep OCR results on disk between runs (not with --speed)"))
    ap.add_argument("--json", type=Path, help="write every image's row here")
    ap.add_argument("--show", action="store_true", help="list every image's outcome")
    ap.add_argument("--keep", type=Path, help="write the copies here (default: discarded)")
    ap.add_argument("--max-upscale", type=float, default=FixOptions().max_upscale)
    ap.add_argument("--speed", type=int, metavar="N",
                    help="time scan against fix on N failing images (0: all)")
    args = ap.parse_args(argv)
    settings = build_settings({}, platform=args.platform, ocr=args.ocr)
    if args.speed is not None:
        speed(args.dataset, settings, args.speed)
        return 0
    dataset_options.install_ocr(args, args.ocr or "rapidocr")
    images = sorted(p for p in (args.dataset / "images").iterdir() if p.is_file())
    with tempfile.TemporaryDirectory() as tmp, ProcessPoolExecutor(
            max(1, args.jobs), initializer=_init,
            initargs=(settings, args.keep or Path(tmp),
                      FixOptions(max_upscale=args.max_upscale))) as pool:
        rows = list(pool.map(fix_one, images, chunksize=4))
    report(rows, args.show)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


def report(rows: list[dict[str, Any]], show: bool) -> None:
    """Print the figures."""
    failing = [r for r in rows if r.get("before")]
    copies = [r for r in failing if r.get("output")]
    passed = [r for r in failing if r["verdict"] == "pass"]
    print(f"{len(rows)} images; {len(failing)} fail a scan as main images; {len(copies)}"
          f" copies made; {len(passed)} pass after fix ({len(failing) - len(copies)} with"
          " nothing fixable)")
    before = Counter(c for r in failing for c in r["before"])
    fixed = Counter(c for r in failing for c in r["passing"])
    print(f"\n{'rule':7} {'failed':>6} {'fixed':>6} {'still':>6}")
    for code, n in sorted(before.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"{code:7} {n:6} {fixed[code]:6} {n - fixed[code]:6}")
    reasons = Counter((c, re.sub(r" ?\(#[0-9A-F]{6}\)", "", why))
                      for r in failing for c, why in r["failing"].items())
    print("\nstill failing, by rule and reason:")
    for (code, why), n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {n:4}  {code}  {why}")
    measured = [r for r in copies if r.get("preserved", {}).get("pixels")]
    kept = [r for r in measured
            if r["preserved"]["ssim"] >= MIN_SSIM or r["preserved"]["mad"] <= MAX_MAD]
    ssims = [r["preserved"]["ssim"] for r in measured]
    mads = [r["preserved"]["mad"] for r in measured]
    if measured:
        print(f"\nproduct preserved (SSIM >= {MIN_SSIM} or MAD <= {MAX_MAD}):"
              f" {len(kept)}/{len(measured)} copies; SSIM median {statistics.median(ssims):.4f}"
              f" min {min(ssims):.4f}; MAD median {statistics.median(mads):.2f}"
              f" max {max(mads):.2f}")
    for r in measured:
        if r not in kept:
            print(f"  not preserved: {r['file']} {r['preserved']} {r['applied']}")
    if show:
        for r in failing:
            print(f"  {r['file']}: {r['verdict']}; fixed {r['passing']}; still"
                  f" {sorted(r['failing'])}; applied {r.get('applied')}"
                  f" {r.get('preserved', '')}")


if __name__ == "__main__":
    sys.exit(main())
