"""``imagecheck scan``: check listing images."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from imagecheck import report as reporters
from imagecheck.analysis.logos import LogoFileError, preflight
from imagecheck.analysis.text import OcrUnavailable
from imagecheck.api import check_listing
from imagecheck.cli.options import UsageError, output_options
from imagecheck.config import (
    ROLES,
    ConfigError,
    Settings,
    build_settings,
    find_config,
    read_config,
)
from imagecheck.exitcodes import exit_code
from imagecheck.listing import ListingError
from imagecheck.shop.api import check_shop

OCR_BACKENDS = ("rapidocr", "easyocr", "none")


def load_settings(config_file: str | None, **overrides: object) -> Settings:
    """Settings from ``config_file`` or the configuration found from the working
    directory, with command-line ``overrides``; the OCR backend and logo files they name
    are loaded now, so that one that cannot load stops the run before its first image.
    Errors become usage errors (exit 2)."""
    try:
        _, config = read_config(Path(config_file)) if config_file else find_config()
        settings = build_settings(config, **overrides)
        preflight(settings.analysis)
    except (ConfigError, OcrUnavailable, LogoFileError) as exc:
        raise UsageError(str(exc)) from None
    return settings


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--platform", "-p", help="Platform profile: pdd, taobao, kuaishou, amazon, jd"
              " or a profile .toml file [default: pdd].")
@click.option("--role", type=click.Choice(ROLES), help="Check every image in this role.")
@click.option("--select", help="Only rules whose code starts with these (comma-separated).")
@click.option("--ignore", help="Skip rules whose code starts with these (comma-separated).")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=None,
              help="Worker processes (0 = all cores) [default: 0].")
@click.option("--ocr", type=click.Choice(OCR_BACKENDS),
              help="OCR backend for text rules; none skips them (the report says so)"
                   " [default: rapidocr].")
@click.option("--logo", "logos", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="A brand logo image file to look for (repeatable; replaces logos in the"
                   " configuration).")
@click.option("--brand", "brands", multiple=True,
              help="A brand name to look for in overlaid text (repeatable; replaces brands in"
                   " the configuration).")
@click.option("--shop", "shop_profile", type=click.Path(dir_okay=False),
              help="Also check the shop in this profile (TOML, YAML or JSON): one combined"
                   " report (see `imagecheck shop`).")
@click.option("--chats", type=click.Path(dir_okay=False),
              help="With --shop: chat-log CSV for the effective reply rate.")
@click.option("--orders", type=click.Path(dir_okay=False),
              help="With --shop: order export CSV (late and fake shipment).")
@click.option("--tracking", type=click.Path(dir_okay=False),
              help="With --shop: tracking-event export CSV.")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
              help="Configuration file (imagecheck.toml or pyproject.toml).")
@output_options
def scan(paths: tuple[str, ...], platform: str | None, role: str | None, select: str | None,
         ignore: str | None, jobs: int | None, ocr: str | None, logos: tuple[str, ...],
         brands: tuple[str, ...], shop_profile: str | None,
         chats: str | None, orders: str | None, tracking: str | None,
         config_file: str | None, fmt: str, output: str | None, fail_on: str | None,
         exit_zero: bool) -> None:
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
        raise UsageError("--chats, --orders and --tracking need --shop PROFILE")
    settings = load_settings(config_file, platform=platform, select=select, ignore=ignore,
                             fail_on=fail_on, jobs=jobs, ocr=ocr, logos=logos, brands=brands)
    try:
        result = check_listing(list(paths), settings, role=role)
    except ListingError as exc:
        raise UsageError(str(exc)) from None
    if shop_profile:
        try:
            shop = check_shop(shop_profile, chats=chats, orders=orders, tracking=tracking,
                              params=settings.shop_params)
        except ValueError as exc:  # file, row and column are in the message
            raise UsageError(str(exc)) from None
        result = replace(result, shop_findings=shop.findings, shop_summary=shop.summary())
    reporters.write(result, fmt, output, color=sys.stdout.isatty())
    sys.exit(exit_code(result, exit_zero))
