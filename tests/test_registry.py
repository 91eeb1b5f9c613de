"""The rule registry: rules typed by what they judge, built once, stamping findings."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator, Mapping

import pytest

from imagecheck.findings import Hit, Severity
from imagecheck.rules import registry
from imagecheck.rules.registry import (
    ALIASES,
    CODE_RE,
    EventRule,
    ImageRule,
    Param,
    Rule,
    ShopRule,
    all_rules,
    canonical,
    event_rule,
    get_rule,
    old_codes,
    rule,
    shop_rule,
)


@pytest.fixture
def scratch(monkeypatch: pytest.MonkeyPatch) -> dict[str, Rule[object]]:
    """An empty registry to register test rules in (the real one is put back after)."""
    table: dict[str, Rule[object]] = {}
    monkeypatch.setattr(registry, "REGISTRY", table)
    return table


def test_every_code_is_well_formed_and_unique() -> None:
    codes = [r.code for r in all_rules()]
    assert codes == sorted(set(codes))
    assert all(CODE_RE.match(c) for c in codes)


#: A code's letters -> the categories its rules may have: the prefix says the category.
PREFIX_CATEGORIES: dict[str, set[str]] = {
    "BG": {"background"},
    "FR": {"centring", "fill"},
    "OV": {"border", "badge", "watermark"},
    "TX": {"text"},
    "LG": {"logo"},
    "CP": {"composition"},
    "IQ": {"quality"},
    "FX": {"quality"},  # FX101: the fix's own finding, a fixed copy enlarged
    "IN": {"input"},
    "KS": {"shop"},
    "PDD": {"shop"},
}


@pytest.mark.parametrize("r", all_rules(), ids=lambda r: r.code)
def test_the_prefix_says_the_category(r: Rule[object]) -> None:
    prefix = re.sub(r"\d+$", "", r.code)
    assert r.category in PREFIX_CATEGORIES[prefix], f"{r.code} is {r.category}"


def test_each_category_has_one_prefix_but_quality_and_shop() -> None:
    owners: dict[str, set[str]] = {}
    for prefix, categories in PREFIX_CATEGORIES.items():
        for category in categories:
            owners.setdefault(category, set()).add(prefix)
    assert {c: p for c, p in owners.items() if len(p) > 1} == {
        "quality": {"IQ", "FX"}, "shop": {"KS", "PDD"}}


def test_old_codes_are_aliases_of_registered_rules() -> None:
    codes = {r.code for r in all_rules()}
    assert not set(ALIASES) & codes
    assert set(ALIASES.values()) <= codes
    for old, new in ALIASES.items():
        assert get_rule(old) is get_rule(new) is get_rule(old.lower())
        assert canonical(f" {old.lower()} ") == new and old in old_codes(new)
    assert get_rule("TX305").code == "LG305" and get_rule("ov421").code == "TX309"
    assert canonical("TX") == "TX" and canonical("bg101") == "BG101" and old_codes("BG101") == ()


def test_an_old_code_cannot_be_registered_again(scratch: dict[str, Rule[object]]) -> None:
    def again(facts: object, p: Mapping[str, float]) -> Iterator[Hit]:
        """Would shadow a renamed rule."""
        yield from ()

    with pytest.raises(ValueError, match="old code of LG305"):
        rule("TX305", "again", "logo", Severity.INFO)(again)


def test_rules_are_typed_by_what_they_judge() -> None:
    image, shop, event = all_rules(ImageRule), all_rules(ShopRule), all_rules(EventRule)
    assert len(image) + len(shop) + len(event) == len(all_rules())
    assert {r.code for r in event} == {"IN001", "IN005", "IN006", "FX101"}
    assert all(r.category == "shop" for r in shop) and "KS100" in {r.code for r in shop}
    assert {"BG101", "IN002", "CP601"} <= {r.code for r in image}
    assert not any(r.params for r in event)


def test_get_rule_is_case_insensitive_and_refuses_unknown_codes() -> None:
    assert get_rule("bg101") is get_rule("BG101")
    with pytest.raises(KeyError):
        get_rule("XX999")


def test_the_rule_modules_are_walked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    all_rules()
    walks: list[None] = []
    monkeypatch.setattr("imagecheck.rules.load_all", lambda: walks.append(None))
    for code in ("BG101", "KS101", "IN001"):
        get_rule(code)
    all_rules(ShopRule)
    assert walks == []


def test_findings_are_stamped_with_code_category_and_severity(
        scratch: dict[str, Rule[object]]) -> None:
    @rule("ZZ101", "test-rule", "quality", Severity.WARNING,
          params={"limit": Param(2, 0, 10, "a limit")})
    def judged(facts: object, p: Mapping[str, float]) -> Iterator[Hit]:
        """A test rule.

        Fix: nothing.
        """
        yield Hit("over", value=3, threshold=p["limit"], box=(0, 0, 1, 1))
        yield Hit("mild", severity=Severity.INFO, target="t")

    r = scratch["ZZ101"]
    assert isinstance(r, ImageRule) and r.summary == "A test rule." and r.func is judged
    assert r.defaults() == {"limit": 2}
    first, second = r.findings(object(), r.defaults())
    assert (first.code, first.category, first.severity) == ("ZZ101", "quality", Severity.WARNING)
    assert (first.value, first.threshold, first.box) == (3, 2, (0, 0, 1, 1))
    assert second.severity is Severity.INFO and second.target == "t"


def test_a_hit_takes_its_numbers_by_keyword_only() -> None:
    with pytest.raises(TypeError):
        Hit("over", 3, 2)  # type: ignore[misc]
    assert Hit("over", value=3, threshold=2).threshold == 2


def test_each_decorator_registers_its_kind(scratch: dict[str, Rule[object]]) -> None:
    @shop_rule("ZZ201", "shop-test", "shop", Severity.ERROR)
    def shop_check(shop: str, p: Mapping[str, float]) -> Iterator[Hit]:
        """Shop test."""
        yield Hit(shop)

    @event_rule("ZZ301", "event-test", "input", Severity.ERROR)
    def event_check(what: str, p: Mapping[str, float]) -> Iterator[Hit]:
        """Event test."""
        yield Hit(what)

    assert isinstance(scratch["ZZ201"], ShopRule) and isinstance(scratch["ZZ301"], EventRule)
    assert [f.message for f in scratch["ZZ301"].findings("it broke", {})] == ["it broke"]


@pytest.mark.parametrize(("code", "category", "error"), [
    ("Z1", "quality", "must look like AB123"),
    ("ZZ101", "colour", "unknown category"),
])
def test_bad_codes_and_categories_are_refused(code: str, category: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        rule(code, "bad", category, Severity.INFO)


def test_a_rule_needs_a_docstring_and_a_code_of_its_own(
        scratch: dict[str, Rule[object]]) -> None:
    def undocumented(facts: object, p: Mapping[str, float]) -> Iterator[Hit]:
        yield from ()

    with pytest.raises(ValueError, match="no docstring"):
        rule("ZZ102", "undocumented", "quality", Severity.INFO)(undocumented)
    undocumented.__doc__ = "Documented now."
    rule("ZZ102", "documented", "quality", Severity.INFO)(undocumented)
    with pytest.raises(ValueError, match="registered twice"):
        rule("ZZ102", "again", "quality", Severity.INFO)(undocumented)


@pytest.mark.parametrize(("value", "error"), [
    (11, r"ZZ101\.limit = 11 is out of range; allowed 0 to 10"),
    ("3", "must be a number"),
    (True, "must be a number"),
])
def test_param_check_refuses_values_outside_its_range(value: object, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        Param(2, 0, 10, "a limit").check("ZZ101", "limit", value)


def test_param_check_returns_a_float() -> None:
    assert Param(2, 0, 10, "a limit").check("ZZ101", "limit", 4) == 4.0


def test_the_rule_modules_loaded_are_all_that_register_rules() -> None:
    """Importing every module of the rule and shop packages registers no rule that
    :func:`imagecheck.rules.load_all` (which skips the shop's readers, profile parser and
    API) did not."""
    code = ("import importlib, pkgutil\n"
            "import imagecheck.rules, imagecheck.shop\n"
            "from imagecheck.rules.registry import REGISTRY, all_rules\n"
            "loaded = len(all_rules())\n"
            "for package in (imagecheck.rules, imagecheck.shop):\n"
            "    for info in pkgutil.iter_modules(package.__path__):\n"
            "        importlib.import_module(f'{package.__name__}.{info.name}')\n"
            "print(loaded, len(REGISTRY))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    loaded, every = done.stdout.split()
    assert loaded == every
