"""Option groups shared by commands, and turning errors into usage exit codes."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from imagecheck.analysis.facts import preflight
from imagecheck.analysis.logos import LogoFileError
from imagecheck.analysis.ocr import OCR_CHOICES, OcrUnavailable
from imagecheck.cli.help import LANG_KEY, lang_flag
from imagecheck.config import ConfigError, Settings, build_settings, find_config, read_config
from imagecheck.exitcodes import USAGE_OR_INPUT
from imagecheck.findings import Severity
from imagecheck.i18n import choose_lang, msg, nmsg, reason, translate
from imagecheck.report import FORMATS
from imagecheck.report.model import ImageResult

F = TypeVar("F", bound=Callable[..., Any])

SEVERITIES = [str(s) for s in Severity]


class UsageError(click.ClickException):
    """A usage or configuration error: exit code 2; its message (a
    :class:`~imagecheck.i18n.Message` or plain text) is shown in the run's language."""

    exit_code = USAGE_OR_INPUT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.lang = current_lang()

    def format_message(self) -> str:
        return translate(self.message, self.lang)

    def show(self, file: Any = None) -> None:
        click.echo(translate(msg("Error: {message}", message=self.format_message()),
                             self.lang), file=file or sys.stderr)




def current_lang() -> str:
    """The language of this run: the one :func:`lang_option` chose, else the
    configuration's and the environment's (see :func:`~imagecheck.i18n.choose_lang`)."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and LANG_KEY in ctx.meta:
        return str(ctx.meta[LANG_KEY])
    return choose_lang(None, configured_lang(None))


def configured_lang(config_file: str | None) -> str | None:
    """``lang`` in ``config_file`` or the configuration found from the working directory
    (``None`` if unset; an unreadable file is reported by the settings, not here)."""
    try:
        _, config = read_config(Path(config_file)) if config_file else find_config()
    except ConfigError:
        return None
    value = config.get("lang")
    return str(value) if value else None


def echo(text: str, err: bool = False) -> None:
    """Print ``text`` (a message or plain text) in the run's language."""
    click.echo(translate(text, current_lang()), err=err)


def lang_option(func: F) -> F:
    """``--lang zh|en``: the language people read (messages, reports, help); else
    ``lang`` in the configuration, else ``LC_ALL``/``LC_MESSAGES``/``LANG``, else
    English. The command receives the chosen language as ``lang``."""

    @functools.wraps(func)
    def command(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        given = kwargs["lang"] or ctx.meta.get(LANG_KEY)  # this command's, else imagecheck's
        try:
            lang = choose_lang(given, configured_lang(kwargs.get("config_file")))
        except ValueError as exc:
            raise UsageError(reason(exc)) from None
        ctx.meta[LANG_KEY] = lang
        kwargs["lang"] = lang
        return func(*args, **kwargs)

    return lang_flag()(command)  # type: ignore[return-value]




def want_color(choice: str, stream: Any = None) -> bool:
    """Whether to colour output: ``always``, ``never``, or with ``auto`` when ``stream``
    (standard output) is a terminal and ``NO_COLOR`` is not set (https://no-color.org)."""
    if choice != "auto":
        return choice == "always"
    stream = stream or sys.stdout
    return not os.environ.get("NO_COLOR") and bool(getattr(stream, "isatty", bool)())


def output_options(func: F) -> F:
    """``--format``, ``--output``, ``--fail-on``, ``--exit-zero``, ``--color``; the
    command receives ``color`` as a yes/no already resolved by :func:`want_color`."""

    @functools.wraps(func)
    def command(*args: Any, **kwargs: Any) -> Any:
        kwargs["color"] = want_color(kwargs["color"])
        return func(*args, **kwargs)

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
        click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
                     show_default=True,
                     help="Colour the text output (auto: on a terminal, unless NO_COLOR is set)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command  # type: ignore[return-value]


def allow_empty_option(func: F) -> F:
    """``--allow-empty``: finding no image is not an error (for tooling)."""
    return click.option(
        "--allow-empty", is_flag=True,
        help="Exit 0 when no image is found [default: exit 2, so a mistyped folder never"
             " passes a pre-upload gate].")(func)


def baseline_options(func: F) -> F:
    """``--baseline FILE`` and ``--write-baseline FILE`` (see :mod:`imagecheck.baseline`)."""
    options = [
        click.option("--baseline", type=click.Path(exists=True, dir_okay=False),
                     help="Accept the known findings recorded in FILE (by image content and"
                          " rule): only new findings count."),
        click.option("--write-baseline", type=click.Path(dir_okay=False),
                     help="Record this run's findings in FILE, to accept them later."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def use_baseline(report: Any, baseline: str | None, record: str | None) -> Any:
    """``report`` after recording it in ``record`` (``--write-baseline``) and accepting the
    findings of ``baseline``."""
    if not (record or baseline):
        return report
    from imagecheck.baseline import BaselineError, apply_baseline, read_baseline, write_baseline

    if record:
        count = write_baseline(report, Path(record))
        echo(nmsg("wrote {n} finding to the baseline {file}",
                  "wrote {n} findings to the baseline {file}", n=count, file=record), err=True)
    if baseline:
        try:
            report = apply_baseline(report, read_baseline(Path(baseline)), baseline)
        except BaselineError as exc:
            raise UsageError(reason(exc)) from None
    return report


def require_images(report: Any, paths: tuple[str, ...], allow_empty: bool) -> None:
    """Stop with a usage error (exit 2) when ``report`` holds no image, unless allowed."""
    if not report.images and not allow_empty:
        raise UsageError(msg("no images found in {paths}", paths=", ".join(paths)))


def refuse_output_over_inputs(output: str | None, report: Any) -> None:
    """Stop with a usage error if the report file ``output`` is one of the input images."""
    if output is None:
        return
    from imagecheck.annotate import OutputError, refuse_inputs

    try:
        refuse_inputs([Path(output)], report)
    except OutputError as exc:
        raise UsageError(reason(exc)) from None


def load_settings(config_file: str | None, **overrides: Any) -> Settings:
    """Settings from ``config_file`` or the configuration found from the working
    directory, with command-line ``overrides``; the OCR backend and logo files they name
    are loaded now, so that one that cannot load stops the run before its first image.
    Errors become usage errors (exit 2)."""
    _, _, settings = resolve_settings(config_file, **overrides)
    try:
        preflight(settings.analysis)
    except (OcrUnavailable, LogoFileError) as exc:
        raise UsageError(reason(exc)) from None
    return settings


def resolve_settings(config_file: str | None, **overrides: Any
                     ) -> tuple[Path | None, dict[str, Any], Settings]:
    """The configuration file in effect (``None``: defaults only), its raw configuration
    and the settings from it and ``overrides``; a bad setting is a usage error that names
    the file."""
    source: Path | None = None
    try:
        source, config = read_config(Path(config_file)) if config_file else find_config()
        return source, config, build_settings(config, **overrides)
    except ConfigError as exc:
        origin = source or (Path(config_file) if config_file else None)
        if origin is not None and str(origin) not in str(exc):
            raise UsageError(msg("{file}: {error}", file=str(origin), error=reason(exc))) from None
        raise UsageError(reason(exc)) from None


THREADS_HELP = ("Inference threads per process checking images (0 = the cores shared among"
                " the processes: all of them for one image, one each for as many workers"
                " as cores) [default: 0].")
_SETTINGS_OPTIONS = [
    click.option("--platform", "-p", help="Platform profile: pdd, taobao, kuaishou, amazon, jd"
                 " or a profile .toml file [default: pdd]."),
    click.option("--select", help="Only rules whose code starts with these (comma-separated)."),
    click.option("--ignore", help="Skip rules whose code starts with these (comma-separated)."),
    click.option("--ocr", type=click.Choice(OCR_CHOICES),
                 help="OCR backend for text rules; none skips them (the report says so)"
                      " [default: rapidocr]."),
    click.option("--jobs", "-j", type=click.IntRange(min=0), default=None,
                 help="Worker processes (0 = all cores) [default: 0]."),
    click.option("--threads", type=click.IntRange(min=0), default=None, help=THREADS_HELP),
    click.option("--logo", "logos", multiple=True,
                 type=click.Path(exists=True, dir_okay=False),
                 help="A brand logo image file to look for (repeatable; replaces logos in"
                      " the configuration)."),
    click.option("--brand", "brands", multiple=True,
                 help="A brand name to look for in overlaid text (repeatable; replaces brands"
                      " in the configuration)."),
    click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
                 help="Configuration file (imagecheck.toml or pyproject.toml)."),
]
_SETTINGS_NAMES = ("platform", "select", "ignore", "ocr", "jobs", "threads", "logos", "brands")


def settings_options(func: F) -> F:
    """The options that decide what is checked and how (platform, rule selection, OCR,
    jobs, threads, logos, brands, configuration file); the command receives the resolved
    :class:`~imagecheck.config.Settings` as ``settings`` instead (``--fail-on`` too, when
    the command has :func:`output_options`)."""

    @functools.wraps(func)
    def command(*args: Any, **kwargs: Any) -> Any:
        overrides = {name: kwargs.pop(name) for name in _SETTINGS_NAMES}
        kwargs["settings"] = load_settings(kwargs.pop("config_file"),
                                           fail_on=kwargs.pop("fail_on", None), **overrides)
        return func(*args, **kwargs)

    for option in reversed(_SETTINGS_OPTIONS):
        command = option(command)
    return command  # type: ignore[return-value]


def shop_input_options(func: F) -> F:
    """``--chats``, ``--orders``, ``--tracking``: the shop's CSV exports."""
    options = [
        click.option("--chats", type=click.Path(dir_okay=False),
                     help="Customer-service chat log CSV (Pinduoduo effective reply rate)."),
        click.option("--orders", type=click.Path(dir_okay=False),
                     help="Order export CSV (late shipment; with --tracking, fake shipment)."),
        click.option("--tracking", type=click.Path(dir_okay=False),
                     help="Tracking-event export CSV (needs --orders)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@contextmanager
def progress(enabled: bool, minimum: int = 1) -> Iterator[tuple[Callable[[int], None],
                                                                Callable[[ImageResult], None]]]:
    """``(on_start, on_result)`` callbacks drawing a progress bar on stderr if enabled
    and there are at least ``minimum`` images."""
    state: dict[str, object] = {}

    def start(total: int) -> None:
        if enabled and total >= minimum:
            bar = click.progressbar(length=total, label=translate(msg("Checking"), current_lang()),
                                    file=sys.stderr,
                                    show_pos=True, show_eta=True)
            state["bar"] = bar.__enter__()

    def step(result: ImageResult) -> None:
        bar = state.get("bar")
        if bar is not None:
            bar.update(1)  # type: ignore[attr-defined]

    try:
        yield start, step
    finally:
        bar = state.get("bar")
        if bar is not None:
            bar.__exit__(None, None, None)  # type: ignore[attr-defined]


def rule_statistics(report: Any) -> list[str]:
    """``Problems by main rule:`` and one line per rule code with the number of problems
    it is the main rule of, most first (:mod:`imagecheck.problems`)."""
    by_code = sorted(report.summary()["problems_by_code"].items(),
                     key=lambda kv: (-kv[1], kv[0]))
    return [translate(msg("Problems by main rule:"), current_lang()),
            *([f"  {code:<7} {count}" for code, count in by_code]
              or ["  " + translate(msg("none"), current_lang())])]
