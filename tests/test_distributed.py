"""Audits on a real Dask LocalCluster (worker processes): same report as a local run, and
no image lost when a worker is killed mid-run."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from imagecheck import synth
from imagecheck.api import audit
from imagecheck.config import build_settings
from imagecheck.listing import discover
from imagecheck.report import render

pytest.importorskip("distributed")

from imagecheck.distributed import DaskExecutor  # noqa: E402


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
    local = audit([catalogue], settings, jobs=1, use_cache=False)
    remote = audit([catalogue], settings, use_cache=False, executor=executor)
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
