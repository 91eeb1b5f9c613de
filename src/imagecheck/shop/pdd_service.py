"""Pinduoduo customer-service effective reply rate (有效回复率), from a chat-log CSV.

Consulting users of a day: users who sent the shop a message from 08:00 (inclusive) to
23:00 (exclusive) China time that day. A consulting user is effectively replied when a
person (not an auto-reply or bot) answers within ``reply_minutes`` of the user's first
message in that window (the answer itself may come after 23:00). Rate = effectively
replied users / consulting users x 100, per day and over all the days of the log
(user-days summed).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from imagecheck.findings import Hit, Severity
from imagecheck.i18n import msg
from imagecheck.rules.registry import Param, shop_rule
from imagecheck.shop.defaults import CHINA_TZ

if TYPE_CHECKING:  # the records: a run that checks no shop never imports them
    from imagecheck.shop.model import ChatMessage, ShopData

WINDOW_START = time(8, 0)
WINDOW_END = time(23, 0)

#: Shared settings: PDD201..PDD203 use one definition of an effective reply and PDD201/PDD202
#: one pass mark; ``check_shop`` applies an override given for one rule to all that share it.
REPLY_MINUTES = Param(3, 0.5, 1440, "minutes within which a human reply counts as effective")
MIN_RATE = Param(80, 0, 100, "lowest passing effective reply rate, percent")


@dataclass(frozen=True)
class UserDay:
    """One consulting user on one day, and whether they got an effective reply."""

    user: str
    day: date
    asked: datetime
    replied: datetime | None
    effective: bool


@dataclass(frozen=True)
class DayRate:
    """The effective reply rate of one day."""

    day: date
    consulting: int
    effective: int
    unreplied: tuple[str, ...]

    @property
    def rate(self) -> float:
        """Effectively replied users / consulting users, percent."""
        return 100.0 * self.effective / self.consulting


def in_window(moment: datetime) -> bool:
    """Whether ``moment`` falls in 08:00 <= t < 23:00 China time."""
    local = moment.astimezone(CHINA_TZ).time()
    return WINDOW_START <= local < WINDOW_END


def user_days(chats: Sequence[ChatMessage], reply_minutes: float) -> list[UserDay]:
    """Every consulting user-day of the log, sorted by day and user."""
    by_user: dict[str, list[ChatMessage]] = defaultdict(list)
    for message in chats:
        by_user[message.user].append(message)
    limit = timedelta(minutes=reply_minutes)
    out = []
    for user, messages in by_user.items():
        messages.sort(key=lambda m: m.time)
        first_asked: dict[date, datetime] = {}
        for m in messages:
            if m.sender == "buyer" and in_window(m.time):
                first_asked.setdefault(m.time.astimezone(CHINA_TZ).date(), m.time)
        replies = [m.time for m in messages if m.sender == "agent"]  # sorted, as messages are
        for day, asked in first_asked.items():
            i = bisect_left(replies, asked)
            reply = replies[i] if i < len(replies) else None
            effective = reply is not None and reply - asked <= limit
            out.append(UserDay(user, day, asked, reply, effective))
    return sorted(out, key=lambda u: (u.day, u.user))


def day_rates(days: Sequence[UserDay]) -> list[DayRate]:
    """The rate of each day that had consulting users, in date order."""
    grouped: dict[date, list[UserDay]] = defaultdict(list)
    for u in days:
        grouped[u.day].append(u)
    return [
        DayRate(
            day,
            len(us),
            sum(u.effective for u in us),
            tuple(u.user for u in us if not u.effective),
        )
        for day, us in sorted(grouped.items())
    ]


def _below(effective: int, consulting: int, min_rate: float) -> bool:
    """``effective / consulting < min_rate %``, exactly (no float rounding at the threshold)."""
    return effective * 100 < min_rate * consulting


def _user_days(shop: ShopData, reply_minutes: float) -> list[UserDay]:
    """:func:`user_days` of the shop's chat log, computed once per reply time."""
    if shop.chats is None:
        raise ValueError("no chat log given")
    key = ("user_days", reply_minutes)
    if key not in shop.memo:
        shop.memo[key] = user_days(shop.chats, reply_minutes)
    result: list[UserDay] = shop.memo[key]
    return result


@shop_rule("PDD200", "pdd-service-input", "shop", Severity.WARNING)
def service_input(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Pinduoduo service check: chat-log rows that could not be used, or no log to check.

    Not a platform rule: it reports what the reply-rate check (PDD201..PDD203) could not
    judge, so nothing is dropped silently: unusable rows (warning, with file, row, column
    and reason), no chat log given (info), no consulting user in 08:00-23:00 (warning).
    Fix: correct the rows named, or export the chat log (客服数据 > 聊天记录).
    """
    if shop.chats is None:
        yield Hit(
            msg("effective reply rate not checked: no chat log given (--chats)"),
            severity=Severity.INFO,
            target="chats",
        )
        return
    summary = shop.inputs.get("chats")
    if summary and summary.unusable:
        yield summary.unusable_hit("chat", msg("were left out of the rate"))
    if not any(m.sender == "buyer" and in_window(m.time) for m in shop.chats):
        yield Hit(
            msg("no buyer message between 08:00 and 23:00 China time: no reply rate to judge"),
            value=0,
            target=summary.file if summary else "chats",
        )


_REPLY = {"reply_minutes": REPLY_MINUTES}


@shop_rule(
    "PDD201",
    "pdd-reply-rate-day",
    "shop",
    Severity.ERROR,
    params={"min_rate": MIN_RATE, **_REPLY},
)
def failing_day(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Pinduoduo: a day whose customer-service effective reply rate is below the threshold.

    Pinduoduo rates customer service by the effective reply rate (有效回复率): effectively
    replied users / users who consulted between 08:00 and 23:00, per day. Default: a human
    reply within 3 minutes counts, 80% passes (assumed; set per your back-end's target).
    Fix: staff the chat in those hours; auto-replies do not count.
    """
    need = p["min_rate"]
    for d in day_rates(_user_days(shop, p["reply_minutes"])):
        if _below(d.effective, d.consulting, need):
            yield Hit(
                msg("effective reply rate {rate:.1f}% ({effective} of {consulting} consulting"
                    " users) is below {need:g}%", rate=d.rate, effective=d.effective,
                    consulting=d.consulting, need=need),
                value=round(d.rate, 2),
                threshold=need,
                target=d.day.isoformat(),
                details={
                    "consulting": d.consulting,
                    "effective": d.effective,
                    "unreplied": list(d.unreplied),
                },
            )


@shop_rule(
    "PDD202",
    "pdd-reply-rate-period",
    "shop",
    Severity.ERROR,
    params={"min_rate": MIN_RATE, **_REPLY},
)
def period_rate(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Pinduoduo: the effective reply rate over the whole chat log, against the threshold.

    The period rate sums consulting user-days and effectively replied user-days over every
    day of the log. Error below the threshold; info (the measured rate) otherwise.
    Fix: as PDD201, on the days it lists.
    """
    days = day_rates(_user_days(shop, p["reply_minutes"]))
    if not days:
        return
    consulting = sum(d.consulting for d in days)
    effective = sum(d.effective for d in days)
    rate, need = 100.0 * effective / consulting, p["min_rate"]
    below = _below(effective, consulting, need)
    span = f"{days[0].day} to {days[-1].day}"
    figures = {"rate": rate, "effective": effective, "consulting": consulting, "need": need}
    yield Hit(
        (msg("effective reply rate {rate:.1f}% ({effective} of {consulting} consulting"
             " user-days) is below {need:g}%", **figures) if below
         else msg("effective reply rate {rate:.1f}% ({effective} of {consulting} consulting"
                  " user-days) is at or above {need:g}%", **figures)),
        value=round(rate, 2),
        threshold=need,
        severity=None if below else Severity.INFO,
        target=span,
        details={
            "days": len(days),
            "failing_days": [
                d.day.isoformat() for d in days if _below(d.effective, d.consulting, need)
            ],
        },
    )


@shop_rule("PDD203", "pdd-unreplied-user", "shop", Severity.WARNING, params=_REPLY)
def unreplied_user(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Pinduoduo: a consulting user left without an effective reply that day.

    Lists each user who consulted between 08:00 and 23:00 and got no human reply within
    the time (default 3 minutes), with when they asked and when (if ever) a person
    answered. Fix: answer them; review why the chat was not staffed then.
    """
    minutes = p["reply_minutes"]
    for u in _user_days(shop, minutes):
        if u.effective:
            continue
        asked = u.asked.astimezone(CHINA_TZ)
        if u.replied is None:
            got = msg("no human reply")
        else:
            wait = (u.replied - u.asked).total_seconds() / 60
            got = msg("first human reply after {wait:.1f} min", wait=wait)
        yield Hit(
            msg("asked at {asked} and got {got} (limit {minutes:g} min)",
                asked=asked.strftime("%Y-%m-%d %H:%M"), got=got, minutes=minutes),
            value=(None if u.replied is None
                   else round((u.replied - u.asked).total_seconds() / 60, 2)),
            threshold=minutes,
            target=f"{u.user} {u.day}",
            details={
                "user": u.user,
                "asked": asked.isoformat(),
                "replied": u.replied.astimezone(CHINA_TZ).isoformat() if u.replied else None,
            },
        )
