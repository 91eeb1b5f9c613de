"""The ``imagecheck`` command: a thin click layer over the library API."""

from __future__ import annotations

import os
import signal
import sys
import threading
from typing import Any

import click

from imagecheck import __version__
from imagecheck.cli.annotate import annotate
from imagecheck.cli.audit import audit
from imagecheck.cli.models import models
from imagecheck.cli.rules import explain, rules
from imagecheck.cli.scan import scan
from imagecheck.cli.shop import shop
from imagecheck.exitcodes import USAGE_OR_INPUT


class InternalError(click.ClickException):
    """An unexpected error: one line on stderr and exit 2, never the findings code 1."""

    exit_code = USAGE_OR_INPUT

    def format_message(self) -> str:
        return f"internal error: {self.message} (run with --debug for the traceback)"


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if ctx.params.get("debug") or os.environ.get("IMAGECHECK_DEBUG"):
                raise
            raise InternalError(f"{type(exc).__name__}: {exc}") from exc


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="imagecheck")
@click.option("--debug", is_flag=True,
              help="Show the full traceback of an unexpected error (also IMAGECHECK_DEBUG=1).")
def main(debug: bool) -> None:
    """Check listing images (and the shop) against marketplace rules before upload.

    \b
    Examples:
      imagecheck scan ./listing
      imagecheck scan ./listing --platform taobao --format json -o report.json
      imagecheck rules
      imagecheck explain BG101
    """
    # SIGTERM unwinds like Ctrl-C does, so a report being written is finished or its
    # temporary file removed, never left behind.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


main.add_command(scan)
main.add_command(rules)
main.add_command(explain)
main.add_command(audit)
main.add_command(annotate)
main.add_command(shop)
main.add_command(models)
