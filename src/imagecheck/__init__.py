"""imagecheck: check marketplace listing images, and the shop, against platform rules.

Typical use::

    from imagecheck import check_listing, check_image
    report = check_listing(["./listing"])
    for image in report.images:
        print(image.path, image.verdict(report.fail_on))
"""

from __future__ import annotations

from imagecheck.api import audit, check_listing, default_settings
from imagecheck.check import check_image
from imagecheck.config import ConfigError, Settings, build_settings
from imagecheck.findings import CATEGORIES, Finding, Severity
from imagecheck.loading import InputError, LoadedImage, load_array, load_bytes, load_path
from imagecheck.report.model import ImageResult, Report

__version__ = "0.1.0"

__all__ = [
    "CATEGORIES",
    "ConfigError",
    "Finding",
    "ImageResult",
    "InputError",
    "LoadedImage",
    "Report",
    "Settings",
    "Severity",
    "audit",
    "build_settings",
    "check_image",
    "check_listing",
    "default_settings",
    "load_array",
    "load_bytes",
    "load_path",
]
