"""Messages in the reader's language: English in the code, translations in gettext catalogs.

Every sentence a person reads is written once, in English, as a template with named
placeholders: ``msg("{white:.0%} of the background is white (needs {need:.0%})",
white=0.97, need=0.75)``. The result is a :class:`Message`: a ``str`` holding the English
text (so code that only needs English uses it as is), which also keeps its template and
arguments, so a reporter can say it in another language with :func:`translate`.

Translations live in ``locale/<lang>/LC_MESSAGES/imagecheck.po`` (compiled to ``.mo``,
read with the standard library's :mod:`gettext`); ``tools/catalog.py`` extracts the
templates from the code (with Babel) and compiles the catalogs. ``tests/test_i18n.py``
fails when a template has no translation or a translation's placeholders differ.
"""

from __future__ import annotations

import gettext
import inspect
import os
import re
import string
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

#: Languages with a catalog; English is the source language and the default.
LANGS: tuple[str, ...] = ("en", "zh")
DEFAULT_LANG = "en"
DOMAIN = "imagecheck"
#: Environment variables naming the user's locale, most specific first (POSIX order).
LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")


class Message(str):
    """An English sentence that remembers its template and arguments.

    ``plural`` is the English plural template of a message whose form depends on the
    number ``n`` among its arguments. Arguments may be messages themselves (a word such
    as a colour name, translated with the sentence)."""

    template: str
    plural: str | None
    args: Mapping[str, Any]

    def __new__(cls, template: str, plural: str | None = None, /, **args: Any) -> Message:
        chosen = template if plural is None or args.get("n") == 1 else plural
        self = super().__new__(cls, _fill(chosen, args, DEFAULT_LANG))
        self.template, self.plural, self.args = template, plural, args
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, self.plural, dict(self.args)))


def _rebuild(template: str, plural: str | None, args: dict[str, Any]) -> Message:
    return Message(template, plural, **args)


def msg(template: str, /, **args: Any) -> Message:
    """The message ``template`` with its named ``args`` (``str.format`` placeholders)."""
    return Message(template, None, **args)


def nmsg(singular: str, plural: str, /, n: int, **args: Any) -> Message:
    """A message with a singular and a plural form, chosen by the number ``n``."""
    return Message(singular, plural, n=n, **args)


def N_(word: str) -> str:  # noqa: N802  (gettext's name for "mark for translation")
    """Mark ``word`` for the catalog without translating it here (see :func:`term`)."""
    return word


def term(word: str) -> Message:
    """A word that data carries (a colour kind, an edge, a corner) as a message, so it is
    translated where it is shown; the word must be marked with :func:`N_` somewhere
    (see :mod:`imagecheck.terms`)."""
    return Message(word)


def translate(text: str, lang: str) -> str:
    """``text`` in language ``lang``: a :class:`Message` translated (English where its
    catalog has no translation), any other string as it is."""
    if not isinstance(text, Message) or lang == DEFAULT_LANG:
        return str(text)
    tr = translations(lang)
    if text.plural is None:
        template = tr.gettext(text.template)
    else:
        template = tr.ngettext(text.template, text.plural, int(text.args.get("n", 0)))
    try:
        return _fill(template, text.args, lang)
    except (KeyError, IndexError, ValueError):  # a broken translation: say it in English
        return str(text)


def _fill(template: str, args: Mapping[str, Any], lang: str) -> str:
    if not args:
        return template
    return template.format(**{k: translate(v, lang) if isinstance(v, Message) else v
                              for k, v in args.items()})


def placeholders(template: str) -> set[str]:
    """The names of the placeholders in ``template`` (with their format specs)."""
    return {f"{name}:{spec}" for _, name, spec, _ in string.Formatter().parse(template)
            if name is not None}


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of ``lang`` (a null catalog for English)."""
    if lang == DEFAULT_LANG:
        return gettext.NullTranslations()
    folder = resources.files("imagecheck") / "locale"
    return gettext.translation(DOMAIN, localedir=str(folder), languages=[lang])


def parse_lang(value: str) -> str:
    """The language ``value`` names (``zh``, ``zh-CN``, ``zh_CN.UTF-8``, ``中文``, ``en``...);
    ``ValueError`` for one without a catalog."""
    text = value.strip().lower().replace("-", "_")
    if text.startswith("zh") or text in ("中文", "简体中文"):
        return "zh"
    if text.startswith("en"):
        return "en"
    raise ValueError(f"unknown language {value!r}; choose from {', '.join(LANGS)}")


def choose_lang(option: str | None = None, configured: str | None = None,
                environ: Mapping[str, str] | None = None) -> str:
    """The language to speak: ``option`` (``--lang``), else ``configured`` (``lang`` in
    the configuration), else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: one
    starting with ``zh`` means Chinese), else English."""
    for value in (option, configured):
        if value:
            return parse_lang(value)
    env = os.environ if environ is None else environ
    for var in LOCALE_VARS:
        if env.get(var):
            return "zh" if env[var].lower().startswith("zh") else DEFAULT_LANG
    return DEFAULT_LANG


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal columns (a Chinese character
    takes two)."""
    return text + " " * max(0, width - sum(2 if ord(c) >= 0x1100 else 1 for c in text))


def paragraphs(doc: str) -> list[str]:
    """The paragraphs of a docstring, each on one line: the units its translation is
    kept in, so editing one paragraph leaves the others' translations in place."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", doc.strip()) if p.strip()]


def translate_doc(doc: str, lang: str) -> str:
    """A docstring (a rule's documentation) in ``lang``, paragraph by paragraph (English
    as written where ``lang`` is English or a paragraph has no translation)."""
    if lang == DEFAULT_LANG:
        return doc
    tr = translations(lang)
    return "\n\n".join(tr.gettext(p) for p in paragraphs(doc))


def translate_help(text: str, lang: str) -> str:
    """A command's help in ``lang``: each paragraph translated; of click's verbatim
    ``\\b`` blocks (examples) only the heading, the commands kept as written."""
    if lang == DEFAULT_LANG or not text:
        return inspect.cleandoc(text)
    tr = translations(lang)
    parts = re.split(r"\n\s*\n", inspect.cleandoc(text))
    return "\n\n".join(_verbatim(p, tr) if p.lstrip().startswith("\b")
                       else tr.gettext(" ".join(p.split())) for p in parts)


def _verbatim(block: str, tr: gettext.NullTranslations) -> str:
    """A ``\\b`` block of help with its heading (``Examples:``) translated and its
    lines (commands to type) as written."""
    first, _, rest = block.partition("\n")
    heading, _, lines = rest.partition("\n")
    if not heading.rstrip().endswith(":"):
        return block
    indent = heading[:len(heading) - len(heading.lstrip())]
    return f"{first}\n{indent}{tr.gettext(heading.strip())}\n{lines}"


def to_data(text: str) -> object:
    """``text`` as JSON data that :func:`from_data` turns back into the same message."""
    if not isinstance(text, Message):
        return text
    return {"template": text.template, "plural": text.plural,
            "args": {k: to_data(v) if isinstance(v, str) else v for k, v in text.args.items()}}


def from_data(data: object) -> str:
    """The message (or plain string) that :func:`to_data` gave ``data`` for."""
    if not isinstance(data, Mapping):
        return str(data)
    args = {k: from_data(v) if isinstance(v, Mapping | str) else v
            for k, v in data["args"].items()}
    return Message(data["template"], data["plural"], **args)


def join(parts: list[Message] | list[str], sep: str | None = None) -> Message:
    """``parts`` as one list message (``a, b, c``; ``a、b、c`` in Chinese), or joined by
    ``sep`` in every language."""
    names = [f"p{i}" for i in range(len(parts))]
    template = "{sep}".join(f"{{{name}}}" for name in names)
    return Message(template, None, sep=Message(SEPARATOR) if sep is None else sep,
                   **dict(zip(names, parts, strict=True)))


def and_list(parts: list[Message] | list[str]) -> Message:
    """``parts`` as a list that ends in "and" (``a, b and c``; ``a、b、c`` in Chinese), for
    lists read as one phrase ("the left and right edges")."""
    if len(parts) == 1:
        return join(parts)
    return msg("{items} and {last}", items=join(parts[:-1]), last=parts[-1])


def reason(exc: BaseException) -> str:
    """What ``exc`` says: its message as raised (a :class:`Message` keeps its
    translation), else its text."""
    first = exc.args[0] if exc.args else None
    return first if isinstance(first, str) and len(exc.args) == 1 else str(exc)


#: The separator of list messages (translated like any word).
SEPARATOR = N_(", ")

#: Words that data carries and messages show (see :func:`term`).
TERMS = (
    # severities, categories (findings.py), roles (config.py) and the shop's verdicts
    N_("error"), N_("warning"), N_("info"), N_("pass"), N_("fail"),
    N_("background"), N_("centring"), N_("fill"), N_("text"), N_("logo"), N_("border"),
    N_("badge"), N_("watermark"), N_("composition"), N_("quality"), N_("input"), N_("shop"),
    N_("main"), N_("carousel"), N_("detail"),
    # background kinds (analysis/background.py)
    N_("white"), N_("off-white"), N_("grey"), N_("coloured"), N_("gradient"), N_("scene"),
    # edges and corners
    N_("top"), N_("bottom"), N_("left"), N_("right"),
    N_("top-left"), N_("top-right"), N_("bottom-left"), N_("bottom-right"),
    # watermark kinds (analysis/marks.py)
    N_("site"), N_("stock agency"), N_("copyright"), N_("stock number"), N_("sample stamp"),
    N_("shop mark"),
    # comparison markers (analysis/composition.py)
    N_("divider"), N_("contrasting backgrounds"), N_("the same product twice"),
    N_("roundel on the split"), N_("check and cross marks"),
    # where a collage's panels were found
    N_("seams"), N_("layout"),
    # shop: region classes, exports whose rows are counted, store documents (shop/defaults.py)
    N_("normal"), N_("remote"), N_("very_remote"), N_("chat"), N_("chats"), N_("orders"),
    N_("tracking"), N_("chats file"), N_("orders file"), N_("tracking file"),
    N_("shop profile"),
    N_("营业执照 (business licence)"), N_("开户许可证 (corporate bank-account opening permit)"),
    N_("商标注册证 / 商标受理通知书 (trademark certificate or acceptance notice)"),
)
