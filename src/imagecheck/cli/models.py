"""``imagecheck models``: every model the checks use, where it is loaded from, its checksum."""

from __future__ import annotations

import json

import click

from imagecheck.analysis.graphic import load_model
from imagecheck.analysis.ocr import OCR_CHOICES, OcrUnavailable, get_backend
from imagecheck.cli.help import Command
from imagecheck.cli.options import UsageError, echo, lang_option
from imagecheck.i18n import msg, reason


@click.command(cls=Command)
@lang_option
@click.option("--ocr", type=click.Choice(OCR_CHOICES), default="rapidocr", show_default=True,
              help="OCR backend whose models to list.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def models(ocr: str, as_json: bool, lang: str) -> None:
    """List every model in use: name, version, licence, where it is loaded from, SHA-256.

    The OCR backend's models and imagecheck's own graphic-vs-photo model. Models ship
    inside installed packages and are never downloaded; a backend that cannot load is
    an error (exit 2). See models/README.md.

    \b
    Example:
      imagecheck models
      imagecheck models --ocr easyocr --json
    """
    try:
        backend = get_backend(ocr)
    except OcrUnavailable as exc:
        raise UsageError(reason(exc)) from None
    found = [(ocr, m) for m in (backend.models() if backend else [])]
    found.append(("imagecheck", load_model().info()))
    if as_json:
        rows = [
            {"backend": owner, "name": m.name, "version": m.version, "licence": m.licence,
             "path": m.path, "sha256": m.sha256, "runtime": m.runtime}
            for owner, m in found
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if backend is None:
        echo(msg("no OCR model in use: OCR is off (--ocr none), so text is not checked"))
    for _, m in found:
        click.echo(f"{m.name}  ({m.version}, {m.licence})\n  path:   {m.path}\n"
                   f"  sha256: {m.sha256}" + (f"\n  runs on: {m.runtime}" if m.runtime else ""))
