"""The shop-check library API: :func:`check_shop` reads the inputs and runs the shop rules."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from imagecheck.config import Settings, merge_params, resolve_params
from imagecheck.findings import Severity
from imagecheck.report.model import ShopResult
from imagecheck.rules.registry import ShopRule, all_rules, get_rule
from imagecheck.shop.defaults import CHINA_TZ
from imagecheck.shop.kuaishou import CONDITIONS, Admission
from imagecheck.shop.model import InputSummary, ShopData, ShopInputError
from imagecheck.shop.profiles import read_profile
from imagecheck.shop.readers import read_chats, read_orders, read_tracking

ParamOverrides = Mapping[str, Mapping[str, object]]
#: The former name of :class:`~imagecheck.report.model.ShopResult`.
ShopReport = ShopResult
__all__ = ["ShopReport", "ShopResult", "check_shop", "resolve_params"]

_SERVICE = ("PDD201", "PDD202", "PDD203")
_SHIPPING = ("PDD311", "PDD312", "PDD313", "PDD314", "PDD315")
_DOCUMENTS = ("PDD401", "PDD402", "PDD403", "PDD404", "PDD405")
#: Rules that report on the check itself (the admission stage, inputs not given or rows
#: not usable), not on a condition the shop meets or fails.
_STATUS = ("KS100", "PDD200", "PDD300")


def _codes(shop: ShopData) -> list[str]:
    """The rules that apply to what the profile and the given inputs describe."""
    codes: list[str] = []
    profile = shop.profile
    if profile.kuaishou is not None:
        codes += CONDITIONS
    if profile.pdd is not None or shop.chats is not None:
        codes += ["PDD200", *(_SERVICE if shop.chats is not None else ())]
    if profile.pdd is not None or shop.orders is not None:
        codes += ["PDD300", *(["PDD301"] if shop.orders is not None else [])]
        codes += _SHIPPING if shop.tracking is not None else ()
    if profile.pdd is not None:
        codes += _DOCUMENTS
    return codes


def check_shop(
    profile_path: str | Path,
    *,
    chats: str | Path | None = None,
    orders: str | Path | None = None,
    tracking: str | Path | None = None,
    params: ParamOverrides | None = None,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> ShopResult:
    """Check a shop against the platform rules its profile and exports describe.

    ``profile_path`` is a TOML, YAML or JSON shop profile; ``chats``, ``orders`` and
    ``tracking`` are CSV exports (``tracking`` needs ``orders``). Rule thresholds are
    ``settings.shop_params`` (validated when the settings were built), with ``params``
    (code -> {param: value}) on top. ``now`` (naive = China time) defaults to the current
    time. Raises :class:`ShopInputError` for unusable inputs and
    :class:`~imagecheck.config.ConfigError` for bad ``params`` (both ``ValueError``), before
    reading any input.
    """
    values = resolve_params(all_rules(ShopRule),
                            merge_params(settings.shop_params if settings else {}, params or {}))
    if tracking is not None and orders is None:
        raise ShopInputError(f"{tracking}: a tracking export needs the order export (--orders)")
    moment = now or datetime.now(CHINA_TZ)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=CHINA_TZ)
    profile = read_profile(profile_path)
    inputs: dict[str, InputSummary] = {}
    chat_rows = order_rows = tracking_rows = None
    if chats is not None:
        chat_rows, inputs["chats"] = read_chats(chats, profile.pdd_settings.auto_reply_markers)
    if orders is not None:
        order_rows, inputs["orders"] = read_orders(orders)
    if tracking is not None:
        tracking_rows, inputs["tracking"] = read_tracking(tracking)
    shop = ShopData(profile, moment, chat_rows, order_rows, tracking_rows, inputs)
    codes = _codes(shop)
    if not codes:
        raise ShopInputError(
            f"{profile.path}: nothing to check: the profile has no [kuaishou] or [pdd] section"
            " and no CSV export was given"
        )
    findings = [f for code in codes for f in get_rule(code).findings(shop, values[code])]
    stage = None
    if profile.kuaishou is not None:
        failed = tuple(
            sorted(
                {f.code for f in findings if f.code in CONDITIONS and f.severity > Severity.INFO}
            )
        )
        admission = Admission(shop, failed)
        stage = admission.stage
        findings[:0] = get_rule("KS100").findings(admission, values["KS100"])
        codes.insert(0, "KS100")
    return ShopResult(
        profile=str(profile.path),
        shop=profile.name,
        findings=tuple(findings),
        stage=stage,
        inputs=tuple(inputs.values()),
        checked=tuple(codes),
        conditions=tuple(code for code in codes if code not in _STATUS),
    )
