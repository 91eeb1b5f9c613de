"""``--help`` in the reader's language (light: imported by ``imagecheck --help``)."""

from __future__ import annotations

import copy

import click

from imagecheck.i18n import N_, choose_lang, msg, translate, translate_help

#: Where the chosen language is kept in click's context (shared by nested contexts).
LANG_KEY = "imagecheck.lang"
#: click's own help texts, translated by our catalog.
CLICK_TEXTS = (N_("Show this message and exit."), N_("Show the version and exit."))


def help_lang(ctx: click.Context) -> str:
    """The language of help: ``--lang`` when given before ``--help``, else the locale's."""
    return str(ctx.meta.get(LANG_KEY) or choose_lang())


class HelpMixin:
    """Help text, option help and headings in :func:`help_lang`'s language (English help
    is click's own)."""

    help: str | None

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
            if isinstance(param, click.Option) and param.help and lang != "en":
                text = param.help
                param = copy.copy(param)
                param.help = translate_help(text, lang)
            row = param.get_help_record(ctx)
            if row is not None:
                rows.append(row)
        if rows:
            with formatter.section(translate(msg("Options"), lang)):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)


class Command(HelpMixin, click.Command):
    """A command whose help speaks the reader's language."""
