"""Render time and page weight of the HTML report at 200, 2,000 and 20,000 images.

Forty synthetic listing photos (1000x1000 JPEG: clean, off centre, framed, bannered,
badged, grey backgrounds...) are generated once into a temporary folder and checked once
with ``--ocr none``; each report of N images links N file names to them (hard links: every
image is a separate file the reporter must open and draw, without writing gigabytes) and
reuses their findings, ten images to a listing. For each N it prints:

- render s: writing the report to a file (``html_format.write``), in one process, cold
  (no thumbnails from an earlier run) and, for side-folder reports, warm (run again);
- CPU s: user + system time of that cold write, its worker processes included (the
  machine is shared, so wall time depends on what else runs);
- HTML MB: the page itself; thumbs MB: the thumbnails folder beside it (if any);
- first view MB: what the browser fetches to show the first screenful (the page and the
  first page of thumbnails);
- browser load s and filter s (``--browser``): headless Chromium through chromedriver,
  navigation start to the load event, and the time to apply a filter with no match and
  then clear it.

    python benchmarks/html_report.py [--sizes 200,2000,20000] [--browser]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # imagecheck_dev

from imagecheck.check import check_image
from imagecheck.config import build_settings
from imagecheck.findings import Severity
from imagecheck.report import html_format
from imagecheck.report.model import ImageResult, Report
from imagecheck_dev import synth


def distinct_images(folder: Path) -> list[ImageResult]:
    """Forty varied photos written once, each checked once without OCR."""
    settings = build_settings(ocr="none")
    kinds = ["bottle", "mug", "box", "shoe", "phone", "garment"]
    results = []
    for i in range(40):
        kind = kinds[i % len(kinds)]
        variant = i % 5
        if variant == 0:
            img = synth.shot(kind, (1000, 1000))
        elif variant == 1:
            img = synth.shot(kind, (1000, 1000), at=(0.3, 0.35), fill=0.4)
        elif variant == 2:
            img = synth.frame(synth.shot(kind, (1000, 1000)), width=24, color=(200, 0, 0))
        elif variant == 3:
            img = synth.shot(kind, (1000, 1000), background=(200, 200, 200))
        else:
            img = synth.letterbox(synth.shot(kind, (1000, 1000), fill=0.5), bar=0.1)
        path = folder / f"src-{i:02d}.jpg"
        synth.save(img, path)
        results.append(check_image(path, "main", settings))
    return results


def build_report(folder: Path, sources: list[ImageResult], n: int) -> Report:
    """A report of ``n`` images: hard links to ``sources`` with their findings."""
    images = []
    for i in range(n):
        src = sources[i % len(sources)]
        listing = folder / f"listing-{i // 10:05d}"
        listing.mkdir(parents=True, exist_ok=True)
        path = listing / f"{i % 10}.jpg"
        try:
            os.link(src.path, path)
        except OSError:
            shutil.copyfile(src.path, path)
        role = "main" if i % 10 == 0 else "carousel"
        images.append(ImageResult(str(path), str(listing), role, "name", src.width,
                                  src.height, src.findings))
    return Report(tuple(images), "pdd", Severity.WARNING)


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def folder_mb(folder: Path) -> float:
    if not folder.is_dir():
        return 0.0
    return sum(p.stat().st_size for p in folder.iterdir()) / 1e6


def first_view_mb(page: Path) -> float:
    """The page plus the thumbnails of the first page of cards (side-folder reports)."""
    html = page.read_text(encoding="utf-8")
    total = len(html.encode("utf-8"))
    folder = page.parent / html_format.thumbnail_folder(page).name
    names = re.findall(re.escape(folder.name) + r"/([0-9a-f]{24}\.(?:webp|jpeg))", html)
    for name in names[: html_format.PAGE_SIZE]:
        total += (folder / name).stat().st_size
    return total / 1e6


class Browser:
    """Headless Chromium driven through chromedriver's W3C HTTP interface."""

    def __init__(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.proc = subprocess.Popen(["chromedriver", f"--port={self.port}"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                self._call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1600,1000"]}}}}
        self.session = self._call("POST", "/session", caps)["sessionId"]

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data,
                                     method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=600) as resp:
            return json.loads(resp.read())["value"]

    def run(self, script: str) -> Any:
        return self._call("POST", f"/session/{self.session}/execute/sync",
                          {"script": script, "args": []})

    def load(self, page: Path) -> float:
        self._call("POST", f"/session/{self.session}/url", {"url": "about:blank"})
        self._call("POST", f"/session/{self.session}/url", {"url": page.as_uri()})
        nav = self.run("const e=performance.getEntriesByType('navigation')[0];"
                       "return e.loadEventEnd-e.startTime;")
        return float(nav) / 1000

    def filter_cycle(self) -> float:
        """Seconds to choose a rule no image has (the no-match message) and clear it."""
        return float(self.run(
            "const s=document.getElementById('verdict');const t=performance.now();"
            "s.value='error';s.dispatchEvent(new Event('change'));"
            "s.value='';s.dispatchEvent(new Event('change'));"
            "return (performance.now()-t)/1000;"))

    def close(self) -> None:
        try:
            self._call("DELETE", f"/session/{self.session}")
        finally:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,2000,20000")
    parser.add_argument("--browser", action="store_true", help="also time the page in Chromium")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    browser = Browser() if args.browser else None
    try:
        with tempfile.TemporaryDirectory(prefix="imagecheck-html-bench-") as tmp:
            root = Path(tmp)
            (root / "src").mkdir()
            sources = distinct_images(root / "src")
            print("| images | render s (cold) | CPU s (cold) | render s (warm) | HTML MB "
                  "| thumbs MB | first view MB | browser load s | filter s |")
            print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
            for n in sizes:
                report = build_report(root / f"n{n}", sources, n)
                page = root / f"n{n}" / "report.html"
                t, cpu = time.perf_counter(), cpu_seconds()
                html_format.write(report, page)
                cold = time.perf_counter() - t
                cpu = cpu_seconds() - cpu
                side = html_format.thumbnail_folder(page)
                warm = "-"
                if side.is_dir():
                    t = time.perf_counter()
                    html_format.write(report, page)
                    warm = f"{time.perf_counter() - t:.2f}"
                load = cycle = "-"
                if browser is not None:
                    load = f"{browser.load(page):.2f}"
                    cycle = f"{browser.filter_cycle():.3f}"
                print(f"| {n:,} | {cold:.2f} | {cpu:.1f} | {warm} "
                      f"| {page.stat().st_size / 1e6:.1f} | {folder_mb(side):.1f} "
                      f"| {first_view_mb(page):.2f} | {load} | {cycle} |", flush=True)
    finally:
        if browser is not None:
            browser.close()


if __name__ == "__main__":
    main()
