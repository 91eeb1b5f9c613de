"""Readers for shop inputs: the shop profile (TOML, YAML or JSON) and CSV exports.

CSV files may be UTF-8, UTF-8 with BOM, UTF-16 with BOM, GBK or GB18030; columns may be
named in Chinese or English (see the alias tables). Naive times are China time. A problem
that makes a whole file unusable raises :class:`ShopInputError` naming file, row and column;
a row that cannot be used is kept as a :class:`RowProblem` and reported, never dropped.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import reprlib
import stat
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

import yaml

from imagecheck.i18n import join, msg, nmsg, reason, term
from imagecheck.shop import defaults
from imagecheck.shop.model import (
    CHINA_TZ,
    ChatMessage,
    Document,
    InputSummary,
    KuaishouInfo,
    Order,
    PddInfo,
    RowProblem,
    ShopInputError,
    ShopProfile,
    TrackingEvent,
    Violation,
)

T = TypeVar("T")
D = TypeVar("D", bound=date)

# ---------------------------------------------------------------------------- values

_TIME_RE = re.compile(
    r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<mo>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:(?:\s+|T)(?P<h>\d{1,2})\s*[:时]\s*(?P<mi>\d{1,2})\s*分?"
    r"(?:\s*[:]?\s*(?P<s>\d{1,2})\s*秒?(?:[.,](?P<f>\d{1,6}))?)?)?"
    r"\s*(?P<tz>Z|(?:UTC|GMT)?\s*[+-]\d{1,2}(?::?\d{2})?|UTC|GMT)?$",
    re.IGNORECASE,
)


_EPOCH_RE = re.compile(r"\d{10}(\d{3})?")
#: Times and dates outside these years are refused: no shop record is from before 1970
#: or after 2099, and date arithmetic near year 9999 overflows.
YEARS = (1970, 2099)
#: Largest CSV export and shop profile read, in bytes, and the most YAML aliases expanded.
MAX_CSV_BYTES = 1 << 30
MAX_PROFILE_BYTES = 1 << 20
MAX_YAML_ALIASES = 100
_ISO_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?(?:Z|[+-]\d{2}:\d{2})?"
)


def _offset(text: str) -> timezone:
    """The fixed offset written as ``Z``, ``UTC``, ``+08:00``, ``+0800``, ``UTC+8``..."""
    core = re.sub(r"^(UTC|GMT)", "", text.strip().upper()).strip()
    if core in ("", "Z"):
        return UTC
    sign = -1 if core[0] == "-" else 1
    digits = core[1:].replace(":", "")
    hours, minutes = (digits, "0") if len(digits) <= 2 else (digits[:-2], digits[-2:])
    if int(hours) > 14 or int(minutes) > 59:
        raise ValueError(msg("time-zone offset {text!r} is out of range", text=text))
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))


def _in_range(when: D) -> D:
    if not YEARS[0] <= when.year <= YEARS[1]:
        raise ValueError(msg("{when} is outside the years {first}-{last}",
                             when=f"{when:%Y-%m-%d}", first=YEARS[0], last=YEARS[1]))
    return when


def parse_time(text: str) -> datetime:
    """Parse a time as China time (naive input) or in its own offset; return it in China time.

    Accepts ``2026-11-20 08:00[:00]``, ``2026/11/20 8:00``, ``2026年11月20日 08:00``, ISO 8601
    with ``T`` and an offset (``Z``, ``+00:00``, ``-0500``, ``UTC+8``), and Unix timestamps
    in seconds (10 digits) or milliseconds (13 digits), in the years :data:`YEARS`. Raises
    ``ValueError`` otherwise.
    """
    try:
        return _in_range(_parse_time(text))
    except OverflowError:
        raise ValueError(msg("time {text!r} is outside the years {first}-{last}", text=text,
                             first=YEARS[0], last=YEARS[1])) from None


def _parse_time(text: str) -> datetime:
    s = text.strip()
    if _EPOCH_RE.fullmatch(s):
        seconds = int(s) / (1000 if len(s) == 13 else 1)
        return datetime.fromtimestamp(seconds, UTC).astimezone(CHINA_TZ)
    if _ISO_RE.fullmatch(s):  # the usual export form: the standard parser is exact and fast
        try:
            iso = datetime.fromisoformat(s)
        except ValueError as exc:
            raise ValueError(msg("cannot parse time {text!r}: {error}", text=text,
                                  error=str(exc))) from None
        return (iso if iso.tzinfo else iso.replace(tzinfo=CHINA_TZ)).astimezone(CHINA_TZ)
    m = _TIME_RE.match(s)
    if not m:
        raise ValueError(msg("cannot parse time {text!r}; expected e.g. 2026-11-20 08:00:00",
                             text=text))
    frac = (m["f"] or "0").ljust(6, "0")
    try:
        parsed = datetime(
            int(m["y"]),
            int(m["mo"]),
            int(m["d"]),
            int(m["h"] or 0),
            int(m["mi"] or 0),
            int(m["s"] or 0),
            int(frac),
        )
    except ValueError as exc:
        raise ValueError(msg("cannot parse time {text!r}: {error}", text=text,
                                  error=str(exc))) from None
    tz = _offset(m["tz"]) if m["tz"] else CHINA_TZ
    return parsed.replace(tzinfo=tz).astimezone(CHINA_TZ)


def parse_date(value: object) -> date:
    """A date from a TOML/YAML date or datetime, or from text :func:`parse_time` accepts."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=CHINA_TZ)
        try:
            return _in_range(aware.astimezone(CHINA_TZ)).date()
        except OverflowError:
            raise ValueError(msg("date {value} is outside the years {first}-{last}",
                                  value=str(value), first=YEARS[0], last=YEARS[1])) from None
    if isinstance(value, date):
        return _in_range(value)
    if isinstance(value, str):
        return parse_time(value).date()
    raise ValueError(msg("expected a date such as 2026-11-20, got {value}", value=repr(value)))


_TRUE = {"true", "yes", "y", "1", "是", "有", "正常", "开启", "已开启", "已开通"}
_FALSE = {"false", "no", "n", "0", "否", "无", "关闭", "未开启", "未开通"}


def parse_bool(value: object) -> bool:
    """A yes/no from a bool or from text such as ``true``, ``是``, ``no``, ``否``."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(msg("expected yes/no (true, false, 是, 否), got {value}", value=repr(value)))


def parse_rate(value: object) -> float:
    """A rate as a fraction: a number in [0, 1] or a percentage string such as ``"1.2%"``."""
    if isinstance(value, str) and value.strip().endswith(("%", "％")):
        number = float(value.strip()[:-1]) / 100
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        raise ValueError(msg("expected a rate such as 0.012 or '1.2%', got {value}",
                             value=repr(value)))
    if not 0 <= number <= 1:
        raise ValueError(msg("rate {value} is outside 0..1; write a fraction (0.012) or a"
                             " percentage ('1.2%')", value=repr(value)))
    return number


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(msg("expected a number, got {value}", value=_short(value)))
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(msg("expected a number, got {value}", value=repr(value)))
    return float(value)


def _ranged(low: float, high: float) -> Callable[[object], float]:
    """A number parser that also refuses values outside ``low..high``."""

    def parse(value: object) -> float:
        number = _number(value)
        if not low <= number <= high:
            raise ValueError(msg("{value} is outside {low:g}..{high:g}", value=repr(value),
                                  low=low, high=high))
        return number

    return parse


def _short(value: object) -> str:
    """``repr(value)`` cut to a readable length (a value may be huge or deeply nested)."""
    short = reprlib.Repr()
    short.maxlevel, short.maxstring, short.maxother = 2, 60, 60
    return short.repr(value)


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(msg("expected non-empty text, got {value}", value=_short(value)))
    return value.strip()


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError(msg("expected a list of text, got {value}", value=_short(value)))
    return tuple(_text(v) for v in value)


def find_province(text: str) -> str | None:
    """The province named earliest in ``text`` (an address or place), by its short name."""
    found = [(text.find(p), p) for p in defaults.PROVINCES if p in text]
    return min(found)[1] if found else None


# ---------------------------------------------------------------------------- CSV


@dataclass(frozen=True)
class Column:
    """A canonical column: its accepted header names (Chinese and English) and whether required."""

    name: str
    aliases: tuple[str, ...]
    required: bool = True


def _norm_header(text: str) -> str:
    return re.sub(r"[\s_\-()（）]", "", text.replace("\ufeff", "")).lower()


_USER = (
    "user",
    "user_id",
    "buyer",
    "buyer_id",
    "customer",
    "用户",
    "用户id",
    "用户名",
    "买家",
    "买家id",
    "买家昵称",
    "顾客",
    "客户",
)
_TRACKING_NO = (
    "tracking_no",
    "tracking_number",
    "tracking",
    "waybill",
    "waybill_no",
    "运单号",
    "快递单号",
    "物流单号",
    "运单编号",
)

CHAT_COLUMNS: tuple[Column, ...] = (
    Column("user", _USER),
    Column(
        "time",
        ("time", "sent_at", "send_time", "timestamp", "datetime", "时间", "发送时间", "消息时间"),
    ),
    Column(
        "sender",
        (
            "sender",
            "role",
            "from",
            "sender_role",
            "发送方",
            "发送者",
            "发送人",
            "角色",
            "发送人角色",
        ),
    ),
    Column("text", ("text", "content", "message", "内容", "消息", "消息内容"), required=False),
    Column("auto", ("auto", "auto_reply", "is_auto", "自动回复", "是否自动回复"), required=False),
)

ORDER_COLUMNS: tuple[Column, ...] = (
    Column("order_id", ("order_id", "order_no", "order_sn", "order", "订单号", "订单编号")),
    Column("province", ("province", "省份", "省", "收货省份"), required=False),
    Column(
        "address", ("address", "shipping_address", "收货地址", "地址", "详细地址"), required=False
    ),
    Column(
        "paid_at",
        ("paid_at", "pay_time", "order_time", "支付时间", "付款时间", "成交时间", "下单时间"),
        required=False,
    ),
    Column(
        "ship_deadline",
        (
            "ship_deadline",
            "ship_by",
            "promised_ship_time",
            "承诺发货时间",
            "发货截止时间",
            "最晚发货时间",
        ),
    ),
    Column(
        "shipped_at",
        (
            "shipped_at",
            "ship_time",
            "tracking_uploaded_at",
            "发货时间",
            "上传单号时间",
            "运单号上传时间",
        ),
    ),
    Column("tracking_no", _TRACKING_NO),
)

TRACKING_COLUMNS: tuple[Column, ...] = (
    Column("tracking_no", _TRACKING_NO),
    Column("time", ("time", "event_time", "时间", "轨迹时间", "事件时间")),
    Column(
        "description",
        (
            "description",
            "event",
            "status",
            "details",
            "描述",
            "轨迹",
            "物流信息",
            "轨迹描述",
            "事件",
            "内容",
        ),
    ),
    Column("location", ("location", "city", "place", "地点", "所在地", "城市"), required=False),
)


def decode_bytes(data: bytes, file: str) -> tuple[str, str]:
    """Decode a CSV file's bytes, detecting its encoding; return ``(text, encoding)``.

    Byte-order marks decide first (UTF-8 and UTF-16); then strict UTF-8, GBK and GB18030
    are tried in that order (ASCII is reported as utf-8).
    """
    boms = (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    )
    candidates = [enc for bom, enc in boms if data.startswith(bom)][:1] or [
        "utf-8",
        "gbk",
        "gb18030",
    ]
    error: UnicodeDecodeError | None = None
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            error = error or exc
    assert error is not None
    row = data[: error.start].count(b"\n") + 1
    raise ShopInputError(msg(
        "{file}: row {row}: cannot decode as {encodings} (bad byte at offset {offset}); save"
        " it as UTF-8 or GBK", file=file, row=row, encodings=" / ".join(candidates),
        offset=error.start))


@dataclass(frozen=True)
class Table:
    """A decoded CSV: rows as canonical column -> cell text, with their spreadsheet row."""

    file: str
    encoding: str
    columns: frozenset[str]
    rows: tuple[tuple[int, dict[str, str]], ...]
    problems: tuple[RowProblem, ...]


def _records(file: str, text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """CSV records numbered as a spreadsheet numbers rows; a malformed record (a cell over
    the field limit, a stray NUL) is an error naming its row and file line."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    out: list[tuple[int, list[str]]] = []
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return out
        except csv.Error as exc:
            raise ShopInputError(msg("{file}: row {row} (line {line}): {error}", file=file,
                                      row=len(out) + 1, line=line, error=str(exc))) from None
        out.append((len(out) + 1, record))


def read_table(path: str | Path, columns: Sequence[Column], kind: str) -> Table:
    """Read ``path`` as CSV (comma or tab separated) and map its headers to ``columns``."""
    file = str(path)
    data = read_regular_file(Path(path), f"{kind} file", MAX_CSV_BYTES)
    text, encoding = decode_bytes(data, file)
    if not text.strip():
        raise ShopInputError(msg("{file}: the {kind} file is empty", file=file, kind=term(kind)))
    first = text.lstrip("\ufeff").partition("\n")[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    records = _records(file, text, delimiter)
    header_row, header = records[0]
    index: dict[str, int] = {}
    for pos, raw in enumerate(header):
        key = _norm_header(raw)
        for col in columns:
            if key in {_norm_header(a) for a in col.aliases}:
                if col.name in index:
                    raise ShopInputError(msg(
                        "{file}: row {row}: columns {first!r} and {second!r} both give"
                        " {column}; keep one", file=file, row=header_row,
                        first=header[index[col.name]], second=raw, column=col.name))
                index[col.name] = pos
    for col in columns:
        if col.required and col.name not in index:
            raise ShopInputError(msg(
                "{file}: row {row}: missing column '{column}' (accepted headers: {accepted});"
                " found: {found}", file=file, row=header_row, column=col.name,
                accepted=", ".join(col.aliases), found=", ".join(header) or msg("nothing")))
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[RowProblem] = []
    for row_no, cells in records[1:]:
        if not any(c.strip() for c in cells):
            continue
        swallowed = _swallowed_lines(cells, delimiter, len(header))
        if swallowed:
            problems.append(RowProblem(
                row_no, None, nmsg("a quote opened in this row is never closed: {n} following"
                                   " line was read into one cell and is not counted",
                                   "a quote opened in this row is never closed: {n} following"
                                   " lines were read into one cell and are not counted",
                                   n=swallowed)))
            continue
        if len(cells) > len(header):
            problems.append(
                RowProblem(row_no, None, msg("has {n} fields but the header has {width}",
                                             n=len(cells), width=len(header)))
            )
            continue
        rows.append(
            (row_no, {n: cells[p].strip() if p < len(cells) else "" for n, p in index.items()})
        )
    if not rows and not problems:
        raise ShopInputError(msg("{file}: the {kind} file has a header but no data rows",
                                 file=file, kind=term(kind)))
    return Table(file, encoding, frozenset(index), tuple(rows), tuple(problems))


def _swallowed_lines(cells: Sequence[str], delimiter: str, width: int) -> int:
    """How many lines that look like whole rows sit inside one cell of this record (the
    sign of an unclosed quote), or 0."""
    if width < 2:
        return 0
    return max((sum(line.count(delimiter) >= width - 1 for line in c.split("\n")[1:])
                for c in cells if "\n" in c), default=0)


def _collect(
    table: Table, kind: str, build: Callable[[int, dict[str, str]], T]
) -> tuple[tuple[T, ...], InputSummary]:
    """Build one record per row; a row whose builder raises ``_RowError`` becomes a problem."""
    records: list[T] = []
    problems = list(table.problems)
    for row_no, cells in table.rows:
        try:
            records.append(build(row_no, cells))
        except _RowError as exc:
            problems.append(RowProblem(row_no, exc.column, exc.reason))
    problems.sort(key=lambda p: p.row)
    summary = InputSummary(
        kind, table.file, table.encoding, len(table.rows) + len(table.problems), tuple(problems)
    )
    if not records:
        shown = join([p.message for p in problems[:3]], "; ")
        raise ShopInputError(msg("{file}: no usable {kind} rows ({rows})", file=table.file,
                                 kind=term(kind), rows=shown))
    return tuple(records), summary


class _RowError(Exception):
    def __init__(self, column: str | None, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


def _cell(cells: Mapping[str, str], name: str, required: bool = True) -> str:
    value = cells.get(name, "")
    if required and not value:
        raise _RowError(name, msg("empty"))
    return value


_EXCEL_NUMBER = re.compile(r"\d(?:\.\d+)?E\+\d+", re.IGNORECASE)


def _id_cell(cells: Mapping[str, str], name: str, required: bool = True) -> str:
    """An order or tracking number, without the ``'`` or tab Excel exports put before it."""
    value = _cell(cells, name, required).lstrip("'\t").strip()
    if _EXCEL_NUMBER.fullmatch(value):
        raise _RowError(name, msg("{value!r} is a number Excel shortened; export the column as"
                                   " text", value=value))
    return value


def _time_cell(cells: Mapping[str, str], name: str, required: bool = True) -> datetime | None:
    value = _cell(cells, name, required)
    if not value:
        return None
    try:
        return parse_time(value)
    except ValueError as exc:
        raise _RowError(name, reason(exc)) from None


_SENDERS: dict[str, str] = {
    **dict.fromkeys(
        ("buyer", "customer", "user", "client", "买家", "用户", "顾客", "客户"), "buyer"
    ),
    **dict.fromkeys(
        (
            "agent",
            "staff",
            "seller",
            "human",
            "service",
            "客服",
            "人工",
            "人工客服",
            "商家",
            "卖家",
        ),
        "agent",
    ),
    **dict.fromkeys(
        (
            "auto",
            "bot",
            "robot",
            "system",
            "auto-reply",
            "机器人",
            "自动回复",
            "系统",
            "机器人客服",
        ),
        "auto",
    ),
}


def read_chats(
    path: str | Path, auto_reply_markers: Sequence[str] = defaults.AUTO_REPLY_MARKERS
) -> tuple[tuple[ChatMessage, ...], InputSummary]:
    """Read a customer-service chat log: one row per message (user, time, sender[, text, auto]).

    A message is an auto-reply when its sender is a bot, its ``auto`` cell says yes, or its
    text starts with one of ``auto_reply_markers``.
    """
    table = read_table(path, CHAT_COLUMNS, "chats")

    def build(row: int, cells: dict[str, str]) -> ChatMessage:
        user = _cell(cells, "user")
        time = _time_cell(cells, "time")
        assert time is not None
        raw_sender = _cell(cells, "sender")
        sender = _SENDERS.get(raw_sender.strip().lower())
        if sender is None:
            raise _RowError(
                "sender",
                msg("unknown sender {sender!r}; expected buyer/买家, agent/客服 or bot/机器人",
                    sender=raw_sender),
            )
        text = cells.get("text", "")
        if sender == "agent":
            auto_cell = cells.get("auto", "")
            try:
                is_auto = bool(auto_cell) and parse_bool(auto_cell)
            except ValueError as exc:
                raise _RowError("auto", reason(exc)) from None
            if is_auto or text.lstrip().startswith(tuple(auto_reply_markers)):
                sender = "auto"
        return ChatMessage(user, time, sender, text, row)

    return _collect(table, "chats", build)


def read_orders(path: str | Path) -> tuple[tuple[Order, ...], InputSummary]:
    """Read an order export: order id, deadline, upload time and number, province or address."""
    table = read_table(path, ORDER_COLUMNS, "orders")
    if not table.columns & {"province", "address"}:
        raise ShopInputError(msg(
            "{file}: row 1: missing column 'province' or 'address' (accepted headers:"
            " province, 省份, 收货省份, address, 收货地址)", file=table.file))

    first_row: dict[str, int] = {}

    def build(row: int, cells: dict[str, str]) -> Order:
        order_id = _id_cell(cells, "order_id")
        if first_row.setdefault(order_id, row) != row:
            raise _RowError("order_id", msg("order {order} already on row {row}", order=order_id,
                                            row=first_row[order_id]))
        place = cells.get("province", "") or cells.get("address", "")
        province = find_province(place) if place else None
        if place and province is None:
            column = "province" if cells.get("province") else "address"
            raise _RowError(column, msg("no Chinese province recognised in {place!r}", place=place))
        number = _id_cell(cells, "tracking_no", required=False)
        shipped_at = _time_cell(cells, "shipped_at", required=False)
        if bool(number) != bool(shipped_at):
            column, other = (
                ("shipped_at", "tracking_no") if number else ("tracking_no", "shipped_at")
            )
            raise _RowError(column, msg("empty while {other} is given; give both or neither",
                                        other=other))
        return Order(
            order_id=order_id,
            province=province,
            address=cells.get("address", "") or cells.get("province", ""),
            paid_at=_time_cell(cells, "paid_at", required=False),
            ship_deadline=_time_cell(cells, "ship_deadline"),
            shipped_at=shipped_at,
            tracking_no=number,
            row=row,
        )

    return _collect(table, "orders", build)


def read_tracking(path: str | Path) -> tuple[tuple[TrackingEvent, ...], InputSummary]:
    """Read a tracking-event export: one row per carrier event (number, time, description)."""
    table = read_table(path, TRACKING_COLUMNS, "tracking")

    def build(row: int, cells: dict[str, str]) -> TrackingEvent:
        number = _id_cell(cells, "tracking_no")
        time = _time_cell(cells, "time")
        assert time is not None
        return TrackingEvent(
            number, time, _cell(cells, "description"), cells.get("location", ""), row
        )

    return _collect(table, "tracking", build)


# ---------------------------------------------------------------------------- profile

_SHOP_TYPES = {
    **dict.fromkeys(("enterprise", "company", "企业", "企业店", "公司"), "enterprise"),
    **dict.fromkeys(
        ("individual", "individual_business", "个体工商户", "个体", "个体店"), "individual"
    ),
    **dict.fromkeys(("personal", "个人", "个人店"), "personal"),
}
_STORE_TYPES = {
    **dict.fromkeys(("flagship", "旗舰店"), "flagship"),
    **dict.fromkeys(("specialty", "专卖店"), "specialty"),
    **dict.fromkeys(("franchise", "专营店"), "franchise"),
    **dict.fromkeys(("ordinary", "enterprise", "普通店", "企业店", "普通企业店"), "ordinary"),
    **dict.fromkeys(("individual", "personal", "个人店", "个体店"), "individual"),
}
_VIOLATION_KINDS = {
    **dict.fromkeys(("counterfeit", "售假", "假货", "出售假冒商品"), "counterfeit"),
    **dict.fromkeys(("quality", "质量问题", "商品质量"), "quality"),
    **dict.fromkeys(("other", "其他"), "other"),
}
_TRADEMARK_KINDS = {
    **dict.fromkeys(("registration", "certificate", "注册证", "商标注册证"), "registration"),
    **dict.fromkeys(("application", "acceptance", "受理通知书", "商标受理通知书"), "application"),
}
_PERMANENT = {"长期", "永久", "permanent", "none", "never"}


class _Section:
    """One table of the profile: typed getters that name file and key on error."""

    def __init__(self, file: str, prefix: str, data: object, known: Sequence[str]) -> None:
        if not isinstance(data, Mapping):
            raise ShopInputError(msg("{file}: {key} must be a table, got {value}", file=file,
                                     key=prefix, value=_short(data)))
        odd = [k for k in data if not isinstance(k, str)]
        if odd:
            raise ShopInputError(msg("{file}: {key}: key {value} is not text", file=file,
                                     key=prefix, value=_short(odd[0])))
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ShopInputError(msg("{file}: unknown key {key}; known keys: {known}", file=file,
                                     key=f"{prefix}.{unknown[0]}", known=", ".join(known)))
        self.file, self.prefix, self.data = file, prefix, data

    def error(self, key: str, why: str) -> ShopInputError:
        return ShopInputError(msg("{file}: {key}: {reason}", file=self.file,
                                  key=f"{self.prefix}.{key}", reason=why))

    def get(self, key: str, convert: Callable[[Any], T]) -> T | None:
        if key not in self.data or self.data[key] is None:
            return None
        try:
            return convert(self.data[key])
        except ValueError as exc:
            raise self.error(key, reason(exc)) from None

    def texts(self, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        """A list of text, or ``default`` when the key is absent (an empty list stays empty)."""
        value = self.get(key, _texts)
        return default if value is None else value

    def choice(self, key: str, table: Mapping[str, str]) -> str | None:
        value = self.get(key, _text)
        if value is None:
            return None
        if value.lower() not in table:
            raise self.error(key, msg("unknown value {value!r}; expected one of {choices}",
                                      value=value, choices=", ".join(table)))
        return table[value.lower()]


class _BoundedLoader(yaml.SafeLoader):
    """YAML's safe loader with at most :data:`MAX_YAML_ALIASES` aliases, so a small file
    cannot expand into a huge one ("billion laughs")."""

    aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_YAML_ALIASES:
                raise yaml.YAMLError(f"more than {MAX_YAML_ALIASES} aliases (&/*); refused")
        return super().compose_node(parent, index)


def read_regular_file(path: Path, kind: str, limit: int) -> bytes:
    """The bytes of ``path``, which must be a regular file (a pipe would block) of at most
    ``limit`` bytes."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ShopInputError(msg("{file}: the {kind} is not a regular file (a pipe, device"
                                     " or folder); not read", file=str(path), kind=term(kind)))
        if info.st_size > limit:
            raise ShopInputError(msg("{file}: the {kind} is {size:,} bytes; the limit is"
                                     " {limit:,}", file=str(path), kind=term(kind),
                                     size=info.st_size, limit=limit))
        return path.read_bytes()
    except OSError as exc:
        raise ShopInputError(msg("{file}: cannot read {kind}: {error}", file=str(path),
                                 kind=term(kind), error=exc.strerror or str(exc))) from None


def load_profile_data(path: Path) -> Mapping[str, Any]:
    """The raw mapping of a TOML (``.toml``), YAML (``.yaml``/``.yml``) or JSON profile."""
    file = str(path)
    raw = read_regular_file(path, "shop profile", MAX_PROFILE_BYTES)
    text, _ = decode_bytes(raw, file)
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            data: object = tomllib.loads(text.lstrip("\ufeff"))
        elif suffix in (".yaml", ".yml"):
            data = yaml.load(text, Loader=_BoundedLoader)  # noqa: S506 (a safe loader)
        elif suffix == ".json":
            data = json.loads(text)
        else:
            raise ShopInputError(msg("{file}: shop profile must end in .toml, .yaml, .yml or"
                                     " .json", file=file))
    except (tomllib.TOMLDecodeError, yaml.YAMLError, json.JSONDecodeError) as exc:
        raise ShopInputError(msg("{file}: not valid {format}: {error}", file=file,
                                 format=suffix[1:].upper(), error=str(exc))) from None
    except RecursionError:
        raise ShopInputError(msg("{file}: the shop profile is nested too deeply",
                                 file=file)) from None
    if not isinstance(data, Mapping) or not data:
        raise ShopInputError(msg("{file}: the shop profile is empty or not a table of settings",
                                 file=file))
    return data


def _violations(section: _Section, key: str) -> tuple[Violation, ...] | None:
    items = section.data.get(key)
    if items is None:
        return None
    if not isinstance(items, list):
        raise section.error(key, msg("must be a list of violation tables ([] if none)"))
    known = ("date", "kind", "points", "serious", "confirmed", "account", "description")
    out = []
    for i, item in enumerate(items):
        v = _Section(section.file, f"{section.prefix}.{key}[{i}]", item, known)
        when = v.get("date", parse_date)
        if when is None:
            raise v.error("date", msg("missing"))
        kind = v.choice("kind", _VIOLATION_KINDS) or "other"
        out.append(
            Violation(
                date=when,
                kind=kind,
                points=v.get("points", _ranged(0, 1e6)),
                serious=bool(v.get("serious", parse_bool)) or kind in ("counterfeit", "quality"),
                confirmed=v.get("confirmed", parse_bool) is not False,
                account=v.get("account", _text) or "",
                description=v.get("description", _text) or "",
            )
        )
    return tuple(out)


def _kuaishou(file: str, data: object) -> KuaishouInfo:
    known = (
        "application_date",
        "status",
        "live_cart",
        "profile_entrance",
        "shop_type",
        "main_category",
        "star_rating",
        "return_rate",
        "category_return_rate",
        "negative_review_rate",
        "market_negative_review_rate",
        "violations",
        "entity_violations",
        "individual_categories",
    )
    s = _Section(file, "kuaishou", data, known)
    return KuaishouInfo(
        status=s.get("status", _text),
        live_cart=s.get("live_cart", parse_bool),
        profile_entrance=s.get("profile_entrance", parse_bool),
        shop_type=s.choice("shop_type", _SHOP_TYPES),
        main_category=s.get("main_category", _text),
        star_rating=s.get("star_rating", _ranged(0, 5)),
        return_rate=s.get("return_rate", parse_rate),
        category_return_rate=s.get("category_return_rate", parse_rate),
        negative_review_rate=s.get("negative_review_rate", parse_rate),
        market_negative_review_rate=s.get("market_negative_review_rate", parse_rate),
        violations=_violations(s, "violations"),
        entity_violations=_violations(s, "entity_violations"),
        individual_categories=s.texts("individual_categories", defaults.INDIVIDUAL_CATEGORIES),
        application_date=s.get("application_date", parse_date),
    )


def _document(file: str, base: Path, key: str, data: object) -> Document:
    d = _Section(file, f"pdd.documents.{key}", data, ("file", "kind", "expires"))
    listed = d.get("file", _text)
    expires_raw = d.data.get("expires")
    permanent = isinstance(expires_raw, str) and expires_raw.strip().lower() in _PERMANENT
    return Document(
        key=key,
        file=listed,
        path=(base / listed) if listed else None,
        kind=d.choice("kind", _TRADEMARK_KINDS),
        expires=None if permanent else d.get("expires", parse_date),
        permanent=permanent,
    )


def _pdd(file: str, base: Path, data: object) -> PddInfo:
    known = (
        "store_type",
        "deposit_yuan",
        "documents",
        "required_documents",
        "regions",
        "auto_reply_markers",
        "departure_keywords",
        "hub_keywords",
        "delivery_keywords",
    )
    s = _Section(file, "pdd", data, known)
    docs = _Section(file, "pdd.documents", s.data.get("documents") or {}, tuple(defaults.DOCUMENTS))
    required = s.get("required_documents", _texts)
    for name in required or ():
        if name not in defaults.DOCUMENTS:
            raise s.error(
                "required_documents",
                msg("unknown document {name!r}; known: {known}", name=name,
                    known=", ".join(defaults.DOCUMENTS)),
            )
    store_type = s.choice("store_type", _STORE_TYPES)
    default_required = () if store_type == "individual" else tuple(defaults.DOCUMENTS)
    regions = dict(defaults.DEFAULT_REGIONS)
    overrides = _Section(file, "pdd.regions", s.data.get("regions") or {}, defaults.PROVINCES)
    for province, cls in overrides.data.items():
        if cls not in defaults.REGION_CLASSES:
            raise overrides.error(
                province,
                msg("unknown region class {name!r}; expected {known}", name=cls,
                    known=", ".join(defaults.REGION_CLASSES)),
            )
        regions[province] = cls
    return PddInfo(
        store_type=store_type,
        documents={k: _document(file, base, k, v) for k, v in docs.data.items()},
        required_documents=required if required is not None else default_required,
        deposit_yuan=s.get("deposit_yuan", _ranged(0, 1e9)),
        regions=regions,
        auto_reply_markers=s.texts("auto_reply_markers", defaults.AUTO_REPLY_MARKERS),
        departure_keywords=s.texts("departure_keywords", defaults.DEPARTURE_KEYWORDS),
        hub_keywords=s.texts("hub_keywords", defaults.HUB_KEYWORDS),
        delivery_keywords=s.texts("delivery_keywords", defaults.DELIVERY_KEYWORDS),
    )


def read_profile(path: str | Path) -> ShopProfile:
    """Read a shop profile (TOML, YAML or JSON) with ``[shop]``, ``[kuaishou]`` and ``[pdd]``."""
    p = Path(path)
    file = str(p)
    data = load_profile_data(p)
    top = _Section(file, "profile", data, ("shop", "kuaishou", "pdd"))
    shop = _Section(file, "shop", top.data.get("shop") or {}, ("name",))
    kuaishou = _kuaishou(file, data["kuaishou"]) if "kuaishou" in data else None
    pdd = _pdd(file, p.parent, data["pdd"]) if "pdd" in data else None
    return ShopProfile(
        path=p,
        name=shop.get("name", _text) or p.stem,
        kuaishou=kuaishou,
        pdd=pdd,
        pdd_settings=pdd or _pdd(file, p.parent, {}),
    )
