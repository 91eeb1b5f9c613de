"""Keep the message catalogs in step with the code (run by hand; Babel is a dev dependency).

    python tools/catalog.py           # extract, update locale/*/imagecheck.po, compile .mo
    python tools/catalog.py --check   # exit 1 if a catalog is stale or a message untranslated

Messages come from three places, each written once in English in the code:
``msg``/``nmsg``/``N_`` calls and ``Param`` help texts (found in the syntax tree), the rules'
docstrings (their summaries and paragraphs, as ``explain`` shows them) and the CLI's help
texts (commands and options, from the click objects). Translators edit the ``.po`` files;
this script merges new messages into them and compiles the ``.mo`` files shipped in the
package.
"""

from __future__ import annotations

import argparse
import ast
import gettext
import importlib
import inspect
import io
import sys
from collections.abc import Iterator
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "imagecheck"
LOCALES = PACKAGE / "locale"
#: Calls whose string arguments (1-based positions) are messages.
KEYWORDS = {"msg": (1,), "nmsg": (1, 2), "N_": (1,), "Param": (4,)}

Entry = tuple[str | tuple[str, str], str, int]


def from_code() -> Iterator[Entry]:
    """``msg``, ``nmsg``, ``N_`` and ``Param`` help strings in the package's code (read
    from its syntax tree, so calls inside f-strings are found too)."""
    for path in sorted(PACKAGE.rglob("*.py")):
        where = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            spec = KEYWORDS.get(name or "", ())
            texts = [_constant(node.args[i - 1]) if i <= len(node.args) else None
                     for i in spec]
            if name == "Param":
                texts = [_constant(k.value) for k in node.keywords if k.arg == "help"] or texts
            if texts and all(texts):
                yield (texts[0] if len(texts) == 1 else tuple(texts)), where, node.lineno


def _constant(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def from_rules() -> Iterator[Entry]:
    """Every rule's summary and the paragraphs of its documentation."""
    from imagecheck.i18n import paragraphs
    from imagecheck.rules.registry import all_rules

    for r in all_rules():
        source = Path(inspect.getsourcefile(r.func) or "").resolve().relative_to(ROOT)
        line = inspect.getsourcelines(r.func)[1]
        for text in [r.summary, *paragraphs(r.doc)]:
            yield text, str(source), line


def from_cli() -> Iterator[Entry]:
    """The help of the ``imagecheck`` group, every command and every option."""
    from imagecheck.cli import COMMANDS, main
    from imagecheck.i18n import paragraphs

    commands: list[click.Command] = [main]
    for name, (module, short) in COMMANDS.items():
        commands.append(getattr(importlib.import_module(f"imagecheck.cli.{module}"), name))
        yield short, "src/imagecheck/cli/__init__.py", 0
    for command in commands:
        where = f"src/imagecheck/cli ({command.name})"
        for text in paragraphs(command.help or ""):
            if not text.startswith("\b"):
                yield text, where, 0
        for param in command.params:
            if isinstance(param, click.Option) and param.help:
                yield param.help, where, 0


def template() -> Catalog:
    """A catalog of every message in the code, with no translations."""
    catalog = Catalog(project="imagecheck", fuzzy=False)
    for message, where, line in (*from_code(), *from_rules(), *from_cli()):
        if message:
            catalog.add(message, locations=[(where, line)])
    return catalog


def po_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / "imagecheck.po"


def updated(lang: str, pot: Catalog) -> Catalog:
    """The ``lang`` catalog merged with ``pot``: new messages added, gone ones dropped."""
    path = po_path(lang)
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
    else:
        catalog = Catalog(locale=lang, project="imagecheck", fuzzy=False)
    catalog.update(pot, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=False, include_previous=False,
             include_lineno=False)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def _entries(catalog: Catalog) -> list[tuple[object, object, object]]:
    """A catalog's messages, translations and source files (not its header's dates)."""
    return [(m.id, m.string, sorted({where for where, _ in m.locations})) for m in catalog
            if m.id]


def _compiled(data: bytes) -> dict[object, str]:
    """The messages of a compiled catalog (without its header)."""
    table = gettext.GNUTranslations(io.BytesIO(data))._catalog  # type: ignore[attr-defined]
    return {k: v for k, v in table.items() if k != ""}


def _translated(string: str | tuple[str, ...]) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)


def languages() -> list[str]:
    return sorted(p.name for p in LOCALES.iterdir() if p.is_dir())


def problems() -> list[str]:
    """What is out of step: stale catalogs, missing translations, stale compiled files."""
    sys.path.insert(0, str(ROOT / "src"))
    pot = template()
    found = []
    for lang in languages():
        path = po_path(lang)
        catalog = updated(lang, pot)
        with path.open("rb") as handle:
            written = read_po(handle, locale=lang)
        if _entries(catalog) != _entries(written):
            found.append(f"{path} is not up to date with the code: run tools/catalog.py")
        missing = [m.id for m in catalog if m.id and (m.fuzzy or not _translated(m.string))]
        found += [f"{lang}: no translation for {mid!r}" for mid in missing]
        mo = path.with_suffix(".mo")
        if not mo.exists() or _compiled(mo.read_bytes()) != _compiled(mo_bytes(catalog)):
            found.append(f"{mo} is not compiled from {path.name}: run tools/catalog.py")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report what is stale")
    parser.add_argument("--lang", action="append", help="create or update this language")
    args = parser.parse_args()
    if args.check:
        found = problems()
        print("\n".join(found) or "catalogs up to date")
        return 1 if found else 0
    sys.path.insert(0, str(ROOT / "src"))
    pot = template()
    for lang in sorted(set(languages()) | set(args.lang or ())):
        catalog = updated(lang, pot)
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(po_bytes(catalog))
        path.with_suffix(".mo").write_bytes(mo_bytes(catalog))
        untranslated = sum(1 for m in catalog if m.id and (m.fuzzy or not _translated(m.string)))
        print(f"{path.relative_to(ROOT)}: {len(catalog)} messages, {untranslated} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
