"""The check_shop API, parameter overrides, the example inputs and the shop rules' docs."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import pytest

from imagecheck import ShopInputs, check_listing, shop_report
from imagecheck.config import ConfigError, build_settings
from imagecheck.findings import Severity
from imagecheck.report import render
from imagecheck.rules.registry import Rule, ShopRule, all_rules
from imagecheck.shop.api import check_shop, resolve_params
from imagecheck.shop.model import ShopInputError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "shop"
NOW = datetime(2026, 11, 21, 12, 0)


def example(profile: str = "profile.toml", **csvs: str):  # noqa: ANN201 - a ShopReport
    return check_shop(EXAMPLES / profile, now=NOW, **{k: EXAMPLES / v for k, v in csvs.items()})


def test_example_inputs_give_the_documented_findings() -> None:
    report = example(chats="chats.csv", orders="orders.csv", tracking="tracking.csv")
    assert report.stage == "admitted" and report.shop == "示例服饰店"
    flagged = [(f.code, f.target) for f in report.findings if f.severity > Severity.INFO]
    assert flagged == [
        ("PDD201", "2026-11-18"),
        ("PDD203", "u5 2026-11-18"),
        ("PDD301", "A1002"),
        ("PDD301", "A1004"),
        ("PDD301", "total"),
        ("PDD311", "A1003"),
        ("PDD315", "A1005"),
    ]
    assert [(s.kind, s.encoding, s.rows_read, s.rows_unusable) for s in report.inputs] == [
        ("chats", "utf-8", 16, 0),
        ("orders", "utf-8", 5, 0),
        ("tracking", "utf-8", 16, 0),
    ]


@pytest.mark.parametrize("profile", ["profile.yaml", "profile.json"])
def test_example_profile_variants_match_the_toml(profile: str) -> None:
    def strip(report):  # noqa: ANN001, ANN202
        return [dataclasses.replace(f, details={}) for f in report.findings]

    assert strip(example(profile)) == strip(example())


def test_report_is_frozen() -> None:
    report = example()
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.stage = "x"  # type: ignore[misc]
    assert isinstance(report.findings, tuple) and "KS100" in report.checked


def test_nothing_to_check(tmp_path: Path) -> None:
    (tmp_path / "p.toml").write_text('[shop]\nname = "x"\n', "utf-8")
    with pytest.raises(ShopInputError, match="nothing to check"):
        check_shop(tmp_path / "p.toml", now=NOW)


def test_naive_and_aware_now_agree() -> None:
    from imagecheck.shop.defaults import CHINA_TZ

    assert (
        example().findings
        == check_shop(EXAMPLES / "profile.toml", now=NOW.replace(tzinfo=CHINA_TZ)).findings
    )


def test_params_validation() -> None:
    """One resolver (``imagecheck.config.resolve_params``) and one error type for image
    and shop rule parameters; an override for a rule outside ``rules`` is validated too
    (before, image codes were skipped here and checked elsewhere with another type)."""
    rules = all_rules(ShopRule)
    resolved = resolve_params(rules, {"KS103": {"min_stars": 4.5},
                                      "BG101": {"min_white_share": 0.6}})
    assert resolved["KS103"] == {"min_stars": 4.5} and resolved["KS105"] == {"max_points": 40}
    assert "BG101" not in resolved
    with pytest.raises(ConfigError, match="BG101: unknown parameter 'anything'"):
        resolve_params(rules, {"BG101": {"anything": 1}})
    with pytest.raises(ConfigError, match="params.XX999: no such rule"):
        resolve_params(rules, {"XX999": {}})
    with pytest.raises(
        ConfigError, match=r"KS103: unknown parameter 'stars' \(parameters: min_stars\)"
    ):
        resolve_params(rules, {"ks103": {"stars": 4}})
    with pytest.raises(ConfigError, match=r"KS103\.min_stars = 6 is out of range; allowed 0"):
        resolve_params(rules, {"KS103": {"min_stars": 6}})
    with pytest.raises(ConfigError, match="must be a number"):
        resolve_params(rules, {"KS103": {"min_stars": "4"}})
    shared = resolve_params(rules, {"PDD202": {"reply_minutes": 10}})
    assert {shared[c]["reply_minutes"] for c in ("PDD201", "PDD202", "PDD203")} == {10}


def table_row(r: Rule) -> str:
    """The row of docs/shop.md's rule table for ``r``, generated from the registry."""
    ps = "; ".join(f"`{n}` = {p.default:g} ({p.min:g}..{p.max:g})" for n, p in r.params.items())
    return f"| `{r.code}` | {r.name} | {r.severity} | {r.summary} | {ps or '-'} |"


def test_every_shop_rule_is_documented() -> None:
    rules = all_rules(ShopRule)
    assert [r.code for r in rules] == [
        *(f"KS10{i}" for i in range(9)),
        "PDD200", "PDD201", "PDD202", "PDD203",
        "PDD300", "PDD301", "PDD311", "PDD312", "PDD313", "PDD314", "PDD315",
        "PDD401", "PDD402", "PDD403", "PDD404", "PDD405",
    ]  # fmt: skip
    docs = (ROOT / "docs" / "shop.md").read_text("utf-8")
    for r in rules:
        assert r.category == "shop"
        assert r.summary.startswith(("Kuaishou", "Pinduoduo")), r.code
        assert len(r.doc.splitlines()) >= 3 and "Fix" in r.doc or r.code == "KS100", r.code
        assert table_row(r) in docs, f"docs/shop.md: rule table row of {r.code} is out of date"
        for name, p in r.params.items():
            assert p.min <= p.default <= p.max and p.help, f"{r.code}.{name}"


def test_shop_parameters_are_validated_when_the_settings_are_built() -> None:
    with pytest.raises(ConfigError, match=r"KS103\.min_stars = 6 is out of range"):
        build_settings(params={"KS103": {"min_stars": 6}})
    with pytest.raises(ConfigError, match="conflicts with PDD201.min_rate"):
        build_settings(params={"PDD201": {"min_rate": 95}, "PDD202": {"min_rate": 90}})
    settings = build_settings(params={"KS103": {"min_stars": 4.9}})
    strict = check_shop(EXAMPLES / "profile.toml", now=NOW, settings=settings)
    (stars,) = [f for f in strict.findings if f.code == "KS103"]
    assert stars.threshold == 4.9 and stars.severity is Severity.ERROR  # 4.6 met 4 before


def test_shop_report_is_the_shop_alone_with_its_verdict() -> None:
    settings = build_settings(ocr="none")
    report = shop_report(ShopInputs(EXAMPLES / "profile.toml", now=NOW), settings)
    assert report.images == () and report.shop is not None
    assert report.platform == "+".join(report.shop.platforms)
    assert report.shop_verdict == report.shop.verdict(settings.fail_on)
    assert report.shop_findings == example().findings


def test_check_listing_with_a_shop_holds_both(tmp_path: Path) -> None:
    from imagecheck_dev import synth

    synth.save(synth.shot("mug", (600, 600)), tmp_path / "main.jpg")
    settings = build_settings(ocr="none")
    report = check_listing([tmp_path], settings, jobs=1,
                           shop=ShopInputs(EXAMPLES / "profile.toml", now=NOW))
    assert len(report.images) == 1 and report.shop is not None
    assert report.shop.findings == example().findings
    assert '"shop": {' in render(report, "json")


def test_a_bad_shop_input_stops_before_any_image_is_checked(tmp_path: Path) -> None:
    seen: list[int] = []
    with pytest.raises(ShopInputError):
        check_listing([tmp_path], build_settings(ocr="none"), on_start=seen.append,
                      shop=ShopInputs(tmp_path / "missing.toml"))
    assert seen == []
