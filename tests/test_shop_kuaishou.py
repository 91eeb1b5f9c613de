"""Kuaishou 快分销 admission: every condition at, just under and just over its threshold."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from imagecheck.findings import Severity
from imagecheck.shop import defaults
from imagecheck.shop.api import ShopReport, check_shop

NOW = datetime(2026, 11, 21, 12, 0)
BASE: dict[str, Any] = {
    "shop": {"name": "测试店"},
    "kuaishou": {
        "application_date": "2026-11-20",
        "status": "normal",
        "live_cart": True,
        "profile_entrance": True,
        "shop_type": "enterprise",
        "main_category": "服饰/鞋靴",
        "star_rating": 4.5,
        "return_rate": 0.01,
        "category_return_rate": 0.01,
        "negative_review_rate": "1%",
        "market_negative_review_rate": "1%",
        "violations": [],
        "entity_violations": [],
    },
}


def run(tmp_path: Path, params: dict[str, Any] | None = None, **changes: Any) -> ShopReport:
    """Check a copy of BASE with ``changes`` in its kuaishou section (``None`` deletes a key)."""
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            data["kuaishou"].pop(key)
        else:
            data["kuaishou"][key] = value
    path = tmp_path / "shop.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return check_shop(path, params=params, now=NOW)


def failed(report: ShopReport) -> set[str]:
    return {f.code for f in report.findings if f.severity > Severity.INFO}


def one(report: ShopReport, code: str):  # noqa: ANN201 - a Finding
    (finding,) = [f for f in report.findings if f.code == code]
    return finding


def test_clean_shop_is_admitted_with_a_checklist(tmp_path: Path) -> None:
    report = run(tmp_path)
    assert failed(report) == set()
    assert report.stage == "admitted"
    assert [f.code for f in report.findings] == ["KS100", *(f"KS10{i}" for i in range(1, 9))]
    assert "distribution plan" in one(report, "KS100").message
    for f in report.findings[1:]:
        assert f.details["where"], f.code
    assert "店铺管理 > 基础信息 > 店铺类型" in one(report, "KS102").message


def test_not_admitted_stage_names_what_to_fix(tmp_path: Path) -> None:
    report = run(tmp_path, star_rating=3.5, shop_type="personal")
    assert report.stage == "not admitted"
    stage = one(report, "KS100")
    assert stage.severity == Severity.INFO and stage.value == "not admitted"
    assert stage.details["failed"] == ["KS102", "KS103"]
    assert "apply again later" in stage.message


@pytest.mark.parametrize(
    ("changes", "fires"),
    [
        ({}, False),
        ({"status": "冻结"}, True),
        ({"status": "正常"}, False),
        ({"live_cart": False}, True),
        ({"profile_entrance": "否"}, True),
    ],
)
def test_ks101_shop_status(tmp_path: Path, changes: dict[str, Any], fires: bool) -> None:
    assert ("KS101" in failed(run(tmp_path, **changes))) is fires


def test_missing_value_fails_closed(tmp_path: Path) -> None:
    report = run(tmp_path, star_rating=None, violations=None)
    assert {"KS103", "KS104", "KS105"} <= failed(report)
    assert "not verified" in one(report, "KS103").message
    assert "kuaishou.star_rating" in one(report, "KS103").message
    assert report.stage == "not admitted"


@pytest.mark.parametrize(
    ("shop_type", "category", "fires"),
    [
        ("enterprise", "食品饮料", False),
        ("企业", "食品饮料", False),
        ("personal", "服饰/鞋靴", True),
        ("个体工商户", "服饰/鞋靴", False),
        ("individual", "服饰 ／ 鞋靴", False),  # width and spacing variants match
        ("individual", "珠宝/钟表（金银饰、玉石、宝石）", False),
        ("individual", "食品饮料", True),
    ],
)
def test_ks102_shop_type_and_category(
    tmp_path: Path, shop_type: str, category: str, fires: bool
) -> None:
    report = run(tmp_path, shop_type=shop_type, main_category=category)
    assert ("KS102" in failed(report)) is fires


def test_ks102_unknown_category_lists_the_whitelist_and_a_suggestion(tmp_path: Path) -> None:
    finding = one(run(tmp_path, shop_type="individual", main_category="工业品"), "KS102")
    assert finding.severity == Severity.ERROR
    assert "did you mean 工业品(除化学品)" in finding.message
    assert finding.details["allowed_categories"] == list(defaults.INDIVIDUAL_CATEGORIES)


def test_ks102_whitelist_is_the_issue_list_and_overridable(tmp_path: Path) -> None:
    assert len(defaults.INDIVIDUAL_CATEGORIES) == 22
    report = run(
        tmp_path,
        shop_type="individual",
        main_category="食品饮料",
        individual_categories=["食品饮料"],
    )
    assert "KS102" not in failed(report)


def test_ks102_unknown_shop_type_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"shop\.json: kuaishou\.shop_type: unknown value 'shop'"):
        run(tmp_path, shop_type="shop")


@pytest.mark.parametrize(("stars", "fires"), [(4.0, False), (3.99, True), (4.01, False)])
def test_ks103_star_rating_threshold(tmp_path: Path, stars: float, fires: bool) -> None:
    report = run(tmp_path, star_rating=stars)
    assert ("KS103" in failed(report)) is fires
    assert one(report, "KS103").value == stars and one(report, "KS103").threshold == 4


def test_ks103_threshold_is_a_param(tmp_path: Path) -> None:
    assert "KS103" in failed(run(tmp_path, star_rating=4.4, params={"KS103": {"min_stars": 4.5}}))


def violation(date: str, **extra: Any) -> dict[str, Any]:
    return {"date": date, "kind": "other", "points": 2, **extra}


@pytest.mark.parametrize(
    ("date", "fires"),
    [("2025-11-20", True), ("2025-11-21", True), ("2025-11-19", False), ("2026-11-19", True)],
)
def test_ks104_serious_violation_one_year_window(tmp_path: Path, date: str, fires: bool) -> None:
    report = run(tmp_path, violations=[violation(date, kind="counterfeit")])
    assert ("KS104" in failed(report)) is fires


def test_ks104_counts_only_serious_violations(tmp_path: Path) -> None:
    assert "KS104" not in failed(run(tmp_path, violations=[violation("2026-10-01")]))
    serious = violation("2026-10-01", serious=True, description="商品质量问题")
    finding = one(run(tmp_path, violations=[serious]), "KS104")
    assert finding.severity == Severity.ERROR and "商品质量问题" in finding.message
    assert "KS104" in failed(run(tmp_path, violations=[violation("2026-10-01", kind="质量问题")]))


@pytest.mark.parametrize(("points", "fires"), [(40, True), (39, False), (41, True)])
def test_ks105_single_deduction(tmp_path: Path, points: int, fires: bool) -> None:
    report = run(tmp_path, violations=[violation("2024-01-01", points=points)])
    assert ("KS105" in failed(report)) is fires
    assert one(report, "KS105").value == points


@pytest.mark.parametrize(
    ("rate", "fires"), [(0.02, False), (0.0199, False), (0.0201, True), ("2%", False)]
)
def test_ks106_return_rate_ratio(tmp_path: Path, rate: Any, fires: bool) -> None:
    assert ("KS106" in failed(run(tmp_path, return_rate=rate))) is fires


@pytest.mark.parametrize(
    ("rate", "fires"), [("2%", False), ("1.99%", False), ("2.01%", True), (0, False)]
)
def test_ks107_negative_review_ratio(tmp_path: Path, rate: Any, fires: bool) -> None:
    report = run(tmp_path, negative_review_rate=rate)
    assert ("KS107" in failed(report)) is fires
    assert "评价" in one(report, "KS107").details["where"]


def test_ks107_zero_market_average(tmp_path: Path) -> None:
    assert "KS107" in failed(run(tmp_path, market_negative_review_rate=0))
    assert "KS107" not in failed(
        run(tmp_path, market_negative_review_rate=0, negative_review_rate=0)
    )


def test_rate_outside_0_1_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"kuaishou\.return_rate: rate 2 is outside 0\.\.1"):
        run(tmp_path, return_rate=2)


@pytest.mark.parametrize(
    ("entity", "fires"),
    [
        (violation("2025-11-20", kind="counterfeit", account="另一个号"), True),
        (violation("2025-11-19", kind="counterfeit"), False),
        (violation("2026-06-01", kind="counterfeit", confirmed=False), False),
        (violation("2026-06-01", kind="quality"), False),
    ],
)
def test_ks108_entity_counterfeit(tmp_path: Path, entity: dict[str, Any], fires: bool) -> None:
    assert ("KS108" in failed(run(tmp_path, entity_violations=[entity]))) is fires


def test_ks108_counts_this_shops_own_counterfeit(tmp_path: Path) -> None:
    report = run(tmp_path, violations=[violation("2026-06-01", kind="售假")])
    assert {"KS104", "KS108"} <= failed(report)


def test_application_date_defaults_to_today(tmp_path: Path) -> None:
    # 2025-11-21 is exactly one year before NOW's date: inside the window without a date.
    report = run(
        tmp_path, application_date=None, violations=[violation("2025-11-21", serious=True)]
    )
    assert "KS104" in failed(report)
