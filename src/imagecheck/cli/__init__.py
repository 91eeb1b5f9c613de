"""The ``imagecheck`` command: a thin click layer over the library API."""

from __future__ import annotations

import click

from imagecheck import __version__
from imagecheck.cli.annotate import annotate
from imagecheck.cli.audit import audit
from imagecheck.cli.models import models
from imagecheck.cli.rules import explain, rules
from imagecheck.cli.scan import scan
from imagecheck.cli.shop import shop


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="imagecheck")
def main() -> None:
    """Check listing images (and the shop) against marketplace rules before upload.

    \b
    Examples:
      imagecheck scan ./listing
      imagecheck scan ./listing --platform taobao --format json -o report.json
      imagecheck rules
      imagecheck explain BG101
    """


main.add_command(scan)
main.add_command(rules)
main.add_command(explain)
main.add_command(audit)
main.add_command(annotate)
main.add_command(shop)
main.add_command(models)
