"""Pinduoduo store opening: documents (PDD401..PDD403), deposit (PDD404), flagship trademark.

Documents are listed in the profile's ``[pdd.documents.<key>]`` tables with the file of the
scan (relative to the profile's folder) and its expiry date (or ``"长期"``). A required
document that is not listed, whose file is absent, empty or not an image/PDF, or that has
expired, is an error; one without an expiry date is a warning (its validity is unknown).
"""

from __future__ import annotations

import stat
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from imagecheck.findings import Hit, Severity
from imagecheck.i18n import msg, term
from imagecheck.rules.registry import Param, shop_rule
from imagecheck.shop import defaults
from imagecheck.shop.defaults import CHINA_TZ

if TYPE_CHECKING:  # the records: a run that checks no shop never imports them
    from imagecheck.shop.model import Document, PddInfo, ShopData

#: Leading bytes of the file types a scan may be: JPEG, PNG, PDF, GIF, BMP, TIFF, WebP (RIFF).
_MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"%PDF", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"RIFF")


def _pdd(shop: ShopData) -> PddInfo:
    if shop.profile.pdd is None:
        raise ValueError(f"{shop.profile.path}: no [pdd] section")
    return shop.profile.pdd


def unreadable(doc: Document) -> str | None:
    """Why the document's file cannot be used, or ``None`` if it opens as an image or PDF."""
    if doc.path is None:
        return msg("no file listed")
    try:
        if not stat.S_ISREG(doc.path.stat().st_mode):  # a pipe would block: never opened
            return msg("listed file {file} is not a regular file (a folder, pipe or device)",
                       file=doc.file)
        with doc.path.open("rb") as f:
            head = f.read(8)
    except OSError as exc:
        return msg("listed file {file} cannot be opened ({error})", file=doc.file,
                   error=exc.strerror or str(exc))
    if not head:
        return msg("listed file {file} is empty", file=doc.file)
    if not head.startswith(_MAGIC):
        return msg("listed file {file} is not an image or PDF", file=doc.file)
    return None


def _document(shop: ShopData, key: str) -> Iterator[Hit]:
    """Hits for the document ``key``: missing, unreadable, expired, or expiry unknown."""
    pdd = _pdd(shop)
    if key not in pdd.required_documents:
        return
    label, doc = term(defaults.DOCUMENTS[key]), pdd.documents.get(key)
    today = shop.now.astimezone(CHINA_TZ).date()
    if doc is None or doc.file is None:
        yield Hit(
            msg("{label} is missing (pdd.documents.{key}.file)", label=label, key=key),
            value="missing", threshold="present", target=key
        )
        return
    problem = unreadable(doc)
    if problem:
        yield Hit(msg("{label} is unreadable: {problem}", label=label, problem=problem),
                  value="unreadable", threshold="readable", target=key,
                  details={"file": doc.file})  # fmt: skip
    if doc.expires is not None and doc.expires < today:
        yield Hit(
            msg("{label} expired on {expires} (today {today})", label=label,
                expires=doc.expires.isoformat(), today=today.isoformat()),
            value=doc.expires.isoformat(),
            threshold=today.isoformat(),
            target=key,
            details={"file": doc.file},
        )
    elif doc.expires is None and not doc.permanent:
        yield Hit(
            msg('{label}: no expiry date given (pdd.documents.{key}.expires, or "长期"), so'
                " its validity is unknown", label=label, key=key),
            threshold=today.isoformat(),
            severity=Severity.WARNING,
            target=key,
        )


@shop_rule("PDD401", "pdd-business-licence", "shop", Severity.ERROR)
def business_licence(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Pinduoduo store opening: the business licence (营业执照) is present, readable and valid.

    Pinduoduo's enterprise store opening requires the business licence. Fix: list a clear
    scan under pdd.documents.business_licence with its expiry date; renew an expired one.
    """
    yield from _document(shop, "business_licence")


@shop_rule("PDD402", "pdd-bank-permit", "shop", Severity.ERROR)
def bank_permit(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Pinduoduo store opening: the bank-account opening permit (开户许可证) is present, readable.

    Pinduoduo's enterprise store opening requires the corporate bank-account opening permit
    (or the bank's basic-account information). Fix: list a clear scan under
    pdd.documents.bank_permit.
    """
    yield from _document(shop, "bank_permit")


@shop_rule("PDD403", "pdd-trademark-document", "shop", Severity.ERROR)
def trademark_document(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Pinduoduo store opening: a trademark certificate or application acceptance notice.

    Pinduoduo's brand store opening requires the trademark registration certificate
    (商标注册证) or the trademark application acceptance notice (商标受理通知书). Fix: list
    a clear scan under pdd.documents.trademark with kind and expiry date.
    """
    yield from _document(shop, "trademark")


@shop_rule(
    "PDD404",
    "pdd-deposit",
    "shop",
    Severity.ERROR,
    params={"min_yuan": Param(1000, 0, 1_000_000, "deposit the store must have paid, yuan")},
)
def deposit(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Pinduoduo store opening: the store deposit (保证金) is paid in full.

    Pinduoduo requires a deposit before a store can trade fully; the amount depends on
    store type and category (default 1000 yuan, an assumption: set min_yuan to your
    category's amount). Profile key pdd.deposit_yuan. Fix: pay the deposit (店铺管理 > 保证金).
    """
    paid, need = _pdd(shop).deposit_yuan, p["min_yuan"]
    if paid is None:
        yield Hit(msg("deposit not given (pdd.deposit_yuan)"), threshold=need, target="deposit")
    elif paid < need:
        yield Hit(msg("deposit {paid:g} yuan is below {need:g} yuan", paid=paid, need=need),
                  value=paid, threshold=need, target="deposit")


@shop_rule("PDD405", "pdd-flagship-trademark", "shop", Severity.ERROR)
def flagship_trademark(shop: ShopData, p: Mapping[str, float]) -> Iterator[Hit]:
    """Pinduoduo store opening: a flagship store (旗舰店) holds a registered trademark.

    Pinduoduo admits a flagship store only with a registered trademark (商标注册证, an
    application acceptance notice is not enough). Profile keys pdd.store_type and
    pdd.documents.trademark.kind. Fix: wait for registration, or open another store type.
    """
    pdd = _pdd(shop)
    if pdd.store_type is None:
        yield Hit(
            msg("pdd.store_type not given: cannot check the flagship trademark requirement"),
            severity=Severity.WARNING,
            target="trademark",
        )
        return
    if pdd.store_type != "flagship":
        return
    doc = pdd.documents.get("trademark")
    kind = doc.kind if doc else None
    if kind != "registration":
        got = {"application": msg("only an application acceptance notice"),
               None: msg("no trademark kind")}
        yield Hit(
            msg("a flagship store needs a registered trademark (商标注册证); the profile gives"
                " {got} (pdd.documents.trademark.kind)", got=got[kind]),
            value=kind or "missing",
            threshold="registration",
            target="trademark",
        )
