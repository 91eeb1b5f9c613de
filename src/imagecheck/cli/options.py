"""Option groups shared by commands, and turning errors into usage exit codes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from imagecheck.exitcodes import USAGE_OR_INPUT
from imagecheck.findings import Severity
from imagecheck.report import FORMATS

F = TypeVar("F", bound=Callable[..., Any])

SEVERITIES = [str(s) for s in Severity]


class UsageError(click.ClickException):
    """A usage or configuration error: exit code 2."""

    exit_code = USAGE_OR_INPUT


def output_options(func: F) -> F:
    """``--format``, ``--output``, ``--fail-on``, ``--exit-zero``."""
    options = [
        click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="text",
                     show_default=True, help="Output format."),
        click.option("--output", "-o", type=click.Path(dir_okay=False),
                     help="Write the report to this file (atomically) instead of stdout."),
        click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
                     help="Lowest severity that fails an image and exits 1 [default: warning,"
                          " or fail_on in the configuration]."),
        click.option("--exit-zero", is_flag=True,
                     help="Exit 0 even when there are findings (unreadable input still exits 2)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func
