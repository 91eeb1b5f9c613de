"""Rule modules. Every module in this package registers its rules on import, and so do
the shop's rule modules (:data:`SHOP_RULE_MODULES`); :func:`load_all` imports them all.
The shop's readers, profile parser and API register none: a run that checks no shop
never imports them."""

from __future__ import annotations

import importlib
import pkgutil

#: The modules of :mod:`imagecheck.shop` that register rules.
SHOP_RULE_MODULES = ("kuaishou", "pdd_documents", "pdd_service", "pdd_shipping")


def load_all() -> None:
    """Import every rule module so the registry is complete."""
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    for name in SHOP_RULE_MODULES:
        importlib.import_module(f"imagecheck.shop.{name}")
