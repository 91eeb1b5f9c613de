"""``imagecheck shop``: check the shop against platform admission and service rules."""

from __future__ import annotations

import sys
from dataclasses import replace

import click

from imagecheck import report as reporters
from imagecheck.api import ShopInputs, shop_report
from imagecheck.cli.help import Command
from imagecheck.cli.options import (
    UsageError,
    lang_option,
    load_settings,
    output_options,
    shop_input_options,
)
from imagecheck.exitcodes import exit_code
from imagecheck.i18n import reason
from imagecheck.shop.values import parse_time


@click.command(cls=Command)
@lang_option
@click.argument("profile", type=click.Path(dir_okay=False))
@shop_input_options
@click.option("--now", "now_text", metavar="TIME",
              help="Judge deadlines and dates as of TIME (naive = China time) [default: now].")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
              help="Configuration file whose params.CODE tables set rule thresholds.")
@output_options
def shop(profile: str, chats: str | None, orders: str | None, tracking: str | None,
         now_text: str | None, config_file: str | None, fmt: str, output: str | None,
         fail_on: str | None, exit_zero: bool, color: bool, lang: str) -> None:
    """Check the shop in PROFILE (TOML, YAML or JSON) and its CSV exports.

    Kuaishou 快分销 admission (KS1xx) from the profile's [kuaishou] section;
    Pinduoduo store documents (PDD4xx) from [pdd]; effective reply rate (PDD2xx)
    from --chats; late and fake shipment (PDD3xx) from --orders and --tracking.
    CSVs may be UTF-8, UTF-8 with BOM or GBK/GB18030, headers Chinese or English
    (docs/shop.md). Exit status: 0 clean, 1 findings at or above --fail-on,
    2 usage error or unusable input.

    \b
    Examples:
      imagecheck shop shop.toml
      imagecheck shop shop.toml --chats chats.csv --orders orders.csv --tracking tracking.csv
      imagecheck shop shop.yaml --format json -o shop-report.json --fail-on error
    """
    settings = load_settings(config_file, fail_on=fail_on)
    try:
        now = parse_time(now_text) if now_text else None
        report = shop_report(ShopInputs(profile, chats, orders, tracking, now), settings)
    except ValueError as exc:  # ShopInputError included: file, row and column in the message
        raise UsageError(reason(exc)) from None
    report = replace(report, lang=lang)
    reporters.write(report, fmt, output, color=color)
    sys.exit(exit_code(report, exit_zero))

