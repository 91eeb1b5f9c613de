"""``imagecheck annotate``: copies of images with their findings drawn on them."""

from __future__ import annotations

from pathlib import Path

import click

from imagecheck.annotate import annotate_report
from imagecheck.api import check_listing
from imagecheck.cli.options import UsageError, settings_options
from imagecheck.config import ROLES, Settings
from imagecheck.listing import ListingError


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--out", "-o", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for the annotated copies (mirrors the input folders).")
@click.option("--role", type=click.Choice(ROLES), help="Check every image in this role.")
@click.option("--all", "everything", is_flag=True,
              help="Write every image, not only those with findings.")
@settings_options
def annotate(paths: tuple[str, ...], out_dir: str, role: str | None, everything: bool,
             settings: Settings) -> None:
    """Check PATHS and write copies of the images with their findings drawn on them.

    Boxes with rule codes mark text, badges, watermarks and the subject; centring
    findings show the image centre and the subject's offset; borders are shaded.
    Copies are PNG files named <original>.annotated.png; originals are never changed.

    \b
    Example:
      imagecheck annotate ./listing --out ./annotated
    """
    try:
        report = check_listing(list(paths), settings, role=role)
    except ListingError as exc:
        raise UsageError(str(exc)) from None
    written = annotate_report(report, Path(out_dir), only_findings=not everything)
    click.echo(f"wrote {len(written)} annotated image(s) to {out_dir}")
