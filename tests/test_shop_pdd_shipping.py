"""Pinduoduo late shipment and fake-shipment signals 2.1-2.5, each at and around its limit."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from imagecheck.findings import Finding, Severity
from imagecheck.shop.api import ShopReport, check_shop
from imagecheck.shop.model import ShopInputError

T0 = datetime(2026, 11, 18, 10, 0)  # the number is uploaded
NOW = datetime(2026, 11, 25, 12, 0)
ORDER = {
    "订单号": "O1",
    "收货地址": "浙江省杭州市西湖区1号",
    "支付时间": "2026-11-17 10:00",
    "承诺发货时间": "2026-11-19 10:00",
    "发货时间": "2026-11-18 10:00",
    "运单号": "YT00000001",
}
PICKUP, HUB_OUT, DELIVERY = "【网点】已揽收", "快件离开【杭州转运中心】", "快递员正在派送"


def at(hours: float) -> str:
    return (T0 + timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M")


def route(
    number: str = "YT00000001", place: str = "浙江省杭州市"
) -> list[tuple[str, str, str, str]]:
    return [
        (number, at(2), PICKUP, "浙江省杭州市"),
        (number, at(10), HUB_OUT, "浙江省杭州市"),
        (number, at(24), DELIVERY, place),
    ]


def run(
    tmp_path: Path,
    orders: list[dict[str, str]] | None = None,
    events: list[tuple[str, str, str, str]] | None = None,
    now: datetime = NOW,
    profile: str = "",
    params: dict[str, Any] | None = None,
) -> ShopReport:
    orders = [ORDER] if orders is None else orders
    # ``events=[]``: no event for the order's number (the export itself is never empty)
    events = route() if events is None else events or route("OTHER0001")
    (tmp_path / "shop.toml").write_text(
        "[pdd]\nstore_type = 'individual'\ndeposit_yuan = 1000\n" + profile, "utf-8"
    )
    header = list(ORDER)
    lines = [",".join(header)] + [",".join(o.get(h, "") for h in header) for o in orders]
    (tmp_path / "orders.csv").write_text("\n".join(lines) + "\n", "utf-8")
    lines = ["tracking_no,time,description,location"] + [",".join(e) for e in events]
    (tmp_path / "tracking.csv").write_text("\n".join(lines) + "\n", "utf-8")
    return check_shop(
        tmp_path / "shop.toml",
        orders=tmp_path / "orders.csv",
        tracking=tmp_path / "tracking.csv",
        now=now,
        params=params,
    )


def found(report: ShopReport, code: str) -> list[Finding]:
    return [f for f in report.findings if f.code == code]


def errors(report: ShopReport) -> set[str]:
    return {f.code for f in report.findings if f.severity == Severity.ERROR}


def test_clean_order_is_quiet(tmp_path: Path) -> None:
    report = run(tmp_path)
    assert errors(report) == set()
    assert {"PDD301", "PDD311", "PDD312", "PDD313", "PDD314", "PDD315"} <= set(report.checked)


@pytest.mark.parametrize(
    ("shipped", "late"),
    [("2026-11-19 10:00", False), ("2026-11-19 09:59", False), ("2026-11-19 10:01", True)],
)
def test_late_shipment_deadline(tmp_path: Path, shipped: str, late: bool) -> None:
    report = run(tmp_path, orders=[{**ORDER, "发货时间": shipped}])
    hits = found(report, "PDD301")
    assert bool(hits) is late
    if late:
        assert hits[0].target == "O1" and hits[0].details["fine_yuan"] == 3
        assert hits[-1].target == "total" and hits[-1].value == 3


@pytest.mark.parametrize(
    ("now", "late"), [(datetime(2026, 11, 19, 10, 0), False), (datetime(2026, 11, 19, 10, 1), True)]
)
def test_no_number_is_late_once_the_deadline_passed(
    tmp_path: Path, now: datetime, late: bool
) -> None:
    unshipped = {**ORDER, "发货时间": "", "运单号": ""}
    report = run(tmp_path, orders=[unshipped], events=[], now=now)
    assert bool(found(report, "PDD301")) is late


def test_late_total_and_fine_param(tmp_path: Path) -> None:
    orders = [{**ORDER, "订单号": f"O{i}", "发货时间": "", "运单号": ""} for i in range(4)]
    report = run(tmp_path, orders=orders, events=[], params={"PDD301": {"yuan_per_order": 5}})
    *each, total = found(report, "PDD301")
    assert [f.target for f in each] == ["O0", "O1", "O2", "O3"]
    assert total.value == 20 and "20 yuan" in total.message


@pytest.mark.parametrize(("first", "fires"), [(24, False), (23.9, False), (24.02, True)])
def test_2_1_first_info_within_24h(tmp_path: Path, first: float, fires: bool) -> None:
    events = [
        ("YT00000001", at(first), PICKUP, "浙江省杭州市"),
        ("YT00000001", at(first + 5), HUB_OUT, "浙江省杭州市"),
    ]
    hits = found(run(tmp_path, events=events), "PDD311")
    assert bool(hits) is fires
    if fires:
        assert hits[0].value == pytest.approx(24.02, abs=0.01) and hits[0].threshold == 24


@pytest.mark.parametrize(("hours", "fires"), [(24, False), (24.02, True)])
def test_2_1_no_info_at_all(tmp_path: Path, hours: float, fires: bool) -> None:
    report = run(tmp_path, events=[], now=T0 + timedelta(hours=hours))
    assert bool(found(report, "PDD311")) is fires


@pytest.mark.parametrize(("second", "fires"), [(26, False), (25.9, False), (26.02, True)])
def test_2_2_update_within_24h(tmp_path: Path, second: float, fires: bool) -> None:
    events = [("YT00000001", at(2), PICKUP, "浙江"), ("YT00000001", at(second), HUB_OUT, "浙江")]
    assert bool(found(run(tmp_path, events=events), "PDD312")) is fires


def test_2_2_single_event_waiting(tmp_path: Path) -> None:
    events = [("YT00000001", at(2), PICKUP, "浙江")]
    assert not found(run(tmp_path, events=events, now=T0 + timedelta(hours=26)), "PDD312")
    hits = found(run(tmp_path, events=events, now=T0 + timedelta(hours=27)), "PDD312")
    assert hits and "no update since" in hits[0].message


@pytest.mark.parametrize(
    ("address", "limit"),
    [
        ("浙江省杭州市", 48),
        ("青海省西宁市", 72),
        ("新疆维吾尔自治区喀什市", 120),
        ("西藏拉萨", 120),
    ],
)
@pytest.mark.parametrize("delta", [0, -0.1, 0.05])
def test_2_3_hub_departure_by_region(
    tmp_path: Path, address: str, limit: int, delta: float
) -> None:
    events = [
        ("YT00000001", at(2), PICKUP, "浙江省杭州市"),
        ("YT00000001", at(3), "快件已发往【杭州转运中心】", "浙江省杭州市"),  # not a departure
        ("YT00000001", at(2 + limit + delta), HUB_OUT, "浙江省杭州市"),
    ]
    report = run(tmp_path, orders=[{**ORDER, "收货地址": address}], events=events)
    hits = found(report, "PDD313")
    assert bool(hits) is (delta > 0)
    if hits:
        assert hits[0].threshold == limit and hits[0].details["departure"]["description"] == HUB_OUT


def test_2_3_region_mapping_is_configurable(tmp_path: Path) -> None:
    events = [("YT00000001", at(2), PICKUP, "浙江"), ("YT00000001", at(62), HUB_OUT, "浙江")]
    assert found(run(tmp_path, events=events), "PDD313")
    remote = '[pdd.regions]\n"浙江" = "remote"\n'
    assert not found(run(tmp_path, events=events, profile=remote), "PDD313")


def test_2_3_never_departed(tmp_path: Path) -> None:
    events = [
        ("YT00000001", at(2), PICKUP, "浙江"),
        ("YT00000001", at(5), "到达【杭州转运中心】", ""),
    ]
    hits = found(run(tmp_path, events=events), "PDD313")
    assert hits and "has not left a hub yet" in hits[0].message


def test_2_4_duplicate_number(tmp_path: Path) -> None:
    orders = [ORDER, {**ORDER, "订单号": "O2"}]
    hits = found(run(tmp_path, orders=orders), "PDD314")
    assert [(f.target, f.details["other_orders"]) for f in hits] == [("O1", ["O2"]), ("O2", ["O1"])]


@pytest.mark.parametrize(
    ("number", "fires"), [("YT000001", False), ("YT00001", True), ("YT-0000001", True)]
)
def test_2_4_malformed_number(tmp_path: Path, number: str, fires: bool) -> None:
    report = run(tmp_path, orders=[{**ORDER, "运单号": number}], events=route(number))
    assert bool(found(report, "PDD314")) is fires


@pytest.mark.parametrize(
    ("first", "fires"), [("2026-11-17 10:00", False), ("2026-11-17 09:59", True)]
)
def test_2_4_history_before_payment(tmp_path: Path, first: str, fires: bool) -> None:
    events = [("YT00000001", first, PICKUP, "浙江"), *route()[1:]]
    hits = found(run(tmp_path, events=events), "PDD314")
    assert bool(hits) is fires
    if fires:
        assert "used before" in hits[0].message


@pytest.mark.parametrize(
    ("place", "fires"), [("广东省广州市", True), ("浙江省宁波市", False), ("", False)]
)
def test_2_5_destination(tmp_path: Path, place: str, fires: bool) -> None:
    hits = found(run(tmp_path, events=route(place=place)), "PDD315")
    assert bool(hits) is fires
    if fires:
        assert (hits[0].value, hits[0].threshold) == ("广东", "浙江")
        assert hits[0].details["delivery"]["location"] == place


def test_2_5_no_delivery_event_is_not_judged(tmp_path: Path) -> None:
    assert not found(run(tmp_path, events=route()[:2]), "PDD315")


def test_orders_without_tracking(tmp_path: Path) -> None:
    (tmp_path / "shop.toml").write_text("[pdd]\nstore_type = 'individual'\n", "utf-8")
    run(tmp_path)  # writes the CSVs
    report = check_shop(tmp_path / "shop.toml", orders=tmp_path / "orders.csv", now=NOW)
    assert "PDD301" in report.checked and "PDD311" not in report.checked
    assert any("no tracking export" in f.message for f in found(report, "PDD300"))
    with pytest.raises(ShopInputError, match="needs the order export"):
        check_shop(tmp_path / "shop.toml", tracking=tmp_path / "tracking.csv", now=NOW)


def test_unusable_order_rows_are_reported(tmp_path: Path) -> None:
    orders = [
        ORDER,
        {**ORDER, "订单号": "O2", "运单号": ""},
        {**ORDER, "订单号": "O3", "收货地址": "Springfield"},
        {**ORDER, "订单号": "O4", "承诺发货时间": "soon"},
    ]
    (problem,) = found(run(tmp_path, orders=orders), "PDD300")
    assert problem.value == 3 and problem.target.endswith("orders.csv")
    rows = problem.details["rows"]
    assert (
        rows[0]
        == "row 3, column tracking_no: empty while shipped_at is given; give both or neither"
    )
    assert rows[1] == "row 4, column address: no Chinese province recognised in 'Springfield'"
    assert rows[2].startswith("row 5, column ship_deadline: cannot parse time 'soon'")


def test_excel_artefacts_and_duplicate_orders(tmp_path: Path) -> None:
    orders = [
        {**ORDER, "运单号": "'YT00000001"},  # Excel's text prefix is dropped
        {**ORDER, "订单号": "O2", "运单号": "1.23457E+11"},
        {**ORDER},
    ]
    report = run(tmp_path, orders=orders)
    assert errors(report) == set()
    (problem,) = [f for f in found(report, "PDD300") if f.severity == Severity.WARNING]
    assert problem.details["rows"] == [
        "row 3, column tracking_no: '1.23457E+11' is a number Excel shortened;"
        " export the column as text",
        "row 4, column order_id: order O1 already on row 2",
    ]


def test_tracking_numbers_on_no_order(tmp_path: Path) -> None:
    report = run(tmp_path, events=[*route(), *route("ZZ99999999")])
    (note,) = found(report, "PDD300")
    assert note.severity == Severity.INFO and note.details["tracking_numbers"] == ["ZZ99999999"]
