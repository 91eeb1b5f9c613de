"""imagecheck: check marketplace listing images, and the shop, against platform rules.

Typical use::

    from imagecheck import check_listing, check_image
    report = check_listing(["./listing"])
    for image in report.images:
        print(image.path, image.verdict(report.fail_on))

The names below are imported on first use, so that ``import imagecheck`` (and the
command line's ``--help``) does not pay for image and OCR libraries it may not need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from imagecheck.api import (
        AuditOptions,
        ShopInputs,
        audit,
        audit_to_store,
        check_listing,
        default_settings,
        shop_report,
    )
    from imagecheck.check import check_image
    from imagecheck.config import ConfigError, Settings, build_settings
    from imagecheck.findings import CATEGORIES, Finding, Severity
    from imagecheck.fix.api import fix_image, fix_listing
    from imagecheck.fix.model import FixOptions, FixRecord
    from imagecheck.loading import InputError, LoadedImage, load_array, load_bytes, load_path
    from imagecheck.report.model import ImageResult, Report, ShopResult
    from imagecheck.shop.api import check_shop

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_EXPORTS = {
    "audit": "api", "AuditOptions": "api", "audit_to_store": "api", "check_listing": "api",
    "default_settings": "api",
    "ShopInputs": "api", "shop_report": "api", "check_shop": "shop.api",
    "check_image": "check",
    "ConfigError": "config", "Settings": "config", "build_settings": "config",
    "CATEGORIES": "findings", "Finding": "findings", "Severity": "findings",
    "fix_image": "fix.api", "fix_listing": "fix.api", "FixOptions": "fix.model",
    "FixRecord": "fix.model",
    "InputError": "loading", "LoadedImage": "loading", "load_array": "loading",
    "load_bytes": "loading", "load_path": "loading",
    "ImageResult": "report.model", "Report": "report.model", "ShopResult": "report.model",
}

__all__ = [
    "AuditOptions", "CATEGORIES", "ConfigError", "Finding", "FixOptions", "FixRecord",
    "ImageResult", "InputError", "LoadedImage", "Report", "Settings", "Severity", "ShopInputs",
    "ShopResult",
    "audit", "audit_to_store", "build_settings", "check_image", "check_listing", "check_shop",
    "default_settings", "fix_image", "fix_listing", "load_array", "load_bytes", "load_path",
    "shop_report",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f"imagecheck.{_EXPORTS[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'imagecheck' has no attribute {name!r}")
