"""The typed library API the CLI is a thin layer over."""

from __future__ import annotations

import sqlite3
import warnings
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from imagecheck.cache import ResultCache
from imagecheck.config import Settings, build_settings, find_config
from imagecheck.listing import discover
from imagecheck.report.model import ImageResult, Report
from imagecheck.runner import Executor, run_jobs


def default_settings(**overrides: object) -> Settings:
    """Settings from the configuration file found from the working directory, with
    ``overrides`` (the configuration keys) on top."""
    _, config = find_config()
    return build_settings(config, **overrides)


def check_listing(
    paths: Sequence[str | Path],
    settings: Settings | None = None,
    *,
    role: str | None = None,
    jobs: int | None = None,
    on_result: Callable[[ImageResult], None] | None = None,
    cache: ResultCache | None = None,
    on_start: Callable[[int], None] | None = None,
    executor: Executor | None = None,
) -> Report:
    """Check every image in ``paths`` (files or folders, recursively) and return the report.

    Roles come from ``role`` if given, else from manifests, folder and file names, else
    the first file of each listing folder is its main image. With a ``cache``, unchanged
    images checked before under the same settings are not checked again. ``on_start`` is
    called with the number of images found, ``on_result`` with each result (progress).
    """
    settings = settings or default_settings()
    found = discover(paths, role)
    kept = [job for job in found if not settings.excluded(job.location)]
    if on_start:
        on_start(len(kept))
    results, interrupted = run_jobs(
        kept, settings, settings.jobs if jobs is None else jobs, on_result, cache, executor
    )
    return build_report(results, settings, interrupted, excluded=len(found) - len(kept))


def build_report(results: Sequence[ImageResult], settings: Settings,
                 interrupted: bool = False, excluded: int = 0) -> Report:
    """The report of ``results`` checked under ``settings``, with its notes; findings
    that ``per_path_ignores`` accepts are left out (and counted in a note)."""
    notes = []
    if settings.analysis.ocr == "none":
        notes.append("text was not checked (OCR disabled with --ocr none)")
    if excluded:
        notes.append(f"{excluded} file(s) not checked: excluded by the configuration")
    if settings.per_path_ignores:
        kept = [replace(r, findings=tuple(f for f in r.findings
                                          if not settings.ignored(r.path, f.code)))
                for r in results]
        dropped = sum(len(r.findings) for r in results) - sum(len(r.findings) for r in kept)
        if dropped:
            notes.append(f"{dropped} finding(s) accepted by per_path_ignores")
        results = kept
    return Report(
        images=tuple(results),
        platform=settings.platform,
        fail_on=settings.fail_on,
        notes=tuple(notes),
        interrupted=interrupted,
    )


def audit(
    catalogue: Sequence[str | Path],
    settings: Settings | None = None,
    *,
    jobs: int | None = None,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    on_start: Callable[[int], None] | None = None,
    on_result: Callable[[ImageResult], None] | None = None,
    executor: Executor | None = None,
) -> Report:
    """Check a catalogue (folders of listing folders, nested to any depth) in parallel,
    through the result cache in ``cache_dir`` (default: :func:`imagecheck.cache.default_dir`)
    unless ``use_cache`` is false (a cache that cannot be opened is warned about and
    skipped). ``report.summary()["by_listing"]`` has the worst listings first.
    ``executor`` runs the checks elsewhere, e.g. a
    :class:`~imagecheck.distributed.DaskExecutor` on a cluster (default: local processes).
    """
    cache = None
    if use_cache:
        try:
            cache = ResultCache(cache_dir)
        except (OSError, sqlite3.Error) as exc:
            warnings.warn(f"result cache unavailable ({exc}); checking every image",
                          stacklevel=2)
    try:
        return check_listing(catalogue, settings, jobs=jobs, cache=cache, on_start=on_start,
                             on_result=on_result, executor=executor)
    finally:
        if cache is not None:
            cache.close()

