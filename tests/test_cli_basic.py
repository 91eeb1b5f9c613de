"""Smoke tests of the CLI wiring."""

from __future__ import annotations

from click.testing import CliRunner

from imagecheck.cli import main


def test_rules_lists_codes() -> None:
    result = CliRunner().invoke(main, ["rules"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "BG101" in result.output


def test_explain_unknown_code_is_usage_error() -> None:
    result = CliRunner().invoke(main, ["explain", "ZZ999"])
    assert result.exit_code == 2
