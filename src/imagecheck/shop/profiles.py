"""The shop profile (TOML, YAML or JSON): loaded, checked key by key, typed.

An unknown key, a value of the wrong kind or a file that cannot be read raises
:class:`ShopInputError` naming the file and the key.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml

from imagecheck.i18n import msg, reason
from imagecheck.shop import defaults
from imagecheck.shop.model import (
    Document,
    KuaishouInfo,
    PddInfo,
    ShopInputError,
    ShopProfile,
    Violation,
)
from imagecheck.shop.readers import decode_bytes, read_regular_file
from imagecheck.shop.values import (
    parse_bool,
    parse_date,
    parse_rate,
    parse_text,
    parse_texts,
    ranged,
    short_repr,
)

T = TypeVar("T")
#: Largest shop profile read, in bytes, and the most YAML aliases expanded.
MAX_PROFILE_BYTES = 1 << 20
MAX_YAML_ALIASES = 100

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
                                     key=prefix, value=short_repr(data)))
        odd = [k for k in data if not isinstance(k, str)]
        if odd:
            raise ShopInputError(msg("{file}: {key}: key {value} is not text", file=file,
                                     key=prefix, value=short_repr(odd[0])))
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
        value = self.get(key, parse_texts)
        return default if value is None else value

    def choice(self, key: str, table: Mapping[str, str]) -> str | None:
        value = self.get(key, parse_text)
        if value is None:
            return None
        if value.lower() not in table:
            raise self.error(key, msg("unknown value {value!r}; expected one of {choices}",
                                      value=value, choices=", ".join(table)))
        return table[value.lower()]


class _BoundedLoader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML ships no types
    """YAML's safe loader with at most :data:`MAX_YAML_ALIASES` aliases, so a small file
    cannot expand into a huge one ("billion laughs")."""

    aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_YAML_ALIASES:
                raise yaml.YAMLError(f"more than {MAX_YAML_ALIASES} aliases (&/*); refused")
        return super().compose_node(parent, index)


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
                points=v.get("points", ranged(0, 1e6)),
                serious=bool(v.get("serious", parse_bool)) or kind in ("counterfeit", "quality"),
                confirmed=v.get("confirmed", parse_bool) is not False,
                account=v.get("account", parse_text) or "",
                description=v.get("description", parse_text) or "",
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
        status=s.get("status", parse_text),
        live_cart=s.get("live_cart", parse_bool),
        profile_entrance=s.get("profile_entrance", parse_bool),
        shop_type=s.choice("shop_type", _SHOP_TYPES),
        main_category=s.get("main_category", parse_text),
        star_rating=s.get("star_rating", ranged(0, 5)),
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
    listed = d.get("file", parse_text)
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
    required = s.get("required_documents", parse_texts)
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
        deposit_yuan=s.get("deposit_yuan", ranged(0, 1e9)),
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
        name=shop.get("name", parse_text) or p.stem,
        kuaishou=kuaishou,
        pdd=pdd,
        pdd_settings=pdd or _pdd(file, p.parent, {}),
    )
