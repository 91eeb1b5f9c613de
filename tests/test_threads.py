"""Inference threads (issue 14): the usable cores shared among the processes checking
images, overridable, at least one; scan, its workers and serve pass them through."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from imagecheck.analysis import ocr as ocr_mod
from imagecheck.cli import main
from imagecheck.config import ConfigError, build_settings
from imagecheck_dev import synth


@pytest.mark.parametrize(("cores", "processes", "requested", "expected"), [
    (8, 1, 0, 8), (8, 2, 0, 4), (8, 3, 0, 2), (8, 8, 0, 1), (8, 16, 0, 1), (1, 1, 0, 1),
    (2, 1, 0, 2), (8, 2, 3, 3), (1, 4, 2, 2),
])
def test_inference_threads_share_the_usable_cores(monkeypatch: pytest.MonkeyPatch, cores: int,
                                                  processes: int, requested: int,
                                                  expected: int) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)), raising=False)
    assert ocr_mod.inference_threads(processes, requested) == expected


def test_usable_cores_are_those_the_process_may_run_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3}, raising=False)
    assert ocr_mod.usable_cores() == 1  # e.g. taskset -c 3
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert ocr_mod.usable_cores() == 6


def test_threads_setting() -> None:
    assert build_settings().threads == 0
    assert build_settings({"threads": 2}).threads == 2
    assert build_settings({"threads": 2}, threads=3).threads == 3
    for bad in (-1, 1.5, "2", True):
        with pytest.raises(ConfigError, match="threads"):
            build_settings({"threads": bad})


class Fake:
    """A stand-in OCR backend that writes the threads it was loaded with, and its process,
    to :attr:`record`."""

    name = "rapidocr"
    version = "fake"
    record = Path()

    def __init__(self, threads: int) -> None:
        with self.record.open("a") as fh:
            fh.write(f"{os.getpid()} {threads}\n")

    def models(self) -> list[ocr_mod.ModelInfo]:
        return []

    def read(self, rgb: np.ndarray) -> list[ocr_mod.OcrBox]:
        return []


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Loading rapidocr records (pid, threads) in the file yielded; 6 usable cores."""
    monkeypatch.setattr(Fake, "record", tmp_path / "loads.txt")
    monkeypatch.setitem(ocr_mod._FACTORIES, "rapidocr", Fake)
    monkeypatch.setattr(ocr_mod.RapidOcrBackend, "find",
                        classmethod(lambda cls: ("fake", tmp_path)))
    for name in ("_BACKENDS", "_PENDING", "_FAILED"):
        monkeypatch.setattr(ocr_mod, name, {})
    monkeypatch.setattr(ocr_mod, "usable_cores", lambda: 6)
    yield Fake.record


def _loaded(record: Path) -> list[tuple[int, int]]:
    text = record.read_text() if record.is_file() else ""
    return [(int(pid), int(threads)) for pid, threads in (line.split() for line in
                                                           text.splitlines())]


@pytest.fixture(scope="module")
def listing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("threads")
    for i in range(5):
        synth.save(synth.shot("bottle", (300, 300), seed=i), root / f"{i}.jpg")
    return root


@pytest.mark.parametrize(("options", "threads"), [([], 6), (["--threads", "2"], 2),
                                                  (["--jobs", "1"], 6)])
def test_a_scan_in_one_process_gives_its_ocr_every_core(loads: Path, listing: Path,
                                                        options: list[str],
                                                        threads: int) -> None:
    files = [str(listing / "0.jpg")] if "--jobs" not in options else [str(listing)]
    done = CliRunner().invoke(main, ["scan", *files, *options, "--exit-zero"],
                              catch_exceptions=False)
    assert done.exit_code == 0, done.output
    assert _loaded(loads) == [(os.getpid(), threads)]


def test_scan_workers_share_the_cores_and_the_parent_loads_nothing(loads: Path,
                                                                  listing: Path) -> None:
    done = CliRunner().invoke(main, ["scan", str(listing), "--jobs", "2", "--exit-zero"],
                              catch_exceptions=False)
    assert done.exit_code == 0, done.output
    loaded = _loaded(loads)
    assert len(loaded) == 2 and {threads for _, threads in loaded} == {3}
    assert os.getpid() not in {pid for pid, _ in loaded}


def test_serve_gives_each_worker_its_share(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("uvicorn")
    import uvicorn

    from imagecheck.serve import OPTIONS_ENV

    monkeypatch.setattr(ocr_mod, "usable_cores", lambda: 6)
    started: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: started.append(
        {**json.loads(os.environ[OPTIONS_ENV]), "workers": k["workers"]}))
    monkeypatch.delenv(OPTIONS_ENV, raising=False)
    for options in (["--workers", "1"], ["--workers", "2"], ["--workers", "4"],
                    ["--workers", "8"], ["--workers", "2", "--threads", "5"]):
        CliRunner().invoke(main, ["serve", "--ocr", "none", *options], catch_exceptions=False)
    assert [(s["workers"], s["threads"]) for s in started] == [(1, 6), (2, 3), (4, 1), (8, 1),
                                                               (2, 5)]


def test_a_forked_child_loads_its_own_models(ocr: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A child forked from a process whose OCR runs on a thread pool does not use it (it
    would wait for threads the child does not have): it loads a one-thread copy."""
    monkeypatch.setattr(ocr_mod, "_BACKENDS", {"rapidocr": ocr_mod.RapidOcrBackend(2)})
    white = np.full((64, 64, 3), 255, np.uint8)
    pid = os.fork()
    if pid == 0:  # the child
        backend = ocr_mod.get_backend("rapidocr")
        ok = isinstance(backend, ocr_mod.RapidOcrBackend) and backend.threads == 1
        os._exit(0 if ok and backend.read(white) == [] else 1)
    for _ in range(600):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.waitstatus_to_exitcode(status) == 0
            return
        time.sleep(0.1)
    os.kill(pid, 9)
    raise AssertionError("the forked child hung")
