"""IN0xx: input problems: files that cannot be read, and what loading had to change."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from imagecheck.analysis.facts import Facts
from imagecheck.findings import Hit, Severity
from imagecheck.i18n import msg
from imagecheck.loading import MAX_FRAMES_COUNTED
from imagecheck.rules.registry import event_rule, rule


@event_rule("IN001", "unreadable-file", "input", Severity.ERROR)
def unreadable_file(reason: str, p: Mapping[str, float]) -> Iterator[Hit]:
    """File could not be read as an image.

    Empty, truncated, corrupt and non-image files, images over the pixel limit
    (decompression bombs) and unreadable paths are reported here instead of being
    skipped: a file that was not checked must never look like a file that passed.
    The message says what was wrong. This rule always runs and cannot be ignored.

    Fix: re-export the image from its original as JPEG or PNG and check it opens.
    """
    yield Hit(msg("cannot read image: {reason}", reason=reason))


@rule("IN002", "transparency-flattened", "input", Severity.INFO)
def transparency_flattened(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Image has transparent pixels; they were checked as if on white.

    Marketplaces flatten transparent PNGs onto a background of their choosing (often
    white, sometimes black or grey), so what buyers see may differ from your editor.

    Fix: flatten the image onto pure white yourself and upload a JPEG.
    """
    share = facts.image.transparent_share
    if share == 0:
        return
    yield Hit(
        msg("{share:.0%} of the pixels are transparent; checked as if on white", share=share),
        value=round(share, 3),
    )


@rule("IN003", "animated-first-frame", "input", Severity.INFO)
def animated_first_frame(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Image is animated; only its first frame was checked.

    Listing images are shown still (the first frame); the other frames were not checked.

    Fix: upload a still JPEG or PNG of the frame you want shown.
    """
    frames = facts.image.frames
    if frames <= 1:
        return
    shown = f"{frames}+" if frames >= MAX_FRAMES_COUNTED else frames  # counted no further
    yield Hit(msg("animated image with {n} frames; only the first frame was checked",
                  n=shown), value=frames)


@rule("IN004", "exif-rotated", "input", Severity.INFO)
def exif_rotated(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Image is rotated by its EXIF orientation tag; it was checked upright.

    Some upload paths ignore the EXIF orientation and show the raw pixels sideways. An
    orientation tag outside the valid values 1-8 rotates nothing: the image is checked as
    stored, and the note says so, since viewers may disagree about such a file.

    Fix: re-save the image with the rotation applied to the pixels (most editors do this
    on export) so it shows upright everywhere.
    """
    if facts.image.exif_rotated:
        yield Hit(msg("the EXIF orientation tag rotates this image; checked as shown upright"))
    elif (bad := facts.image.bad_orientation) is not None:
        yield Hit(msg("the EXIF orientation tag has the invalid value {value} (valid: 1-8);"
                      " checked as stored, not rotated", value=bad), value=bad)


@event_rule("IN005", "check-failed", "input", Severity.ERROR)
def check_failed(failure: tuple[str, Exception], p: Mapping[str, float]) -> Iterator[Hit]:
    """A check could not run on this image.

    A rule or model failed on this image (the message names the rule and the error).
    The image is reported as not fully checked rather than passed: a check that cannot
    run is never silent. Please report it with the image if you can share it.

    Fix: none on your side unless the message says so; re-run, or report the problem.
    """
    code, exc = failure
    error = f"{type(exc).__name__}: {exc}"
    yield Hit(msg("check {code} could not run: {error}", code=code, error=error), value=code)


@event_rule("IN006", "not-checked", "input", Severity.ERROR)
def not_checked(reason: str, p: Mapping[str, float]) -> Iterator[Hit]:
    """File was found but not checked (the run was interrupted).

    Every input file appears in every report; a file the run did not reach is listed
    with this finding so it is never mistaken for a pass.

    Fix: run the check again to completion.
    """
    yield Hit(msg("not checked: {reason}", reason=reason))
