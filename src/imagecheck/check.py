"""Checking one image: load once, analyse once, run every rule of its role."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import numpy as np

from imagecheck.analysis.facts import Facts
from imagecheck.config import Settings, build_settings
from imagecheck.findings import Finding
from imagecheck.listing import ImageJob, is_url
from imagecheck.loading import InputError, LoadedImage, load_array, load_bytes, load_path
from imagecheck.report.model import ImageResult
from imagecheck.rules.registry import get_rule


def check_image(
    source: str | Path | bytes | np.ndarray | LoadedImage,
    role: str = "main",
    settings: Settings | None = None,
    *,
    path: str | None = None,
) -> ImageResult:
    """Check one image in ``role``: a path, the file's bytes, a uint8 RGB/RGBA/grey
    array, or an already loaded image."""
    settings = settings or build_settings()
    name = path or (str(source) if isinstance(source, str | Path) else "<image>")
    protocol, inner = name.split("://", 1) if is_url(name) else ("", name)
    file = PurePosixPath(inner) if protocol else Path(name)  # Path("s3://b/k") is s3:/b/k
    job = ImageJob(file, file.parent, role, "option", protocol.lower())
    return _check(job, source, settings)


def check_job(job: ImageJob, settings: Settings, data: bytes | None = None) -> ImageResult:
    """Check the file of ``job`` (a local file or a URL's object), or its bytes ``data``
    if they were read already."""
    return _check(job, job.location if data is None else data, settings)


def _check(
    job: ImageJob, source: str | Path | bytes | np.ndarray | LoadedImage, settings: Settings
) -> ImageResult:
    def result(width: int | None, height: int | None, findings: list[Finding]) -> ImageResult:
        return ImageResult(
            job.location, job.listing_location, job.role, job.role_source, width, height,
            tuple(findings),
        )

    try:
        if isinstance(source, LoadedImage):
            image = source
        elif isinstance(source, bytes):
            image = load_bytes(source, settings.max_pixels)
        elif isinstance(source, np.ndarray):
            image = load_array(source)
        else:
            image = load_path(source, settings.max_pixels)
    except InputError as exc:
        return result(None, None, list(get_rule("IN001").findings(exc.args[0], {})))
    facts = Facts(image, settings.analysis, job.role)
    return result(image.width, image.height, run_rules(facts, settings))


def run_rules(facts: Facts, settings: Settings) -> list[Finding]:
    """The findings of every rule of ``facts.role`` on ``facts``, worst first."""
    findings: list[Finding] = []
    for rule, params in settings.for_role(facts.role).rules:
        try:
            findings.extend(rule.findings(facts, params))
        except Exception as exc:  # noqa: BLE001 - a crashed check must be loud, not fatal
            findings.extend(get_rule("IN005").findings((rule.code, exc), {}))
    findings.sort(key=lambda f: (-f.severity, f.code))
    return findings

