"""Pinduoduo store-opening documents, deposit and the flagship trademark requirement."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from imagecheck.findings import Finding, Severity
from imagecheck.shop.api import ShopReport, check_shop

NOW = datetime(2026, 11, 21, 12, 0)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def run(
    tmp_path: Path, docs: dict[str, str] | None = None, head: str = "", params: dict | None = None
) -> ShopReport:
    """A flagship store with all documents readable and valid, edited by ``docs``/``head``."""
    for name in ("licence.png", "permit.pdf", "tm.jpg"):
        data = {"permit.pdf": b"%PDF-1.4\n", "tm.jpg": b"\xff\xd8\xff\xe0"}.get(name, PNG)
        (tmp_path / name).write_bytes(data)
    tables = {
        "business_licence": 'file = "licence.png"\nexpires = "长期"\n',
        "bank_permit": 'file = "permit.pdf"\nexpires = "permanent"\n',
        "trademark": 'kind = "registration"\nfile = "tm.jpg"\nexpires = 2033-01-01\n',
        **(docs or {}),
    }
    text = head or 'store_type = "flagship"\ndeposit_yuan = 1000\n'
    text = "[pdd]\n" + text + "".join(f"[pdd.documents.{k}]\n{v}" for k, v in tables.items() if v)
    (tmp_path / "shop.toml").write_text(text, "utf-8")
    return check_shop(tmp_path / "shop.toml", params=params, now=NOW)


def found(report: ShopReport, code: str) -> list[Finding]:
    return [f for f in report.findings if f.code == code]


def problems(report: ShopReport) -> set[str]:
    return {f.code for f in report.findings if f.severity > Severity.INFO}


def test_complete_flagship_store_is_quiet(tmp_path: Path) -> None:
    assert problems(run(tmp_path)) == set()


@pytest.mark.parametrize(
    ("key", "code"),
    [("business_licence", "PDD401"), ("bank_permit", "PDD402"), ("trademark", "PDD403")],
)
def test_missing_document(tmp_path: Path, key: str, code: str) -> None:
    report = run(tmp_path, docs={key: ""})
    (hit,) = found(report, code)
    assert hit.severity == Severity.ERROR and hit.value == "missing" and hit.target == key


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        ("absent", "cannot be opened"),
        ("empty", "is empty"),
        ("text", "is not an image or PDF"),
    ],
)
def test_unreadable_document(tmp_path: Path, setup: str, reason: str) -> None:
    name = {"absent": "gone.png", "empty": "empty.png", "text": "notes.txt"}[setup]
    if setup == "empty":
        (tmp_path / name).write_bytes(b"")
    elif setup == "text":
        (tmp_path / name).write_text("营业执照见附件", "utf-8")
    report = run(tmp_path, docs={"business_licence": f'file = "{name}"\nexpires = "长期"\n'})
    (hit,) = found(report, "PDD401")
    assert hit.value == "unreadable" and reason in hit.message and name in hit.message


@pytest.mark.parametrize(
    ("expires", "expired"), [("2026-11-21", False), ("2026-11-20", True), ("2026-11-22", False)]
)
def test_expiry(tmp_path: Path, expires: str, expired: bool) -> None:
    report = run(
        tmp_path, docs={"business_licence": f'file = "licence.png"\nexpires = {expires}\n'}
    )
    hits = found(report, "PDD401")
    assert bool(hits) is expired
    if expired:
        assert hits[0].value == expires and "expired" in hits[0].message


def test_no_expiry_is_a_warning(tmp_path: Path) -> None:
    (hit,) = found(run(tmp_path, docs={"bank_permit": 'file = "permit.pdf"\n'}), "PDD402")
    assert hit.severity == Severity.WARNING and "validity is unknown" in hit.message


@pytest.mark.parametrize(("paid", "fires"), [(1000, False), (999.99, True), (1000.01, False)])
def test_deposit_threshold(tmp_path: Path, paid: float, fires: bool) -> None:
    report = run(tmp_path, head=f'store_type = "flagship"\ndeposit_yuan = {paid}\n')
    assert bool(found(report, "PDD404")) is fires


def test_deposit_missing_and_param(tmp_path: Path) -> None:
    (hit,) = found(run(tmp_path, head='store_type = "flagship"\n'), "PDD404")
    assert "not given" in hit.message
    report = run(tmp_path, params={"PDD404": {"min_yuan": 10000}})
    assert found(report, "PDD404")[0].threshold == 10000


@pytest.mark.parametrize(
    ("store_type", "kind", "fires"),
    [
        ("flagship", "registration", False),
        ("旗舰店", "受理通知书", True),
        ("flagship", None, True),
        ("专卖店", "application", False),
    ],
)
def test_flagship_needs_registered_trademark(
    tmp_path: Path, store_type: str, kind: str | None, fires: bool
) -> None:
    kind_line = f'kind = "{kind}"\n' if kind else ""
    report = run(
        tmp_path,
        docs={"trademark": kind_line + 'file = "tm.jpg"\nexpires = 2033-01-01\n'},
        head=f'store_type = "{store_type}"\ndeposit_yuan = 1000\n',
    )
    assert bool(found(report, "PDD405")) is fires


def test_store_type_unknown_warns_and_individual_needs_no_documents(tmp_path: Path) -> None:
    (hit,) = found(run(tmp_path, head="deposit_yuan = 1000\n"), "PDD405")
    assert hit.severity == Severity.WARNING
    report = run(
        tmp_path,
        docs={"business_licence": "", "bank_permit": "", "trademark": ""},
        head='store_type = "个人店"\ndeposit_yuan = 1000\n',
    )
    assert problems(report) == set()


def test_required_documents_override(tmp_path: Path) -> None:
    head = (
        'store_type = "ordinary"\ndeposit_yuan = 1000\nrequired_documents = ["business_licence"]\n'
    )
    report = run(tmp_path, docs={"trademark": "", "bank_permit": ""}, head=head)
    assert problems(report) == set()
