"""Renamed rule codes: an old code names the new rule wherever a user names a code, and
reports carry only the new codes (README, "Renamed codes")."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from imagecheck.api import AuditOptions, audit_to_store
from imagecheck.baseline import read_baseline
from imagecheck.cli import main
from imagecheck.config import ConfigError, available_platforms, build_settings, load_profile
from imagecheck.resultstore import summarise
from imagecheck.rules.registry import ALIASES, get_rule
from imagecheck_dev import synth


def _codes(settings: object, role: str) -> set[str]:
    return {r.code for r, _ in settings.for_role(role).rules}  # type: ignore[attr-defined]


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_explain_an_old_code_shows_the_new_rule() -> None:
    code, out = _run("explain", "tx305")
    assert code == 0 and out.startswith("LG305 added-logo (logo, error) (was TX305)")
    assert _run("explain", "OV421")[1].startswith("TX309 promo-strip (text, error) (was OV421)")


def test_rules_lists_the_old_codes() -> None:
    _, out = _run("rules")
    assert "(was CP603)" in out.split("IQ507", 1)[1].split("\n", 1)[0]
    rows = {r["code"]: r["old_codes"] for r in json.loads(_run("rules", "--json")[1])}
    assert rows["LG307"] == ["TX307"] and rows["BG101"] == []


@pytest.mark.parametrize(("old", "new"), sorted(ALIASES.items()))
def test_select_and_ignore_take_an_old_code(old: str, new: str) -> None:
    chosen = build_settings({}, platform="amazon", select=old.lower())
    assert _codes(chosen, "main") - {"IN002", "IN003", "IN004"} == {new}
    assert new not in _codes(build_settings({"ignore": [old]}, platform="amazon"), "main")


def test_a_prefix_means_todays_codes() -> None:
    text = _codes(build_settings({}, select="TX"), "carousel")
    assert "TX309" in text and not any(c.startswith("LG") for c in text)
    assert "LG305" in _codes(build_settings({}, select="LG"), "carousel")
    assert _codes(build_settings({}, select="CP"), "carousel") >= {"CP601", "CP602"}
    assert "IQ507" not in _codes(build_settings({}, select="CP"), "carousel")
    with pytest.raises(ConfigError, match="matches no rule code; renamed: OV421 -> TX309"):
        build_settings({}, select="OV42")


def test_params_and_per_path_ignores_take_an_old_code() -> None:
    s = build_settings({"params": {"TX307": {"min_probability": 0.9}},
                        "per_path_ignores": {"drafts/*": ["CP605"]}})
    (params,) = [p for r, p in s.for_role("carousel").rules if r.code == "LG307"]
    assert params["min_probability"] == 0.9
    assert s.ignored("drafts/a.jpg", "IQ509") and not s.ignored("a.jpg", "IQ509")
    with pytest.raises(ConfigError, match="out of range"):
        build_settings({"params": {"tx307": {"min_probability": 2}}})


def test_old_and_new_code_params_layer_as_one_rule() -> None:
    s = build_settings({"params": {"TX307": {"min_probability": 0.9}}},
                       params={"LG307": {"min_probability": 0.8}})
    (params,) = [p for r, p in s.for_role("carousel").rules if r.code == "LG307"]
    assert params["min_probability"] == 0.8


def test_a_profile_with_old_codes_picks_the_new_rules(tmp_path: Path) -> None:
    profile = tmp_path / "old.toml"
    profile.write_text('[roles.main]\nrules = ["OV421", "TX305"]\n[roles.carousel]\n'
                       'rules = ["CP603"]\n[roles.detail]\nrules = []\n'
                       '[params.CP603]\n', encoding="utf-8")
    s = build_settings({}, platform=str(profile))
    assert _codes(s, "main") - {"IN002", "IN003", "IN004"} == {"TX309", "LG305"}
    assert "IQ507" in _codes(s, "carousel")


def test_the_bundled_profiles_name_no_old_code() -> None:
    for name in available_platforms():
        text = json.dumps(load_profile(name))
        assert not [old for old in ALIASES if old in text], name


def test_an_old_baseline_accepts_renamed_findings_and_sarif_names_old_codes(
        tmp_path: Path) -> None:
    synth.save(synth.upscaled(synth.shot("bottle", (800, 800)), 4),
               tmp_path / "carousel" / "1.jpg")
    base = tmp_path / "baseline.json"
    scan = ("scan", "--ocr", "none", "--jobs", "1", "--select", "IQ507",
            str(tmp_path / "carousel"))
    code, _ = _run(*scan, "--write-baseline", str(base))
    data = json.loads(base.read_text(encoding="utf-8"))
    assert code == 1 and [r["code"] for r in data["findings"]] == ["IQ507"]
    for row in data["findings"]:
        row["code"] = "CP603"  # as an older version wrote it
    base.write_text(json.dumps(data), encoding="utf-8")
    assert read_baseline(base).accepted == read_baseline(base).accepted.__class__(
        {(data["findings"][0]["sha256"], "IQ507"): 1})
    code, out = _run(*scan, "--baseline", str(base))
    assert code == 0 and "1 known finding accepted by the baseline" in out
    sarif = json.loads(_run(*scan, "-f", "sarif")[1])["runs"][0]
    assert [(r["id"], r["deprecatedIds"]) for r in sarif["tool"]["driver"]["rules"]
            if "deprecatedIds" in r] == [("IQ507", ["CP603"])]
    assert [r["ruleId"] for r in sarif["results"]] == ["IQ507"]


def test_the_readme_lists_every_renamed_code() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- renamed:start -->\n(.*?)<!-- renamed:end -->", readme, re.S)
    assert match, "README has no renamed markers"
    rows = [f"| {old} | {new} | {get_rule(new).name} | {get_rule(new).category} |"
            for old, new in ALIASES.items()]
    assert match.group(1).splitlines()[2:] == rows


def test_a_store_with_old_codes_reads_back_with_the_new(tmp_path: Path) -> None:
    synth.save(synth.upscaled(synth.shot("bottle", (800, 800)), 4),
               tmp_path / "in" / "carousel" / "1.jpg")
    store = tmp_path / "store"
    audit_to_store([tmp_path / "in"], store, build_settings(ocr="none", select="IQ507"),
                   AuditOptions(jobs=1, use_cache=False))
    for shard in store.glob("findings-*.jsonl"):  # as an older version wrote it
        shard.write_text(shard.read_text(encoding="utf-8").replace('"IQ507"', '"CP603"'),
                         encoding="utf-8")
    assert '"CP603"' in "".join(p.read_text(encoding="utf-8")
                                for p in store.glob("findings-*.jsonl"))
    summary = summarise(store)
    assert summary.counts["by_code"] == {"IQ507": 1}
    assert [f.code for r in summary.images for f in r.findings] == ["IQ507"]
