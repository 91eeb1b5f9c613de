"""The one registry of rules: stable codes, their documentation and their parameters.

A rule is a small pure function registered with a code, a name, a category and a
default severity. Its docstring is its documentation: the first line is the summary,
the rest says which platform rule it enforces and how to fix the image (``imagecheck
explain CODE`` prints it). Rules are typed by what they judge, each registered by its
own decorator:

- :func:`rule`: an :class:`ImageRule` judges one image's
  :class:`~imagecheck.analysis.facts.Facts`;
- :func:`shop_rule`: a :class:`ShopRule` judges the shop
  (:class:`~imagecheck.shop.model.ShopData`; KS100 the admission the others decide);
- :func:`event_rule`: an :class:`EventRule` reports what happened to an input or a run
  (an unreadable file, a crashed check), raised by the code that saw it.

Every rule function takes ``(subject, p)``, ``p`` its parameters by name, and yields
:class:`~imagecheck.findings.Hit` objects that :meth:`Rule.findings` stamps with the
rule's code, category and severity.

A code's letters say its category (the table in ``tests/test_registry.py``). Codes that
were renamed to make them so live on as aliases (:data:`ALIASES`): wherever a user names
a code (``explain``, ``--select``/``--ignore``, configuration and profiles, baselines),
:func:`canonical` turns an old code into the new one; findings carry only new codes.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from imagecheck.findings import CATEGORIES, Finding, Hit, Severity
from imagecheck.i18n import Message, msg

if TYPE_CHECKING:
    from imagecheck.analysis.facts import Facts

CODE_RE = re.compile(r"^[A-Z]{2,4}\d{3}$")

#: What a rule judges: an image's facts, the shop, or an event.
S = TypeVar("S")
#: A rule function: its subject and its parameters by name in, the evidence out.
Check = Callable[[S, Mapping[str, float]], Iterable[Hit]]
R = TypeVar("R", bound="Rule[Any]")


@dataclass(frozen=True)
class Param:
    """A tunable threshold: its default and the closed range a profile may set it in."""

    default: float
    min: float
    max: float
    help: str

    def check(self, code: str, name: str, value: object) -> float:
        """Return ``value`` as a float, or raise ``ValueError`` naming the allowed range."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(msg("{code}.{name} must be a number, got {value}", code=code,
                                 name=name, value=repr(value)))
        if not self.min <= value <= self.max:
            raise ValueError(msg(
                "{code}.{name} = {value} is out of range; allowed {low} to {high} ({help})",
                code=code, name=name, value=value, low=self.min, high=self.max,
                help=Message(self.help)))
        return float(value)


@dataclass(frozen=True)
class Rule(Generic[S]):
    """A registered rule judging subjects of type ``S``."""

    code: str
    name: str
    category: str
    severity: Severity
    func: Check[S]
    params: Mapping[str, Param] = field(default_factory=dict)

    @property
    def doc(self) -> str:
        """The rule's documentation, from its function's docstring."""
        return inspect.cleandoc(self.func.__doc__ or "")

    @property
    def summary(self) -> str:
        """The first line of the documentation."""
        return self.doc.splitlines()[0] if self.doc else ""

    def defaults(self) -> dict[str, float]:
        """The default value of every parameter."""
        return {name: p.default for name, p in self.params.items()}

    def findings(self, subject: S, p: Mapping[str, float]) -> Iterator[Finding]:
        """Run the rule and stamp each hit with this rule's code, category and severity."""
        for hit in self.func(subject, p):
            yield Finding(
                code=self.code,
                category=self.category,
                severity=hit.severity if hit.severity is not None else self.severity,
                message=hit.message,
                value=hit.value,
                threshold=hit.threshold,
                box=hit.box,
                target=hit.target,
                details=hit.details,
            )


class ImageRule(Rule["Facts"]):
    """A rule judging one image's facts; profiles turn it on per role."""


class ShopRule(Rule[S]):
    """A rule judging the shop: its profile and exports (KS100: the admission decided by
    the other Kuaishou conditions)."""


class EventRule(Rule[S]):
    """A rule reporting what happened to an input or a run (an unreadable file, a check
    that crashed, an image not reached, a fixed copy enlarged); it always applies."""


REGISTRY: dict[str, Rule[Any]] = {}

#: Renamed rule codes, old -> new, so that a code's prefix says its category: the logo
#: rules left TX for LG, the promo strip (a text rule) left OV for TX, and the quality
#: rules that were CP (composition) joined IQ. An old code names the new rule wherever a
#: code is accepted; an old *prefix* does not follow its codes (``TX`` is the text rules).
ALIASES: Mapping[str, str] = MappingProxyType({
    "TX303": "LG303",
    "TX305": "LG305",
    "TX306": "LG306",
    "TX307": "LG307",
    "OV421": "TX309",
    "CP603": "IQ507",
    "CP604": "IQ508",
    "CP605": "IQ509",
    "CP606": "IQ510",
})


def canonical(code: str) -> str:
    """``code`` upper-cased and stripped, an old code (:data:`ALIASES`) replaced by its
    new one; anything else (a prefix, an unknown code) only upper-cased."""
    code = code.strip().upper()
    return ALIASES.get(code, code)


def old_codes(code: str) -> tuple[str, ...]:
    """The old codes of the rule ``code`` (:data:`ALIASES`); ``()`` if it was never renamed."""
    return tuple(old for old, new in ALIASES.items() if new == code)


def _registrar(kind: type[Rule[Any]], code: str, name: str, category: str,
               severity: Severity, params: Mapping[str, Param] | None
               ) -> Callable[[Check[S]], Check[S]]:
    """Checks ``code`` and ``category``; the returned decorator registers a rule function
    as a ``kind`` and returns it unchanged."""
    if not CODE_RE.match(code):
        raise ValueError(f"rule code {code!r} must look like AB123")
    if category not in CATEGORIES:
        raise ValueError(f"rule {code}: unknown category {category!r}")

    def register(func: Check[S]) -> Check[S]:
        if code in ALIASES:
            raise ValueError(f"rule code {code} is the old code of {ALIASES[code]}")
        if code in REGISTRY:
            raise ValueError(f"rule code {code} registered twice")
        if not (func.__doc__ or "").strip():
            raise ValueError(f"rule {code} has no docstring")
        REGISTRY[code] = kind(code, name, category, severity, func, dict(params or {}))
        return func

    return register


def rule(code: str, name: str, category: str, severity: Severity,
         params: Mapping[str, Param] | None = None
         ) -> Callable[[Check[Facts]], Check[Facts]]:
    """Register the decorated function as :class:`ImageRule` ``code``."""
    return _registrar(ImageRule, code, name, category, severity, params)


def shop_rule(code: str, name: str, category: str, severity: Severity,
              params: Mapping[str, Param] | None = None
              ) -> Callable[[Check[S]], Check[S]]:
    """Register the decorated function as :class:`ShopRule` ``code``."""
    return _registrar(ShopRule, code, name, category, severity, params)


def event_rule(code: str, name: str, category: str, severity: Severity
               ) -> Callable[[Check[S]], Check[S]]:
    """Register the decorated function as :class:`EventRule` ``code`` (no parameters)."""
    return _registrar(EventRule, code, name, category, severity, None)


@functools.cache
def _load() -> None:
    """Import every rule module (each registers its rules), once."""
    from imagecheck import rules as _rules  # rule modules import this one

    _rules.load_all()


@overload
def all_rules() -> list[Rule[Any]]: ...
@overload
def all_rules(kind: type[R]) -> list[R]: ...
def all_rules(kind: type[Any] = Rule) -> list[Any]:
    """Every registered rule, sorted by code, optionally only those of one ``kind``
    (:class:`ImageRule`, :class:`ShopRule` or :class:`EventRule`)."""
    _load()
    return sorted((r for r in REGISTRY.values() if isinstance(r, kind)), key=lambda r: r.code)


def get_rule(code: str) -> Rule[Any]:
    """The rule registered as ``code`` (case-insensitive; an old code names its new rule,
    :data:`ALIASES`); ``KeyError`` if none."""
    _load()
    return REGISTRY[canonical(code)]


def matches(code: str, prefixes: Iterable[str]) -> bool:
    """Whether ``code`` starts with any of ``prefixes`` (``ALL`` matches everything)."""
    return any(p == "ALL" or code.startswith(p) for p in prefixes)
