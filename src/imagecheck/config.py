"""Profiles and configuration: which rules apply to which role, with which thresholds.

A platform profile (``profiles/NAME.toml``) names, per role, the rule codes or code
prefixes that apply, and the thresholds. The user's configuration (``[tool.imagecheck]``
in ``pyproject.toml``, or ``imagecheck.toml``) overrides the profile, and command-line
options override both. Everything is validated here, early, with the allowed range in
the message; a bad setting is a usage error, never a silently ignored one. Rule
parameters, of image and shop rules alike, go through one resolver,
:func:`resolve_params`.
"""

from __future__ import annotations

import fnmatch
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from imagecheck.analysis.options import AnalysisOptions
from imagecheck.findings import Severity
from imagecheck.i18n import msg, parse_lang
from imagecheck.rules.registry import (
    ALIASES,
    ImageRule,
    Rule,
    ShopRule,
    all_rules,
    canonical,
    matches,
)

ROLES: tuple[str, ...] = ("main", "carousel", "detail")
#: Input rules always run: a file that could not be checked is never silent.
ALWAYS = ("IN",)
DEFAULT_PLATFORM = "pdd"
CONFIG_KEYS = frozenset(
    {"platform", "select", "ignore", "fail_on", "jobs", "threads", "params", "roles", "ocr",
     "logos", "brands", "promo_words", "max_pixels", "exclude", "per_path_ignores", "lang"}
)


class ConfigError(ValueError):
    """A profile, configuration file or option that cannot be used."""


@dataclass(frozen=True)
class RoleRules:
    """The rules that apply to one role, with their resolved parameters."""

    rules: tuple[tuple[ImageRule, Mapping[str, float]], ...]


@dataclass(frozen=True)
class Settings:
    """Everything a scan needs to know besides the files."""

    platform: str
    title: str
    roles: Mapping[str, RoleRules]
    fail_on: Severity = Severity.WARNING
    analysis: AnalysisOptions = field(default_factory=AnalysisOptions)
    max_pixels: int = 60_000_000
    jobs: int = 0
    #: Inference threads per process checking images; 0: the usable cores shared among
    #: the worker processes (:func:`~imagecheck.analysis.ocr.inference_threads`). How a
    #: run uses the machine, like ``jobs``: not part of what is computed.
    threads: int = 0
    #: The shop rules' parameter settings (code -> {name: value}), validated with the
    #: rest (:func:`resolve_params`); :func:`imagecheck.check_shop` lays them over the
    #: defaults.
    shop_params: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    #: Globs of files not to check (see :func:`path_matches`).
    exclude: tuple[str, ...] = ()
    #: ``(glob, rule codes or prefixes)``: findings of those rules on matching files are
    #: accepted (dropped); input findings (IN) never are.
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def for_role(self, role: str) -> RoleRules:
        """The rules for ``role``."""
        return self.roles[role]

    def excluded(self, path: str | Path) -> bool:
        """Whether ``path`` matches an ``exclude`` glob."""
        return any(path_matches(path, g) for g in self.exclude)

    def ignored(self, path: str | Path, code: str) -> bool:
        """Whether a finding ``code`` on ``path`` is accepted by ``per_path_ignores``."""
        return not code.startswith(ALWAYS) and any(
            matches(code, codes) and path_matches(path, g) for g, codes in self.per_path_ignores)


def path_matches(path: str | Path, glob: str) -> bool:
    """Whether ``glob`` matches ``path`` (as a POSIX path) from any folder boundary:
    ``*.png`` and ``drafts/**`` match ``shop/drafts/a/x.png``; ``*`` crosses folders."""
    text = Path(path).as_posix()
    return fnmatch.fnmatchcase(text, glob) or fnmatch.fnmatchcase(text, f"*/{glob}")


#: Names merchants type for a bundled profile.
PLATFORM_ALIASES = {"pinduoduo": "pdd", "拼多多": "pdd", "tmall": "taobao", "天猫": "taobao",
                    "淘宝": "taobao", "京东": "jd", "快手": "kuaishou"}


def platform_name(name: str) -> str:
    """The bundled profile ``name`` means (``tmall`` -> ``taobao``), or ``name`` itself."""
    return PLATFORM_ALIASES.get(name.strip().lower(), name)


def available_platforms() -> list[str]:
    """Names of the bundled platform profiles."""
    folder = resources.files("imagecheck.profiles")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_profile(name: str) -> dict[str, Any]:
    """Read a bundled profile by name (or alias), or a profile file by path."""
    path = Path(name)
    if name.endswith(".toml"):
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(msg("profile file {file}: cannot read it ({error})", file=name,
                                  error=exc.strerror or str(exc))) from None
    else:
        resource = resources.files("imagecheck.profiles") / f"{name}.toml"
        if not resource.is_file():
            known = ", ".join(available_platforms())
            raise ConfigError(msg("unknown platform '{name}'; known platforms: {known}",
                                  name=name, known=known))
        text = resource.read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(msg("profile {name}: invalid TOML: {error}", name=name,
                              error=str(exc))) from None


def find_config(start: Path | None = None) -> tuple[Path | None, dict[str, Any]]:
    """Find ``imagecheck.toml`` or a ``pyproject.toml`` with ``[tool.imagecheck]`` in
    ``start`` (default: the working directory) or its parents."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / "imagecheck.toml"
        if own.is_file():
            return own, _read_toml(own)
        project = candidate / "pyproject.toml"
        if project.is_file():
            table = _read_toml(project).get("tool", {}).get("imagecheck")
            if table is not None:
                return project, table
    return None, {}


def read_config(path: Path) -> tuple[Path, dict[str, Any]]:
    """Read a configuration file given by name: ``[tool.imagecheck]`` of a
    ``pyproject.toml``, or the whole of any other TOML file."""
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        return path, data.get("tool", {}).get("imagecheck", {})
    return path, data


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(msg("{file}: cannot read configuration: {error}", file=str(path),
                              error=str(exc))) from None


def build_settings(
    config: Mapping[str, Any] | None = None, **overrides: Any
) -> Settings:
    """Resolve profile + configuration + command-line ``overrides`` into :class:`Settings`.

    ``overrides`` take the configuration keys (``platform``, ``select``, ``ignore``,
    ``fail_on``, ``jobs``, ``threads``, ``params``, ``ocr``, ``logos``, ``brands``,
    ``promo_words``, ``max_pixels``);
    ``None`` values are ignored.
    """
    merged: dict[str, Any] = dict(config or {})
    unknown = set(merged) - CONFIG_KEYS
    if unknown:
        raise ConfigError(msg(
            "unknown configuration key(s): {keys}; known keys: {known}",
            keys=", ".join(sorted(unknown)), known=", ".join(sorted(CONFIG_KEYS)))
        )
    for key, value in overrides.items():
        if value is None or value == ():
            continue
        if key == "params":
            merged["params"] = merge_params(merged.get("params", {}), value)
        else:
            merged[key] = value
    platform = platform_name(str(merged.get("platform", DEFAULT_PLATFORM)))
    profile = load_profile(platform)
    rules = {r.code: r for r in all_rules(ImageRule)}
    select = _codes(merged.get("select", ["ALL"]), rules, "select")
    ignore = _codes(merged.get("ignore", []), rules, "ignore")
    base_params = merge_params(profile.get("params", {}), merged.get("params", {}))
    user_roles = merged.get("roles", {})
    roles = {}
    for role in ROLES:
        spec = profile.get("roles", {}).get(role)
        if spec is None:
            raise ConfigError(f"profile {platform}: no [roles.{role}] table")
        wanted = _codes(spec.get("rules", []), rules, f"roles.{role}.rules")
        params = merge_params(
            base_params,
            spec.get("params", {}),
            user_roles.get(role, {}).get("params", {}),
        )
        if role == "main" and profile.get("main_is_carousel"):
            carousel = profile["roles"].get("carousel", {})
            wanted += _codes(carousel.get("rules", []), rules, "roles.carousel.rules")
        chosen = [
            r
            for r in rules.values()
            if matches(r.code, ALWAYS)
            or (matches(r.code, wanted) and matches(r.code, select) and not matches(r.code, ignore))
        ]
        values = resolve_params(chosen, params)
        roles[role] = RoleRules(tuple((r, values[r.code]) for r in chosen))
    shop_codes = resolve_params(all_rules(ShopRule), base_params)
    shop_params = {code: values for code, values in base_params.items() if code in shop_codes}
    if "lang" in merged:
        try:
            parse_lang(str(merged["lang"]))
        except ValueError as exc:
            raise ConfigError(f"lang: {exc}") from None
    try:
        fail_on = Severity.parse(str(merged.get("fail_on", "warning")))
    except ValueError as exc:
        raise ConfigError(f"fail_on: {exc}") from None
    analysis = AnalysisOptions(
        ocr=str(merged.get("ocr", AnalysisOptions.ocr)),
        logos=tuple(str(x) for x in merged.get("logos", ())),
        brands=tuple(str(x) for x in merged.get("brands", ())),
        promo_words=tuple(str(x) for x in merged.get("promo_words", ())),
    )
    return Settings(
        platform=platform,
        title=str(profile.get("title", platform)),
        roles=roles,
        fail_on=fail_on,
        analysis=analysis,
        max_pixels=_positive_int(merged.get("max_pixels", 60_000_000), "max_pixels"),
        jobs=_positive_int(merged.get("jobs", 0), "jobs", allow_zero=True),
        threads=_positive_int(merged.get("threads", 0), "threads", allow_zero=True),
        shop_params=shop_params,
        exclude=_globs(merged.get("exclude", []), "exclude"),
        per_path_ignores=_per_path_ignores(merged.get("per_path_ignores", {}), rules),
    )


def _globs(values: Any, where: str) -> tuple[str, ...]:
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) and v for v in values):
        raise ConfigError(f"{where} must be a list of file globs, e.g. [\"drafts/**\"]")
    return tuple(values)


def _per_path_ignores(table: Any, rules: Mapping[str, ImageRule]
                      ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(table, Mapping):
        raise ConfigError('per_path_ignores must be a table of "glob" = ["CODE", ...]')
    return tuple((glob, tuple(_codes(codes, rules, f"per_path_ignores.{glob!r}")))
                 for glob, codes in table.items())


def _positive_int(value: Any, name: str, allow_zero: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < (0 if allow_zero else 1):
        raise ConfigError(f"{name} must be a {'non-negative' if allow_zero else 'positive'}"
                          f" integer, got {value!r}")
    return value


def _codes(values: Iterable[Any], rules: Mapping[str, ImageRule], where: str) -> list[str]:
    """Validate a list of rule codes or code prefixes; an old code becomes its new one
    (:data:`~imagecheck.rules.registry.ALIASES`), a prefix matches today's codes only."""
    if isinstance(values, str):
        values = [v for v in values.split(",") if v]
    out = []
    for value in values:
        prefix = canonical(str(value))
        if prefix != "ALL" and not any(code.startswith(prefix) for code in rules):
            renamed = [f"{old} -> {new}" for old, new in ALIASES.items() if old.startswith(prefix)]
            if renamed:
                raise ConfigError(msg("{where}: '{value}' matches no rule code; renamed: {codes}",
                                      where=where, value=value, codes=", ".join(renamed)))
            raise ConfigError(msg("{where}: '{value}' matches no rule code", where=where,
                                  value=value))
        out.append(prefix)
    return out


def merge_params(*layers: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Parameter tables (code -> {name: value}) laid over one another, later ones winning
    name by name; codes upper-cased, old codes replaced by their new ones."""
    merged: dict[str, dict[str, Any]] = {}
    for layer in layers:
        for code, values in layer.items():
            if not isinstance(values, Mapping):
                raise ConfigError(msg("params.{code} must be a table of name = value", code=code))
            merged.setdefault(canonical(code), {}).update(values)
    return merged


def resolve_params(rules: Iterable[Rule[Any]], overrides: Mapping[str, Mapping[str, Any]] | None
                   ) -> dict[str, dict[str, float]]:
    """Each of ``rules``' parameters: its default, or the value ``overrides`` (code ->
    {name: value}) gives it; the one place rule parameters are validated.

    Every override is validated, also those for rules not in ``rules`` (one table holds
    the settings of image and shop rules, of every role): a code that names no rule, a
    parameter the rule does not have, a value that is not a number or is out of range
    raise :class:`ConfigError` with the allowed range. A :class:`Param` object shared by
    several rules (the effective-reply time of PDD201..PDD203) takes a value given for
    any of them in all of them; different values for it raise :class:`ConfigError`.
    """
    registry = {r.code: r for r in all_rules()}
    given: dict[int, tuple[str, float]] = {}
    for code, values in (overrides or {}).items():
        target = registry.get(canonical(str(code)))
        if target is None:
            raise ConfigError(msg("params.{code}: no such rule", code=code))
        if not isinstance(values, Mapping):
            raise ConfigError(msg("params.{code} must be a table of name = value", code=code))
        for name, value in values.items():
            param = target.params.get(name)
            if param is None:
                known = ", ".join(target.params) or "none"
                raise ConfigError(msg("{code}: unknown parameter '{name}' (parameters: {known})",
                                      code=target.code, name=name, known=known))
            try:
                checked = param.check(target.code, name, value)
            except ValueError as exc:
                raise ConfigError(exc.args[0]) from None
            previous = given.get(id(param))
            if previous is not None and previous[1] != checked:
                raise ConfigError(msg(
                    "{code}.{name} = {value:g} conflicts with {other}.{name} = {previous:g};"
                    " they share one setting", code=target.code, name=name, value=checked,
                    other=previous[0], previous=previous[1]))
            given[id(param)] = (target.code, checked)
    return {r.code: {name: given[id(p)][1] if id(p) in given else p.default
                     for name, p in r.params.items()} for r in rules}
