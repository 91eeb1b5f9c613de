"""Pinduoduo effective reply rate: the 08:00-23:00 window, time zones, reply time and threshold."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from imagecheck.findings import Finding, Severity
from imagecheck.shop.api import ShopReport, check_shop

NOW = datetime(2026, 11, 21, 12, 0)


def run(
    tmp_path: Path, rows: list[str], params: dict | None = None, profile: str = ""
) -> ShopReport:
    """Check a chat log of ``rows`` (user,time,sender[,text]) with a minimal PDD profile."""
    (tmp_path / "shop.toml").write_text("[pdd]\nstore_type = 'individual'\n" + profile, "utf-8")
    (tmp_path / "chats.csv").write_text("user,time,sender,text\n" + "\n".join(rows) + "\n", "utf-8")
    return check_shop(tmp_path / "shop.toml", chats=tmp_path / "chats.csv", params=params, now=NOW)


def found(report: ShopReport, code: str) -> list[Finding]:
    return [f for f in report.findings if f.code == code]


def consulting(report: ShopReport) -> int:
    (period,) = found(report, "PDD202")
    return int(period.message.split(" of ")[1].split()[0])


@pytest.mark.parametrize(
    ("asked", "counts"),
    [
        ("2026-11-18 07:59:59", False),
        ("2026-11-18 08:00:00", True),
        ("2026-11-18 22:59:59", True),
        ("2026-11-18 23:00:00", False),
        # the same edges written in other time zones
        ("2026-11-18T00:00:00Z", True),  # 08:00 China time
        ("2026-11-17T23:59:00+00:00", False),  # 07:59 China time
        ("2026-11-18T09:59:00-05:00", True),  # 22:59 China time
        ("2026-11-18T10:00:00-0500", False),  # 23:00 China time
        ("2026-11-18 22:59 UTC+8", True),
        ("1763424000", True),  # Unix seconds: 2025-11-18 08:00 China time
    ],
)
def test_consulting_window_edges(tmp_path: Path, asked: str, counts: bool) -> None:
    rows = [f"a,{asked},买家,在吗", "z,2026-11-18 12:00,buyer,hi", "z,2026-11-18 12:01,agent,hello"]
    report = run(tmp_path, rows)
    assert consulting(report) == (2 if counts else 1)


def test_other_zone_day_boundary_uses_china_date(tmp_path: Path) -> None:
    # 2026-11-18 20:00 in UTC is 2026-11-19 04:00 China time: outside the window.
    # 2026-11-18 16:30 UTC is 2026-11-19 00:30 China time: outside too; 2026-11-19 01:00 UTC is in.
    rows = ["a,2026-11-18T20:00:00Z,buyer,x", "b,2026-11-19T01:00:00Z,buyer,y"]
    report = run(tmp_path, rows)
    (day,) = found(report, "PDD201")
    assert day.target == "2026-11-19" and day.details["unreplied"] == ["b"]


@pytest.mark.parametrize(
    ("reply", "effective"),
    [("10:03:00", True), ("10:02:59", True), ("10:03:01", False), ("09:59:00", False)],
)
def test_reply_time_limit(tmp_path: Path, reply: str, effective: bool) -> None:
    rows = ["a,2026-11-18 10:00:00,buyer,q", f"a,2026-11-18 {reply},客服,answer"]
    report = run(tmp_path, rows)
    assert bool(found(report, "PDD203")) is not effective
    assert bool(found(report, "PDD201")) is not effective


def test_auto_replies_do_not_count(tmp_path: Path) -> None:
    rows = [
        "a,2026-11-18 10:00:00,buyer,q",
        "a,2026-11-18 10:00:01,机器人,您好",
        "b,2026-11-18 10:00:00,buyer,q",
        "b,2026-11-18 10:00:01,客服,[自动回复] 马上来",
        "c,2026-11-18 10:00:00,buyer,q",
        "c,2026-11-18 10:00:01,客服,#AUTO 稍等",
    ]
    report = run(tmp_path, rows, profile="auto_reply_markers = ['#AUTO']\n")
    assert sorted(f.details["user"] for f in found(report, "PDD203")) == ["a", "c"]
    # with the default markers "#AUTO" is a human reply
    report = run(tmp_path, rows)
    assert sorted(f.details["user"] for f in found(report, "PDD203")) == ["a", "b"]


def test_reply_after_23_counts_for_a_late_question(tmp_path: Path) -> None:
    rows = ["a,2026-11-18 22:59:00,buyer,q", "a,2026-11-18 23:01:00,agent,a"]
    assert found(run(tmp_path, rows), "PDD203") == []


def _day(n_ok: int, n_bad: int, day: str = "2026-11-18") -> list[str]:
    rows = []
    for i in range(n_ok + n_bad):
        rows.append(f"u{i},{day} 10:00,buyer,q")
        if i < n_ok:
            rows.append(f"u{i},{day} 10:01,agent,a")
    return rows


@pytest.mark.parametrize(("ok", "bad", "fails"), [(4, 1, False), (79, 21, True), (81, 19, False)])
def test_day_rate_threshold(tmp_path: Path, ok: int, bad: int, fails: bool) -> None:
    report = run(tmp_path, _day(ok, bad))
    assert bool(found(report, "PDD201")) is fails
    (period,) = found(report, "PDD202")
    assert (period.severity == Severity.ERROR) is fails
    assert period.value == pytest.approx(100 * ok / (ok + bad), abs=0.01)
    assert len(found(report, "PDD203")) == bad


def test_period_rate_sums_user_days_and_lists_failing_days(tmp_path: Path) -> None:
    rows = _day(3, 1, "2026-11-18") + _day(5, 0, "2026-11-19")
    report = run(tmp_path, rows)
    (day,) = found(report, "PDD201")
    assert day.target == "2026-11-18" and day.value == 75.0 and day.threshold == 80
    assert day.details == {"consulting": 4, "effective": 3, "unreplied": ["u3"]}
    (period,) = found(report, "PDD202")
    assert period.severity == Severity.INFO and period.value == pytest.approx(88.89)
    assert period.details["failing_days"] == ["2026-11-18"]


def test_thresholds_are_params(tmp_path: Path) -> None:
    rows = ["a,2026-11-18 10:00:00,buyer,q", "a,2026-11-18 10:04:00,agent,a"]
    assert found(run(tmp_path, rows), "PDD203")
    shared = {"PDD203": {"reply_minutes": 5}}  # applies to PDD201 and PDD202 as well
    report = run(tmp_path, rows, params=shared)
    assert not found(report, "PDD203") and not found(report, "PDD201")
    report = run(tmp_path, _day(9, 1), params={"PDD201": {"min_rate": 95}})  # PDD202's too
    assert found(report, "PDD201") and found(report, "PDD202")[0].severity == Severity.ERROR
    with pytest.raises(ValueError, match="conflicts with PDD201.min_rate"):
        run(tmp_path, rows, params={"PDD201": {"min_rate": 95}, "PDD202": {"min_rate": 90}})
    with pytest.raises(ValueError, match=r"PDD201.min_rate = 101 is out of range; allowed 0"):
        run(tmp_path, rows, params={"PDD201": {"min_rate": 101}})


def test_unusable_rows_are_reported(tmp_path: Path) -> None:
    rows = [
        "a,2026-11-18 10:00,buyer,q",
        "a,2026-11-18 10:01,agent,a",
        "b,2026-13-40 10:00,buyer,q",
        "c,2026-11-18 10:00,店小二,q",
    ]
    report = run(tmp_path, rows)
    (problem,) = found(report, "PDD200")
    assert problem.severity == Severity.WARNING and problem.value == 2
    assert "row 4, column time: cannot parse time '2026-13-40 10:00'" in problem.message
    assert "row 5, column sender: unknown sender '店小二'" in problem.message
    summary = report.inputs[0]
    assert (summary.rows_read, summary.rows_unusable) == (4, 2)


def test_no_consulting_user_in_window_is_reported(tmp_path: Path) -> None:
    report = run(tmp_path, ["a,2026-11-18 23:30,buyer,q"])
    assert "no buyer message between 08:00 and 23:00" in found(report, "PDD200")[0].message
    assert not found(report, "PDD202")


def test_no_chat_log_says_so(tmp_path: Path) -> None:
    (tmp_path / "shop.toml").write_text("[pdd]\nstore_type = 'individual'\ndeposit_yuan = 1000\n")
    report = check_shop(tmp_path / "shop.toml", now=NOW)
    (note,) = found(report, "PDD200")
    assert note.severity == Severity.INFO and "not checked" in note.message
    assert not {"PDD201", "PDD202", "PDD203"} & set(report.checked)
