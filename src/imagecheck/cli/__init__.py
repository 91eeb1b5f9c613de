"""The ``imagecheck`` command: a thin click layer over the library API.

Each command lives in its own module, imported only when that command runs, so
``imagecheck --help`` starts without loading image or OCR libraries.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
import threading
from typing import Any

import click

from imagecheck import __version__
from imagecheck.cli.help import HelpMixin, group_lang_option, help_lang, reader_language
from imagecheck.exitcodes import USAGE_OR_INPUT
from imagecheck.i18n import msg, translate, translate_help

#: Command -> (module in ``imagecheck.cli``, its one-line help for ``imagecheck --help``;
#: a test keeps this line equal to the command's own docstring).
COMMANDS: dict[str, tuple[str, str]] = {
    "scan": ("scan", "Check the images in PATHS (files or folders, searched recursively)."),
    "audit": ("audit", "Audit a CATALOGUE: a folder of listing folders, nested to any depth."),
    "annotate": ("annotate", "Check PATHS and write copies of the images with their findings"
                             " drawn on them."),
    "fix": ("fix", "Write corrected copies of the images in PATHS that fail, and re-check"
                   " them."),
    "shop": ("shop", "Check the shop in PROFILE (TOML, YAML or JSON) and its CSV exports."),
    "rules": ("rules", "List every rule: code, category, default severity and summary."),
    "explain": ("rules", "Print the documentation of rule CODE: what it checks, why, and how"
                         " to fix it."),
    "config": ("config_cmd", "Show the configuration in effect: its file, the profile and"
                             " every setting."),
    "serve": ("serve", "Serve checks over HTTP: POST an image, get the scan's JSON back."),
    "models": ("models", "List every model in use: name, version, licence, where it is loaded"
                         " from, SHA-256."),
}


class InternalError(click.ClickException):
    """An unexpected error: one line on stderr and exit 2, never the findings code 1."""

    exit_code = USAGE_OR_INPUT

    def format_message(self) -> str:
        return f"internal error: {self.message} (run with --debug for the traceback)"


class FileProblem(click.ClickException):
    """A file or folder the command needs cannot be read or written (a report path in a
    missing or read-only folder, a full disk): the path and the system's reason, exit 2."""

    exit_code = USAGE_OR_INPUT

    def __init__(self, exc: OSError) -> None:
        names = " -> ".join(str(n) for n in (exc.filename, exc.filename2) if n is not None)
        super().__init__(f"{names}: {exc.strerror or exc}")


class _Group(HelpMixin, click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        command = getattr(importlib.import_module(f"imagecheck.cli.{COMMANDS[cmd_name][0]}"),
                          cmd_name)
        assert isinstance(command, click.Command)
        return command

    def resolve_command(self, ctx: click.Context, args: list[str]
                        ) -> tuple[str | None, click.Command | None, list[str]]:
        with reader_language(args):
            return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lang = help_lang(ctx)
        with formatter.section(translate(msg("Commands"), lang)):
            formatter.write_dl([(name, translate_help(COMMANDS[name][1], lang))
                                for name in self.list_commands(ctx)])

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # the reader went away (`| head`): stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(128 + signal.SIGPIPE)
        except Exception as exc:
            if ctx.params.get("debug") or os.environ.get("IMAGECHECK_DEBUG"):
                raise
            if isinstance(exc, OSError) and exc.filename is not None:
                raise FileProblem(exc) from exc
            raise InternalError(f"{type(exc).__name__}: {exc}") from exc


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="imagecheck")
@group_lang_option
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


def run() -> None:
    """The ``imagecheck`` program (its console script): :func:`main`, then the process
    ends as soon as its output is flushed, without the interpreter's teardown, when no
    other thread is left. A command closes what it opens itself (reports are renamed into
    place, caches, pools and clusters closed), so that teardown would only free memory
    the process is done with: the OCR models' sessions, NumPy, OpenCV and every module
    (about 0.07 s of a hook's 0.8 s on one 1024x1024 image)."""
    status: str | int | None = 0
    try:
        main()
    except SystemExit as done:
        status = done.code
    if threading.active_count() > 1:
        sys.exit(status)
    if isinstance(status, str):  # as Python shows it
        print(status, file=sys.stderr)
        status = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went away: as in _Group.invoke
        status = 128 + signal.SIGPIPE
    os._exit(status or 0)

