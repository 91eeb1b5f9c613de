"""The one registry of rules: stable codes, their documentation and their parameters.

A rule is a small pure function registered with :func:`rule`. Its docstring is its
documentation: the first line is the summary, the rest says which platform rule it
enforces and how to fix the image (``imagecheck explain CODE`` prints it).
Image rules take ``(facts, params)``; shop rules take ``(shop_data, params)``; event
rules (``kind="event"``: unreadable files, crashed checks) are raised by the runner with
what happened as their subject. All
yield :class:`~imagecheck.findings.Hit` objects that :meth:`Rule.findings` stamps with
the rule's code, category and severity.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from imagecheck.findings import CATEGORIES, Finding, Hit, Severity
from imagecheck.i18n import Message, msg

CODE_RE = re.compile(r"^[A-Z]{2,4}\d{3}$")

RuleFunc = Callable[[Any, Mapping[str, float]], Iterable[Hit]]


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
class Rule:
    """A registered rule."""

    code: str
    name: str
    category: str
    severity: Severity
    func: RuleFunc
    params: Mapping[str, Param] = field(default_factory=dict)
    kind: str = "image"

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

    def findings(self, subject: Any, params: Mapping[str, float]) -> Iterator[Finding]:
        """Run the rule and stamp each hit with this rule's code, category and severity."""
        for hit in self.func(subject, params):
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


REGISTRY: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    category: str,
    severity: Severity,
    params: Mapping[str, Param] | None = None,
    kind: str = "image",
) -> Callable[[RuleFunc], RuleFunc]:
    """Register the decorated function as rule ``code``."""
    if not CODE_RE.match(code):
        raise ValueError(f"rule code {code!r} must look like AB123")
    if category not in CATEGORIES:
        raise ValueError(f"rule {code}: unknown category {category!r}")

    def register(func: RuleFunc) -> RuleFunc:
        if code in REGISTRY:
            raise ValueError(f"rule code {code} registered twice")
        if not (func.__doc__ or "").strip():
            raise ValueError(f"rule {code} has no docstring")
        REGISTRY[code] = Rule(code, name, category, severity, func, dict(params or {}), kind)
        return func

    return register


def all_rules(kind: str | None = None) -> list[Rule]:
    """Every registered rule, sorted by code, optionally only those of one kind."""
    from imagecheck import rules as _rules  # noqa: F401  (imports register the rules)

    _rules.load_all()
    return sorted(
        (r for r in REGISTRY.values() if kind is None or r.kind == kind), key=lambda r: r.code
    )


def get_rule(code: str) -> Rule:
    """The rule registered as ``code`` (case-insensitive); ``KeyError`` if none."""
    all_rules()
    return REGISTRY[code.upper()]


def matches(code: str, prefixes: Iterable[str]) -> bool:
    """Whether ``code`` starts with any of ``prefixes`` (``ALL`` matches everything)."""
    return any(p == "ALL" or code.startswith(p) for p in prefixes)
