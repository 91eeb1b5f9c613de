"""``imagecheck config``: which configuration file and profile are in effect."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import click

from imagecheck.cli.help import Command
from imagecheck.cli.options import echo, lang_option, resolve_settings
from imagecheck.config import ROLES
from imagecheck.i18n import msg, term


@click.command("config", cls=Command)
@lang_option
@click.option("--platform", "-p", help="Platform profile to resolve [default: configured].")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
              help="Configuration file (imagecheck.toml or pyproject.toml).")
@click.option("--json", "as_json", is_flag=True, help="Print the settings as JSON.")
def config(platform: str | None, config_file: str | None, as_json: bool, lang: str) -> None:
    """Show the configuration in effect: its file, the profile and every setting.

    Run it where you run `scan`: the configuration file is found from the working
    folder up ([tool.imagecheck] in pyproject.toml, or imagecheck.toml).

    \b
    Example:
      imagecheck config
      imagecheck config --platform tmall --json
    """
    overrides = {"platform": platform} if platform else {}
    source, _, settings = resolve_settings(config_file, **overrides)
    data: dict[str, Any] = {
        "config_file": str(source) if source else None,
        "platform": settings.platform,
        "title": settings.title,
        "fail_on": str(settings.fail_on),
        "jobs": settings.jobs,
        "max_pixels": settings.max_pixels,
        "analysis": dataclasses.asdict(settings.analysis),
        "roles": {role: {r.code: dict(params) for r, params in settings.for_role(role).rules}
                  for role in ROLES},
    }
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    echo(msg("configuration file: {file}", file=data["config_file"] or msg("none (defaults)")))
    echo(msg("platform: {platform} ({title})", platform=settings.platform, title=settings.title))
    echo(msg("fail-on: {fail_on}; jobs: {jobs}; pixel limit: {pixels:,}; OCR: {ocr}",
             fail_on=term(data["fail_on"]), jobs=settings.jobs or msg("all cores"),
             pixels=settings.max_pixels, ocr=settings.analysis.ocr))
    for role in ROLES:
        echo(msg("{role} rules: {codes}", role=term(role),
                 codes=", ".join(data["roles"][role]) or msg("none")))
