"""``imagecheck rules`` and ``imagecheck explain``."""

from __future__ import annotations

import functools
import inspect
import json
import re
from typing import Any

import click

from imagecheck.cli.help import Command
from imagecheck.cli.options import UsageError, lang_option
from imagecheck.config import ROLES, ConfigError, available_platforms, build_settings
from imagecheck.i18n import msg, pad, reason, term, translate, translate_doc
from imagecheck.rules.registry import ImageRule, Rule, all_rules, get_rule, old_codes

#: reStructuredText inline markup in docstrings: ``code`` and :role:`text`.
_MARKUP = re.compile(r"``([^`]+)``|:[a-z]+:`~?([^`]+)`")


def plain(text: str) -> str:
    """Docstring text for a terminal: inline markup removed."""
    return _MARKUP.sub(lambda m: m.group(1) or m.group(2).rsplit(".", 1)[-1], text)


@functools.cache
def _bundled_uses() -> dict[str, list[tuple[str, str, dict[str, float]]]]:
    """Rule code -> ``(platform, role, parameters)`` for every bundled profile that turns
    the rule on (each profile resolved once)."""
    uses: dict[str, list[tuple[str, str, dict[str, float]]]] = {}
    for platform in available_platforms():
        settings = build_settings({}, platform=platform, ocr="none")
        for role in ROLES:
            for r, params in settings.for_role(role).rules:
                uses.setdefault(r.code, []).append((platform, role, dict(params)))
    return uses


def applies(rule: Rule[Any]) -> list[tuple[str, str, dict[str, float]]]:
    """``(platform, role, parameters)`` wherever a bundled profile turns ``rule`` on."""
    return _bundled_uses().get(rule.code, [])


def rules_table() -> str:
    """The rule table in Markdown (the README's table is this text)."""
    lines = ["| code | name | category | severity | summary |", "| --- | --- | --- | --- | --- |"]
    for r in all_rules():
        lines.append(f"| {r.code} | {r.name} | {r.category} | {r.severity} | {r.summary} |")
    return "\n".join(lines) + "\n"


@click.command(cls=Command)
@lang_option
@click.option("--markdown", is_flag=True, help="Print the table in Markdown.")
@click.option("--json", "as_json", is_flag=True, help="Print the rules as JSON.")
@click.option("--platform", "-p", help="Only rules this platform profile turns on.")
@click.option("--role", type=click.Choice(ROLES), help="Only rules for this role.")
def rules(markdown: bool, as_json: bool, platform: str | None, role: str | None,
          lang: str) -> None:
    """List every rule: code, category, default severity and summary.

    \b
    Examples:
      imagecheck rules
      imagecheck rules --platform tmall --role main --json
    """
    chosen = all_rules()
    if platform or role:
        try:
            settings = build_settings({}, platform=platform, ocr="none") if platform else None
        except ConfigError as exc:
            raise UsageError(reason(exc)) from None
        if settings is not None:
            on = {r.code for want in ([role] if role else ROLES)
                  for r, _ in settings.for_role(want).rules}
            chosen = [r for r in chosen if r.code in on]
        else:
            chosen = [r for r in chosen if any(a[1] == role for a in applies(r))]
    if as_json:
        click.echo(json.dumps([{"code": r.code, "old_codes": list(old_codes(r.code)),
                                "name": r.name, "category": r.category,
                                "severity": str(r.severity),
                                "summary": plain(translate_doc(r.summary, lang))}
                               for r in chosen], ensure_ascii=False, indent=2))
    elif markdown:
        click.echo(rules_table(), nl=False)
    else:
        for r in chosen:
            click.echo(f"{r.code}  {pad(translate(term(r.category), lang), 11)}"
                       f" {pad(translate(term(str(r.severity)), lang), 8)}"
                       f" {plain(translate_doc(r.summary, lang))}{_was(r, lang)}")


def _was(r: Rule[Any], lang: str) -> str:
    """`` (was TX305)`` for a renamed rule, else ``""``."""
    old = old_codes(r.code)
    return " " + translate(msg("(was {codes})", codes=", ".join(old)), lang) if old else ""


def explain_text(r: Rule[Any], lang: str = "en") -> str:
    """A rule's full documentation in plain text, in ``lang``: what, why, how to fix, its
    parameters, where the bundled profiles apply it and with which thresholds, and its
    source."""
    def say(text: str) -> str:
        return translate(text, lang)

    lines = [f"{r.code} {r.name} ({say(term(r.category))}, {say(term(str(r.severity)))})"
             + _was(r, lang), "", plain(translate_doc(r.doc, lang))]
    if r.params:
        lines += ["", say(msg("Parameters (set in a profile or [tool.imagecheck.params.{code}]):",
                              code=r.code))]
        for name, p in r.params.items():
            lines.append(f"  {name} = {p.default:g}  " + say(msg(
                "(allowed {low:g} to {high:g}): {help}", low=p.min, high=p.max,
                help=translate_doc(p.help, lang))))
    where = applies(r) if isinstance(r, ImageRule) else []
    if where:
        lines += ["", say(msg("Applies to (platform: roles; thresholds other than the"
                              " defaults):"))]
        for platform in dict.fromkeys(w[0] for w in where):
            rows = [w for w in where if w[0] == platform]
            changed = {k: v for _, _, params in rows for k, v in params.items()
                       if k in r.params and v != r.params[k].default}
            values = ", ".join(f"{k} {v:g}" for k, v in changed.items())
            roles = say(msg(", ")).join(say(term(w[1])) for w in rows)
            lines.append(f"  {platform}: {roles}"
                         + (f"; {values}" if values else ""))
    source = inspect.getsourcefile(r.func)
    if source:
        lines += ["", say(msg("Source: {file}", file=source))]
    return "\n".join(lines) + "\n"


@click.command(cls=Command)
@lang_option
@click.argument("code")
def explain(code: str, lang: str) -> None:
    """Print the documentation of rule CODE: what it checks, why, and how to fix it.

    An old code of a renamed rule (TX305) shows the rule it is now (LG305).

    \b
    Example:
      imagecheck explain BG101
    """
    try:
        r = get_rule(code)
    except KeyError:
        raise UsageError(msg('no rule "{code}"; `imagecheck rules` lists them', code=code)
                         ) from None
    click.echo(explain_text(r, lang), nl=False)
