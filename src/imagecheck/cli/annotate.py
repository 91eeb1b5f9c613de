"""``imagecheck annotate``: copies of images with their findings drawn on them."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from imagecheck import report as reporters
from imagecheck.annotate import OutputError, annotate_report
from imagecheck.api import check_listing
from imagecheck.cli.help import Command
from imagecheck.cli.options import (
    UsageError,
    allow_empty_option,
    echo,
    lang_option,
    require_images,
    settings_options,
    want_color,
)
from imagecheck.config import ROLES, Settings
from imagecheck.exitcodes import exit_code
from imagecheck.i18n import nmsg, reason
from imagecheck.listing import ListingError


@click.command(cls=Command)
@lang_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--out", "-o", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for the annotated copies (mirrors the input folders).")
@click.option("--role", type=click.Choice(ROLES), help="Check every image in this role.")
@click.option("--all", "everything", is_flag=True,
              help="Write every image, not only those with findings.")
@allow_empty_option
@settings_options
def annotate(paths: tuple[str, ...], out_dir: str, role: str | None, everything: bool,
             allow_empty: bool, settings: Settings, lang: str) -> None:
    """Check PATHS and write copies of the images with their findings drawn on them.

    Boxes with rule codes mark text, badges, watermarks and the subject; centring
    findings show the image centre and the subject's offset; borders are shaded.
    Copies are PNG files named <original>.annotated.png; originals are never changed
    (a copy that would land on an input is refused). Prints the same report as `scan`
    and exits like it: 0 clean, 1 findings, 2 usage error or unreadable input.

    \b
    Example:
      imagecheck annotate ./listing --out ./annotated
    """
    try:
        report = check_listing(list(paths), settings, role=role)
    except ListingError as exc:
        raise UsageError(reason(exc)) from None
    report = replace(report, lang=lang)
    require_images(report, paths, allow_empty)
    try:
        written = annotate_report(report, Path(out_dir), only_findings=not everything)
    except OutputError as exc:
        raise UsageError(reason(exc)) from None
    reporters.write(report, "text", color=want_color("auto"))
    echo(nmsg("wrote {n} annotated image to {folder}", "wrote {n} annotated images to {folder}",
              n=len(written), folder=out_dir))
    sys.exit(exit_code(report))
