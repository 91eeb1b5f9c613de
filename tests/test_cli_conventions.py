"""CLI conventions (issue 13): colour, statistics, info hiding, aliases, config, rules, explain,
and the ``github`` annotation format."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from imagecheck.cli import main
from imagecheck_dev import synth


@pytest.fixture(scope="module")
def listing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("conventions")
    synth.save(synth.shot("bottle", (800, 800)), root / "main" / "1.jpg")
    synth.save(synth.frame(synth.shot("mug", (800, 800)), 12, (220, 30, 40)),
               root / "carousel" / "2,x.jpg")
    rgba = np.dstack([np.asarray(synth.shot("box", (800, 800))), np.full((800, 800), 255,
                                                                         np.uint8)])
    rgba[:40, :40, 3] = 0  # transparent corner: an info finding (IN002)
    Image.fromarray(rgba).save(root / "carousel" / "3.png")
    return root


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.output


def _scan(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    return _run("scan", "--ocr", "none", "--jobs", "1", *args, env=env)


def test_color_always_never_and_no_color(listing: Path) -> None:
    assert "\033[" in _scan("--color", "always", str(listing))[1]
    assert "\033[" not in _scan("--color", "never", str(listing))[1]
    assert "\033[" not in _scan(str(listing), env={"NO_COLOR": "1"})[1]


def test_statistics_and_hidden_info(listing: Path) -> None:
    _, out = _scan("--statistics", str(listing))
    assert "Problems by main rule:" in out and "OV401" in out.split("Problems by main rule:")[1]
    _, full = _scan(str(listing))
    _, hidden = _scan("--hide-info", str(listing))
    assert " info " in full and " info " not in hidden


def test_github_annotations(listing: Path) -> None:
    code, out = _scan("-f", "github", str(listing))
    assert code == 1
    line = next(x for x in out.splitlines() if "title=OV401" in x)
    assert line.startswith("::error file=") and "2%2Cx.jpg" in line
    assert out.splitlines()[-1].startswith("imagecheck: 3 image(s)")


@pytest.mark.parametrize(("alias", "name"), [("tmall", "taobao"), ("pinduoduo", "pdd"),
                                              ("天猫", "taobao")])
def test_platform_aliases(listing: Path, alias: str, name: str) -> None:
    _, out = _scan("--platform", alias, "-f", "json", str(listing))
    assert json.loads(out)["platform"] == name


def test_missing_profile_file_is_named() -> None:
    code, out = _run("config", "--platform", "nowhere.toml")
    assert code == 2 and "nowhere.toml: cannot read it" in out


def test_config_errors_name_their_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "imagecheck.toml").write_text('fail_on = "bogus"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out = _run("config")
    assert code == 2 and "imagecheck.toml" in out and "bogus" in out


def test_config_shows_file_and_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "imagecheck.toml").write_text('platform = "tmall"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out = _run("config", "--json")
    data = json.loads(out)
    assert code == 0 and data["platform"] == "taobao"
    assert data["config_file"].endswith("imagecheck.toml") and "BG101" in data["roles"]["main"]


def test_rules_filter_by_platform_and_role_as_json() -> None:
    _, out = _run("rules", "--platform", "pdd", "--role", "detail", "--json")
    codes = {r["code"] for r in json.loads(out)}
    assert "IQ502" in codes and "BG101" not in codes


def test_explain_is_plain_text_with_where_it_applies() -> None:
    _, out = _run("explain", "OV411")
    assert "``" not in out and ":func:" not in out
    assert "Applies to" in out and "pdd: main, carousel" in out
    assert "Source:" in out and "overlays.py" in out


def test_baseline_accepts_known_findings_and_new_ones_still_fail(listing: Path,
                                                                 tmp_path: Path) -> None:
    base = tmp_path / "baseline.json"
    code, _ = _scan("--write-baseline", str(base), str(listing))
    assert code == 1 and json.loads(base.read_text())["findings"]
    code, out = _scan("--baseline", str(base), str(listing))
    assert code == 0 and "accepted by the baseline" in out
    moved = tmp_path / "moved"
    shutil.copytree(listing, moved)
    synth.save(synth.frame(synth.shot("box", (800, 800)), 12, (20, 30, 220)),
               moved / "carousel" / "new.jpg")
    code, out = _scan("--baseline", str(base), str(moved))
    assert code == 1 and "new.jpg" in out.split("FAIL", 1)[1].split("\n")[0]


def test_exclude_and_per_path_ignores(listing: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "imagecheck.toml").write_text(
        'exclude = ["*.png"]\n[per_path_ignores]\n"carousel/*" = ["OV4"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out = _scan("-f", "json", str(listing))
    data = json.loads(out)
    assert code == 0 and len(data["images"]) == 2
    assert any("excluded by the configuration" in n for n in data["notes"])
    assert any("per_path_ignores" in n for n in data["notes"])
