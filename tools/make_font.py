"""Build the CJK fonts shipped in ``src/imagecheck/fonts/`` (run by hand after the
catalogs gain characters; fontTools and noto-cjk-sans-otc are test dependencies).

    python tools/make_font.py

Both are subsets of Noto Sans CJK SC Regular (SIL Open Font License 1.1, from the
``noto-cjk-sans-otc`` package), without hinting or layout features:

- ``imagecheck-cjk.otf`` draws annotated images and HTML thumbnails: every character of
  the translations, ASCII, CJK punctuation, full-width forms and the 3,755 most common
  Chinese characters (GB 2312 level 1), since labels quote the text OCR read;
- ``imagecheck-cjk-ui.otf`` is embedded in Chinese HTML reports so the page reads on a
  machine without a Chinese font: the translations' characters, the words shop findings
  quote from the shop's data (provinces, categories, tracking keywords), ASCII and
  punctuation.

``tests/test_i18n.py`` checks that both cover every character of the translations.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from babel.messages.pofile import read_po
from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "src" / "imagecheck" / "fonts"
LOCALES = ROOT / "src" / "imagecheck" / "locale"
#: Noto Sans CJK SC in the collection.
SC_INDEX = 2
PUNCTUATION = "".join(chr(c) for c in range(0x3000, 0x3040)) + "…“”‘’—–·×✓✗←→•"
FULL_WIDTH = "".join(chr(c) for c in range(0xFF01, 0xFF5F))
ASCII = "".join(chr(c) for c in range(0x20, 0x7F))


def catalog_characters() -> set[str]:
    """Every character of every catalog's translations."""
    chars: set[str] = set()
    for po in LOCALES.glob("*/LC_MESSAGES/*.po"):
        with po.open("rb") as handle:
            for m in read_po(handle):
                for text in _texts(m.string):
                    chars |= set(text)
    return {c for c in chars if c.isprintable()}


def _texts(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if not value:
        return ()
    return value if isinstance(value, tuple) else (value,)


def data_words() -> set[str]:
    """Characters of the words shop reports quote from the shop's data: provinces,
    categories, tracking keywords (shop/defaults.py)."""
    sys.path.insert(0, str(ROOT / "src"))
    from imagecheck.shop import defaults

    words = [*defaults.PROVINCES, *defaults.INDIVIDUAL_CATEGORIES, *defaults.HUB_KEYWORDS,
             *defaults.DEPARTURE_KEYWORDS, *defaults.DELIVERY_KEYWORDS,
             *defaults.AUTO_REPLY_MARKERS]
    return set("".join(words))


def common_hanzi() -> set[str]:
    """GB 2312 level 1: the 3,755 most common Simplified Chinese characters."""
    out = set()
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                out.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return out


def build(source: Path, chars: set[str], target: Path, family: str) -> None:
    font = TTFont(source, fontNumber=SC_INDEX, recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(font)
    names = font["name"]
    for record in names.names:
        if record.nameID in (1, 4):
            names.setName(family, record.nameID, record.platformID, record.platEncID,
                          record.langID)
        elif record.nameID == 6:
            names.setName(family.replace(" ", ""), 6, record.platformID, record.platEncID,
                          record.langID)
    font.save(target)
    print(f"{target.relative_to(ROOT)}: {len(chars)} characters, {target.stat().st_size:,} bytes")


def main() -> int:
    import noto_cjk_sans_otc

    source = Path(str(noto_cjk_sans_otc.FONT_PATH))
    FONTS.mkdir(parents=True, exist_ok=True)
    base = catalog_characters() | data_words() | set(ASCII) | set(PUNCTUATION)
    build(source, base, FONTS / "imagecheck-cjk-ui.otf", "imagecheck CJK UI")
    build(source, base | set(FULL_WIDTH) | common_hanzi(), FONTS / "imagecheck-cjk.otf",
          "imagecheck CJK")
    licence = next(Path(source).parent.parent.glob("noto_cjk_sans_otc-*.dist-info/licenses/*"))
    shutil.copyfile(licence, FONTS / "OFL.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
