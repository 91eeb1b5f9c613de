"""Parsers of the values in shop inputs: times, dates, booleans, rates, numbers, text.

Naive times are China time. A value that cannot be parsed raises ``ValueError`` with a
message saying what was expected; the readers add the file, row and column.
"""

from __future__ import annotations

import re
import reprlib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import TypeVar

from imagecheck.i18n import msg
from imagecheck.shop import defaults
from imagecheck.shop.defaults import CHINA_TZ

D = TypeVar("D", bound=date)

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
        raise ValueError(msg("expected a number, got {value}", value=short_repr(value)))
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(msg("expected a number, got {value}", value=repr(value)))
    return float(value)


def ranged(low: float, high: float) -> Callable[[object], float]:
    """A number parser that also refuses values outside ``low..high``."""

    def parse(value: object) -> float:
        number = _number(value)
        if not low <= number <= high:
            raise ValueError(msg("{value} is outside {low:g}..{high:g}", value=repr(value),
                                  low=low, high=high))
        return number

    return parse


def short_repr(value: object) -> str:
    """``repr(value)`` cut to a readable length (a value may be huge or deeply nested)."""
    short = reprlib.Repr()
    short.maxlevel, short.maxstring, short.maxother = 2, 60, 60
    return short.repr(value)


def parse_text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(msg("expected non-empty text, got {value}", value=short_repr(value)))
    return value.strip()


def parse_texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError(msg("expected a list of text, got {value}", value=short_repr(value)))
    return tuple(parse_text(v) for v in value)


def find_province(text: str) -> str | None:
    """The province named earliest in ``text`` (an address or place), by its short name."""
    found = [(text.find(p), p) for p in defaults.PROVINCES if p in text]
    return min(found)[1] if found else None
