"""Docs and registry stay in step: the README's rule table, rule docs, rule tests."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from imagecheck.cli import main
from imagecheck.cli.rules import explain_text, rules_table
from imagecheck.findings import CATEGORIES
from imagecheck.report import FORMATS
from imagecheck.rules.registry import Rule, ShopRule, all_rules

ROOT = Path(__file__).resolve().parents[1]
RULES = all_rules()
COMMANDS = main.list_commands(click.Context(main))


def test_rules_markdown_command_prints_the_table() -> None:
    out = CliRunner().invoke(main, ["rules", "--markdown"], catch_exceptions=False).output
    assert out == rules_table()


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.code)
def test_every_rule_is_documented(r: Rule[object]) -> None:
    assert r.category in CATEGORIES
    assert r.summary.endswith(".")
    assert "Fix" in r.doc or isinstance(r, ShopRule), "the docstring says no fix"
    assert len(r.doc.splitlines()) >= 3, "docstring too short"


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.code)
def test_explain_is_plain_text_naming_the_source_file(r: Rule[object]) -> None:
    out = explain_text(r)
    assert "``" not in out and ":class:`" not in out and ":func:`" not in out
    source = out.rstrip().splitlines()[-1]
    assert source.startswith("Source: ") and source.endswith(".py")
    assert Path(source.removeprefix("Source: ")).is_file()


def test_explain_prints_docs_and_parameters() -> None:
    out = CliRunner().invoke(main, ["explain", "fr201"], catch_exceptions=False).output
    assert out.startswith("FR201 subject-off-centre (centring, error)")
    assert "max_offset = 0.08  (allowed 0 to 0.5)" in out
    assert "Fix:" in out


def _between(text: str, name: str) -> str:
    match = re.search(rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", text, re.S)
    assert match, f"README has no {name} markers"
    return match.group(1)


def test_readme_rule_table_is_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _between(readme, "rules") == rules_table(), (
        "README rule table is stale: replace the text between the rules markers with the"
        " output of `imagecheck rules --markdown`"
    )


@functools.cache
def _tests() -> str:
    """The text of every test module but the registry's (it lists codes, tests none)."""
    return "".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py")
                   if p.name != "test_registry.py")


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.code)
def test_every_rule_has_a_test(r: Rule[object]) -> None:
    assert r.code in _tests(), "the rule is never named in a test"


def test_the_commands_include_scan_and_serve() -> None:
    assert "scan" in COMMANDS and "serve" in COMMANDS


@pytest.mark.parametrize("name", COMMANDS)
def test_readme_documents_every_command(name: str) -> None:
    assert f"imagecheck {name}" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_readme_documents_every_format(fmt: str) -> None:
    assert fmt in (ROOT / "README.md").read_text(encoding="utf-8")
