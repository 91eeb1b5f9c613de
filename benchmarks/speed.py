"""Speed, scaling, cache and memory: one command, one table.

    python benchmarks/speed.py [FOLDER] [--generate N] [--repeat R] [--skip-ocr]
        [--ocr-images N] [--audits-only] [--ratios-only] [--audit-ocr BACKEND]
        [--ocr BACKEND[,BACKEND]] [--work DIR] [--json OUT]

Measures, with the median of R runs (default 3):

- against the plain rapidocr pass a user would script instead (``RapidOCR()`` with its
  defaults and one thread, models loaded, one core), in the same run, the three ratios
  of issue 14: throughput (``check_listing`` with OCR, ``--jobs 1``, models loaded, over
  every k-th of FOLDER's images, ``--ocr-images`` of them; both on one core, by CPU
  time), the pre-upload hook (process start to verdict for one 1024x1024 image, against
  a script that starts, loads rapidocr and reads it: by wall time on every core, and by
  CPU time on one) and ``imagecheck serve``'s warm answer for a 1024x1024 image
  (``benchmarks/serve_speed.py``: by wall time on every core, and on one); each run
  interleaved with the others. The latencies are also given against rapidocr's own
  default threading on every core (``RapidOCR()`` as it comes). ``--ratios-only`` measures
  just these (what the issue's targets are checked with); ``--ocr`` names the OCR
  backends imagecheck is measured with (default ``rapidocr``; several, comma-separated,
  e.g. ``rapidocr,rapidocr-openvino``, are measured interleaved, each with its ratios);

- decoding alone and the full in-process scan (one process, no cache), with ``--ocr none``
  and with OCR, on FOLDER (default ``../shared/datasets/listing-dev/images``): ms per
  image, images/s and CPU ms per image (this process; steadier than wall time on a
  shared machine);
- process start to verdict for one image (``imagecheck scan FILE``, as the pre-commit
  hook runs it);
- with ``--generate N`` (1000x1000 synthetic listing photos, N >= 100, written once under
  ``--work`` and reused): ``imagecheck audit`` throughput with 1 and 2 workers (no cache),
  a cold-cache run against a warm-cache re-run, and the peak memory of the audit (the
  largest resident set of it and its workers: ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` in
  a fresh wrapper process per run) at 100 and at N images. The audits use ``--ocr none``
  unless ``--audit-ocr`` is given. Each audit row also gives the CPU time (user + system of
  the audit and its workers) per image, which, unlike wall time, does not depend on what
  else the machine is running.

imagecheck's commands started anew (the hooks) run with their Python bytecode cached, as
from an installed package (pip compiles it at install time): in ``--work``, written by an
untimed first run, even where the environment sets ``PYTHONDONTWRITEBYTECODE`` (this
checkout would otherwise be compiled from source at every start); the plain scripts run
in the environment as it is (rapidocr, NumPy and OpenCV have their bytecode in
site-packages). ``--compile-each-start`` measures the hooks without a cache instead.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # imagecheck_dev

from imagecheck import build_settings, check_listing
from imagecheck.listing import discover
from imagecheck.loading import load_path
from imagecheck_dev import synth

sys.path.insert(0, str(Path(__file__).resolve().parent))
import serve_speed  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = ROOT.parent / "shared" / "datasets" / "listing-dev" / "images"
DEFAULT_WORK = Path(tempfile.gettempdir()) / "imagecheck-bench"
#: The command as a user (or the pre-commit hook) runs it, through the console script's
#: entry point, from the imagecheck this Python imports (the checkout under test, with
#: ``PYTHONPATH=src``).
IMAGECHECK = [sys.executable, "-c", "from imagecheck.cli import run; run()"]
#: What a user would script instead of a hook: start, load rapidocr, read one image.
PLAIN_HOOK = ("import sys, cv2\nfrom rapidocr import RapidOCR\n"
              f"print({serve_speed.PLAIN_ENGINE}(cv2.imread(sys.argv[1])).txts)")
#: The same with rapidocr's default threading (one thread per core).
PLAIN_HOOK_ALL_CORES = PLAIN_HOOK.replace(serve_speed.PLAIN_ENGINE,
                                          serve_speed.PLAIN_ENGINE_ALL_CORES)
#: ``check_listing`` with OCR backend ``argv[1]`` over the files given, pinned to one core,
#: models loaded first: prints ms per image.
CHECK_PASS = """
import os, sys, time
os.sched_setaffinity(0, {0})
from imagecheck import build_settings, check_listing
settings = build_settings(platform="pdd", ocr=sys.argv[1])
check_listing(sys.argv[2:3], settings, jobs=1)
start, start_cpu = time.perf_counter(), time.process_time()
check_listing(sys.argv[2:], settings, jobs=1)
n = len(sys.argv[2:])
print((time.perf_counter() - start) * 1000 / n, (time.process_time() - start_cpu) * 1000 / n)
"""
#: Runs a command, then prints its wall and CPU seconds (user + system of it and its
#: children).
TIMED = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, capture_output=True)
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(time.perf_counter() - start, use.ru_utime + use.ru_stime)
"""


def timed(command: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of ``command``, run from a fresh wrapper process."""
    done = subprocess.run([sys.executable, "-c", TIMED, *command], check=True,
                          capture_output=True, text=True, env=env)
    wall, cpu = done.stdout.split()
    return float(wall), float(cpu)


def start_env(work: Path, compile_each_start: bool = False) -> dict[str, str]:
    """The environment of a command started anew: Python's bytecode kept under ``work``
    (``PYTHONPYCACHEPREFIX``) as an installed package keeps it, unless
    ``compile_each_start`` (then as it is: this sandbox compiles the checkout at every
    start)."""
    env = dict(os.environ)
    if not compile_each_start:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    return env


#: Images per generated listing folder.
PER_LISTING = 5


def median_time(func: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls, in seconds."""
    return median_times(func, repeat)[0]


def median_times(func: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall time and median CPU time of this process over ``repeat`` calls, in
    seconds."""
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times), statistics.median(cpu)


# --- generated catalogue -------------------------------------------------------------------

def _variant(i: int) -> Any:
    """The i-th generated photo: varied products, backgrounds, placement and overlays."""
    kinds = ("bottle", "mug", "box", "phone", "shoe", "garment")
    kind = kinds[i % len(kinds)]
    style = (i // len(kinds)) % 6
    if style == 0:
        return synth.shot(kind, (1000, 1000), seed=i)
    if style == 1:
        return synth.shot(kind, (1000, 1000), background="wood", seed=i)
    if style == 2:
        return synth.shot(kind, (1000, 1000), at=(0.3, 0.35), fill=0.45, seed=i)
    if style == 3:
        return synth.frame(synth.shot(kind, (1000, 1000), seed=i), width=18, color=(200, 30, 30))
    if style == 4:
        return synth.badge(synth.shot(kind, (1000, 1000), seed=i))
    return synth.watermark(synth.shot(kind, (1000, 1000), background=(235, 235, 235), seed=i))


def _write(args: tuple[Path, int]) -> None:
    folder, i = args
    group, listing = divmod(i // PER_LISTING, 20)
    path = folder / f"group{group:03d}" / f"sku{listing:02d}" / f"{i % PER_LISTING}.jpg"
    synth.save(_variant(i), path, quality=90)


def generate(folder: Path, n: int) -> Path:
    """``n`` 1000x1000 JPEGs in listing folders under ``folder`` (reused if complete)."""
    done = folder / ".complete"
    if done.is_file() and done.read_text() == str(n):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with ProcessPoolExecutor() as pool:
        list(pool.map(_write, [(folder, i) for i in range(n)], chunksize=8))
    done.write_text(str(n))
    return folder


def subset(source: Path, target: Path, n: int) -> Path:
    """A catalogue of the first ``n`` images of ``source`` (hard links, same listings)."""
    files = sorted(p for p in source.rglob("*.jpg"))[:n]
    shutil.rmtree(target, ignore_errors=True)
    for f in files:
        dest = target / f.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.link(f, dest)
    return target


# --- measurements --------------------------------------------------------------------------

def in_process(folder: Path, repeat: int, skip_ocr: bool) -> list[dict[str, Any]]:
    """Decoding alone and the full scan in this process, per image."""
    paths = [job.path for job in discover([folder])]
    n = len(paths)

    def decode() -> None:
        for p in paths:
            load_path(p)

    rows: list[tuple[str, Callable[[], object]]] = [("decode only", decode)]
    # The scan foundation alone (background, framing, border, size and sharpness rules):
    # the "full analysis at most 2x decode" is about these facts.
    foundation = build_settings(ocr="none", select="BG,FR,OV401,IQ")
    rows.append(("scan, foundation rules only (BG, FR, OV401, IQ), --ocr none",
                 partial(check_listing, [folder], foundation, jobs=1)))
    for ocr in ("none",) if skip_ocr else ("none", "rapidocr"):
        settings = build_settings(ocr=ocr)
        if ocr != "none":  # load the model once, outside the timing, as a worker does
            check_listing(paths[:1], settings, jobs=1)
        rows.append((f"scan, --ocr {ocr}", partial(check_listing, [folder], settings, jobs=1)))
    out = []
    for name, func in rows:
        seconds, cpu = median_times(func, repeat)
        out.append({"measure": name, "images": n, "seconds": seconds,
                    "ms_per_image": 1000 * seconds / n, "images_per_s": n / seconds,
                    "cpu_ms_per_image": 1000 * cpu / n})
    return out


def hook_latency(image: Path, repeat: int, env: dict[str, str]) -> dict[str, Any]:
    """Process start to verdict for one image, as the pre-commit hook runs it (``env``:
    :func:`start_env`)."""
    command = [*IMAGECHECK, "scan", str(image), "--exit-zero"]
    subprocess.run(command, capture_output=True, check=True, env=env)  # bytecode written
    seconds = median_time(
        lambda: subprocess.run(command, capture_output=True, check=True, env=env), repeat)
    return {"measure": "hook: start to verdict, 1 image", "images": 1, "seconds": seconds}


def ocr_ratios(folder: Path, n_images: int, repeat: int, work: Path,
               env: dict[str, str], backends: Sequence[str] = ("rapidocr",)
               ) -> list[dict[str, Any]]:
    """Issue 14's three ratios against the plain rapidocr pass, each pair interleaved,
    for imagecheck with each OCR backend of ``backends``.

    The reference is issue 14's: the plain script with rapidocr's defaults and one
    inference thread, pinned to one core. Throughput, and the hook's work, are compared
    by CPU time, both pinned to one core (the time the work takes without waiting for
    other processes: on a shared machine wall times swing by 2x from minute to minute).
    The latencies the issue names are wall times: the hook (process start to verdict)
    and ``serve``'s warm answer on every core of the machine, as a user runs them
    (inference threads: the usable cores, :func:`imagecheck.analysis.ocr.inference_threads`),
    against the reference; and, as a second reference, against the plain script with
    rapidocr's own default threading on every core. Our hooks start with ``env``
    (:func:`start_env`), the plain scripts in this environment; each runs once untimed
    first.
    """
    paths = [job.path for job in discover([folder])]
    paths = paths[:: max(1, len(paths) // n_images)][:n_images]
    plain: list[tuple[float, float]] = []
    ours: dict[str, list[tuple[float, float]]] = {b: [] for b in backends}
    for _ in range(repeat):
        plain.append(serve_speed.plain_pass(paths)[1:])  # per image over the pass, as ours
        for backend in backends:
            done = subprocess.run([sys.executable, "-c", CHECK_PASS, backend,
                                   *map(str, paths)], check=True, capture_output=True,
                                  text=True)
            wall, cpu = done.stdout.split()[-2:]
            ours[backend].append((float(wall), float(cpu)))
    big = work / "hook-1024"
    shutil.rmtree(big, ignore_errors=True)
    big.mkdir(parents=True)
    images = serve_speed.make_images(big, 12, folder)
    pinned = ["taskset", "-c", "0"]
    one = str(images[0])
    hooks: dict[str, list[str]] = {
        "plain": [*pinned, sys.executable, "-c", PLAIN_HOOK, one],
        "plain, all cores": [sys.executable, "-c", PLAIN_HOOK_ALL_CORES, one],
    }
    for backend in backends:
        scan = [*IMAGECHECK, "scan", one, "--exit-zero", "--ocr", backend]
        hooks[f"ours, 1 core, {backend}"] = [*pinned, *scan]
        hooks[f"ours, {backend}"] = scan
    # The plain scripts load their packages' bytecode from site-packages, as installed.
    envs = {name: env if name.startswith("ours") else None for name in hooks}
    hook: dict[str, list[tuple[float, float]]] = {k: [] for k in hooks}
    for name, command in hooks.items():  # bytecode written, files in the page cache
        timed(command, envs[name])
    for i in range(max(repeat, 5)):
        names = list(hooks)
        turn = i % len(names)
        for name in names[turn:] + names[:turn]:  # each first in turn
            hook[name].append(timed(hooks[name], envs[name]))
    serve: dict[str, list[float]] = {"plain": [], "plain, all cores": []}
    for _ in range(repeat):
        serve["plain"].append(serve_speed.plain_ms(images))
        serve["plain, all cores"].append(serve_speed.plain_ms(images, all_cores=True))
        for backend in backends:
            for pin, name in ((True, f"ours, 1 core, {backend}"), (False, f"ours, {backend}")):
                serve.setdefault(name, []).append(
                    serve_speed.warm_ms(images, pin=pin, ocr=backend))

    def med(runs: list[tuple[float, float]], i: int) -> float:
        return statistics.median(r[i] for r in runs)

    n, big_n = len(paths), len(images)
    warm = {k: statistics.median(v) for k, v in serve.items()}
    rows: list[dict[str, Any]] = [
        {"measure": "plain rapidocr pass, 1 core", "images": n,
         "ms_per_image": med(plain, 0), "cpu_ms_per_image": med(plain, 1)},
        *({"measure": f"start to text, 1024 px: {what}", "images": 1,
           "seconds": med(hook[name], 0), "cpu_ms_per_image": 1000 * med(hook[name], 1)}
          for name, what in (("plain", "plain script, 1 core"),
                             ("plain, all cores", "plain script, all cores"))),
        *({"measure": f"warm, 1024 px: {what}", "images": big_n, "ms_per_image": warm[name]}
          for name, what in (("plain", "plain rapidocr pass, 1 core"),
                             ("plain, all cores", "plain rapidocr pass, all cores"))),
    ]
    for b in backends:
        rows += [
            {"measure": f"check with OCR (--jobs 1), 1 core, {b}", "images": n,
             "ms_per_image": med(ours[b], 0), "cpu_ms_per_image": med(ours[b], 1)},
            *({"measure": f"start to text, 1024 px: hook, {what}, {b}", "images": 1,
               "seconds": med(hook[name], 0), "cpu_ms_per_image": 1000 * med(hook[name], 1)}
              for name, what in ((f"ours, 1 core, {b}", "1 core"), (f"ours, {b}", "all cores"))),
            *({"measure": f"warm, 1024 px: serve answer, {what}, {b}", "images": big_n,
               "ms_per_image": warm[name]}
              for name, what in ((f"ours, 1 core, {b}", "1 core"), (f"ours, {b}", "all cores"))),
        ]
    for b in backends:
        rows.append(
            {"measure": "ratios", "ocr": b,
             "throughput": med(ours[b], 1) / med(plain, 1),
             "throughput_wall": med(ours[b], 0) / med(plain, 0),
             "hook": med(hook[f"ours, 1 core, {b}"], 1) / med(hook["plain"], 1),
             "hook_wall": med(hook[f"ours, {b}"], 0) / med(hook["plain"], 0),
             "hook_wall_all_cores": med(hook[f"ours, {b}"], 0) / med(hook["plain, all cores"], 0),
             "serve_warm": warm[f"ours, {b}"] / warm["plain"],
             "serve_warm_all_cores": warm[f"ours, {b}"] / warm["plain, all cores"],
             "serve_warm_1_core": warm[f"ours, 1 core, {b}"] / warm["plain"]})
    return rows


def audit_run(folder: Path, args: Sequence[str]) -> tuple[float, int, float]:
    """One ``imagecheck audit`` in a fresh wrapper process: (wall seconds, peak RSS in KiB
    of the audit process or any of its workers, CPU seconds of them all)."""
    code = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "t = time.perf_counter() - t\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(t, u.ru_maxrss, u.ru_utime + u.ru_stime)\n"
    )
    command = [*IMAGECHECK, "audit", str(folder), "-q", "--exit-zero", "-f", "json", *args]
    done = subprocess.run([sys.executable, "-c", code, *command], capture_output=True,
                          text=True, check=True)
    seconds, rss, cpu = done.stdout.split()
    return float(seconds), int(rss), float(cpu)


def audits(folder: Path, small: Path, repeat: int, ocr: str, work: Path) -> list[dict[str, Any]]:
    """Worker scaling, cold against warm cache, and peak memory at two sizes."""
    n = len(discover([folder]))
    n_small = len(discover([small]))
    base = ["--ocr", ocr]
    rows: list[dict[str, Any]] = []

    def record(name: str, runs: list[tuple[float, int, float]], images: int
               ) -> dict[str, Any]:
        seconds = statistics.median(t for t, _, _ in runs)
        row = {"measure": name, "images": images, "seconds": seconds,
               "ms_per_image": 1000 * seconds / images, "images_per_s": images / seconds,
               "peak_rss_mib": statistics.median(r for _, r, _ in runs) / 1024,
               "cpu_ms_per_image": 1000 * statistics.median(c for _, _, c in runs) / images}
        rows.append(row)
        return row

    runs: dict[str, list[tuple[float, int, float]]] = {"1": [], "2": []}
    for _ in range(repeat):  # interleaved, so a change in the machine's load hits both
        for jobs in runs:
            runs[jobs].append(audit_run(folder, [*base, "-j", jobs, "--no-cache"]))
    one = record("audit, 1 worker, no cache", runs["1"], n)
    two = record("audit, 2 workers, no cache", runs["2"], n)
    cold, warm = [], []
    for i in range(repeat):
        cache = work / f"cache-{i}"
        shutil.rmtree(cache, ignore_errors=True)
        cold.append(audit_run(folder, [*base, "-j", "2", "--cache-dir", str(cache)]))
        warm.append(audit_run(folder, [*base, "-j", "2", "--cache-dir", str(cache)]))
        shutil.rmtree(cache, ignore_errors=True)
    cold_row = record("audit, 2 workers, cold cache", cold, n)
    warm_row = record("audit, 2 workers, warm cache", warm, n)
    small_row = record("audit, 2 workers, no cache",
                       [audit_run(small, [*base, "-j", "2", "--no-cache"])
                        for _ in range(repeat)], n_small)
    rows.append({"measure": "targets",
                 "speedup_2_vs_1": one["seconds"] / two["seconds"],
                 "warm_over_cold": warm_row["seconds"] / cold_row["seconds"],
                 "peak_rss_ratio_large_over_small":
                     two["peak_rss_mib"] / small_row["peak_rss_mib"]})
    return rows


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "nproc": os.cpu_count(), "cpu": model, "python": sys.version.split()[0],
            "load_1min": os.getloadavg()[0]}


def table(rows: list[dict[str, Any]]) -> str:
    """The rows as a plain-text table."""
    lines = [f"{'measure':<44} {'images':>6} {'seconds':>8} {'ms/img':>8} {'img/s':>8}"
             f" {'peak MiB':>9} {'CPU ms/img':>10}"]
    for r in rows:
        if r["measure"] in ("targets", "ratios"):
            continue
        secs = f"{r['seconds']:.2f}" if "seconds" in r else "-"
        ms = f"{r['ms_per_image']:.1f}" if "ms_per_image" in r else "-"
        ips = f"{r['images_per_s']:.1f}" if "images_per_s" in r else "-"
        rss = f"{r['peak_rss_mib']:.0f}" if "peak_rss_mib" in r else "-"
        cpu = f"{r['cpu_ms_per_image']:.1f}" if "cpu_ms_per_image" in r else "-"
        lines.append(f"{r['measure']:<44} {r['images']:>6} {secs:>8} {ms:>8}"
                     f" {ips:>8} {rss:>9} {cpu:>10}")
    for r in rows:
        if r["measure"] == "ratios":
            lines += [
                f"--ocr {r['ocr']}, against the plain rapidocr pass (defaults, 1 thread,"
                " 1 core):",
                f"  throughput {r['throughput']:.2f}x by CPU, {r['throughput_wall']:.2f}x by"
                " wall, both on 1 core (target <= 0.45x)",
                f"  hook {r['hook_wall']:.2f}x by wall on all cores (target <= 0.5x);"
                f" {r['hook']:.2f}x by CPU on 1 core",
                f"  serve warm answer {r['serve_warm']:.2f}x by wall on all cores (target <="
                f" 0.5x); {r['serve_warm_1_core']:.2f}x on 1 core",
                "against the plain rapidocr pass with its own threading, all cores:",
                f"  hook {r['hook_wall_all_cores']:.2f}x by wall; serve warm answer"
                f" {r['serve_warm_all_cores']:.2f}x",
            ]
    for r in rows:
        if r["measure"] == "targets":
            lines.append(f"2 workers vs 1: {r['speedup_2_vs_1']:.2f}x (target >= 1.7x); warm"
                         f" cache / cold: {r['warm_over_cold']:.1%} (target <= 5%); peak"
                         f" memory at the large vs the small catalogue:"
                         f" {r['peak_rss_ratio_large_over_small']:.2f}x (target <= 1.2x)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER,
                        help="images for the per-image measurements")
    parser.add_argument("--generate", type=int, metavar="N",
                        help="also audit N generated 1000x1000 images (N >= 100)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement")
    parser.add_argument("--skip-ocr", action="store_true",
                        help="no scan with OCR, no ratios against the plain rapidocr pass")
    parser.add_argument("--ocr-images", type=int, default=60, metavar="N",
                        help="images of FOLDER for the throughput ratio (default 60)")
    parser.add_argument("--audits-only", action="store_true",
                        help="only the audits of the generated catalogue")
    parser.add_argument("--ratios-only", action="store_true",
                        help="only issue 14's ratios against the plain rapidocr pass")
    parser.add_argument("--audit-ocr", default="none", help="--ocr for the audits")
    parser.add_argument("--ocr", default="rapidocr", metavar="BACKEND[,BACKEND]",
                        help="OCR backends for the ratios, interleaved (default rapidocr)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK,
                        help="folder for generated images and caches")
    parser.add_argument("--compile-each-start", action="store_true",
                        help="hooks without a bytecode cache, as the environment says (by"
                             " default they run with one, as an installed package)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)
    if args.generate is not None and args.generate < 100:
        parser.error("--generate needs at least 100 images")
    if not args.folder.is_dir():
        parser.error(f"{args.folder}: no such folder (give one, or use --generate N)")
    info = machine()
    env = start_env(args.work, args.compile_each_start)
    info["bytecode"] = ("compiled at each start" if "PYTHONPYCACHEPREFIX" not in env
                        else "cached")
    print(f"{info['date']}; {info['nproc']} CPU(s), {info['cpu']}; Python {info['python']};"
          f" load {info['load_1min']:.1f}; median of {args.repeat} run(s); hooks' bytecode"
          f" {info['bytecode']}", flush=True)
    rows: list[dict[str, Any]] = []
    if not args.audits_only:
        if not args.ratios_only:
            rows = in_process(args.folder, args.repeat, args.skip_ocr)
            rows.append(hook_latency(discover([args.folder])[0].path, max(args.repeat, 5),
                                     env))
            print(table(rows), flush=True)
        if not args.skip_ocr:
            rows += ocr_ratios(args.folder, args.ocr_images, args.repeat, args.work, env,
                               args.ocr.split(","))
            print(table(rows), flush=True)
    if args.generate:
        big = generate(args.work / f"synth-{args.generate}", args.generate)
        small = subset(big, args.work / "synth-100", 100)
        rows += audits(big, small, args.repeat, args.audit_ocr, args.work)
        print(table(rows))
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "folder": str(args.folder),
                                         "rows": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
