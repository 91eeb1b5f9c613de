"""``imagecheck serve`` against the plain rapidocr pass a user would script instead.

On IMAGES (default: 12 dev images resized to 1024x1024, JPEG q90 in a temporary folder):

- plain: ``RapidOCR()`` with its defaults and one inference thread (:data:`PLAIN_ENGINE`,
  issue 14's reference) over each image, in a process pinned to one core, models loaded
  beforehand (median ms per image); with onnxruntime's default of a thread per core, its
  threads would spin against each other on the one core and make the plain pass look
  slower than it is; and ``RapidOCR()`` as it comes (:data:`PLAIN_ENGINE_ALL_CORES`:
  onnxruntime's own threading), on every core;
- serve, warm: ``imagecheck serve --workers 1`` pinned to one core (one inference thread),
  and on every core (its worker's share: all of them), one client posting each image in
  turn (median ms per answer, after one warm-up request);
- throughput: ``imagecheck serve --workers 2`` with 1 client and with 4 concurrent clients
  (images per second), and the ratio.

    python benchmarks/serve_speed.py [--images N] [--rounds R]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2

from imagecheck.loading import load_path

DEV = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "listing-dev" / "images"


def make_images(folder: Path, n: int, source: Path = DEV) -> list[Path]:
    """``n`` images of ``source`` resized to 1024x1024, as JPEGs (q90) in ``folder``."""
    files = sorted(source.iterdir())
    out = []
    for src in files[:: max(1, len(files) // n)][:n]:
        rgb = cv2.resize(load_path(src).rgb, (1024, 1024), interpolation=cv2.INTER_CUBIC)
        path = folder / f"{src.stem}.jpg"
        cv2.imwrite(str(path), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR),
                    [cv2.IMWRITE_JPEG_QUALITY, 90])
        out.append(path)
    return out


#: The plain engine: rapidocr's defaults, one inference thread.
PLAIN_ENGINE = 'RapidOCR(params={"EngineConfig.onnxruntime.intra_op_num_threads": 1})'
#: rapidocr's defaults as they are, threads too (onnxruntime's default: one per core).
PLAIN_ENGINE_ALL_CORES = "RapidOCR()"
PLAIN = """
import os, statistics, sys, time
if sys.argv[1] == "pin":
    os.sched_setaffinity(0, {0})
import cv2
from rapidocr import RapidOCR
engine = eval(sys.argv[2])
paths = sys.argv[3:]
engine(cv2.imread(paths[0]))
times, cpu = [], []
for p in paths:
    start, start_cpu = time.perf_counter(), time.process_time()
    engine(cv2.imread(p))
    times.append(time.perf_counter() - start)
    cpu.append(time.process_time() - start_cpu)
print(*(1000 * v for v in (statistics.median(times), statistics.mean(times),
                           statistics.mean(cpu))))
"""


def plain_pass(paths: list[Path], all_cores: bool = False) -> tuple[float, float, float]:
    """The plain pass over ``paths``: median wall ms per image (to set against a median
    answer), mean wall and mean CPU ms per image (against a whole pass's time per image);
    pinned to one core with one thread, or with ``all_cores`` rapidocr as it comes."""
    how = ["all", PLAIN_ENGINE_ALL_CORES] if all_cores else ["pin", PLAIN_ENGINE]
    done = subprocess.run([sys.executable, "-c", PLAIN, *how, *map(str, paths)], check=True,
                          capture_output=True, text=True)
    median_wall, mean_wall, cpu = map(float, done.stdout.split()[-3:])
    return median_wall, mean_wall, cpu


def plain_ms(paths: list[Path], all_cores: bool = False) -> float:
    """Median wall ms per image of the plain pass over ``paths``."""
    return plain_pass(paths, all_cores)[0]


def warm_ms(paths: list[Path], pin: bool, ocr: str = "rapidocr") -> float:
    """Median wall ms of ``serve --workers 1 --ocr OCR``'s answer to each of ``paths``
    (after one warm-up request), pinned to one core or on every core."""
    proc, url = start_server(1, pin=pin, ocr=ocr)
    try:
        post(url, paths[0])
        return statistics.median(post(url, p) for p in paths) * 1000
    finally:
        proc.terminate()
        proc.wait()


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(workers: int, pin: bool, ocr: str = "rapidocr"
                 ) -> tuple[subprocess.Popen[bytes], str]:
    port = _port()
    cmd = [sys.executable, "-c", "from imagecheck.cli import main; main()", "serve",
           "--port", str(port), "--workers", str(workers), "--ocr", ocr]
    if pin:
        cmd = ["taskset", "-c", "0", *cmd]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(f"{url}/health", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


def post(url: str, path: Path) -> float:
    request = urllib.request.Request(f"{url}/check?platform=pdd&role=main",
                                     data=path.read_bytes(),
                                     headers={"Content-Type": "image/jpeg"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as answer:
        answer.read()
    return time.perf_counter() - start


def throughput(url: str, paths: list[Path], clients: int, rounds: int) -> float:
    work = paths * rounds
    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(lambda p: post(url, p), work))
    return len(work) / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--images", type=int, default=12)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_images(Path(tmp), args.images)
        plain = plain_ms(paths)
        plain_all = plain_ms(paths, all_cores=True)
        warm = warm_ms(paths, pin=True)
        warm_all = warm_ms(paths, pin=False)
        proc, url = start_server(2, pin=False)
        try:
            for p in paths[:2]:
                post(url, p)
            one = throughput(url, paths, 1, args.rounds)
            four = throughput(url, paths, 4, args.rounds)
        finally:
            proc.terminate()
            proc.wait()
    print(f"machine: {os.cpu_count()} cores; load average at the end"
          f" {os.getloadavg()[0]:.1f}")
    print(f"plain rapidocr pass, 1 core:     {plain:7.0f} ms / image (median)")
    print(f"plain rapidocr pass, all cores:  {plain_all:7.0f} ms / image (median)")
    print(f"serve warm answer, 1 core:        {warm:7.0f} ms / image (median)"
          f"  = {warm / plain:.2f}x plain")
    print(f"serve warm answer, all cores:     {warm_all:7.0f} ms / image (median)"
          f"  = {warm_all / plain:.2f}x plain on 1 core, {warm_all / plain_all:.2f}x plain"
          " on all cores")
    print(f"serve, 2 workers, 1 client:       {one:7.2f} images/s")
    print(f"serve, 2 workers, 4 clients:      {four:7.2f} images/s  = {four / one:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
