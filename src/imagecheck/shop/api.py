"""The shop-check library API: :func:`check_shop` reads the inputs and runs the shop rules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from imagecheck.findings import Finding, Severity
from imagecheck.rules.registry import Param, Rule, all_rules, get_rule
from imagecheck.shop.kuaishou import CONDITIONS, Admission
from imagecheck.shop.model import CHINA_TZ, InputSummary, ShopData, ShopInputError
from imagecheck.shop.readers import read_chats, read_orders, read_profile, read_tracking

ParamOverrides = Mapping[str, Mapping[str, object]]

_SERVICE = ("PDD201", "PDD202", "PDD203")
_SHIPPING = ("PDD311", "PDD312", "PDD313", "PDD314", "PDD315")
_DOCUMENTS = ("PDD401", "PDD402", "PDD403", "PDD404", "PDD405")


@dataclass(frozen=True)
class ShopReport:
    """The result of :func:`check_shop`.

    ``stage`` is the Kuaishou 快分销 stage (``admitted`` / ``not admitted``), ``None`` when
    the profile has no ``[kuaishou]`` section. ``inputs`` summarises each CSV read: file,
    encoding detected, rows read and the rows that could not be used, with reasons.
    ``checked`` lists the rule codes that ran.
    """

    profile: str
    shop: str
    findings: tuple[Finding, ...]
    stage: str | None
    inputs: tuple[InputSummary, ...]
    checked: tuple[str, ...]

    def summary(self) -> dict[str, Any]:
        """Plain data for a report's shop summary: shop, stage, rules run, inputs read."""
        return {
            "shop": self.shop,
            "profile": self.profile,
            "stage": self.stage,
            "checked": list(self.checked),
            "inputs": [
                {
                    "kind": s.kind,
                    "file": s.file,
                    "encoding": s.encoding,
                    "rows_read": s.rows_read,
                    "rows_unusable": s.rows_unusable,
                    "unusable": [str(p) for p in s.unusable],
                }
                for s in self.inputs
            ],
        }


def resolve_params(
    rules: Iterable[Rule], overrides: ParamOverrides | None
) -> dict[str, dict[str, float]]:
    """Each rule's parameters: defaults, then ``overrides`` (code -> {name: value}) validated.

    Codes of other kinds of rule are ignored (one mapping can hold image and shop
    settings); unknown codes or parameter names raise ``ValueError``. A ``Param`` object
    shared by several rules (the effective-reply time) takes an override given for any of
    them in all of them; conflicting overrides raise ``ValueError``.
    """
    rules = list(rules)
    resolved = {r.code: r.defaults() for r in rules}
    shared: dict[int, tuple[str, float]] = {}
    for code, values in (overrides or {}).items():
        try:
            target = get_rule(code)
        except KeyError:
            raise ValueError(f"unknown rule code {code!r} in parameters") from None
        if target.code not in resolved:
            continue
        for name, value in values.items():
            param: Param | None = target.params.get(name)
            if param is None:
                known = ", ".join(target.params) or "none"
                raise ValueError(f"{target.code} has no parameter {name!r} (parameters: {known})")
            checked = param.check(target.code, name, value)
            previous = shared.get(id(param))
            if previous and previous[1] != checked:
                raise ValueError(
                    f"{target.code}.{name} = {checked:g} conflicts with {previous[0]}.{name} ="
                    f" {previous[1]:g}; they share one setting"
                )
            shared[id(param)] = (f"{target.code}", checked)
    for r in rules:
        for name, param in r.params.items():
            if id(param) in shared:
                resolved[r.code][name] = shared[id(param)][1]
    return resolved


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
) -> ShopReport:
    """Check a shop against the platform rules its profile and exports describe.

    ``profile_path`` is a TOML, YAML or JSON shop profile; ``chats``, ``orders`` and
    ``tracking`` are CSV exports (``tracking`` needs ``orders``). ``params`` overrides rule
    thresholds (code -> {param: value}). ``now`` (naive = China time) defaults to the current
    time. Raises :class:`ShopInputError` for unusable inputs, ``ValueError`` for bad params.
    """
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
    rules = all_rules(kind="shop")
    values = resolve_params(rules, params)
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
    return ShopReport(
        profile=str(profile.path),
        shop=profile.name,
        findings=tuple(findings),
        stage=stage,
        inputs=tuple(inputs.values()),
        checked=tuple(codes),
    )
