"""Readers of the shop's CSV exports (chats, orders, tracking events).

CSV files may be UTF-8, UTF-8 with BOM, UTF-16 with BOM, GBK or GB18030; columns may be
named in Chinese or English (see the alias tables). Naive times are China time. A problem
that makes a whole file unusable raises :class:`ShopInputError` naming file, row and column;
a row that cannot be used is kept as a :class:`RowProblem` and reported, never dropped.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import stat
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from imagecheck.i18n import join, msg, nmsg, reason, term
from imagecheck.shop import defaults
from imagecheck.shop.model import (
    ChatMessage,
    InputSummary,
    Order,
    RowProblem,
    ShopInputError,
    TrackingEvent,
)
from imagecheck.shop.values import find_province, parse_bool, parse_time

T = TypeVar("T")

#: Largest CSV export read, in bytes.
MAX_CSV_BYTES = 1 << 30


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
