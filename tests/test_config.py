"""Profiles and configuration: layering, selection and validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from imagecheck.config import (
    ConfigError,
    available_platforms,
    build_settings,
    find_config,
    read_config,
)
from imagecheck.findings import Severity


def _codes(settings: object, role: str) -> set[str]:
    return {r.code for r, _ in settings.for_role(role).rules}  # type: ignore[attr-defined]


def test_bundled_profiles() -> None:
    assert {"pdd", "taobao", "kuaishou", "amazon"} <= set(available_platforms())
    for name in available_platforms():
        settings = build_settings({}, platform=name)
        assert "BG101" in _codes(settings, "main")


def test_pdd_main_gets_every_carousel_rule() -> None:
    s = build_settings({}, platform="pdd")
    assert _codes(s, "carousel") <= _codes(s, "main")
    assert "BG101" not in _codes(s, "carousel")


def test_input_rules_always_apply() -> None:
    s = build_settings({"select": ["BG"]})
    for role in ("main", "carousel", "detail"):
        assert "IN002" in _codes(s, role)
    assert _codes(s, "main") == {"BG101", "IN002", "IN003", "IN004"}


def test_ignore_by_prefix() -> None:
    s = build_settings({}, ignore="FR,IQ505")
    codes = _codes(s, "main")
    assert not any(c.startswith("FR") for c in codes) and "IQ505" not in codes


def test_params_override_profile_and_are_validated() -> None:
    s = build_settings({"params": {"BG101": {"min_white_share": 0.9}}})
    (params,) = [p for r, p in s.for_role("main").rules if r.code == "BG101"]
    assert params["min_white_share"] == 0.9
    with pytest.raises(ConfigError, match="allowed 0.0 to 1.0"):
        build_settings({"params": {"BG101": {"min_white_share": 1.5}}})
    with pytest.raises(ConfigError, match="unknown parameter"):
        build_settings({"params": {"BG101": {"whiteness": 0.5}}})
    with pytest.raises(ConfigError, match="no such rule"):
        build_settings({"params": {"ZZ101": {"x": 1}}})


def test_role_params() -> None:
    s = build_settings({"roles": {"detail": {"params": {"IQ502": {"max_side": 9000}}}}})
    (params,) = [p for r, p in s.for_role("detail").rules if r.code == "IQ502"]
    assert params["max_side"] == 9000


def test_bad_values_are_usage_errors() -> None:
    with pytest.raises(ConfigError, match="unknown platform"):
        build_settings({}, platform="ebay-moon")
    with pytest.raises(ConfigError, match="matches no rule"):
        build_settings({}, select="QQ")
    with pytest.raises(ConfigError, match="unknown configuration key"):
        build_settings({"colour": "red"})
    with pytest.raises(ConfigError, match="fail_on"):
        build_settings({"fail_on": "fatal"})


def test_fail_on_from_config() -> None:
    assert build_settings({"fail_on": "error"}).fail_on is Severity.ERROR


def test_find_config_prefers_imagecheck_toml(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.imagecheck]\nplatform = "taobao"\n')
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert find_config(sub)[1] == {"platform": "taobao"}
    (tmp_path / "a" / "imagecheck.toml").write_text('platform = "amazon"\n')
    assert find_config(sub)[1] == {"platform": "amazon"}
    assert read_config(tmp_path / "pyproject.toml")[1] == {"platform": "taobao"}


def test_custom_profile_file(tmp_path: Path) -> None:
    profile = tmp_path / "mine.toml"
    profile.write_text('title = "Mine"\n[roles.main]\nrules = ["BG"]\n[roles.carousel]\n'
                       'rules = []\n[roles.detail]\nrules = []\n')
    s = build_settings({}, platform=str(profile))
    assert s.title == "Mine" and _codes(s, "main") == {"BG101", "IN002", "IN003", "IN004"}
