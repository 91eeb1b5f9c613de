"""``imagecheck fix``: corrected copies of failing images, re-checked."""

from __future__ import annotations

import sys
from dataclasses import replace

import click

from imagecheck import report as reporters
from imagecheck.annotate import OutputError
from imagecheck.cli.help import Command
from imagecheck.cli.options import (
    UsageError,
    allow_empty_option,
    lang_option,
    output_options,
    progress,
    refuse_output_over_inputs,
    require_images,
    settings_options,
)
from imagecheck.cli.scan import PROGRESS_FROM
from imagecheck.config import ROLES, Settings
from imagecheck.exitcodes import exit_code
from imagecheck.fix.api import fix_listing
from imagecheck.fix.model import FixOptions
from imagecheck.i18n import reason
from imagecheck.listing import ListingError


@click.command(cls=Command)
@lang_option
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for the fixed copies (mirrors the input folders).")
@click.option("--role", type=click.Choice(ROLES), help="Fix every image in this role.")
@click.option("--dry-run", is_flag=True,
              help="Fix and re-check in memory and report, but write no copy.")
@click.option("--size", type=click.IntRange(min=16, max=20000), default=None,
              help="Side of the square canvas a product is recentred on [default: the"
                   " profile's: 800, or its minimum or zoom size where larger].")
@click.option("--fill", type=click.FloatRange(min=0.1, max=1.0), default=None,
              help="Share of the canvas the product's longest side spans [default: 0.8,"
                   " or above the profile's min_fill].")
@click.option("--max-upscale", type=click.FloatRange(min=1.0, max=8.0), default=1.0,
              show_default=True,
              help="Largest enlargement of the product made without a warning (FX101).")
@allow_empty_option
@settings_options
@output_options
def fix(paths: tuple[str, ...], out_dir: str, role: str | None, dry_run: bool,
        size: int | None, fill: float | None, max_upscale: float, allow_empty: bool,
        settings: Settings, fmt: str, output: str | None, exit_zero: bool,
        color: bool, lang: str) -> None:
    """Write corrected copies of the images in PATHS that fail, and re-check them.

    Crops frames and edge bands; fills badges, strips, overlay text and logo marks
    that sit on a plain background; whitens an off-white or light-grey background,
    or cuts the product out of a plain coloured, grey or dark backdrop onto white;
    recentres and scales the product on a white square canvas; writes sRGB JPEG
    under the profile's file-size limit. What cannot be fixed without changing the
    product (an overlay over it, a scene, blur) is reported, with why. Originals are
    never changed (a copy that would land on an input is refused). Exit status:
    0 every copy passes, 1 some still fail, 2 usage error or unreadable input.

    \b
    Examples:
      imagecheck fix ./listing --out ./fixed
      imagecheck fix ./listing --out ./fixed --dry-run -f json -o fix.json
    """
    options = FixOptions(size=size, fill=fill, max_upscale=max_upscale, dry_run=dry_run)
    try:
        with progress(sys.stderr.isatty(), minimum=PROGRESS_FROM) as (on_start, on_result):
            report = fix_listing(list(paths), out_dir, settings, role=role, options=options,
                                 on_start=on_start, on_result=on_result)
    except (ListingError, OutputError) as exc:
        raise UsageError(reason(exc)) from None
    report = replace(report, lang=lang)
    require_images(report, paths, allow_empty)
    refuse_output_over_inputs(output, report)
    reporters.write(report, fmt, output, color=color)
    sys.exit(exit_code(report, exit_zero))
