"""``imagecheck scan``: check listing images (and, with ``--shop``, the shop)."""

from __future__ import annotations

import sys
from dataclasses import replace

import click

from imagecheck import report as reporters
from imagecheck.api import ShopInputs, check_listing
from imagecheck.cli.help import Command
from imagecheck.cli.options import (
    UsageError,
    allow_empty_option,
    baseline_options,
    lang_option,
    output_options,
    progress,
    refuse_output_over_inputs,
    require_images,
    rule_statistics,
    settings_options,
    shop_input_options,
    use_baseline,
)
from imagecheck.config import ROLES, Settings
from imagecheck.exitcodes import exit_code
from imagecheck.findings import Finding, Severity
from imagecheck.i18n import msg, reason
from imagecheck.report.model import Report

#: Scans of at least this many images show a progress bar on a terminal.
PROGRESS_FROM = 20


@click.command(cls=Command)
@lang_option
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--role", type=click.Choice(ROLES), help="Check every image in this role.")
@click.option("--shop", "shop_profile", type=click.Path(dir_okay=False),
              help="Also check the shop in this profile (TOML, YAML or JSON): one combined"
                   " report (see `imagecheck shop`); --chats, --orders and --tracking"
                   " give its exports.")
@shop_input_options
@click.option("--statistics", is_flag=True,
              help="End the text output with the number of problems of each main rule.")
@click.option("--hide-info", is_flag=True,
              help="Leave info findings out of the text output (other formats keep them).")
@allow_empty_option
@baseline_options
@settings_options
@output_options
def scan(paths: tuple[str, ...], role: str | None, shop_profile: str | None,
         chats: str | None, orders: str | None, tracking: str | None, statistics: bool,
         hide_info: bool, allow_empty: bool, baseline: str | None,
         write_baseline: str | None, settings: Settings, fmt: str,
         output: str | None, exit_zero: bool, color: bool, lang: str) -> None:
    """Check the images in PATHS (files or folders, searched recursively).

    Prints a verdict per image and the findings behind it. Exit status: 0 clean,
    1 findings at or above --fail-on, 2 usage error or unreadable input.

    \b
    Examples:
      imagecheck scan ./listing
      imagecheck scan ./listing --platform taobao --fail-on error
      imagecheck scan ./catalogue -f json -o report.json --jobs 4
      imagecheck scan ./listing --shop shop.toml --chats chats.csv
    """
    if (chats or orders or tracking) and not shop_profile:
        raise UsageError(msg("--chats, --orders and --tracking need --shop PROFILE"))
    shop = ShopInputs(shop_profile, chats, orders, tracking) if shop_profile else None
    try:
        with progress(sys.stderr.isatty(), minimum=PROGRESS_FROM) as (on_start, on_result):
            result = check_listing(list(paths), settings, role=role, on_start=on_start,
                                   on_result=on_result, shop=shop)
    except ValueError as exc:  # ListingError, ShopInputError: the file is in the message
        raise UsageError(reason(exc)) from None
    result = replace(result, lang=lang)
    require_images(result, paths, allow_empty or bool(shop_profile))
    refuse_output_over_inputs(output, result)
    result = use_baseline(result, baseline, write_baseline)
    shown = without_info(result) if hide_info and fmt == "text" else result
    reporters.write(shown, fmt, output, color=color)
    if statistics and fmt == "text":
        click.echo("\n".join(["", *rule_statistics(shown)]), err=output is not None)
    sys.exit(exit_code(result, exit_zero))


def without_info(report: Report) -> Report:
    """``report`` with its info findings left out, the shop's too (for display only; the
    conditions the shop meets are still named)."""
    def kept(findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
        return tuple(f for f in findings if f.severity > Severity.INFO)

    images = tuple(replace(r, findings=kept(r.findings)) for r in report.images)
    shop = replace(report.shop, findings=kept(report.shop.findings)) if report.shop else None
    return replace(report, images=images, shop=shop)
