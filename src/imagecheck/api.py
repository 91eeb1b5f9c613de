"""The typed library API the CLI is a thin layer over.

A run's :class:`~imagecheck.report.model.Report` holds image results, the shop's result
(:class:`~imagecheck.report.model.ShopResult`), or both: :func:`check_listing` checks a
listing (and, given ``shop``, the shop with it), :func:`shop_report` the shop alone.
"""

from __future__ import annotations

import sqlite3
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from imagecheck.cache import ResultCache
from imagecheck.config import Settings, build_settings, find_config
from imagecheck.i18n import msg, nmsg
from imagecheck.listing import discover
from imagecheck.report.model import ImageResult, Report, ShopResult
from imagecheck.runner import Executor, run_jobs
from imagecheck.shop.api import check_shop


@dataclass(frozen=True)
class ShopInputs:
    """What describes a shop: its profile (TOML, YAML or JSON) and CSV exports
    (``tracking`` needs ``orders``); ``now`` (naive = China time) is the moment deadlines
    are judged at (default: the current time)."""

    profile: str | Path
    chats: str | Path | None = None
    orders: str | Path | None = None
    tracking: str | Path | None = None
    now: datetime | None = None

    def check(self, settings: Settings) -> ShopResult:
        """The shop checked under ``settings`` (:func:`imagecheck.check_shop`)."""
        return check_shop(self.profile, chats=self.chats, orders=self.orders,
                          tracking=self.tracking, now=self.now, settings=settings)


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
    shop: ShopInputs | None = None,
) -> Report:
    """Check every image in ``paths`` (files or folders, recursively) and return the report.

    Roles come from ``role`` if given, else from manifests, folder and file names, else
    the first file of each listing folder is its main image. With a ``cache``, unchanged
    images checked before under the same settings are not checked again. ``on_start`` is
    called with the number of images found, ``on_result`` with each result (progress).
    With ``shop``, the shop is checked too, first (a shop input that cannot be used
    raises before any image is checked), and the report holds both.
    """
    settings = settings or default_settings()
    shop_result = shop.check(settings) if shop is not None else None
    found = discover(paths, role)
    kept = [job for job in found if not settings.excluded(job.path)]
    if on_start:
        on_start(len(kept))
    results, interrupted = run_jobs(
        kept, settings, settings.jobs if jobs is None else jobs, on_result, cache, executor
    )
    return build_report(results, settings, interrupted, excluded=len(found) - len(kept),
                        shop=shop_result)


def shop_report(shop: ShopInputs, settings: Settings | None = None) -> Report:
    """The report of the shop alone: no images, the platform named by the rules checked
    (``kuaishou``, ``pdd`` or ``kuaishou+pdd``). Raises ``ValueError`` (a
    :class:`~imagecheck.shop.model.ShopInputError`) for an input that cannot be used."""
    settings = settings or default_settings()
    result = shop.check(settings)
    return Report(images=(), platform="+".join(result.platforms), fail_on=settings.fail_on,
                  shop=result)


def build_report(results: Sequence[ImageResult], settings: Settings,
                 interrupted: bool = False, excluded: int = 0,
                 shop: ShopResult | None = None) -> Report:
    """The report of ``results`` (and ``shop``) checked under ``settings``, with its
    notes; findings that ``per_path_ignores`` accepts are left out (and counted in a
    note)."""
    notes = []
    if settings.analysis.ocr == "none":
        notes.append(msg("text was not checked (OCR disabled with --ocr none)"))
    if excluded:
        notes.append(nmsg("{n} file not checked: excluded by the configuration",
                          "{n} files not checked: excluded by the configuration", n=excluded))
    if settings.per_path_ignores:
        kept = [replace(r, findings=tuple(f for f in r.findings
                                          if not settings.ignored(r.path, f.code)))
                for r in results]
        dropped = sum(len(r.findings) for r in results) - sum(len(r.findings) for r in kept)
        if dropped:
            notes.append(nmsg("{n} finding accepted by per_path_ignores",
                              "{n} findings accepted by per_path_ignores", n=dropped))
        results = kept
    return Report(
        images=tuple(results),
        platform=settings.platform,
        fail_on=settings.fail_on,
        shop=shop,
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

