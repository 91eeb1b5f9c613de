"""Docs and registry stay in step: the README's rule table, rule docs, rule tests."""

from __future__ import annotations

import re
from pathlib import Path

import click
from click.testing import CliRunner

from imagecheck.cli import main
from imagecheck.cli.rules import rules_table
from imagecheck.findings import CATEGORIES
from imagecheck.report import FORMATS
from imagecheck.rules.registry import ShopRule, all_rules

ROOT = Path(__file__).resolve().parents[1]


def test_rules_markdown_command_prints_the_table() -> None:
    out = CliRunner().invoke(main, ["rules", "--markdown"], catch_exceptions=False).output
    assert out == rules_table()


def test_every_rule_is_documented() -> None:
    for r in all_rules():
        assert r.category in CATEGORIES
        assert r.summary.endswith("."), r.code
        assert "Fix" in r.doc or isinstance(r, ShopRule), f"{r.code} docstring says no fix"
        assert len(r.doc.splitlines()) >= 3, f"{r.code} docstring too short"


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


def test_every_rule_has_a_test() -> None:
    tests = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    missing = [r.code for r in all_rules() if r.code not in tests]
    assert not missing, f"rules never named in a test: {missing}"


def test_readme_documents_every_command_and_format() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = main.list_commands(click.Context(main))
    assert "scan" in names and "serve" in names
    for name in names:
        assert f"imagecheck {name}" in readme, name
    for fmt in FORMATS:
        assert fmt in readme, fmt
