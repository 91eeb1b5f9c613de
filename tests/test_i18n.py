"""Chinese output (issue 18): catalogs complete and in step with the code, placeholders
kept, the language chosen by option, configuration or locale, and machine formats the
same in every language."""

from __future__ import annotations

import importlib.util
import json
import pickle
import re
import string
from pathlib import Path

import pytest
from click.testing import CliRunner

from imagecheck.cli import main
from imagecheck.config import ROLES
from imagecheck.findings import CATEGORIES, Severity
from imagecheck.i18n import (
    LANGS,
    and_list,
    choose_lang,
    from_data,
    join,
    msg,
    nmsg,
    parse_lang,
    term,
    to_data,
    translate,
    translate_doc,
)
from imagecheck.rules.registry import all_rules
from imagecheck_dev import synth

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "src" / "imagecheck" / "locale" / "zh" / "LC_MESSAGES" / "imagecheck.po"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _catalog_tool():  # type: ignore[no-untyped-def]
    pytest.importorskip("babel")
    spec = importlib.util.spec_from_file_location("catalog", ROOT / "tools" / "catalog.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fields(template: str) -> list[tuple[str, str, str | None]]:
    return sorted((name, spec, conv) for _, name, spec, conv in string.Formatter().parse(template)
                  if name is not None)


def test_catalogs_are_complete_and_in_step_with_the_code() -> None:
    """Every message in the code (msg/nmsg/N_, Param help, rule docs) is in the zh
    catalog with a translation, and the compiled .mo is the .po's."""
    assert _catalog_tool().problems() == []


def test_translations_keep_every_placeholder() -> None:
    from babel.messages.pofile import read_po

    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="zh")
    checked = 0
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for text in strings:
            assert _fields(text) == _fields(ids[-1]), (m.id, text)
            checked += 1
    assert checked > 300


def test_every_rule_summary_and_word_reads_in_chinese() -> None:
    for r in all_rules():
        assert CJK.search(translate_doc(r.summary, "zh")), r.code
        assert translate_doc(r.doc, "zh").count("\n\n") == r.doc.strip().count("\n\n"), r.code
    for word in [*CATEGORIES, *ROLES, *(str(s) for s in Severity)]:
        assert CJK.search(translate(term(word), "zh")), word


def test_message_is_english_text_and_says_itself_in_chinese() -> None:
    text = msg("{white:.0%} of the background is white (needs {need:.0%}); the rest is {kind},"
               " colour {colour}", white=0.42, need=0.5, kind=term("grey"), colour="#C8C8C8")
    assert text == "42% of the background is white (needs 50%); the rest is grey, colour #C8C8C8"
    assert translate(text, "zh") == "背景只有 42% 是白色(要求至少 50%);其余是灰色,颜色 #C8C8C8"
    assert translate(text, "en") == str(text)
    assert translate("plain text", "zh") == "plain text"
    assert nmsg("{n} image: {passed} pass, {failed} fail, {errors} error",
                "{n} images: {passed} pass, {failed} fail, {errors} error",
                n=1, passed=1, failed=0, errors=0).startswith("1 image:")
    listed = join([term("top"), term("left")])
    assert (listed, translate(listed, "zh")) == ("top, left", "上、左")
    phrase = and_list([term("top"), term("left"), term("right")])
    assert (phrase, translate(phrase, "zh")) == ("top, left and right", "上、左、右")
    assert and_list([term("top")]) == "top"


def test_message_survives_pickling_and_the_cache_format() -> None:
    text = msg("badge in the {corner} corner, colour {colour}, with text or a mark on it",
               corner=term("top-left"), colour="#DD1D29")
    stored = json.loads(json.dumps(to_data(text)))
    for copy in (pickle.loads(pickle.dumps(text)), from_data(stored)):
        assert copy == text
        assert translate(copy, "zh") == "左上角有角标,颜色 #DD1D29,上面有文字或图案"


@pytest.mark.parametrize(("option", "configured", "env", "expected"), [
    (None, None, {}, "en"),
    (None, None, {"LANG": "zh_CN.UTF-8"}, "zh"),
    (None, None, {"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    (None, None, {"LC_MESSAGES": "zh_TW.UTF-8"}, "zh"),
    (None, "zh", {"LANG": "C"}, "zh"),
    ("en", "zh", {"LANG": "zh_CN.UTF-8"}, "en"),
    ("zh", None, {}, "zh"),
])
def test_language_choice_order(option: str | None, configured: str | None,
                               env: dict[str, str], expected: str) -> None:
    assert choose_lang(option, configured, env) == expected


def test_unknown_language_is_refused() -> None:
    assert parse_lang("zh-CN") == "zh" and parse_lang("en_GB") == "en"
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        parse_lang("fr")
    assert set(LANGS) == {"en", "zh"}


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("zh")
    synth.save(synth.shot("box", (800, 800), background=200), root / "main" / "grey.jpg")
    synth.save(synth.frame(synth.shot("mug", (800, 800)), 12, (220, 30, 40)),
               root / "carousel" / "frame.jpg")
    synth.save(synth.shot("bottle", (300, 300)), root / "carousel" / "small.jpg")
    return root


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.output


def test_scan_in_chinese_by_option_and_by_locale(images: Path) -> None:
    code, out = _run("scan", str(images), "--ocr", "none", "--jobs", "1", "--lang", "zh")
    assert code == 1, out
    assert "背景只有" in out and "边框" in out and "不通过" in out
    assert "张图片" in out.splitlines()[-1] and "警告及以上判为不通过" in out
    _, by_locale = _run("scan", str(images), "--ocr", "none", "--jobs", "1",
                        env={"LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
    assert by_locale == out
    assert not CJK.search(_run("scan", str(images), "--ocr", "none", "--jobs", "1",
                               "--lang", "en")[1])


def test_lang_in_the_configuration(images: Path, tmp_path: Path) -> None:
    config = tmp_path / "imagecheck.toml"
    config.write_text('lang = "zh"\n', encoding="utf-8")
    _, out = _run("scan", str(images / "carousel" / "frame.jpg"), "--ocr", "none",
                  "--config", str(config), env={"LANG": "C", "LC_ALL": ""})
    assert "边框" in out
    config.write_text('lang = "fr"\n', encoding="utf-8")
    code, out = _run("scan", str(images), "--ocr", "none", "--config", str(config))
    assert code == 2 and "unknown language 'fr'" in out


def test_json_differs_only_in_message_notes_and_lang(images: Path) -> None:
    def scan(lang: str) -> dict[str, object]:
        _, out = _run("scan", str(images), "--ocr", "none", "--jobs", "1", "-f", "json",
                      "--lang", lang)
        data = json.loads(out)
        assert data.pop("lang") == lang
        return data

    english, chinese = scan("en"), scan("zh")

    def strip(data: object) -> object:
        if isinstance(data, dict):
            return {k: strip(v) for k, v in data.items() if k not in ("message", "notes")}
        if isinstance(data, list):
            return [strip(v) for v in data]
        return data

    assert strip(english) == strip(chinese)
    messages = [f["message"] for img in chinese["images"] for f in img["findings"]]  # type: ignore[index]
    assert messages and all(CJK.search(m) for m in messages)


def test_explain_in_chinese() -> None:
    code, out = _run("explain", "BG101", "--lang", "zh")
    assert code == 0
    assert out.startswith("BG101 background-not-white (背景, 错误)")
    assert "拼多多主图要求背景以纯白为主" in out and "修改方法" in out and "参数" in out
    assert "背景中必须接近纯白的像素比例" in out  # the parameter's help
    code, out = _run("explain", "XX999", "--lang", "zh")
    assert code == 2 and "没有规则" in out


@pytest.mark.parametrize("name", ["imagecheck-cjk.otf", "imagecheck-cjk-ui.otf"])
def test_shipped_fonts_cover_every_catalog_character(name: str) -> None:
    """No tofu: each shipped font has a glyph for every character the catalogs use."""
    pytest.importorskip("babel")
    ttlib = pytest.importorskip("fontTools.ttLib")
    spec = importlib.util.spec_from_file_location("make_font", ROOT / "tools" / "make_font.py")
    assert spec and spec.loader
    make_font = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_font)
    font = ttlib.TTFont(ROOT / "src" / "imagecheck" / "fonts" / name)
    covered = {chr(c) for c in font.getBestCmap()}
    missing = sorted(make_font.catalog_characters() - covered - {" "})
    assert not missing, f"{name} lacks {''.join(missing)}: run tools/make_font.py"
    assert (ROOT / "src" / "imagecheck" / "fonts" / "OFL.txt").is_file()


def test_annotated_image_draws_chinese_labels(images: Path, tmp_path: Path) -> None:
    _run("annotate", str(images / "carousel" / "frame.jpg"), "--out", str(tmp_path), "--ocr",
         "none", "--lang", "zh")
    (copy,) = tmp_path.rglob("*.annotated.png")
    from PIL import Image

    with Image.open(copy) as img:
        assert img.height > 800  # the legend panel below the image


def test_help_in_chinese() -> None:
    code, out = _run("scan", "--lang", "zh", "--help")
    assert code == 0
    assert "用法:" in out and "选项" in out and "检查 PATHS 里的图片" in out
    assert "imagecheck scan ./listing" in out  # examples kept as written
    _, top = _run("--help", env={"LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
    assert "命令" in top and "上架前按各平台规则检查商品图片" in top
    assert "Usage:" in _run("scan", "--help", env={"LANG": "C", "LC_ALL": ""})[1]


def test_lang_before_the_command_applies_to_it() -> None:
    """``imagecheck --lang zh COMMAND``: the command and the top-level help in Chinese; the
    command's own ``--lang`` wins."""
    en = {"LANG": "C", "LC_ALL": "", "LC_MESSAGES": ""}
    code, out = _run("--lang", "zh", "explain", "BG101", env=en)
    assert code == 0 and out.startswith("BG101 background-not-white (背景, 错误)")
    assert _run("--lang", "zh", "explain", "BG101", "--lang", "en", env=en)[1].startswith(
        "BG101 background-not-white (background, error)")
    code, top = _run("--lang", "zh", "--help", env=en)
    assert code == 0 and "命令" in top


def test_help_defaults_and_examples_in_chinese() -> None:
    _, out = _run("scan", "--lang", "zh", "--help")
    assert "示例:" in out and "[默认:text]" in out
    assert "Examples:" not in out and "default:" not in out
    _, english = _run("scan", "--lang", "en", "--help")
    assert "\n  Examples:\n    imagecheck scan ./listing" in english
    assert "[default: text]" in english


EN = {"LANG": "C", "LC_ALL": "", "LC_MESSAGES": ""}


@pytest.mark.parametrize(("args", "chinese", "english"), [
    (["scan", "--bogus", "--lang", "zh", "x"], "错误:没有选项 '--bogus'。(是不是要用其中之一:",
     "Error: No such option '--bogus'. (Did you mean one of:"),
    (["explain", "--lang", "zh"], "错误:缺少参数 'CODE'。", "Error: Missing argument 'CODE'."),
    (["scan", "--lang", "zh", "-f", "nope", "x"], "'--format' / '-f' 的值无效:'nope' 不在可选值",
     "Invalid value for '--format' / '-f': 'nope' is not one of"),
    (["scan", "--lang", "zh", "-j", "-1", "x"], "-1 不在范围 x>=0 内。", "is not in the range"),
    (["scan", "--lang=zh", "--logo", "nofile", "x"], "文件 'nofile' 不存在。",
     "File 'nofile' does not exist."),
    (["rules", "--lang", "zh", "extra"], "多了一个参数(extra)",
     "Got unexpected extra argument (extra)"),
    (["scna", "--lang", "zh"], "没有命令 'scna'。", "No such command 'scna'."),
])
def test_click_usage_errors_in_chinese(args: list[str], chinese: str, english: str) -> None:
    result = CliRunner().invoke(main, args, env=EN, prog_name="imagecheck")
    assert result.exit_code == 2
    assert chinese in result.output and "用法:imagecheck" in result.output
    assert "运行 'imagecheck" in result.output and "--help' 查看帮助。" in result.output
    en = CliRunner().invoke(main, [a for a in args if "zh" not in a and a != "--lang"], env=EN,
                            prog_name="imagecheck")
    assert en.exit_code == 2 and english in en.output and "Usage: imagecheck" in en.output
    zh = CliRunner().invoke(main, [a for a in args if "zh" not in a and a != "--lang"],
                            env={**EN, "LANG": "zh_CN.UTF-8"})
    assert chinese in zh.output


def _glossary() -> list[tuple[str, str]]:
    """The checked rows of docs/glossary-zh.md: (English term, Chinese term)."""
    rows = []
    for line in (ROOT / "docs" / "glossary-zh.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[2] == "yes":
            rows.append((cells[0], cells[1]))
    return rows


def test_translations_use_the_glossary() -> None:
    from babel.messages.pofile import read_po

    rows = _glossary()
    assert len(rows) >= 15
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="zh")
    wrong = []
    for m in catalog:
        if not m.id:
            continue
        english = " ".join(m.id) if isinstance(m.id, tuple) else m.id
        chinese = " ".join(m.string) if isinstance(m.string, tuple) else m.string
        for en, zh in rows:
            # a whole word, not part of a hyphenated word or a path (docs/shop.md)
            term_re = rf"(?<![-/.\w]){re.escape(en)}(?![-/.]?\w)"
            if re.search(term_re, english, re.IGNORECASE) and zh not in chinese:
                wrong.append(f"{en} -> {zh}: {english[:60]!r}")
    assert not wrong, "\n".join(wrong)


def test_shop_row_reasons_in_chinese(tmp_path: Path) -> None:
    from imagecheck.shop.readers import read_chats

    path = tmp_path / "chats.csv"
    path.write_text("user,time,sender\n张三,2026-11-18 10:00:00,客服\n李四,昨天,买家\n"
                    "王五,2026-11-18 10:02:00,外星人\n", encoding="utf-8")
    _, summary = read_chats(path)
    rows = [translate(p.message, "zh") for p in summary.unusable]
    assert rows == ["第 3 行“time”列:无法识别时间 '昨天';应写成 2026-11-20 08:00:00 这样的格式",
                    "第 4 行“sender”列:无法识别的发送方 '外星人';应为 buyer/买家、agent/客服 或"
                    " bot/机器人"]
    assert str(summary.unusable[1]) == ("row 4, column sender: unknown sender '外星人'; expected"
                                        " buyer/买家, agent/客服 or bot/机器人")
    hit = summary.unusable_hit("chats", msg("are not counted"))
    assert "第 3 行" in translate(hit.message, "zh") and "; 第 4 行" in translate(hit.message, "zh")


def test_logo_file_error_in_chinese(tmp_path: Path) -> None:
    from PIL import Image

    blank = tmp_path / "blank.png"
    Image.new("RGB", (64, 64), "white").save(blank)
    result = CliRunner().invoke(main, ["scan", "--lang", "zh", "--ocr", "none", "--logo",
                                       str(blank), str(tmp_path)], prog_name="imagecheck")
    assert result.exit_code == 2
    assert f"错误:商标文件 {blank} 太小或是空白的,无法用来查找" in result.output


def test_shop_profile_errors_in_chinese(tmp_path: Path) -> None:
    from imagecheck.shop.model import ShopInputError
    from imagecheck.shop.profiles import read_profile

    path = tmp_path / "shop.toml"
    path.write_text('[shop]\nname = "x"\n[pdd]\nstore_type = "超市"\n',
                    encoding="utf-8")
    with pytest.raises(ShopInputError) as caught:
        read_profile(path)
    said = translate(caught.value.args[0], "zh")
    assert said.startswith(f"{path}:pdd.store_type:无法识别的值 '超市';应为 ") and "之一" in said
