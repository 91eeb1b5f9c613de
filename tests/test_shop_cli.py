"""``imagecheck shop``: output formats, exit codes and input errors, on the example inputs."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from imagecheck.cli.shop import shop

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "shop"
NOW = ["--now", "2026-11-21 12:00"]
ALL = [
    "--chats", str(EXAMPLES / "chats.csv"),
    "--orders", str(EXAMPLES / "orders.csv"),
    "--tracking", str(EXAMPLES / "tracking.csv"),
]  # fmt: skip


def invoke(*args: str):  # noqa: ANN201 - a click Result
    return CliRunner().invoke(shop, [*args], catch_exceptions=False)


def test_text_report_and_exit_code() -> None:
    result = invoke(str(EXAMPLES / "profile.toml"), *ALL, *NOW)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "FAIL  shop 示例服饰店  [kuaishou+pdd]"
    assert any("PDD315" in line and "route ends in 广东" in line for line in lines)
    assert "platform kuaishou+pdd" in lines[-1]


def test_json_report_to_file(tmp_path: Path) -> None:
    out = tmp_path / "shop.json"
    result = invoke(str(EXAMPLES / "profile.yaml"), *ALL, *NOW, "-f", "json", "-o", str(out))
    assert result.exit_code == 1 and result.output == ""
    data = json.loads(out.read_text("utf-8"))
    summary = data["shop"]["summary"]
    assert summary["stage"] == "admitted" and summary["shop"] == "示例服饰店"
    assert [(i["kind"], i["encoding"], i["rows_read"]) for i in summary["inputs"]] == [
        ("chats", "utf-8", 16),
        ("orders", "utf-8", 5),
        ("tracking", "utf-8", 16),
    ]
    codes = [f["code"] for f in data["shop"]["findings"]]
    assert codes[0] == "KS100" and codes.count("PDD301") == 3


def test_clean_profile_exits_zero_and_exit_zero_silences() -> None:
    assert invoke(str(EXAMPLES / "profile.toml"), *NOW).exit_code == 0
    assert invoke(str(EXAMPLES / "profile.toml"), *ALL, *NOW, "--exit-zero").exit_code == 0


def test_fail_on_level() -> None:
    result = invoke(str(EXAMPLES / "profile.toml"), *NOW, "--fail-on", "info", "-f", "csv")
    assert result.exit_code == 1
    assert result.output.splitlines()[1].startswith("<shop>,shop,fail,KS100,shop,info,")


def test_bad_input_is_a_usage_error_naming_file_row_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "chats.csv"
    bad.write_text("买家,内容\nu1,hi\n", "utf-8")
    result = CliRunner().invoke(shop, [str(EXAMPLES / "profile.toml"), "--chats", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}: row 1: missing column 'time'" in result.output


def test_bad_now_and_params_are_usage_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(shop, [str(EXAMPLES / "profile.toml"), "--now", "tomorrow"])
    assert result.exit_code == 2 and "cannot parse time 'tomorrow'" in result.output
    config = tmp_path / "imagecheck.toml"
    config.write_text("[params.KS103]\nmin_stars = 9\n", "utf-8")
    result = CliRunner().invoke(shop, [str(EXAMPLES / "profile.toml"), "--config", str(config)])
    assert result.exit_code == 2 and "KS103.min_stars = 9 is out of range" in result.output


def test_config_params_set_thresholds(tmp_path: Path) -> None:
    config = tmp_path / "imagecheck.toml"
    config.write_text("fail_on = 'error'\n[params.KS103]\nmin_stars = 4.7\n", "utf-8")
    result = invoke(str(EXAMPLES / "profile.toml"), *NOW, "--config", str(config))
    assert result.exit_code == 1
    assert "not met: star rating 4.6 (needs at least 4.7)" in result.output
    assert "fail-on error" in result.output


def test_registered_with_the_main_command() -> None:
    from imagecheck.cli import main

    result = CliRunner().invoke(main, ["shop", "--help"], catch_exceptions=False)
    assert result.exit_code == 0 and "imagecheck shop shop.toml --chats chats.csv" in result.output
