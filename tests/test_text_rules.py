"""TX3xx and LG3xx rules: each fires on a generated case and stays quiet on a clean one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from imagecheck.analysis.facts import Facts
from imagecheck.analysis.options import AnalysisOptions
from imagecheck.analysis.text import TextBox, TextFacts
from imagecheck.findings import Finding, Severity
from imagecheck.i18n import translate
from imagecheck.rules.registry import get_rule
from imagecheck_dev import synth
from imagecheck_dev.facts import facts_of

pytestmark = pytest.mark.usefixtures("cjk_font")


def run(code: str, image: np.ndarray, **options: object) -> list[Finding]:
    facts = facts_of(image, AnalysisOptions(**options), file_size=100_000)  # type: ignore[arg-type]
    rule = get_rule(code)
    return list(rule.findings(facts, rule.defaults()))


def overlay(text: str = "包邮", position: str = "top-left") -> np.ndarray:
    return synth.text_overlay(synth.shot(), text, 0.08, position=position)  # type: ignore[arg-type]


def test_tx301_overlay_text_with_evidence() -> None:
    (f,) = run("TX301", overlay("夏季新款", "bottom-left"))
    assert f.category == "text" and f.severity is Severity.ERROR
    assert f.value == "夏季新款" and f.box is not None and f.box[1] > 600
    # two edges read "the left and right edges" (it said "the left, right edge")
    assert f.message.endswith("runs to the left and right edges of the image")
    assert f.details["kind"] == "overlay" and f.details["edges"] == ["left", "right"]
    assert translate(f.message, "zh").endswith("位于延伸到图片左、右边的纯色区域上")


def test_tx301_quiet_on_print_and_with_ocr_off() -> None:
    assert run("TX301", synth.case("printed_label_bottle").image) == []
    assert run("TX301", overlay(), ocr="none") == []


def test_tx301_sums_up_many_lines() -> None:
    image = synth.shot(shape=(1000, 1000))
    for i, pos in enumerate(["top-left", "top-right", "bottom-left", "bottom-right", "top",
                             "bottom", "center"]):
        image = synth.text_overlay(image, f"卖点{'一二三四五六七'[i]}号", 0.05, (20, 20, 20), pos)
    found = run("TX301", image)
    assert len(found) == 6 and "1 more line of added text" in found[-1].message


def test_tx302_names_the_promotional_words() -> None:
    (f,) = run("TX302", overlay("限时秒杀 ¥99"))
    assert "秒杀" in f.message and "price" in f.message
    # the price term was left in English in the Chinese report
    assert "价格" in translate(f.message, "zh") and "price" not in translate(f.message, "zh")
    assert run("TX302", overlay("夏季新款")) == []


def test_tx303_brand_from_the_list_in_overlays_only() -> None:
    (f,) = run("LG303", overlay("LUMA 官方"), brands=("luma",))
    assert f.category == "logo" and f.value == "luma"
    assert run("LG303", synth.case("printed_brand_box").image, brands=("LUMA",)) == []
    assert run("LG303", overlay("LUMA 官方")) == []


def test_tx304_print_is_info_only() -> None:
    (f,) = run("TX304", synth.case("printed_label_bottle").image)
    assert f.severity is Severity.INFO and "LOTION" in f.message
    assert run("TX304", synth.case("clean_bottle").image) == []


def test_tx305_added_logo() -> None:
    found = run("LG305", synth.case("logo_mark").image)
    assert found and all(f.category == "logo" for f in found)
    assert any(f.box is not None and f.box[0] < 100 and f.box[1] < 100 for f in found)
    for name in ("clean_bottle", "printed_brand_box", "text_banner_bottom"):
        assert run("LG305", synth.case(name).image) == [], name


def test_tx306_logo_file(tmp_path: Path) -> None:
    from test_logos import make_logo, paste

    path = tmp_path / "mine.png"
    Image.fromarray(make_logo()).save(path)
    image = paste(synth.shot("box", fill=0.5), make_logo(), 150, (600, 620))
    (f,) = run("LG306", image, logos=(str(path),))
    assert f.value == "mine.png" and f.box is not None and f.box[0] > 550
    assert run("LG306", synth.shot("box", fill=0.5), logos=(str(path),)) == []


def _lines_of(n: int, kind: str) -> Facts:
    facts = facts_of(synth.shot(), file_size=100_000)
    facts.__dict__["text"] = TextFacts("test", tuple(
        TextBox(f"line {i}", 0.95, (10, 10 + 40 * i, 200, 40 + 40 * i), kind, "test")
        for i in range(n)))
    return facts


@pytest.mark.parametrize(("n", "code", "kind", "ends"), [
    (7, "TX301", "overlay", '2 more lines of added text: "line 5", "line 6"'),
    (9, "TX301", "overlay", '4 more lines of added text: "line 5", "line 6", "line 7"...'),
    (4, "TX304", "print", '4 lines printed on the product: "line 0", "line 1", "line 2", "line 3"'),
    (5, "TX304", "print", '"line 2", "line 3"...'),
])
def test_summed_up_lines_end_in_dots_only_when_some_are_not_shown(
        n: int, code: str, kind: str, ends: str) -> None:
    """Two more lines, both shown, read "...: "line 5", "line 6"..." (and the Chinese had
    no mark of lines left out)."""
    rule = get_rule(code)
    last = list(rule.findings(_lines_of(n, kind), rule.defaults()))[-1].message
    assert last.endswith(ends)
    assert translate(last, "zh").endswith("等") == ends.endswith("...")
