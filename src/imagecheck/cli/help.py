"""``--help`` and click's usage errors in the reader's language (light: imported by
``imagecheck --help``)."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any, TypeVar

import click

from imagecheck.i18n import LANGS, N_, choose_lang, msg, parse_lang, translate, translate_help

F = TypeVar("F", bound=Callable[..., Any])

#: Where the chosen language is kept in click's context (shared by nested contexts).
LANG_KEY = "imagecheck.lang"
#: click's own help texts and our help's headings, translated by our catalog.
CLICK_TEXTS = (N_("Show this message and exit."), N_("Show the version and exit."),
               N_("Examples:"), N_("Example:"))
#: click's messages as click shows them (its ``_()`` strings, joined as click joins
#: them), matched in the English text click wrote; a placeholder stands for any text,
#: itself translated when it is one of these messages. Longer forms come first.
CLICK_MESSAGES = (
    N_("No such option {name}. {suggestion}"), N_("No such option {name}."),
    N_("No such command {name}. {suggestion}"), N_("No such command {name}."),
    N_("Did you mean {possibility}?"), N_("(Did you mean one of: {possibilities}?)"),
    N_("Missing argument {name}. {more}"), N_("Missing argument {name}."),
    N_("Missing option {name}. {more}"), N_("Missing option {name}."),
    N_("Missing command."), N_("Choose from:\n\t{choices}"),
    N_("Invalid value for {name}: {message}"), N_("Invalid value: {message}"),
    N_("{value} is not one of {choices}."),
    N_("{value} is not a valid integer."), N_("{value} is not a valid float."),
    N_("{value} is not in the range {range}."), N_("{value} is not {choice}."),
    N_("File {name} does not exist."), N_("Directory {name} does not exist."),
    N_("Path {name} does not exist."), N_("File {name} is a directory."),
    N_("Directory {name} is a file."), N_("File {name} is not readable."),
    N_("Option {name} requires an argument."), N_("Option {name} does not take a value."),
    N_("Got unexpected extra argument ({args})"), N_("Got unexpected extra arguments ({args})"),
    N_("default: {default}"), N_("required"), N_("env var: {var}"),
)


def help_lang(ctx: click.Context) -> str:
    """The language of help: ``--lang`` when given before ``--help``, else the locale's."""
    return str(ctx.meta.get(LANG_KEY) or choose_lang())


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    found = []
    for template in CLICK_MESSAGES:
        parts = re.split(r"\{(\w+)\}", template)
        regex = "".join(f"(?P<{p}>.+?)" if i % 2 else re.escape(p) for i, p in enumerate(parts))
        found.append((re.compile(regex, re.DOTALL), template))
    return tuple(found)


def translate_click(text: str, lang: str) -> str:
    """``text``, a message click wrote in English, in ``lang`` (as written when it is
    none of :data:`CLICK_MESSAGES`)."""
    if lang == "en":
        return text
    for pattern, template in _patterns():
        found = pattern.fullmatch(text)
        if found:
            args = {k: translate_click(v, lang) for k, v in found.groupdict().items()}
            return translate(msg(template, **args), lang)
    return text


class ClickError(click.UsageError):
    """A usage error of click's (unknown option, missing argument, invalid value...)
    shown in the reader's language, with the same exit code."""

    def __init__(self, error: click.UsageError, lang: str) -> None:
        super().__init__(error.format_message(), error.ctx)
        self.exit_code, self.lang = error.exit_code, lang

    def format_message(self) -> str:
        return translate_click(self.message, self.lang)

    def show(self, file: Any = None) -> None:
        file = file or click.get_text_stream("stderr")
        ctx, color = self.ctx, self.ctx.color if self.ctx else None
        if ctx is not None:  # as click shows it: usage, a hint, the error
            hint = ""
            if ctx.command.get_help_option(ctx) is not None:
                option = max(ctx.command.get_help_option_names(ctx), key=len)
                hint = translate(msg("Try '{command} {option}' for help.",
                                     command=ctx.command_path, option=option), self.lang) + "\n"
            click.echo(f"{ctx.get_usage()}\n{hint}", file=file, color=color)
        click.echo(translate(msg("Error: {message}", message=self.format_message()), self.lang),
                   file=file, color=color)


def _args_lang(args: Sequence[str]) -> str | None:
    """The language of ``--lang X`` or ``--lang=X`` in ``args`` (click stops at an
    error before it reads the option)."""
    for i, arg in enumerate(args):
        value = arg[7:] if arg.startswith("--lang=") else (
            args[i + 1] if arg == "--lang" and i + 1 < len(args) else None)
        if value:
            try:
                return parse_lang(value)
            except ValueError:
                return None
    return None


@contextmanager
def reader_language(args: Sequence[str] = ()) -> Iterator[None]:
    """Raise click's usage errors inside as :class:`ClickError`: in the language of
    ``--lang`` (in the context or in ``args``), else the locale's."""
    try:
        yield
    except ClickError:
        raise
    except click.UsageError as exc:
        lang = str((exc.ctx.meta.get(LANG_KEY) if exc.ctx else None) or _args_lang(args)
                   or choose_lang())
        if exc.ctx is not None:  # the usage line shown with the error, in its language
            exc.ctx.meta[LANG_KEY] = lang
        raise ClickError(exc, lang) from exc


def _extras(text: str, lang: str) -> str:
    """The ``[default: ...; required]`` that click adds to an option's help, in ``lang``."""
    found = re.fullmatch(r"(\s*)\[(.*)\]", text, re.DOTALL)
    if not found:
        return text
    items = "; ".join(translate_click(item, lang) for item in found[2].split("; "))
    return f"{found[1]}[{items}]"


class HelpMixin:
    """Help text, option help, headings and click's usage errors in :func:`help_lang`'s
    language (English help is click's own)."""

    help: str | None

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        with reader_language(args):
            return super().make_context(  # type: ignore[misc, no-any-return]
                info_name, list(args), parent, **extra)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces),
                              translate(msg("Usage: "), help_lang(ctx)))

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = translate_help(self.help or "", help_lang(ctx))
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lang = help_lang(ctx)
        rows = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            text = ""
            if isinstance(param, click.Option) and param.help and lang != "en":
                text = translate_help(param.help, lang)
                param = copy.copy(param)
                param.help = text
            row = param.get_help_record(ctx)
            if row is not None:
                rows.append(row if lang == "en" else
                            (row[0], text + _extras(row[1][len(text):], lang)))
        if rows:
            with formatter.section(translate(msg("Options"), lang)):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)


class Command(HelpMixin, click.Command):
    """A command whose help and usage errors speak the reader's language."""


def _remember(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Keep an explicit ``--lang`` in the context at once, so ``--help`` after it and
    errors in other options are in that language."""
    if value:
        ctx.meta[LANG_KEY] = value
    return value


def lang_flag(**extra: Any) -> Callable[[F], F]:
    """The ``--lang`` option (eager: ``--help`` and errors after it use it)."""
    return click.option(
        "--lang", type=click.Choice(LANGS), default=None, is_eager=True, callback=_remember,
        help="Language of messages and reports: zh (简体中文) or en [default: lang in the"
             " configuration, else zh when LC_ALL, LC_MESSAGES or LANG starts with zh,"
             " else en].", **extra)


#: ``imagecheck --lang zh COMMAND``: the language for the command (and ``--help``).
group_lang_option = lang_flag(expose_value=False)
