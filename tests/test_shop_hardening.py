"""Hostile shop inputs (issue 12): limits and clear errors naming file, row and column."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from imagecheck.cli import main
from imagecheck.shop.model import ShopInputError
from imagecheck.shop.profiles import read_profile
from imagecheck.shop.readers import read_chats
from imagecheck.shop.values import parse_time

HEADER = "买家ID,发送时间,发送方,消息内容\n"
ROW = "张三,2026-11-18 10:00:00,买家,你好\n"


def test_an_oversized_cell_names_its_row(tmp_path: Path) -> None:
    path = tmp_path / "chats.csv"
    path.write_text(HEADER + ROW + f'张三,2026-11-18 10:01:00,客服,"{"x" * 200_000}"\n',
                    encoding="utf-8")
    with pytest.raises(ShopInputError, match=r"chats.csv: row 3 .*field larger than"):
        read_chats(path)


def test_one_huge_line_fails_fast(tmp_path: Path) -> None:
    path = tmp_path / "chats.csv"
    path.write_text(HEADER + "x" * 5_000_000, encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(ShopInputError, match="row 2"):
        read_chats(path)
    assert time.perf_counter() - start < 10


@pytest.mark.parametrize("when", ["9999-12-31 23:59:59", "9999-12-31T20:00:00-05:00",
                                  "0001-01-01 00:00", "253402300799"])
def test_times_far_outside_shop_years_are_errors_not_crashes(when: str) -> None:
    with pytest.raises(ValueError, match="outside the years|cannot parse"):
        parse_time(when)


def test_year_9999_in_a_csv_is_an_unusable_row(tmp_path: Path) -> None:
    path = tmp_path / "chats.csv"
    path.write_text(HEADER + ROW + "张三,9999-12-31 23:59:59,客服,好\n", encoding="utf-8")
    _, summary = read_chats(path)
    assert [p.row for p in summary.unusable] == [3]


def test_now_in_year_9999_is_a_usage_error(tmp_path: Path) -> None:
    profile = tmp_path / "shop.toml"
    profile.write_text('[shop]\nname = "x"\n[pdd]\nstore_type = "individual"\n',
                       encoding="utf-8")
    result = CliRunner().invoke(main, ["shop", str(profile), "--now", "9999-12-31 23:00"])
    assert result.exit_code == 2 and "outside the years" in result.output
    assert "Traceback" not in result.output


def test_deeply_nested_profile_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "shop.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(ShopInputError, match="nested too deeply|not valid"):
        read_profile(path)


def test_yaml_keys_of_mixed_types_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text("shop:\n  name: x\n1: one\n", encoding="utf-8")
    with pytest.raises(ShopInputError, match="key 1 is not text"):
        read_profile(path)


def test_yaml_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = tmp_path / "shop.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(ShopInputError) as err:
        read_profile(path)
    assert time.perf_counter() - start < 5 and len(str(err.value)) < 500


@pytest.mark.parametrize(("section", "key", "value"), [
    ("kuaishou", "star_rating", 7), ("kuaishou", "star_rating", -1),
    ("kuaishou", "star_rating", "NaN"), ("pdd", "deposit_yuan", -1000),
])
def test_impossible_profile_values_are_refused(tmp_path: Path, section: str, key: str,
                                               value: object) -> None:
    number = float(value) if isinstance(value, str) else value
    path = tmp_path / "shop.json"
    path.write_text(json.dumps({section: {key: number}}), encoding="utf-8")
    with pytest.raises(ShopInputError, match=f"{section}.{key}"):
        read_profile(path)


def test_negative_violation_points_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "shop.json"
    path.write_text(json.dumps({"kuaishou": {"violations": [
        {"date": "2026-10-01", "kind": "other", "points": -60}]}}), encoding="utf-8")
    with pytest.raises(ShopInputError, match=r"violations\[0\]\.points"):
        read_profile(path)


def test_unclosed_quote_is_reported_not_swallowed(tmp_path: Path) -> None:
    path = tmp_path / "chats.csv"
    rows = [ROW] + ['张三,2026-11-18 10:01:00,客服,"好的\n'] + [
        f"李{i},2026-11-18 11:0{i}:00,买家,在吗\n" for i in range(5)]
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    messages, summary = read_chats(path)
    assert len(messages) == 1
    assert summary.unusable and "never closed" in summary.unusable[0].reason
    assert "5 following lines" in summary.unusable[0].reason


def test_a_named_pipe_as_shop_input_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "chats.csv"
    os.mkfifo(fifo)
    errors: list[str] = []

    def run() -> None:
        try:
            read_chats(fifo)
        except ShopInputError as exc:
            errors.append(str(exc))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(20)
    assert errors and "not a regular file" in errors[0]


def test_a_named_pipe_as_a_store_document_is_not_opened(tmp_path: Path) -> None:
    from imagecheck.shop.model import Document
    from imagecheck.shop.pdd_documents import unreadable

    fifo = tmp_path / "licence.jpg"
    os.mkfifo(fifo)
    doc = Document(key="licence", file="licence.jpg", path=fifo, kind=None, expires=None,
                   permanent=False)
    answers: list[str | None] = []
    worker = threading.Thread(target=lambda: answers.append(unreadable(doc)), daemon=True)
    worker.start()
    worker.join(20)
    assert answers and "not a regular file" in str(answers[0])
