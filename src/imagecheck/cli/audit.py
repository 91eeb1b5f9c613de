"""``imagecheck audit``: a whole catalogue, in parallel, with a cache and a progress bar."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from imagecheck import report as reporters
from imagecheck.annotate import OutputError, annotate_report
from imagecheck.api import AuditOptions, audit_to_store
from imagecheck.api import audit as run_audit
from imagecheck.cache import ENV_VAR, ResultCache, SharedCache, shared_location
from imagecheck.cli.help import Command
from imagecheck.cli.options import (
    UsageError,
    allow_empty_option,
    baseline_options,
    echo,
    lang_option,
    output_options,
    progress,
    refuse_output_over_inputs,
    require_images,
    rule_statistics,
    settings_options,
    use_baseline,
)
from imagecheck.config import Settings
from imagecheck.exitcodes import exit_code, exit_status
from imagecheck.i18n import msg, reason, translate
from imagecheck.listing import ListingError, is_url
from imagecheck.report import store_format
from imagecheck.report.model import Report
from imagecheck.resultstore import StoreSummary

#: Listings shown in the text summary; the JSON and HTML reports list all.
WORST_SHOWN = 20


def audit_summary(report: Report) -> str:
    """The text summary of an audit: problems by rule, then the worst listings."""
    s = report.summary()
    lines = ["", *rule_statistics(report)]
    worst = [row for row in s["by_listing"] if row["fail"] or row["error"]]
    lang = report.lang
    lines += ["", translate(msg("Worst listings ({n} of {total} need work):", n=len(worst),
                                total=len(s["by_listing"])), lang)]
    for row in worst[:WORST_SHOWN]:
        lines.append("  " + translate(msg(
            "{errors:>3} error {failed:>3} fail {problems:>4} problems / {images} images",
            errors=row["error"], failed=row["fail"], problems=row["problems"],
            images=row["images"]), lang) + f"  {row['listing']}")
    if len(worst) > WORST_SHOWN:
        lines.append("  " + translate(msg("... and {n} more (see the JSON or HTML report)",
                                          n=len(worst) - WORST_SHOWN), lang))
    return "\n".join(lines) + "\n"


@contextmanager
def _executor(scheduler: str | None, cluster: str | None, jobs: int,
              cache: str | None) -> Iterator[Any]:
    """The Dask executor ``--scheduler`` or ``--cluster`` ask for, its workers sharing the
    cache at ``cache``, or ``None`` (local)."""
    if scheduler is None and cluster is None:
        yield None
        return
    if scheduler and cluster:
        raise UsageError(msg("give --scheduler or --cluster, not both"))
    try:
        from imagecheck.distributed import DaskExecutor
    except ImportError as exc:
        raise UsageError(msg("--scheduler and --cluster need the [dask] extra: pip install"
                             " 'imagecheck[dask]' ({error})", error=str(exc))) from None
    try:
        executor = DaskExecutor(scheduler, workers=jobs, cache=cache)
    except OSError as exc:
        raise UsageError(msg("cannot reach the Dask scheduler {address}: {error}",
                             address=scheduler, error=str(exc))) from None
    with executor:
        yield executor


class CataloguePath(click.Path):
    """A file or folder that exists, or a URL (``s3://bucket/catalogue``), listed later."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if is_url(value):
            return value
        return super().convert(value, param, ctx)


@click.command(cls=Command)
@lang_option
@click.argument("catalogue", nargs=-1, required=True, type=CataloguePath(exists=True))
@click.option("--cache-dir", type=click.Path(file_okay=False),
              help=f"Result cache folder [default: ${ENV_VAR}, else ~/.cache/imagecheck];"
                   " on a cluster, one every worker reaches, or an fsspec URL.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option("--clear-cache", is_flag=True, help="Empty the result cache first.")
@click.option("--annotate", "annotate_dir", type=click.Path(file_okay=False),
              help="Also write copies of the images with their findings drawn to this folder.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786);"
                   " workers read the images themselves (extra [dask]).")
@click.option("--cluster", type=click.Choice(["local"]),
              help="Start a local Dask cluster of --jobs worker processes (extra [dask]).")
@click.option("--store", "store_dir", type=click.Path(file_okay=False),
              help="Write every result to this results store folder (JSON Lines shards, one"
                   " row per image and per finding) and report only the summary and the worst"
                   " listings (text, json or html): for catalogues too large for memory.")
@allow_empty_option
@baseline_options
@settings_options
@output_options
def audit(catalogue: tuple[str, ...], cache_dir: str | None, no_cache: bool,
          clear_cache: bool, annotate_dir: str | None, quiet: bool, scheduler: str | None,
          cluster: str | None, store_dir: str | None, allow_empty: bool,
          baseline: str | None, write_baseline: str | None, settings: Settings, fmt: str,
          output: str | None, exit_zero: bool, color: bool, lang: str) -> None:
    """Audit a CATALOGUE: a folder of listing folders, nested to any depth.

    Checks every image of every listing in parallel, reusing cached results for images
    and settings that have not changed, and reports per image and per listing, with
    counts by rule and the worst listings first. Ctrl-C stops and still writes the
    report; images not reached are listed as not checked (IN006).

    \b
    Examples:
      imagecheck audit ./catalogue
      imagecheck audit ./catalogue -f html -o audit.html
      imagecheck audit ./catalogue -f json -o audit.json --jobs 8 --quiet
      imagecheck audit s3://bucket/catalogue --scheduler tcp://host:8786 \\
          --cache-dir s3://bucket/imagecheck-cache --store results/ -f html -o audit.html
    """
    remote = scheduler is not None or cluster is not None
    if store_dir is not None:
        if fmt not in store_format.FORMATS:
            raise UsageError(msg("with --store the report is {formats} (every image is in"
                                 " the store), not {fmt}",
                                 formats=", ".join(store_format.FORMATS), fmt=fmt))
        if baseline or write_baseline or annotate_dir:
            raise UsageError(msg("--store does not go with --baseline, --write-baseline or"
                                 " --annotate"))
    if clear_cache and not no_cache:
        if remote:
            SharedCache(shared_location(cache_dir)).clear()
        else:
            store = ResultCache(cache_dir)
            store.clear()
            store.close()
    show = not quiet and sys.stderr.isatty()
    shared = None if no_cache else shared_location(cache_dir)
    with _executor(scheduler, cluster, settings.jobs, shared) as executor:
        try:
            with progress(show) as (on_start, on_result):
                # On a cluster the workers share the cache; the client reads no image.
                # Without a progress bar a store's catalogue is not counted first.
                run = AuditOptions(cache_dir=cache_dir, use_cache=not no_cache and not remote,
                                   on_start=on_start if show else None, on_result=on_result,
                                   executor=executor)
                if store_dir is not None:
                    summary = audit_to_store(list(catalogue), store_dir, settings, run)
                else:
                    result = run_audit(list(catalogue), settings, run)
        except ListingError as exc:
            raise UsageError(reason(exc)) from None
    if store_dir is not None:
        _report_store(summary, catalogue, allow_empty, fmt, output, exit_zero, lang)
    result = replace(result, lang=lang)
    require_images(result, catalogue, allow_empty)
    refuse_output_over_inputs(output, result)
    result = use_baseline(result, baseline, write_baseline)
    if fmt == "text":
        text = reporters.render(result, fmt, color=color and output is None)
        reporters.emit(text + audit_summary(result), output)
    else:
        reporters.write(result, fmt, output, color=color)
    if annotate_dir is not None:
        try:
            annotate_report(result, Path(annotate_dir))
        except OutputError as exc:
            raise UsageError(reason(exc)) from None
    if result.interrupted:
        echo(msg("interrupted: the report lists the images not reached (IN006)"), err=True)
    sys.exit(exit_code(result, exit_zero))


def _report_store(summary: StoreSummary, catalogue: tuple[str, ...], allow_empty: bool,
                  fmt: str, output: str | None, exit_zero: bool, lang: str) -> None:
    """Write the report (in ``lang``) of an audit written to a results store, and exit."""
    if not summary.counts["images"] and not allow_empty:
        raise UsageError(msg("no images found in {paths}", paths=", ".join(catalogue)))
    reporters.emit(store_format.render(summary, fmt, lang), output)
    if summary.interrupted:
        echo(msg("interrupted: the store lists the images not reached (IN006)"), err=True)
    sys.exit(exit_status(unreadable=summary.unreadable or summary.interrupted,
                         failed=summary.failed, exit_zero=exit_zero))
