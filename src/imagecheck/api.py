"""The typed library API the CLI is a thin layer over.

A run's :class:`~imagecheck.report.model.Report` holds image results, the shop's result
(:class:`~imagecheck.report.model.ShopResult`), or both: :func:`check_listing` checks a
listing (and, given ``shop``, the shop with it), :func:`shop_report` the shop alone.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from imagecheck.config import Settings, build_settings, find_config
from imagecheck.i18n import msg, nmsg
from imagecheck.listing import ImageJob, walk
from imagecheck.report.model import ImageResult, Report, ShopResult
from imagecheck.resultstore import WORST_LISTINGS, StoreSummary, StoreWriter, summarise
from imagecheck.runner import Executor, run_jobs, stream_jobs

if TYPE_CHECKING:
    from imagecheck.cache import ResultCache


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
        """The shop checked under ``settings`` (:func:`imagecheck.check_shop`; the shop's
        modules are imported only here, so an image scan without a shop never loads them)."""
        from imagecheck.shop.api import check_shop

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
    walked = _Kept(paths, settings, role)
    kept = list(walked)
    if on_start:
        on_start(len(kept))
    results, interrupted = run_jobs(
        kept, settings, settings.jobs if jobs is None else jobs, on_result, cache, executor
    )
    return build_report(results, settings, interrupted, excluded=walked.excluded,
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
    kept = [_accepted_left_out(r, settings) for r in results]
    dropped = sum(len(r.findings) for r in results) - sum(len(r.findings) for r in kept)
    return Report(
        images=tuple(kept),
        platform=settings.platform,
        fail_on=settings.fail_on,
        shop=shop,
        notes=_notes(settings, excluded, dropped),
        interrupted=interrupted,
    )


def _accepted_left_out(result: ImageResult, settings: Settings) -> ImageResult:
    """``result`` without the findings ``per_path_ignores`` accepts."""
    if not settings.per_path_ignores:
        return result
    return replace(result, findings=tuple(f for f in result.findings
                                          if not settings.ignored(result.path, f.code)))


def _notes(settings: Settings, excluded: int, dropped: int) -> tuple[str, ...]:
    notes = []
    if settings.analysis.ocr == "none":
        notes.append(msg("text was not checked (OCR disabled with --ocr none)"))
    if excluded:
        notes.append(nmsg("{n} file not checked: excluded by the configuration",
                          "{n} files not checked: excluded by the configuration", n=excluded))
    if dropped:
        notes.append(nmsg("{n} finding accepted by per_path_ignores",
                          "{n} findings accepted by per_path_ignores", n=dropped))
    return tuple(notes)


def _open_cache(cache_dir: str | Path | None, use_cache: bool) -> ResultCache | None:
    """The result cache in ``cache_dir``, or ``None`` if not used or not available (then
    with a warning). The cache's module (and SQLite) is imported only here: a scan without
    one never loads it."""
    if not use_cache:
        return None
    import sqlite3

    from imagecheck.cache import ResultCache

    try:
        return ResultCache(cache_dir)
    except (OSError, sqlite3.Error) as exc:
        warnings.warn(f"result cache unavailable ({exc}); checking every image", stacklevel=3)
        return None


@dataclass(frozen=True)
class AuditOptions:
    """How :func:`audit` and :func:`audit_to_store` run: ``jobs`` worker processes
    (default: the settings'), the result cache in ``cache_dir`` (default:
    :func:`imagecheck.cache.default_dir`) unless ``use_cache`` is false (a cache that cannot
    be opened is warned about and skipped), ``on_start`` called with the number of images
    found and ``on_result`` with each result (progress), and ``executor`` to run the checks
    elsewhere, e.g. a :class:`~imagecheck.distributed.DaskExecutor` on a cluster (default:
    local processes)."""

    jobs: int | None = None
    cache_dir: str | Path | None = None
    use_cache: bool = True
    on_start: Callable[[int], None] | None = None
    on_result: Callable[[ImageResult], None] | None = None
    executor: Executor | None = None


def audit(catalogue: Sequence[str | Path], settings: Settings | None = None,
          options: AuditOptions | None = None) -> Report:
    """Check a catalogue (folders of listing folders, nested to any depth, or fsspec URLs)
    in parallel, through the result cache, as ``options`` say.
    ``report.summary()["by_listing"]`` has the worst listings first.
    """
    run = options or AuditOptions()
    cache = _open_cache(run.cache_dir, run.use_cache)
    try:
        return check_listing(catalogue, settings, jobs=run.jobs, cache=cache,
                             on_start=run.on_start, on_result=run.on_result,
                             executor=run.executor)
    finally:
        if cache is not None:
            cache.close()


class _Kept:
    """The jobs of ``paths`` (roles from ``role`` if given) the settings do not exclude,
    walked anew each time they are iterated, counting the excluded ones. Its paths are
    checked when it is made."""

    def __init__(self, paths: Sequence[str | Path], settings: Settings,
                 role: str | None = None) -> None:
        self._first: Iterator[ImageJob] | None = walk(paths, role)
        self._paths = paths
        self._role = role
        self._settings = settings
        self.excluded = 0

    def __iter__(self) -> Iterator[ImageJob]:
        found, self._first = self._first or walk(self._paths, self._role), None
        self.excluded = 0
        for job in found:
            if self._settings.excluded(job.location):
                self.excluded += 1
            else:
                yield job


def audit_to_store(catalogue: Sequence[str | Path], store: str | Path,
                   settings: Settings | None = None, options: AuditOptions | None = None,
                   *, worst: int = WORST_LISTINGS) -> StoreSummary:
    """:func:`audit` for catalogues too large to hold in memory: each result is written to
    the results store folder ``store`` as it comes (:mod:`imagecheck.resultstore`) and
    none is kept, and the catalogue is walked as the audit goes, not listed first (a
    manifest that cannot be read stops it with :class:`~imagecheck.listing.ListingError`
    when it is reached; ``on_start`` costs a walk of its own); the summary and the
    ``worst`` listings are then computed from the store. Ctrl-C stops the audit and still
    completes the store, the images not reached listed as not checked (IN006)."""
    run = options or AuditOptions()
    settings = settings or default_settings()
    kept = _Kept(catalogue, settings)
    if run.on_start:
        run.on_start(sum(1 for _ in kept))  # a walk of its own: the jobs are not kept
    writer = StoreWriter(store, settings.fail_on)
    dropped = 0

    def sink(result: ImageResult) -> None:
        nonlocal dropped
        accepted = _accepted_left_out(result, settings)
        dropped += len(result.findings) - len(accepted.findings)
        writer.add(accepted)
        if run.on_result:
            run.on_result(accepted)

    cache = _open_cache(run.cache_dir, run.use_cache)
    try:
        interrupted = stream_jobs(kept, settings, sink,
                                  settings.jobs if run.jobs is None else run.jobs, cache,
                                  run.executor)
    finally:
        if cache is not None:
            cache.close()
    writer.close(settings.platform, _notes(settings, kept.excluded, dropped), interrupted)
    return summarise(store, worst)
