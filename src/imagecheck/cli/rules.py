"""``imagecheck rules`` and ``imagecheck explain``."""

from __future__ import annotations

import click

from imagecheck.cli.options import UsageError
from imagecheck.rules.registry import Rule, all_rules, get_rule


def rules_table(kind: str | None = None) -> str:
    """The rule table in Markdown (the README's table is this text)."""
    lines = ["| code | name | category | severity | summary |", "| --- | --- | --- | --- | --- |"]
    for r in all_rules(kind):
        lines.append(f"| {r.code} | {r.name} | {r.category} | {r.severity} | {r.summary} |")
    return "\n".join(lines) + "\n"


@click.command()
@click.option("--markdown", is_flag=True, help="Print the table in Markdown.")
def rules(markdown: bool) -> None:
    """List every rule: code, category, default severity and summary.

    \b
    Example:
      imagecheck rules
    """
    if markdown:
        click.echo(rules_table(), nl=False)
        return
    for r in all_rules():
        click.echo(f"{r.code}  {r.category:<11} {str(r.severity):<8} {r.summary}")


def explain_text(r: Rule) -> str:
    """A rule's full documentation with its parameters."""
    lines = [f"{r.code} {r.name} ({r.category}, {r.severity})", "", r.doc]
    if r.params:
        lines += ["", "Parameters (set in a profile or [tool.imagecheck.params." + r.code + "]):"]
        for name, p in r.params.items():
            lines.append(f"  {name} = {p.default:g}  (allowed {p.min:g} to {p.max:g}): {p.help}")
    return "\n".join(lines) + "\n"


@click.command()
@click.argument("code")
def explain(code: str) -> None:
    """Print the documentation of rule CODE: what it checks, why, and how to fix it.

    \b
    Example:
      imagecheck explain BG101
    """
    try:
        r = get_rule(code)
    except KeyError:
        raise UsageError(f"no rule {code!r}; `imagecheck rules` lists them") from None
    click.echo(explain_text(r), nl=False)
