"""Audits on a real Dask LocalCluster (worker processes): same report as a local run, no
image lost when a worker is killed mid-run, a stopped audit resumed from the workers'
shared cache; workers reading URLs themselves."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from imagecheck.api import AuditOptions, audit
from imagecheck.check import check_job
from imagecheck.config import build_settings
from imagecheck.listing import discover
from imagecheck.report import render
from imagecheck_dev import synth

pytest.importorskip("distributed")
fsspec = pytest.importorskip("fsspec")

from imagecheck.distributed import DaskExecutor, check_batch  # noqa: E402


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cluster")
    for i in range(6):
        listing = root / f"shop{i % 2}" / f"sku{i}"
        synth.save(synth.shot("bottle", (400, 400), at=(0.3 + 0.05 * i, 0.5)),
                   listing / "main.jpg")
        synth.save(synth.frame(synth.shot("mug", (400, 400)), 10, (200, 0, 0)),
                   listing / "carousel1.jpg")
    (root / "shop0" / "broken.jpg").write_bytes(b"not an image")
    return root


@pytest.fixture(scope="module")
def executor() -> DaskExecutor:
    with DaskExecutor(workers=2, batch=2) as ex:
        yield ex


def test_cluster_report_equals_the_local_report(catalogue: Path, executor: DaskExecutor) -> None:
    settings = build_settings(ocr="none")
    local = audit([catalogue], settings, AuditOptions(jobs=1, use_cache=False))
    remote = audit([catalogue], settings, AuditOptions(use_cache=False, executor=executor))
    assert render(remote, "json") == render(local, "json")
    assert len(remote.images) == 13


def test_a_killed_worker_loses_no_image(catalogue: Path, executor: DaskExecutor) -> None:
    settings = build_settings(ocr="none")
    jobs = discover([catalogue])
    pids = list(executor.client.run(os.getpid).values())
    results = []
    for i, result in enumerate(executor.map(jobs, settings)):
        results.append(result)
        if i == 0:
            os.kill(pids[0], signal.SIGKILL)
    assert [r.path for r in results] == [str(j.path) for j in jobs]
    assert not any(f.code in ("IN005", "IN006") for r in results for f in r.findings)


def test_cli_audit_on_a_local_cluster(catalogue: Path, tmp_path: Path) -> None:
    from imagecheck.cli import main

    out = CliRunner().invoke(main, ["audit", "--cluster", "local", "--jobs", "2", "--ocr",
                                    "none", "--no-cache", "--quiet", "-f", "json",
                                    str(catalogue)], catch_exceptions=False)
    local = CliRunner().invoke(main, ["audit", "--jobs", "1", "--ocr", "none", "--no-cache",
                                      "--quiet", "-f", "json", str(catalogue)])
    assert out.exit_code == local.exit_code == 2  # the broken file, in both
    assert out.stdout == local.stdout


def test_cli_store_on_a_local_cluster(catalogue: Path, tmp_path: Path) -> None:
    from imagecheck.cli import main

    def run(*args: str) -> str:
        out = CliRunner().invoke(main, ["audit", "--ocr", "none", "--no-cache", "--quiet",
                                        "-f", "json", str(catalogue), *args],
                                 catch_exceptions=False)
        assert out.exit_code == 2  # the broken file
        return out.stdout.replace(str(tmp_path), "STORE")

    remote = run("--cluster", "local", "--jobs", "2", "--store", str(tmp_path / "a"))
    local = run("--jobs", "1", "--store", str(tmp_path / "a"))
    assert remote == local
    assert (tmp_path / "a" / "images-00000.jsonl").read_text().count("\n") == 13


def test_a_killed_audit_run_again_checks_only_what_is_left(executor: DaskExecutor,
                                                           tmp_path: Path) -> None:
    root, shared = tmp_path / "catalogue", tmp_path / "cache" / "shared"
    for i in range(80):  # every image different, so every one has its own key
        synth.save(synth.shot("bottle", (300, 300), at=(0.25 + 0.006 * i, 0.5)),
                   root / f"sku{i // 4}" / f"{i % 4}.jpg")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from imagecheck.cli import main; main()", "audit", str(root),
         "--cluster", "local", "--jobs", "2", "--ocr", "none", "--cache-dir",
         str(tmp_path / "cache"), "--quiet", "-o", os.devnull],
        start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while len(list(shared.rglob("*.json"))) < 10 and time.time() < deadline:
        assert proc.poll() is None, "the audit ended before it was killed"
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the client, its scheduler and its workers
    proc.wait(timeout=10)
    before = {p: p.stat().st_mtime_ns for p in shared.rglob("*.json")}
    assert 10 <= len(before) < 80

    settings = build_settings(ocr="none")
    executor.cache = str(shared)
    try:
        resumed = audit([root], settings, AuditOptions(use_cache=False, executor=executor))
    finally:
        executor.cache = None
    after = {p: p.stat().st_mtime_ns for p in shared.rglob("*.json")}
    assert len(after) == 80
    assert all(after[p] == t for p, t in before.items())  # finished images not checked again
    local = audit([root], settings, AuditOptions(jobs=1, use_cache=False))
    assert render(resumed, "json") == render(local, "json")


def test_workers_read_urls_and_share_results_by_content(tmp_path: Path) -> None:
    fs = fsspec.filesystem("memory")
    image = synth.shot("bottle", (300, 300), at=(0.3, 0.5))
    synth.save(image, tmp_path / "a.jpg")
    for name in ("shop/sku1/main.jpg", "shop/sku2/main.jpg"):  # the same bytes twice
        fs.pipe_file(f"/{name}", (tmp_path / "a.jpg").read_bytes())
    try:
        settings = build_settings(ocr="none")
        jobs = discover(["memory://shop"])
        first = check_batch(jobs, settings, "memory://imagecheck-cache")
        assert len(fs.find("/imagecheck-cache")) == 1  # keyed by content, not by path
        again = check_batch(jobs, settings, "memory://imagecheck-cache")
        assert again == first == [check_job(job, settings) for job in jobs]
        assert first[1].path == "memory:///shop/sku2/main.jpg"
    finally:
        fs.rm("/shop", recursive=True)
        fs.rm("/imagecheck-cache", recursive=True)
