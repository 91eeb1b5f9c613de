"""``docs/report-schema.json`` is a valid JSON Schema that real JSON reports satisfy."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from imagecheck.api import check_listing
from imagecheck.config import build_settings
from imagecheck.findings import Finding, Severity
from imagecheck.report import render
from imagecheck.report.model import SCHEMA_VERSION, ShopResult
from imagecheck_dev import synth

SCHEMA_FILE = Path(__file__).parents[1] / "docs" / "report-schema.json"


@pytest.fixture(scope="module")
def schema() -> dict[str, object]:
    data = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(data)
    return data


def _validate(schema: dict[str, object], text: str) -> dict[str, object]:
    data = json.loads(text)
    jsonschema.Draft202012Validator(schema).validate(data)
    return data


def test_schema_version_matches_the_model(schema: dict[str, object]) -> None:
    assert schema["properties"]["schema_version"] == {"const": SCHEMA_VERSION}  # type: ignore[index]


def test_real_reports_validate(schema: dict[str, object], odd_files: dict[str, Path],
                               tmp_path: Path) -> None:
    listing = tmp_path / "listing"
    synth.save(synth.shot("box", (600, 600), at=(0.25, 0.3), fill=0.4), listing / "main.jpg")
    synth.save(synth.frame(synth.shot("mug", (600, 600)), width=20, color=(200, 0, 0)),
               listing / "carousel1.png")
    report = check_listing([listing, *odd_files.values()], build_settings(ocr="none"), jobs=1)
    data = _validate(schema, render(report, "json"))
    codes = {f["code"] for i in data["images"] for f in i["findings"]}  # type: ignore[index]
    assert {"FR201", "OV401", "IN001"} <= codes
    assert any(f["box"] for i in data["images"] for f in i["findings"])  # type: ignore[index]
    shop = Finding("PDD201", "shop", Severity.ERROR, "late shipment", 52.0, 48.0,
                   target="order 123")
    with_shop = replace(report, shop=ShopResult("shop.toml", "x", (shop,), None, (), ("PDD201",)),
                        interrupted=True)
    _validate(schema, render(with_shop, "json"))


def test_schema_rejects_a_broken_report(schema: dict[str, object], tmp_path: Path) -> None:
    synth.save(synth.shot("bottle", (300, 300)), tmp_path / "main.jpg")
    data = json.loads(render(check_listing([tmp_path], build_settings(ocr="none")), "json"))
    data["images"][0]["verdict"] = "maybe"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(data)
