"""Kuaishou 快分销 (distribution) shop admission: the 8 conditions KS101..KS108 and the stage KS100.

Each condition yields exactly one hit: ``info`` when met (with the value, as a checklist),
``error`` when not met or when the profile does not give the value (fail closed). Every hit
names where in the Kuaishou merchant back-end (快手小店商家后台) the merchant finds the value.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from imagecheck.findings import Hit, Severity, Value
from imagecheck.i18n import join, msg, nmsg
from imagecheck.rules.registry import Param, shop_rule
from imagecheck.shop.defaults import CHINA_TZ

if TYPE_CHECKING:  # the records: a run that checks no shop never imports them
    from imagecheck.shop.model import KuaishouInfo, ShopData, Violation

#: The conditions' codes, in the order the platform lists them.
CONDITIONS: tuple[str, ...] = tuple(f"KS10{i}" for i in range(1, 9))

_WHERE = {
    "KS101": msg("商家后台首页 店铺状态, and in the 快手 app: cart in live streams and short"
                 " videos, shop entrance on the profile page"),
    "KS102": "店铺管理 > 基础信息 > 店铺类型",
    "KS103": "店铺管理 > 购物体验星级",
    "KS104": "店铺管理 > 违规管理",
    "KS105": "店铺管理 > 违规管理",
    "KS106": "数据中心 > 生意通 > 服务 > 售后概览",
    "KS107": "数据中心 > 生意通 > 服务 > 评价概览",
    "KS108": msg("店铺管理 > 违规管理, on every account under the same certified entity"
                 " (认证主体)"),
}


def _ks(shop: ShopData) -> KuaishouInfo:
    if shop.profile.kuaishou is None:
        raise ValueError(f"{shop.profile.path}: no [kuaishou] section")
    return shop.profile.kuaishou


def application_date(shop: ShopData) -> date:
    """The application date from the profile, else today in China time."""
    return _ks(shop).application_date or shop.now.astimezone(CHINA_TZ).date()


def _verdict(
    shop: ShopData,
    code: str,
    met: bool | None,
    value: Value,
    threshold: Value,
    text: str,
    missing: Sequence[str] = (),
    details: Mapping[str, object] | None = None,
) -> Iterator[Hit]:
    """The one hit of a condition: info if ``met``, error if not, error if not given."""
    where = _WHERE[code]
    info = {"where": where, **(details or {})}
    if met is None:
        keys = ", ".join(f"kuaishou.{k}" for k in missing)
        message = msg("not verified: the shop profile does not give {keys} ({where})",
                      keys=keys, where=where)
        yield Hit(message, threshold=threshold, target=shop.profile.name, details=info)
        return
    yield Hit(
        msg("met: {text} ({where})", text=text, where=where) if met
        else msg("not met: {text} ({where})", text=text, where=where),
        value=value,
        threshold=threshold,
        severity=Severity.INFO if met else None,
        target=shop.profile.name,
        details=info,
    )


def _key(text: str) -> str:
    """A category name reduced to letters, so punctuation and width variants compare equal."""
    return re.sub(r"[\W_]", "", unicodedata.normalize("NFKC", text))


def match_category(category: str, allowed: Sequence[str]) -> str | None:
    """The entry of ``allowed`` that names ``category`` (ignoring punctuation), or ``None``."""
    keys = {_key(a): a for a in allowed}
    return keys.get(_key(category))


@shop_rule("KS101", "ks-shop-open", "shop", Severity.ERROR)
def shop_open(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Kuaishou 快分销: the shop has finished opening and its status is normal.

    Condition 1 of the 快分销 shop admission rules: the shop's status is normal, the shopping
    cart works in live streams and short videos, and the shop entrance shows on the profile
    page. Fix: finish the opening steps and clear any restriction on the shop.
    """
    ks = _ks(shop)
    fields = {
        "status": ks.status,
        "live_cart": ks.live_cart,
        "profile_entrance": ks.profile_entrance,
    }
    missing = [k for k, v in fields.items() if v is None]
    if missing:
        yield from _verdict(shop, "KS101", None, None, "normal", "", missing=missing)
        return
    normal = (ks.status or "").strip().lower() in ("normal", "正常", "营业中", "开店成功")
    problems = [] if normal else [msg('status is "{status}"', status=ks.status)]
    problems += [] if ks.live_cart else [
        msg("the cart does not work in live streams / short videos")]
    problems += [] if ks.profile_entrance else [
        msg("the shop entrance is not on the profile page")]
    text = join(problems) if problems else msg('status "{status}", cart and entrance work',
                                               status=ks.status)
    yield from _verdict(shop, "KS101", not problems, ks.status, "normal", text)


@shop_rule("KS102", "ks-shop-type", "shop", Severity.ERROR)
def shop_type(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Kuaishou 快分销: the shop is an enterprise, or an individual business in an allowed category.

    Condition 2 of the 快分销 shop admission rules: a personal shop is not admitted until it is
    upgraded; an individual business (个体工商户) is admitted only in the listed main
    categories (docs/shop.md; override with kuaishou.individual_categories). Fix: upgrade the
    shop to an individual business or enterprise, or apply with an enterprise shop.
    """
    ks = _ks(shop)
    if ks.shop_type is None:
        yield from _verdict(shop, "KS102", None, None, "enterprise", "", missing=["shop_type"])
        return
    if ks.shop_type == "enterprise":
        yield from _verdict(shop, "KS102", True, "enterprise", "enterprise",
                            msg("enterprise shop"))
    elif ks.shop_type == "personal":
        text = msg("a personal shop (个人店) is not admitted; upgrade to 个体工商户 or enterprise")
        yield from _verdict(shop, "KS102", False, "personal", "enterprise", text)
    elif ks.main_category is None:
        yield from _verdict(
            shop, "KS102", None, "individual", "allowed category", "", missing=["main_category"]
        )
    else:
        allowed = ks.individual_categories
        found = match_category(ks.main_category, allowed)
        if found:
            text = msg("individual business in allowed category {category}", category=found)
            yield from _verdict(shop, "KS102", True, ks.main_category, "allowed category", text)
            return
        close = difflib.get_close_matches(ks.main_category, allowed, n=1, cutoff=0.5)
        hint = msg("; did you mean {category}?", category=close[0]) if close else ""
        text = msg('an individual business is not admitted in category "{category}"{hint}'
                   " (allowed: {allowed})", category=ks.main_category, hint=hint,
                   allowed=join(list(allowed)))
        yield from _verdict(
            shop, "KS102", False, ks.main_category, "allowed category", text,
            details={"allowed_categories": list(allowed)},
        )  # fmt: skip


@shop_rule(
    "KS103",
    "ks-star-rating",
    "shop",
    Severity.ERROR,
    params={"min_stars": Param(4, 0, 5, "lowest admitted shopping-experience star rating")},
)
def star_rating(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Kuaishou 快分销: the shopping-experience star rating (购物体验星级) is at least 4.

    Condition 3 of the 快分销 shop admission rules. Fix: raise the rating (delivery speed,
    after-sales handling, reviews) and apply again later.
    """
    stars, need = _ks(shop).star_rating, p["min_stars"]
    met = None if stars is None else stars >= need
    yield from _verdict(
        shop, "KS103", met, stars, need,
        msg("star rating {stars} (needs at least {need:g})", stars=stars, need=need),
        ["star_rating"]
    )


def _within(violations: Sequence[Violation], start: date, end: date) -> list[Violation]:
    return [v for v in violations if start <= v.date <= end]


def _describe(v: Violation) -> str:
    points = msg(", {points:g} points", points=v.points) if v.points is not None else ""
    account = f" ({v.account})" if v.account else ""
    return msg("{date} {what}{points}{account}", date=v.date.isoformat(),
               what=v.description or v.kind, points=points, account=account)


@shop_rule(
    "KS104",
    "ks-serious-violation",
    "shop",
    Severity.ERROR,
    params={"lookback_days": Param(365, 1, 3650, "days before the application date checked")},
)
def serious_violation(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Kuaishou 快分销: no penalty for a serious violation within one year before applying.

    Condition 4 of the 快分销 shop admission rules: serious violations such as selling
    counterfeit goods or product-quality problems. List the shop's violations under
    kuaishou.violations (``[]`` if none) with ``serious = true`` or kind counterfeit/quality.
    Fix: none but time; apply once the penalty is older than one year.
    """
    ks, applied = _ks(shop), application_date(shop)
    days = int(p["lookback_days"])
    if ks.violations is None:
        yield from _verdict(shop, "KS104", None, None, 0, "", missing=["violations"])
        return
    found = [
        v for v in _within(ks.violations, applied - timedelta(days=days), applied) if v.serious
    ]
    text = (
        nmsg("{n} serious violation within {days} days before {date}: {list}",
             "{n} serious violations within {days} days before {date}: {list}",
             n=len(found), days=days, date=applied.isoformat(),
             list=join([_describe(v) for v in found]))
        if found
        else msg("no serious violation within {days} days before {date}", days=days,
                 date=applied.isoformat())
    )
    yield from _verdict(shop, "KS104", not found, len(found), 0, text)


@shop_rule(
    "KS105",
    "ks-big-deduction",
    "shop",
    Severity.ERROR,
    params={"max_points": Param(40, 1, 1000, "points deducted at once that block admission")},
)
def big_deduction(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Kuaishou 快分销: no single violation deducted 40 points or more at once.

    Condition 5 of the 快分销 shop admission rules. Every violation listed under
    kuaishou.violations is checked. Fix: none but time; apply once the record has cleared.
    """
    ks, limit = _ks(shop), p["max_points"]
    if ks.violations is None:
        yield from _verdict(shop, "KS105", None, None, limit, "", missing=["violations"])
        return
    worst = max((v.points or 0.0 for v in ks.violations), default=0.0)
    big = [v for v in ks.violations if (v.points or 0) >= limit]
    text = (
        msg("violations deducting at least {limit:g} points at once: {list}", limit=limit,
            list=join([_describe(v) for v in big]))
        if big
        else msg("largest single deduction {worst:g} points (must be below {limit:g})",
                 worst=worst, limit=limit)
    )
    yield from _verdict(shop, "KS105", not big, worst, limit, text)


#: The rates KS106 and KS107 compare, as the findings name them.
_RATES = {"return_rate": msg("product return rate (品退率)"),
          "negative_review_rate": msg("negative-review rate (差评率)")}


def _ratio_verdict(
    shop: ShopData, code: str, rate_key: str, average_key: str, limit: float
) -> Iterator[Hit]:
    """The profile's ``rate_key`` compared with ``limit`` times its ``average_key``."""
    ks = _ks(shop)
    rate, average = getattr(ks, rate_key), getattr(ks, average_key)
    if rate is None or average is None:
        missing = [k for k in (rate_key, average_key) if getattr(ks, k) is None]
        yield from _verdict(shop, code, None, None, limit, "", missing=missing)
        return
    ratio = rate / average if average > 0 else (0.0 if rate == 0 else float("inf"))
    met = ratio <= limit + 1e-9
    text = msg("{what} {rate:.2%} is {ratio:.2f}x the average {average:.2%} (allowed"
               " {limit:g}x)", what=_RATES[rate_key], rate=rate, ratio=ratio, average=average,
               limit=limit)
    yield from _verdict(
        shop, code, met, round(ratio, 4), limit, text, details={"rate": rate, "average": average}
    )


@shop_rule(
    "KS106",
    "ks-return-rate",
    "shop",
    Severity.ERROR,
    params={"max_ratio": Param(2, 0, 100, "allowed multiple of the category's average")},
)
def return_rate(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Kuaishou 快分销: the main category's 30-day product return rate is at most 2x its average.

    Condition 6 of the 快分销 shop admission rules (品退率, profile keys
    kuaishou.return_rate and kuaishou.category_return_rate). Fix: find which products are
    returned for quality reasons and fix or delist them; apply once the rate is down.
    """
    yield from _ratio_verdict(
        shop, "KS106", "return_rate", "category_return_rate", p["max_ratio"]
    )


@shop_rule(
    "KS107",
    "ks-negative-reviews",
    "shop",
    Severity.ERROR,
    params={"max_ratio": Param(2, 0, 100, "allowed multiple of the market average")},
)
def negative_reviews(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Kuaishou 快分销: the shop's 30-day negative-review rate is at most 2x the market average.

    Condition 7 of the 快分销 shop admission rules (profile keys kuaishou.negative_review_rate
    and kuaishou.market_negative_review_rate). Fix: answer and resolve negative reviews, fix
    the products they name; apply once the rate is down.
    """
    yield from _ratio_verdict(
        shop, "KS107", "negative_review_rate", "market_negative_review_rate", p["max_ratio"]
    )


@shop_rule(
    "KS108",
    "ks-entity-counterfeit",
    "shop",
    Severity.ERROR,
    params={"lookback_days": Param(365, 1, 3650, "days before the application date checked")},
)
def entity_counterfeit(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Kuaishou 快分销: no account of the same certified entity sold counterfeits within a year.

    Condition 8 of the 快分销 shop admission rules: a confirmed "selling counterfeit goods"
    violation on any account under the same certified entity (this shop's
    kuaishou.violations and kuaishou.entity_violations, ``[]`` if none) blocks admission.
    Fix: none but time; apply once the violation is older than one year.
    """
    ks, applied = _ks(shop), application_date(shop)
    days = int(p["lookback_days"])
    if ks.entity_violations is None:
        yield from _verdict(shop, "KS108", None, None, 0, "", missing=["entity_violations"])
        return
    start = applied - timedelta(days=days)
    found = [
        v
        for v in _within((*(ks.violations or ()), *ks.entity_violations), start, applied)
        if v.kind == "counterfeit" and v.confirmed
    ]
    text = (
        nmsg("{n} confirmed counterfeit violation within {days} days before {date}: {list}",
             "{n} confirmed counterfeit violations within {days} days before {date}: {list}",
             n=len(found), days=days, date=applied.isoformat(),
             list=join([_describe(v) for v in found]))
        if found
        else msg("no confirmed counterfeit violation within {days} days before {date}",
                 days=days, date=applied.isoformat())
    )
    yield from _verdict(shop, "KS108", not found, len(found), 0, text)


@dataclass(frozen=True)
class Admission:
    """The subject of KS100: the shop and the conditions that were not met or not verified."""

    shop: ShopData
    failed: tuple[str, ...]

    @property
    def admitted(self) -> bool:
        """Whether all 8 conditions hold."""
        return not self.failed

    @property
    def stage(self) -> str:
        """``admitted`` or ``not admitted``."""
        return "admitted" if self.admitted else "not admitted"


@shop_rule("KS100", "ks-admission-stage", "shop", Severity.INFO)
def admission_stage(result: Admission, p: Mapping[str, float]) -> Iterator[Hit]:
    """Kuaishou 快分销: the shop's admission stage and the next step.

    The 快分销 flow: the merchant applies; the 8 shop conditions (KS101..KS108) are verified;
    if all hold, the merchant applies with a product distribution plan (商品分销计划) and the
    product admission rules and category requirements are verified; if not, the merchant
    fixes what failed and applies again later. This rule takes the conditions' outcome
    (an ``Admission``), not the shop data; ``check_shop`` runs it after KS101..KS108.
    """
    if result.admitted:
        message = msg(
            "stage: shop admitted to 快分销; next step: apply with a product distribution plan"
            " (商品分销计划); product admission and category requirements are checked then"
        )
    else:
        message = msg("stage: not admitted to 快分销; fix {codes} and apply again later",
                      codes=", ".join(result.failed))
    yield Hit(
        message,
        value=result.stage,
        threshold="admitted",
        target=result.shop.profile.name,
        details={"failed": list(result.failed)},
    )
