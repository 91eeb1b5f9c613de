"""Pinduoduo late shipment (PDD301) and fake-shipment signals 2.1-2.5 (PDD311..PDD315).

Inputs: an order export and a tracking-event export (readers.py). Every finding names the
order and carries the times and events that made it fire. ``now`` (China time) decides
whether a missing event is already overdue.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from imagecheck.findings import Hit, Severity, Value
from imagecheck.i18n import msg, nmsg, term
from imagecheck.rules.registry import Param, shop_rule
from imagecheck.shop.defaults import CHINA_TZ
from imagecheck.shop.values import find_province

if TYPE_CHECKING:  # the records: a run that checks no shop never imports them
    from imagecheck.shop.model import Order, ShopData, TrackingEvent


def _t(moment: datetime) -> str:
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")


def _hours(delta: timedelta) -> float:
    return round(delta.total_seconds() / 3600, 2)


def _event(e: TrackingEvent) -> dict[str, object]:
    return {"time": _t(e.time), "description": e.description, "location": e.location, "row": e.row}


def _orders(shop: ShopData) -> Sequence[Order]:
    if shop.orders is None:
        raise ValueError("no order export given")
    return shop.orders


def routes(shop: ShopData) -> dict[str, list[TrackingEvent]]:
    """Each tracking number's events, oldest first."""
    out: dict[str, list[TrackingEvent]] = defaultdict(list)
    for e in shop.tracking or ():
        out[e.tracking_no].append(e)
    for events in out.values():
        events.sort(key=lambda e: e.time)
    return out


def _shipped(shop: ShopData) -> Iterator[tuple[Order, datetime, list[TrackingEvent]]]:
    """Orders with an uploaded number, with the upload time and the number's events."""
    if shop.tracking is None:
        raise ValueError("no tracking export given")
    by_number = routes(shop)
    for order in _orders(shop):
        if order.tracking_no and order.shipped_at is not None:
            yield order, order.shipped_at, by_number.get(order.tracking_no, [])


def _order_hit(
    order: Order, message: str, value: Value, threshold: Value, **details: object
) -> Hit:
    return Hit(
        message,
        value=value,
        threshold=threshold,
        target=order.order_id,
        details={"tracking_no": order.tracking_no, "order_row": order.row, **details},
    )


@shop_rule("PDD300", "pdd-shipping-input", "shop", Severity.WARNING)
def shipping_input(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Pinduoduo shipping checks: rows that could not be used, or exports not given.

    Not a platform rule: it reports what the late-shipment and fake-shipment checks
    (PDD301, PDD311..PDD315) could not judge, so nothing is dropped silently: unusable order
    or tracking rows (warning, with file, row, column and reason), orders without a province
    (warning), missing exports and tracking numbers on no order (info).
    Fix: correct the rows named, or export orders and tracking events (--orders, --tracking).
    """
    if shop.orders is None:
        yield Hit(
            msg("late and fake shipment not checked: no order export given (--orders,"
                " --tracking)"),
            severity=Severity.INFO,
            target="orders",
        )
        return
    if shop.tracking is None:
        yield Hit(
            msg("fake-shipment signals (PDD311..PDD315) not checked: no tracking export"
                " (--tracking)"),
            severity=Severity.INFO,
            target="tracking",
        )
    for kind in ("orders", "tracking"):
        summary = shop.inputs.get(kind)
        if summary is None or not summary.unusable:
            continue
        yield summary.unusable_hit(kind, msg("were not checked"))
    if shop.tracking is not None:
        numbers = {o.tracking_no for o in shop.orders}
        strays = sorted({e.tracking_no for e in shop.tracking} - numbers)
        if strays:
            yield Hit(
                nmsg("{n} tracking number in the tracking export is on no order: {numbers}",
                     "{n} tracking numbers in the tracking export are on no order: {numbers}",
                     n=len(strays), numbers=", ".join(strays[:10])),
                value=len(strays),
                severity=Severity.INFO,
                target="tracking",
                details={"tracking_numbers": strays},
            )
    unplaced = [o.order_id for o in shop.orders if o.province is None]
    if unplaced and shop.tracking is not None:
        yield Hit(
            nmsg("{n} order without province or address: signals 2.3 and 2.5 not judged"
                 " for {orders}", "{n} orders without province or address: signals 2.3 and 2.5"
                 " not judged for {orders}", n=len(unplaced), orders=", ".join(unplaced[:10])),
            value=len(unplaced),
            threshold=0,
            target="orders",
            details={"orders": unplaced},
        )


@shop_rule(
    "PDD301",
    "pdd-late-shipment",
    "shop",
    Severity.ERROR,
    params={"yuan_per_order": Param(3, 0, 1000, "yuan deducted per late order")},
)
def late_shipment(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Pinduoduo: an order without a real tracking number uploaded before its shipping deadline.

    Pinduoduo's late-shipment rule (延迟发货): for each late order the platform deducts
    3 yuan from the deposit or balance and gives it to the buyer as a coupon. One finding per
    late order, then one for the total (target ``total``). An order whose deadline has not
    passed and has no number yet is not late. Fix: upload real numbers before the deadline;
    set realistic promised shipping times.
    """
    fine, late = p["yuan_per_order"], []
    for order in _orders(shop):
        deadline = order.ship_deadline
        if deadline is None:
            continue
        if order.shipped_at is None:
            if shop.now <= deadline:
                continue
            text = msg("no tracking number uploaded by the deadline {deadline}",
                       deadline=_t(deadline))
            over = shop.now - deadline
        elif order.shipped_at > deadline:
            over = order.shipped_at - deadline
            text = msg("number uploaded {uploaded}, after the deadline {deadline}",
                       uploaded=_t(order.shipped_at), deadline=_t(deadline))
        else:
            continue
        late.append(order)
        yield _order_hit(
            order, msg("{text} ({hours} h late): {fine:g} yuan deducted", text=text,
                       hours=_hours(over), fine=fine), _hours(over), 0,
            deadline=_t(deadline), fine_yuan=fine,
        )  # fmt: skip
    if late:
        total = fine * len(late)
        yield Hit(
            nmsg("{n} late order: {total:g} yuan deducted from the deposit or balance and"
                 " given to buyers as coupons", "{n} late orders: {total:g} yuan deducted from"
                 " the deposit or balance and given to buyers as coupons", n=len(late),
                 total=total),
            value=total,
            threshold=0,
            target="total",
            details={"orders": [o.order_id for o in late], "fine_yuan": fine},
        )


@shop_rule(
    "PDD311",
    "pdd-no-tracking-info",
    "shop",
    Severity.ERROR,
    params={"hours": Param(24, 1, 720, "hours after upload by which tracking info must appear")},
)
def no_tracking_info(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Pinduoduo fake shipment 2.1: no tracking information within 24 h of uploading the number.

    Pinduoduo counts an uploaded number with no carrier information 24 hours later as a sign
    of fake shipment (虚假发货). Fix: hand parcels to the carrier before uploading numbers.
    """
    limit = timedelta(hours=p["hours"])
    for order, uploaded, events in _shipped(shop):
        if events:
            wait = events[0].time - uploaded
            if wait > limit:
                yield _order_hit(
                    order,
                    msg("first tracking info {first}, {hours} h after the number was uploaded"
                        " {uploaded}", first=_t(events[0].time), hours=_hours(wait),
                        uploaded=_t(uploaded)),
                    _hours(wait), p["hours"], uploaded=_t(uploaded), first=_event(events[0]),
                )  # fmt: skip
        elif shop.now - uploaded > limit:
            wait = shop.now - uploaded
            yield _order_hit(
                order,
                msg("no tracking info {hours} h after the number was uploaded {uploaded}",
                    hours=_hours(wait), uploaded=_t(uploaded)),
                _hours(wait), p["hours"], uploaded=_t(uploaded),
            )  # fmt: skip


@shop_rule(
    "PDD312",
    "pdd-no-tracking-update",
    "shop",
    Severity.ERROR,
    params={"hours": Param(24, 1, 720, "hours after the first info by which an update is due")},
)
def no_tracking_update(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Pinduoduo fake shipment 2.2: no tracking update within 24 h after the first information.

    A route that shows a first event (often only 揽收, picked up) and nothing for 24 hours
    is a sign of fake shipment. Fix: make sure the carrier actually moves the parcel.
    """
    limit = timedelta(hours=p["hours"])
    for order, _, events in _shipped(shop):
        if not events:
            continue
        first = events[0]
        later = events[1].time if len(events) > 1 else shop.now
        gap = later - first.time
        if gap > limit:
            what = (msg("next update {time}", time=_t(events[1].time)) if len(events) > 1
                    else msg("no update since"))
            yield _order_hit(
                order, msg("first tracking info {first}, {what} ({hours} h)", first=_t(first.time),
                           what=what, hours=_hours(gap)),
                _hours(gap), p["hours"], first=_event(first),
                next=_event(events[1]) if len(events) > 1 else None,
            )  # fmt: skip


def _is_departure(e: TrackingEvent, departure: Sequence[str], hubs: Sequence[str]) -> bool:
    text = f"{e.location} {e.description}".lower()
    return any(k.lower() in text for k in departure) and any(h.lower() in text for h in hubs)


@shop_rule(
    "PDD313",
    "pdd-slow-hub-departure",
    "shop",
    Severity.ERROR,
    params={
        "normal_hours": Param(48, 1, 720, "hours allowed to a normal region"),
        "remote_hours": Param(72, 1, 720, "hours allowed to a remote region"),
        "very_remote_hours": Param(120, 1, 720, "hours allowed to a very remote region"),
    },
)
def slow_hub_departure(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Pinduoduo fake shipment 2.3: too long from the first information to leaving the first hub.

    More than 48 h (normal region), 72 h (remote) or 120 h (very remote) from the first
    tracking information to the departure from the first sorting hub is a sign of fake
    shipment. The region comes from the order's province and the profile's pdd.regions
    (defaults in docs/shop.md); a departure is an event naming a departure word and a hub
    (pdd.departure_keywords, pdd.hub_keywords). Fix: ship from stock you hold.
    """
    settings = shop.profile.pdd_settings
    for order, _, events in _shipped(shop):
        if not events or order.province is None:
            continue
        region = settings.regions.get(order.province, "normal")
        hours = p[f"{region}_hours"]
        first = events[0]
        departed = next(
            (
                e
                for e in events
                if _is_departure(e, settings.departure_keywords, settings.hub_keywords)
            ),
            None,
        )
        took = (departed.time if departed else shop.now) - first.time
        if took <= timedelta(hours=hours):
            continue
        what = (msg("left the first hub {time}", time=_t(departed.time)) if departed
                else msg("has not left a hub yet"))
        yield _order_hit(
            order,
            msg("first tracking info {first}, {what}: {hours} h, over {limit:g} h for {province}"
                " ({region})", first=_t(first.time), what=what, hours=_hours(took), limit=hours,
                province=order.province, region=term(region)),
            _hours(took), hours, region=region, province=order.province, first=_event(first),
            departure=_event(departed) if departed else None,
        )  # fmt: skip


@shop_rule(
    "PDD314",
    "pdd-abnormal-tracking",
    "shop",
    Severity.ERROR,
    params={"min_length": Param(8, 1, 40, "shortest plausible tracking number")},
)
def abnormal_tracking(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Pinduoduo fake shipment 2.4: abnormal or duplicate tracking information.

    Fires when one tracking number is on several orders, when a number is malformed (not
    letters and digits, or shorter than ``min_length``), or when its tracking history starts
    before the order was paid (a number reused from an older parcel). Fix: upload each
    parcel's own real number.
    """
    shipped = list(_shipped(shop))
    users: dict[str, list[str]] = defaultdict(list)
    for order, _, _ in shipped:
        users[order.tracking_no].append(order.order_id)
    shortest = int(p["min_length"])
    for order, _, events in shipped:
        others = [o for o in users[order.tracking_no] if o != order.order_id]
        if others:
            yield _order_hit(
                order,
                msg("tracking number {number} is also on order {orders}",
                    number=order.tracking_no, orders=", ".join(others)),
                len(others) + 1, 1, other_orders=others,
            )  # fmt: skip
        if not re.fullmatch(rf"[A-Za-z0-9]{{{shortest},}}", order.tracking_no):
            yield _order_hit(
                order,
                msg('tracking number "{number}" is malformed (needs {shortest} or more letters'
                    " or digits)", number=order.tracking_no, shortest=shortest),
                order.tracking_no, shortest,
            )  # fmt: skip
        if events and order.paid_at is not None and events[0].time < order.paid_at:
            yield _order_hit(
                order,
                msg("tracking history starts {first}, before the order was paid {paid}: the"
                    " number was used before", first=_t(events[0].time), paid=_t(order.paid_at)),
                _hours(order.paid_at - events[0].time), 0, first=_event(events[0]),
                paid_at=_t(order.paid_at),
            )  # fmt: skip


@shop_rule("PDD315", "pdd-wrong-destination", "shop", Severity.ERROR)
def wrong_destination(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Pinduoduo fake shipment 2.5: the route's destination does not match the order's address.

    The destination is the province named by the latest delivery event (派送, 签收...,
    pdd.delivery_keywords) in its place or description; it must be the order's province.
    Routes without a delivery event yet are not judged. Fix: ship each order to its buyer
    with its own number.
    """
    keywords = [k.lower() for k in shop.profile.pdd_settings.delivery_keywords]
    for order, _, events in _shipped(shop):
        if order.province is None:
            continue
        delivery = [e for e in events if any(k in e.description.lower() for k in keywords)]
        if not delivery:
            continue
        last = delivery[-1]
        where = find_province(last.location) or find_province(last.description)
        if where is not None and where != order.province:
            yield _order_hit(
                order,
                msg("route ends in {where} ({time} {event}), the order ships to {province}",
                    where=where, time=_t(last.time), event=last.description,
                    province=order.province),
                where, order.province, delivery=_event(last), address=order.address,
            )  # fmt: skip
