"""Shop input readers: encodings, header aliases, times, profiles and bad input messages."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from imagecheck.shop.defaults import CHINA_TZ
from imagecheck.shop.model import ShopInputError
from imagecheck.shop.profiles import read_profile
from imagecheck.shop.readers import read_chats, read_orders, read_tracking
from imagecheck.shop.values import parse_time

CHATS_ZH = (
    "买家ID,发送时间,发送方,消息内容\n"
    "张三,2026-11-18 10:00:00,买家,你好，有货吗？\n"
    "张三,2026-11-18 10:01:00,客服,有的\n"
)


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gbk", "gbk"),
        ("gb18030", "gbk"),  # GB18030 text within GBK's range is reported as GBK
        ("utf-16", "utf-16"),
    ],
)
def test_csv_encodings(tmp_path: Path, encoding: str, detected: str) -> None:
    path = tmp_path / "chats.csv"
    path.write_bytes(CHATS_ZH.encode(encoding))
    messages, summary = read_chats(path)
    assert summary.encoding == detected
    assert [(m.user, m.sender, m.text) for m in messages] == [
        ("张三", "buyer", "你好，有货吗？"),
        ("张三", "agent", "有的"),
    ]


def test_gb18030_only_characters(tmp_path: Path) -> None:
    # U+20BB7 (𠮷) exists in GB18030 but not in GBK.
    path = tmp_path / "chats.csv"
    path.write_bytes(CHATS_ZH.replace("张三", "𠮷野").encode("gb18030"))
    messages, summary = read_chats(path)
    assert summary.encoding == "gb18030" and messages[0].user == "𠮷野"


def test_undecodable_file_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "chats.csv"
    path.write_bytes(b"user,time,sender\n" + b"a,2026-11-18 10:00,buyer\nb,\xff\xff\xff,x\n")
    with pytest.raises(ShopInputError, match=r"chats\.csv: row 3: cannot decode"):
        read_chats(path)


def test_english_headers_any_case_and_tabs(tmp_path: Path) -> None:
    path = tmp_path / "chats.tsv"
    path.write_text("Buyer_ID\tSend Time\tRole\n a \t2026-11-18 10:00\tCustomer\n", "utf-8")
    (message,), summary = read_chats(path)
    assert (message.user, message.sender, summary.rows_read) == ("a", "buyer", 1)


def test_missing_column_names_file_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "chats.csv"
    path.write_text("用户,内容\na,hi\n", "utf-8")
    with pytest.raises(ShopInputError) as exc:
        read_chats(path)
    message = str(exc.value)
    assert message.startswith(f"{path}: row 1: missing column 'time'")
    assert "发送时间" in message and "found: 用户, 内容" in message


def test_two_headers_for_one_column(tmp_path: Path) -> None:
    path = tmp_path / "chats.csv"
    path.write_text("user,time,时间,sender\na,2026-11-18 10:00,2026-11-18 10:00,buyer\n", "utf-8")
    with pytest.raises(ShopInputError, match="columns 'time' and '时间' both give time"):
        read_chats(path)


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", "\ufeff".encode()])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(content)
    with pytest.raises(ShopInputError, match=r"orders\.csv: the orders file is empty"):
        read_orders(path)


def test_header_only_file(tmp_path: Path) -> None:
    path = tmp_path / "tracking.csv"
    path.write_text("运单号,时间,描述\n", "utf-8")
    with pytest.raises(ShopInputError, match="has a header but no data rows"):
        read_tracking(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ShopInputError, match=r"nope\.csv: cannot read chats file"):
        read_chats(tmp_path / "nope.csv")


def test_unusable_rows_are_counted_with_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "tracking.csv"
    path.write_text(
        "运单号,时间,描述,地点\n"
        "YT1,2026-11-18 10:00,已揽收,杭州\n"
        "YT1,昨天,到达,杭州\n"
        ",2026-11-18 12:00,到达,杭州\n"
        "YT1,2026-11-18 13:00,离开,杭州,extra\n"
        "\n",
        "utf-8",
    )
    events, summary = read_tracking(path)
    assert len(events) == 1 and summary.rows_read == 4 and summary.rows_unusable == 3
    assert [str(p) for p in summary.unusable] == [
        "row 3, column time: cannot parse time '昨天'; expected e.g. 2026-11-20 08:00:00",
        "row 4, column tracking_no: empty",
        "row 5: has 5 fields but the header has 4",
    ]


def test_all_rows_unusable_is_fatal(tmp_path: Path) -> None:
    path = tmp_path / "chats.csv"
    path.write_text("user,time,sender\na,later,buyer\n", "utf-8")
    with pytest.raises(ShopInputError, match=r"no usable chats rows \(row 2, column time"):
        read_chats(path)


def test_orders_need_a_place_column(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("订单号,承诺发货时间,发货时间,运单号\nA,2026-11-18 10:00,,\n", "utf-8")
    with pytest.raises(ShopInputError, match="row 1: missing column 'province' or 'address'"):
        read_orders(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-18 08:00:00", datetime(2026, 11, 18, 8, 0, tzinfo=CHINA_TZ)),
        ("2026/11/18 8:00", datetime(2026, 11, 18, 8, 0, tzinfo=CHINA_TZ)),
        ("2026年11月18日 08:00", datetime(2026, 11, 18, 8, 0, tzinfo=CHINA_TZ)),
        ("2026-11-18T08:00:00.5", datetime(2026, 11, 18, 8, 0, 0, 500000, tzinfo=CHINA_TZ)),
        ("2026-11-18", datetime(2026, 11, 18, tzinfo=CHINA_TZ)),
        ("2026-11-18T00:00:00Z", datetime(2026, 11, 18, 0, 0, tzinfo=UTC)),
        ("2026-11-18 09:00 -05:00", datetime(2026, 11, 18, 14, 0, tzinfo=UTC)),
        ("2026-11-18 09:00 GMT+0530", datetime(2026, 11, 18, 3, 30, tzinfo=UTC)),
        ("1763424000000", datetime(2025, 11, 18, 0, 0, tzinfo=UTC)),
    ],
)
def test_parse_time(text: str, expected: datetime) -> None:
    parsed = parse_time(text)
    assert parsed == expected and parsed.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize("text", ["2026-13-01 08:00", "2026-11-18 25:00", "08:00", "soon", ""])
def test_parse_time_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="cannot parse time"):
        parse_time(text)


PROFILE = {
    "shop": {"name": "店"},
    "kuaishou": {"application_date": "2026-11-20", "star_rating": 4.5, "return_rate": "1.5%"},
    "pdd": {
        "store_type": "旗舰店",
        "regions": {"海南": "normal"},
        "documents": {"trademark": {"kind": "注册证", "file": "tm.png", "expires": "长期"}},
    },
}


def test_profile_formats_agree(tmp_path: Path) -> None:
    import yaml

    (tmp_path / "p.json").write_text(json.dumps(PROFILE, ensure_ascii=False), "utf-8")
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(PROFILE, allow_unicode=True), "utf-8")
    (tmp_path / "p.toml").write_text(
        '[shop]\nname = "店"\n[kuaishou]\napplication_date = 2026-11-20\nstar_rating = 4.5\n'
        'return_rate = "1.5%"\n[pdd]\nstore_type = "旗舰店"\n[pdd.regions]\n"海南" = "normal"\n'
        '[pdd.documents.trademark]\nkind = "注册证"\nfile = "tm.png"\nexpires = "长期"\n',
        "utf-8",
    )
    profiles = [read_profile(tmp_path / f"p.{ext}") for ext in ("json", "yaml", "toml")]
    for p in profiles:
        assert p.name == "店" and p.kuaishou and p.pdd
        assert p.kuaishou.application_date == date(2026, 11, 20)
        assert p.kuaishou.return_rate == pytest.approx(0.015)
        assert p.kuaishou.violations is None
        assert p.pdd.store_type == "flagship" and p.pdd.regions["海南"] == "normal"
        assert p.pdd.regions["新疆"] == "very_remote"
        doc = p.pdd.documents["trademark"]
        assert doc.kind == "registration" and doc.permanent and doc.path == tmp_path / "tm.png"
    assert profiles[0].kuaishou == profiles[1].kuaishou == profiles[2].kuaishou


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[kuaishou]\nstar_ratng = 4\n", r"unknown key kuaishou\.star_ratng; known keys:"),
        ("[kuaishou]\nstar_rating = 'high'\n", r"kuaishou\.star_rating: expected a number"),
        ("[kuaishou]\nlive_cart = 'maybe'\n", r"kuaishou\.live_cart: expected yes/no"),
        ("[pdd.regions]\n'火星' = 'remote'\n", r"unknown key pdd\.regions\.火星"),
        ("[pdd.regions]\n'新疆' = 'far'\n", r"pdd\.regions\.新疆: unknown region class 'far'"),
        ("[pdd]\nrequired_documents = ['passport']\n", r"unknown document 'passport'"),
        ("[[kuaishou.violations]]\npoints = 3\n", r"kuaishou\.violations\[0\]\.date: missing"),
        ("[shop\n", r"not valid TOML"),
        ("", r"the shop profile is empty"),
    ],
)
def test_profile_errors_name_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(ShopInputError, match=message) as exc:
        read_profile(path)
    assert str(exc.value).startswith(str(path))


def test_profile_suffix_and_gbk(tmp_path: Path) -> None:
    with pytest.raises(ShopInputError, match=r"must end in \.toml, \.yaml, \.yml or \.json"):
        (tmp_path / "p.ini").write_text("x", "utf-8")
        read_profile(tmp_path / "p.ini")
    (tmp_path / "p.yml").write_bytes("shop:\n  name: 示例店\n".encode("gbk"))
    assert read_profile(tmp_path / "p.yml").name == "示例店"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_orders_and_tracking_encodings(tmp_path: Path, encoding: str) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_bytes(
        "订单号,收货地址,承诺发货时间,发货时间,运单号\n"
        "A1,新疆维吾尔自治区喀什市,2026-11-19 10:00,2026-11-18 10:00,YT12345678\n".encode(encoding)
    )
    tracking = tmp_path / "tracking.csv"
    tracking.write_bytes(
        "运单号,轨迹时间,轨迹描述,地点\nYT12345678,2026-11-18 12:00,已揽收,浙江省金华市\n".encode(
            encoding
        )
    )
    (order,), summary = read_orders(orders)
    assert order.province == "新疆" and summary.encoding == (
        "gbk" if "gb" in encoding else encoding
    )
    (event,), summary = read_tracking(tracking)
    assert (event.description, event.location) == ("已揽收", "浙江省金华市")
