"""Rule modules. Every module in this package, and in :mod:`imagecheck.shop`, registers
its rules on import; :func:`load_all` imports them all."""

from __future__ import annotations

import importlib
import pkgutil

_PACKAGES = ("imagecheck.rules", "imagecheck.shop")


def load_all() -> None:
    """Import every rule module so the registry is complete."""
    for package_name in _PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package_name}.{info.name}")
