"""Docs and registry stay in step: the README's rule table, rule docs, rule tests."""

from __future__ import annotations

from click.testing import CliRunner

from imagecheck.cli import main
from imagecheck.cli.rules import rules_table
from imagecheck.findings import CATEGORIES
from imagecheck.rules.registry import all_rules


def test_rules_markdown_command_prints_the_table() -> None:
    out = CliRunner().invoke(main, ["rules", "--markdown"], catch_exceptions=False).output
    assert out == rules_table()


def test_every_rule_is_documented() -> None:
    for r in all_rules():
        assert r.category in CATEGORIES
        assert r.summary.endswith("."), r.code
        assert "Fix" in r.doc or r.kind == "shop", f"{r.code} docstring says no fix"
        assert len(r.doc.splitlines()) >= 3, f"{r.code} docstring too short"


def test_explain_prints_docs_and_parameters() -> None:
    out = CliRunner().invoke(main, ["explain", "fr201"], catch_exceptions=False).output
    assert out.startswith("FR201 subject-off-centre (centring, error)")
    assert "max_offset = 0.08  (allowed 0 to 0.5)" in out
    assert "Fix:" in out
