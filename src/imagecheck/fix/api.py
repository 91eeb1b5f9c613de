"""``fix_image`` and ``fix_listing``: corrected copies of failing images, re-checked."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from imagecheck.analysis.facts import Facts
from imagecheck.annotate import OutputError
from imagecheck.api import build_report, default_settings
from imagecheck.check import check_image, run_rules
from imagecheck.config import Settings
from imagecheck.findings import Finding
from imagecheck.fix.canvas import SLACK
from imagecheck.fix.model import CORRECTIONS, Correction, FixOptions, FixRecord
from imagecheck.fix.plan import REASONS, plan_and_apply
from imagecheck.i18n import msg
from imagecheck.listing import ImageJob, ListingError, discover, is_url, real_path
from imagecheck.loading import InputError, LoadedImage, load_array, load_bytes, read_source
from imagecheck.report import atomic_write_bytes
from imagecheck.report.model import ImageResult, Report
from imagecheck.rules.registry import get_rule
from imagecheck.runner import LocalExecutor, run_jobs

#: Passes over an image: the second corrects what the first uncovered.
ROUNDS = 2
#: The rule codes some correction answers.
FIXABLE = frozenset(code for codes in CORRECTIONS.values() for code in codes)
#: Input suffixes kept on the copies (which are always JPEG files).
JPEG_SUFFIXES = (".jpg", ".jpeg", ".jpe", ".jfif")


def fix_image(
    source: str | Path | bytes | np.ndarray | LoadedImage,
    role: str = "main",
    settings: Settings | None = None,
    *,
    out: str | Path | None = None,
    options: FixOptions | None = None,
    path: str | None = None,
) -> ImageResult:
    """Check one image (as :func:`~imagecheck.check_image` does), correct a copy for
    what can be fixed without changing the product, write it to ``out`` (a JPEG file,
    unless ``options.dry_run``; nothing is written without ``out``) and re-check it with
    the same settings.

    The result's findings are the copy's (the original's where no copy was made); its
    ``fix`` says what was applied, which rules now pass and why the others still fail.
    """
    settings = settings or default_settings()
    options = options or FixOptions()
    name = path or (str(source) if isinstance(source, str | Path) else "<image>")
    job = ImageJob(Path(name), Path(name).parent, role, "option")
    return _fix(job, source, settings, options, Path(out) if out is not None else None)


@dataclass(frozen=True)
class FixTask:
    """Fix a job, writing its copy where ``targets`` says (picklable, for worker
    processes)."""

    targets: Mapping[str, str]
    options: FixOptions

    def __call__(self, job: ImageJob, settings: Settings) -> ImageResult:
        return _fix(job, Path(job.path), settings, self.options,
                    Path(self.targets[str(job.path)]))


def fix_listing(
    paths: Sequence[str | Path],
    out_dir: str | Path,
    settings: Settings | None = None,
    *,
    role: str | None = None,
    jobs: int | None = None,
    options: FixOptions | None = None,
    on_start: Callable[[int], None] | None = None,
    on_result: Callable[[ImageResult], None] | None = None,
) -> Report:
    """Fix every image in ``paths`` (found and given roles as ``check_listing`` does),
    writing the copies under ``out_dir``, mirroring the inputs' folders relative to their
    common folder; returns the report of the re-checked copies.

    Raises :class:`~imagecheck.annotate.OutputError` before anything is written if a
    copy would land on an input."""
    settings = settings or default_settings()
    options = options or FixOptions()
    if any(is_url(str(raw)) and not str(raw).lower().startswith("file://") for raw in paths):
        raise ListingError(msg("imagecheck fix reads and writes local files only, not URLs"))
    found = discover(paths, role)
    out_root = real_path(out_dir)
    if not any(out_root == p or p.is_relative_to(out_root)
               for p in (real_path(raw) for raw in paths)):
        # Copies of an earlier run in a folder inside an input folder are not inputs.
        found = [job for job in found if not real_path(job.path).is_relative_to(out_root)]
    kept = [job for job in found if not settings.excluded(job.location)]
    targets = copy_paths([Path(job.path) for job in kept], out_root)
    inputs = {real_path(job.path) for job in found}
    for target in targets.values():
        if real_path(target) in inputs:
            raise OutputError(msg("refusing to write {file}: it is one of the input images",
                                      file=target))
    if on_start:
        on_start(len(kept))
    results, interrupted = run_jobs(
        kept, settings, 0, on_result,
        executor=LocalExecutor(settings.jobs if jobs is None else jobs,
                               FixTask(targets, options)))
    report = build_report(results, settings, interrupted, excluded=len(found) - len(kept))
    if options.dry_run:
        report = replace(report, notes=(*report.notes, msg("dry run: no copy was written")))
    return report


def copy_paths(sources: Sequence[Path], out_dir: Path) -> dict[str, str]:
    """Where the copy of each of ``sources`` goes: ``out_dir`` mirroring their folders
    relative to their common folder, as a JPEG file (``x.png`` -> ``x.jpg``, or
    ``x.png.jpg`` where another input already takes ``x.jpg``)."""
    if not sources:
        return {}
    resolved = [real_path(p) for p in sources]
    root = Path(os.path.commonpath([str(p.parent) for p in resolved]))
    out_root = real_path(out_dir)
    chosen: dict[str, str] = {}
    taken: set[Path] = set()
    natural = {out_root / p.relative_to(root) for p in resolved
               if p.suffix.lower() in JPEG_SUFFIXES}
    for source, real in zip(sources, resolved, strict=True):
        target = out_root / real.relative_to(root)
        if target.suffix.lower() not in JPEG_SUFFIXES:
            jpg = target.with_suffix(".jpg")
            target = jpg if jpg not in natural and jpg not in taken else \
                target.with_name(target.name + ".jpg")
        taken.add(target)
        chosen[str(source)] = str(target)
    return chosen


def _load(source: str | Path | bytes | np.ndarray | LoadedImage, settings: Settings
          ) -> tuple[LoadedImage, bytes | None]:
    """The decoded image and, where it came from a file or bytes, those bytes."""
    if isinstance(source, LoadedImage):
        return source, None
    if isinstance(source, bytes):
        return load_bytes(source, settings.max_pixels), source
    if isinstance(source, np.ndarray):
        return load_array(source), None
    data = read_source(source)  # read once: the copy and its metadata come from one state
    return load_bytes(data, settings.max_pixels), data


def _fix(job: ImageJob, source: str | Path | bytes | np.ndarray | LoadedImage,
         settings: Settings, options: FixOptions, out: Path | None) -> ImageResult:
    try:
        image, data = _load(source, settings)
    except InputError:  # the ordinary check reports it (IN001)
        return check_image(source, job.role, settings, path=str(job.path))
    facts = Facts(image, settings.analysis, job.role)
    findings = _findings(facts, job, settings)
    original = ImageResult(str(job.path), str(job.listing), job.role, job.role_source,
                           image.width, image.height, tuple(findings))
    before = _failing(findings, settings)
    if not before:
        return replace(original, fix=FixRecord(None, (), (), (), {}, options.dry_run,
                                               msg("passes already: no copy made")))
    applied: list[Correction] = []
    reasons: dict[str, str] = {}
    scale, copy = 1.0, b""
    for _ in range(ROUNDS):
        fixed = plan_and_apply(image, data, facts, findings, settings, options)
        reasons.update(fixed.reasons)
        if fixed.rgb is None:
            applied += fixed.applied
            break
        applied = [a for a in applied if a.name != "encode"] + fixed.applied
        scale *= fixed.scale
        copy = fixed.data
        # The re-check, on the copy as written; what it newly finds that a correction
        # answers (a badge that sat on a frame) is corrected on the unencoded pixels.
        facts = Facts(load_bytes(copy, settings.max_pixels), settings.analysis, job.role)
        findings = _findings(facts, job, settings)
        new = set(_failing(findings, settings)) - set(before)
        if not new & FIXABLE:
            break
        before = tuple(sorted({*before, *new}))
        image, data = load_array(fixed.rgb), None
    if not copy:
        failing = {code: _reason(code, reasons, attempted=False) for code in before}
        return replace(original, fix=FixRecord(None, tuple(applied), before, (), failing,
                                               options.dry_run,
                                               msg("nothing could be fixed: no copy made")))
    if out is not None and not options.dry_run:
        atomic_write_bytes(out, copy)
    if scale > options.max_upscale * (1 + SLACK):
        findings += get_rule("FX101").findings((scale, options.max_upscale), {})
    findings.sort(key=lambda f: (-f.severity, f.code))
    after = set(_failing(findings, settings))
    attempted = {c for a in applied for c in a.codes}
    record = FixRecord(
        output=str(out) if out is not None else None,
        applied=tuple(applied),
        before=before,
        passing=tuple(c for c in before if c not in after),
        failing={code: _reason(code, reasons, code in attempted) for code in sorted(after)},
        dry_run=options.dry_run,
    )
    return replace(original, width=facts.width, height=facts.height,
                   findings=tuple(findings), fix=record)


def _findings(facts: Facts, job: ImageJob, settings: Settings) -> list[Finding]:
    """The findings of the rules on ``facts``, less those ``per_path_ignores`` accepts for
    ``job`` (they are not fixed)."""
    return [f for f in run_rules(facts, settings) if not settings.ignored(job.location, f.code)]


def _failing(findings: Sequence[Finding], settings: Settings) -> tuple[str, ...]:
    """The codes of ``findings`` at or above ``settings.fail_on``, sorted."""
    return tuple(sorted({f.code for f in findings if f.severity >= settings.fail_on}))


def _reason(code: str, reasons: Mapping[str, str], attempted: bool) -> str:
    """Why ``code`` still fails."""
    if code in reasons:
        return reasons[code]
    if attempted:
        return msg("corrected, but the re-check still finds it")
    if code == "FX101":
        return msg("the product had to be enlarged past the upscaling limit")
    return REASONS.get(code, msg("imagecheck fix has no correction for this rule"))
