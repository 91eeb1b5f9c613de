"""Hostile and careless input (issue 12): each test reproduces a defect first fixed there."""

from __future__ import annotations

import csv
import importlib
import io
import json
import os
import subprocess
import sys
import threading
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from imagecheck import check_image
from imagecheck.cli import main
from imagecheck.listing import discover
from imagecheck.loading import InputError, load_bytes, load_path


def _jpeg(size: tuple[int, int] = (64, 48), **save: object) -> bytes:
    buf = io.BytesIO()
    rgb = np.full((size[1], size[0], 3), 200, np.uint8)
    Image.fromarray(rgb).save(buf, "JPEG", **save)
    return buf.getvalue()


def _scan(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["scan", "--ocr", "none", "--jobs", "1", *args],
                                catch_exceptions=False)
    return result.exit_code, result.output


def test_unexpected_error_exits_two_with_one_line(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.jpg").write_bytes(_jpeg())

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(importlib.import_module("imagecheck.cli.scan"), "check_listing", boom)
    result = CliRunner().invoke(main, ["scan", "--ocr", "none", str(tmp_path)])
    assert result.exit_code == 2
    assert "internal error: RuntimeError: disk on fire" in result.output
    assert "Traceback" not in result.output
    debug = CliRunner().invoke(main, ["--debug", "scan", "--ocr", "none", str(tmp_path)])
    assert isinstance(debug.exception, RuntimeError)


def test_unwritable_report_path_names_it_not_an_internal_error(tmp_path: Path) -> None:
    (tmp_path / "a.jpg").write_bytes(_jpeg())
    (tmp_path / "file").write_text("a file, not a folder")
    result = CliRunner().invoke(main, ["scan", "--ocr", "none", str(tmp_path / "a.jpg"),
                                       "-o", str(tmp_path / "file" / "report.json")])
    assert result.exit_code == 2
    assert f"{tmp_path / 'file'}" in result.output and "internal error" not in result.output
    assert "Traceback" not in result.output


def test_no_images_found_is_an_error_unless_allowed(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("no images here")
    code, out = _scan(str(tmp_path))
    assert code == 2 and "no images found in" in out
    code, _ = _scan("--allow-empty", str(tmp_path))
    assert code == 0


def test_walk_lists_hidden_odd_format_and_broken_link_files(tmp_path: Path) -> None:
    (tmp_path / ".hidden.jpg").write_bytes(_jpeg())
    (tmp_path / "photo.heic").write_bytes(b"\0\0\0\x18ftypheic" + b"\0" * 64)
    (tmp_path / "no-extension").write_bytes(_jpeg())
    (tmp_path / "notes.txt").write_text("not an image")
    (tmp_path / "gone.jpg").symlink_to(tmp_path / "missing.jpg")
    (tmp_path / "loop.jpg").symlink_to(tmp_path / "loop.jpg")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "back").symlink_to(tmp_path)  # a folder loop is walked once
    names = sorted(j.path.name for j in discover([tmp_path]))
    assert names == [".hidden.jpg", "gone.jpg", "loop.jpg", "no-extension", "photo.heic"]


def test_every_walked_file_says_why_it_was_not_read(tmp_path: Path) -> None:
    (tmp_path / "photo.heic").write_bytes(b"\0\0\0\x18ftypheic" + b"\0" * 64)
    (tmp_path / "gone.jpg").symlink_to(tmp_path / "missing.jpg")
    (tmp_path / "loop.jpg").symlink_to(tmp_path / "loop.jpg")
    code, out = _scan("-f", "json", str(tmp_path))
    assert code == 2
    messages = {Path(i["path"]).name: i["findings"][0]["message"]
                for i in json.loads(out)["images"]}
    assert "HEIC" in messages["photo.heic"]
    assert "dangling symbolic link" in messages["gone.jpg"]
    assert "symbolic links" in messages["loop.jpg"]


def test_an_unreadable_folder_is_reported(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        if Path(str(path)) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    jobs = discover([tmp_path])
    assert [j.path for j in jobs] == [locked]
    with pytest.raises(InputError, match="folder cannot be read"):
        load_path(locked)


def test_a_named_pipe_is_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    done: list[str] = []
    worker = threading.Thread(target=lambda: done.append(_scan(str(tmp_path))[1]), daemon=True)
    worker.start()
    worker.join(30)
    assert done, "scan blocked on a named pipe"
    assert "not a regular file" in done[0]


def test_formats_outside_the_allow_list_are_never_decoded() -> None:
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n"
    with pytest.raises(InputError, match="does not read"):
        load_bytes(eps)


@pytest.mark.parametrize("value", [0, 9, 255, 65535])
def test_invalid_exif_orientation_is_a_note_not_a_rotation(value: int) -> None:
    exif = Image.Exif()
    exif[0x0112] = value
    image = load_bytes(_jpeg(exif=exif.tobytes()))
    assert not image.exif_rotated and image.bad_orientation == value
    notes = [f for f in check_image(image, settings=None).findings if f.code == "IN004"]
    assert len(notes) == 1 and f"invalid value {value}" in notes[0].message


def test_truncated_gif_is_unreadable() -> None:
    frames = [Image.fromarray(np.full((20, 20, 3), i, np.uint8)).convert("P")
              for i in range(0, 250, 5)]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:])
    data = buf.getvalue()
    assert load_bytes(data).frames == len(frames)
    with pytest.raises(InputError, match="truncated GIF"):
        load_bytes(data[: len(data) // 2])


@pytest.fixture()
def odd_names(tmp_path: Path) -> Path:
    folder = tmp_path / "odd"
    folder.mkdir()
    os.makedirs(os.fsencode(folder), exist_ok=True)
    (Path(os.fsdecode(os.fsencode(folder) + b"/caf\xe9.jpg"))).write_bytes(_jpeg())
    (folder / "=HYPERLINK(1).jpg").write_bytes(_jpeg())
    (folder / "two\nlines.jpg").write_bytes(_jpeg())
    return folder


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "html", "sarif", "junit"])
def test_non_utf8_names_are_reported_in_every_format(odd_names: Path, tmp_path: Path,
                                                     fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    code, printed = _scan("-f", fmt, "-o", str(out), str(odd_names))
    assert code in (0, 1), printed
    data = out.read_bytes()
    if fmt == "json":
        paths = [os.fsencode(i["path"]) for i in json.loads(data)["images"]]
        assert any(p.endswith(b"caf\xe9.jpg") for p in paths)
    elif fmt in ("text", "csv"):
        assert b"caf\xe9.jpg" in data
    elif fmt == "sarif":  # a percent-encoded file URI
        assert b"caf%E9.jpg" in data
    else:
        assert b"caf\\xe9.jpg" in data or b"caf\\\\xe9.jpg" in data
    code, printed = _scan("-f", fmt, str(odd_names))  # and to standard output
    assert code in (0, 1), printed


def test_csv_cells_cannot_start_a_formula(odd_names: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(odd_names)
    _, out = _scan("-f", "csv", ".")
    first = [row[0] for row in csv.reader(io.StringIO(out))]
    assert "'=HYPERLINK(1).jpg" in first
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in first)


def test_control_characters_cannot_forge_text_lines(odd_names: Path) -> None:
    _, out = _scan(str(odd_names))
    assert "two\\nlines.jpg" in out
    assert not any(line.startswith("lines.jpg") for line in out.splitlines())


def _digests(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _annotate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["annotate", "--ocr", "none", "--jobs", "1", "--all",
                                       *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_annotate_never_overwrites_an_input(tmp_path: Path) -> None:
    (tmp_path / "x.jpg").write_bytes(_jpeg())
    (tmp_path / "x.jpg.annotated.png").write_bytes(_jpeg())  # an input with that name
    before = _digests(tmp_path)
    code, out = _annotate(str(tmp_path), "--out", str(tmp_path))
    assert code == 2 and "refusing to write" in out
    assert _digests(tmp_path) == before


def test_annotate_replaces_a_planted_link_instead_of_following_it(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "x.jpg").write_bytes(_jpeg())
    victim = tmp_path / "victim.png"
    victim.write_bytes(b"precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / "x.jpg.annotated.png").symlink_to(victim)
    code, _ = _annotate(str(src), "--out", str(out))
    assert code in (0, 1)
    assert victim.read_bytes() == b"precious"
    assert not (out / "x.jpg.annotated.png").is_symlink()


def test_annotate_reports_unreadable_inputs_and_exits_two(tmp_path: Path) -> None:
    (tmp_path / "broken.jpg").write_bytes(b"not an image")
    code, out = _annotate(str(tmp_path), "--out", str(tmp_path / "out"))
    assert code == 2 and "IN001" in out and "broken.jpg" in out


def test_scan_never_writes_its_report_over_an_input(tmp_path: Path) -> None:
    image = tmp_path / "x.jpg"
    image.write_bytes(_jpeg())
    before = image.read_bytes()
    code, out = _scan("-o", str(image), str(tmp_path))
    assert code == 2 and "refusing to write" in out
    assert image.read_bytes() == before


def test_reports_honour_the_umask_and_leave_no_temporary_files(tmp_path: Path) -> None:
    (tmp_path / "x.jpg").write_bytes(_jpeg())
    stale = tmp_path / "out" / ".report.json.999999999.abc.imagecheck.tmp"
    stale.parent.mkdir()
    stale.write_text("left by a killed run")
    old = os.umask(0o022)
    try:
        _scan("-f", "json", "-o", str(tmp_path / "out" / "report.json"), str(tmp_path))
    finally:
        os.umask(old)
    assert (tmp_path / "out" / "report.json").stat().st_mode & 0o777 == 0o644
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["report.json"]


def _sof_claims(data: bytes, size: int) -> bytes:
    at = data.find(b"\xff\xc0")
    out = bytearray(data)
    out[at + 5:at + 9] = size.to_bytes(2, "big") * 2
    return bytes(out)


def test_jpeg_whose_header_claims_more_than_its_data_is_unreadable() -> None:
    noise = np.random.default_rng(1).integers(0, 255, (400, 400, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(noise).save(buf, "JPEG")
    with pytest.raises(InputError, match="truncated JPEG"):
        load_bytes(_sof_claims(buf.getvalue(), 3000))
    cut = buf.getvalue()[: len(buf.getvalue()) // 2] + b"\xff\xd9"
    with pytest.raises(InputError, match="truncated JPEG"):
        load_bytes(cut)


def test_grey_images_are_not_mistaken_for_decoder_fill() -> None:
    assert load_bytes(_jpeg((300, 200))).width == 300  # flat 200 grey
    grey = np.full((200, 300, 3), 128, np.uint8)
    grey[:20] = 90  # mid-grey with a darker band at the top: fill only in a JPEG
    buf = io.BytesIO()
    Image.fromarray(grey).save(buf, "PNG")
    assert load_bytes(buf.getvalue()).height == 200


def test_a_gif_cut_inside_its_frames_is_an_input_error_not_a_crash() -> None:
    frames = [Image.fromarray(np.full((20, 20, 3), i, np.uint8)).convert("P")
              for i in (0, 120, 240)]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:])
    data = buf.getvalue()
    for cut in range(len(data) // 2, len(data)):  # found by tests/fuzz.py (IndexError)
        with pytest.raises(InputError):
            load_bytes(data[:cut])


@pytest.mark.parametrize("command", ["scan", "audit"])
def test_non_utf8_names_reach_standard_output(odd_names: Path, command: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from imagecheck.cli import main; main()", command, "--ocr",
         "none", "--jobs", "1", *(["--no-cache"] if command == "audit" else []),
         str(odd_names)], capture_output=True, timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode in (0, 1), done.stderr
    assert b"caf\xe9.jpg" in done.stdout


def test_a_link_loop_among_the_inputs_does_not_stop_a_written_report(tmp_path: Path) -> None:
    (tmp_path / "ok.jpg").write_bytes(_jpeg())
    (tmp_path / "a.jpg").symlink_to("b.jpg")
    (tmp_path / "b.jpg").symlink_to("a.jpg")
    report = tmp_path / "out" / "report.json"
    report.parent.mkdir()
    code, out = _scan("-f", "json", "-o", str(report), str(tmp_path))
    assert code == 2, out
    codes = {Path(r["path"]).name: [f["code"] for f in r["findings"]]
             for r in json.loads(report.read_text())["images"]}
    assert "IN001" in codes["a.jpg"] and "IN001" in codes["b.jpg"] and "ok.jpg" in codes


def test_flattening_a_transparent_image_needs_no_float_copies(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import tracemalloc

    from imagecheck import loading

    monkeypatch.setattr(loading, "_FLATTEN_BAND", 1 << 16)  # bands, as in a 60 MP image
    rgba = np.random.default_rng(0).integers(0, 256, (1000, 1000, 4), dtype=np.uint8)
    image = Image.fromarray(rgba, "RGBA")
    tracemalloc.start()
    rgb, alpha = loading._to_rgb(image)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 12 * rgba.shape[0] * rgba.shape[1]  # float copies took 44 bytes a pixel
    a = rgba[:, :, 3:].astype(np.float64) / 255
    expected = np.floor(rgba[:, :, :3] * a + 255 * (1 - a) + 0.5)
    assert (rgb == expected).all()
    assert alpha is not None and (alpha == rgba[:, :, 3]).all()


def _damaged_exif_jpeg() -> bytes:
    data = _jpeg()
    body = b"Exif\0\0MM\0*\0\0\0\x08\xff\xff" + b"\x01" * 30
    return data[:2] + b"\xff\xe1" + (len(body) + 2).to_bytes(2, "big") + body + data[2:]


def test_damaged_exif_is_no_stray_warning(tmp_path: Path) -> None:
    from imagecheck.fix.encode import to_srgb
    from imagecheck.loading import load_preview

    path = tmp_path / "a.jpg"
    path.write_bytes(_damaged_exif_jpeg())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_path(path).width == 64
        assert load_preview(path, 32).shape[1] == 32
        assert to_srgb(path.read_bytes(), load_path(path).rgb) is None  # fix's colour step


def test_the_result_cache_never_waits_on_a_named_pipe(tmp_path: Path) -> None:
    from imagecheck.cache import file_digest

    pipe = tmp_path / "a.jpg"
    os.mkfifo(pipe)
    done: list[str | None] = []
    worker = threading.Thread(target=lambda: done.append(file_digest(pipe)), daemon=True)
    worker.start()
    worker.join(10)
    assert done == [None]  # it blocked for a writer before
    (tmp_path / "b.jpg").write_bytes(_jpeg())
    result = CliRunner().invoke(main, ["audit", "--ocr", "none", "--jobs", "1", "-q",
                                       "--cache-dir", str(tmp_path / "cache"), "-f", "json",
                                       str(tmp_path)])
    assert result.exit_code == 2
    codes = {Path(r["path"]).name: [f["code"] for f in r["findings"]]
             for r in json.loads(result.output)["images"]}
    assert "IN001" in codes["a.jpg"] and "b.jpg" in codes


def test_check_image_names_a_url_as_given(tmp_path: Path) -> None:
    (tmp_path / "a.jpg").write_bytes(_jpeg())
    url = (tmp_path / "a.jpg").as_uri()
    assert check_image(url).path == url  # it was file:/tmp/... (Path folds the //)
    missing = check_image("s3://no-bucket/x.jpg")
    assert missing.path == "s3://no-bucket/x.jpg" and missing.listing == "s3://no-bucket"
    assert [f.code for f in missing.findings] == ["IN001"]


def test_a_tiff_of_many_pages_is_counted_only_so_far() -> None:
    from imagecheck.loading import MAX_FRAMES_COUNTED

    def tiff(pages: int) -> bytes:
        frames = [Image.new("L", (1, 1), i % 256) for i in range(pages)]
        buf = io.BytesIO()
        frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
        return buf.getvalue()

    assert load_bytes(tiff(3)).frames == 3
    many = tiff(MAX_FRAMES_COUNTED + 200)  # Pillow's own count grows faster than the pages
    assert load_bytes(many).frames == MAX_FRAMES_COUNTED
    note = [f for f in check_image(many).findings if f.code == "IN003"]
    assert f"{MAX_FRAMES_COUNTED}+ frames" in note[0].message


class _DiskSpy:
    """Records, in order, which files and folders were flushed to disk and which
    temporary files were renamed over which targets."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, folders_fail: bool = False) -> None:
        self.events: list[tuple[str, str, str]] = []
        fsync, replace = os.fsync, os.replace

        def spy_fsync(fd: int) -> None:
            path = os.readlink(f"/proc/self/fd/{fd}")
            if folders_fail and os.path.isdir(path):
                raise OSError(22, "Invalid argument")  # as some file systems answer
            self.events.append(("fsync", path, ""))
            fsync(fd)

        def spy_replace(src: str | Path, dst: str | Path) -> None:
            self.events.append(("replace", os.path.realpath(src), os.path.realpath(dst)))
            replace(src, dst)

        monkeypatch.setattr(os, "fsync", spy_fsync)
        monkeypatch.setattr(os, "replace", spy_replace)

    def check(self, target: Path) -> None:
        """``target`` was renamed into place after its temporary was flushed, and its
        folder was flushed after the rename."""
        at = [i for i, (op, _, dst) in enumerate(self.events)
              if op == "replace" and dst == os.path.realpath(target)]
        assert at, f"{target} was not renamed into place: {self.events}"
        i = at[-1]
        src = self.events[i][1]
        assert ("fsync", src, "") in self.events[:i], f"{src} not flushed before the rename"
        assert ("fsync", os.path.realpath(target.parent), "") in self.events[i + 1:]


needs_proc = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="Linux /proc")


@needs_proc
def test_reports_survive_a_power_cut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reports were renamed into place without fsync: atomic against a killed process,
    not against a power cut."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x.jpg").write_bytes(_jpeg())
    spy = _DiskSpy(monkeypatch)
    for fmt in ("json", "text", "html"):
        report = tmp_path / "out" / f"report.{fmt}"
        _scan("-f", fmt, "-o", str(report), str(tmp_path / "in"))
        spy.check(report)


@needs_proc
def test_thumbnails_store_copies_and_shared_cache_are_flushed_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from imagecheck.cache import SharedCache
    from imagecheck.report import html_format
    from imagecheck.report.model import ImageResult

    images = tmp_path / "in"
    images.mkdir()
    (images / "x.jpg").write_bytes(_jpeg((600, 600)))
    spy = _DiskSpy(monkeypatch)
    monkeypatch.setattr(html_format, "SELF_CONTAINED_LIMIT", 0)  # thumbnails in a folder
    page = tmp_path / "page.html"
    _scan("-f", "html", "-o", str(page), str(images))
    (thumb,) = html_format.thumbnail_folder(page).iterdir()
    spy.check(thumb)
    assert spy.events.index(("fsync", str(thumb.parent), "")) < [
        e[0:3:2] for e in spy.events].index(("replace", str(page)))

    store = tmp_path / "store"
    result = CliRunner().invoke(main, ["audit", "--ocr", "none", "--jobs", "1", "-q",
                                       "--no-cache", "--store", str(store), str(images)])
    assert result.exit_code in (0, 1), result.output
    spy.check(store / "run.json")
    shards = {str(p) for p in store.glob("*.jsonl")}
    run_at = [e[0:3:2] for e in spy.events].index(("replace", str(store / "run.json")))
    assert len(shards) == 2
    assert shards <= {path for op, path, _ in spy.events[:run_at] if op == "fsync"}

    result = CliRunner().invoke(main, ["annotate", "--ocr", "none", "--jobs", "1", "--all",
                                       "--out", str(tmp_path / "drawn"), str(images)])
    assert result.exit_code in (0, 1), result.output
    spy.check(tmp_path / "drawn" / "x.jpg.annotated.png")

    off = Path(__file__).parent.parent / "sample_images" / "promo-listing" / "主图"
    (images / "off.jpg").write_bytes((off / "02_off_centre.jpg").read_bytes())
    result = CliRunner().invoke(main, ["fix", "--ocr", "none", "--jobs", "1",
                                       "--out", str(tmp_path / "fixed"), str(images / "off.jpg")])
    assert result.exit_code in (0, 1), result.output
    spy.check(tmp_path / "fixed" / "off.jpg")

    shared = SharedCache(tmp_path / "shared")
    shared.put("ab-key", ImageResult(str(images / "x.jpg"), "in", "main", "first", 600, 600, ()))
    spy.check(tmp_path / "shared" / "ab" / "ab-key.json")


@needs_proc
def test_a_folder_that_cannot_be_flushed_does_not_fail_the_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "x.jpg").write_bytes(_jpeg())
    _DiskSpy(monkeypatch, folders_fail=True)
    report = tmp_path / "out" / "report.json"
    code, out = _scan("-f", "json", "-o", str(report), str(tmp_path))
    assert code in (0, 1), out
    assert json.loads(report.read_text())["images"]
    assert [p.name for p in report.parent.iterdir()] == ["report.json"]


def _in_time(call: Callable[[], object], seconds: float = 10) -> list[object]:
    """``[call()]`` (or ``[exception]``), or ``[]`` if it has not returned in ``seconds``."""
    done: list[object] = []

    def run() -> None:
        try:
            done.append(call())
        except Exception as exc:  # noqa: BLE001  (the test looks at it)
            done.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    return done


def _swap_for_a_pipe(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def test_discovery_never_waits_on_a_file_swapped_for_a_pipe(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file without an image extension is opened to see whether it is an image; swapped
    for a named pipe after it was seen to be a file, the open waited for a writer."""
    (tmp_path / "ok.jpg").write_bytes(_jpeg())
    sniffed = tmp_path / "no-extension"
    sniffed.write_bytes(_jpeg())
    is_file = Path.is_file

    def racing(self: Path) -> bool:
        seen = is_file(self)
        if self == sniffed and seen:
            _swap_for_a_pipe(self)
        return seen

    monkeypatch.setattr(Path, "is_file", racing)
    done = _in_time(lambda: discover([tmp_path]))
    assert done, "discovery blocked on a named pipe"
    assert [j.path.name for j in done[0]] == ["ok.jpg"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("fmt", ["html", "html-folder", "annotate"])
def test_drawing_never_waits_on_a_checked_file_swapped_for_a_pipe(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    """HTML thumbnails read an image again after its check; a file swapped for a named
    pipe in between made the report wait for a writer for ever (annotated copies, read
    in full, did not)."""
    from imagecheck import api
    from imagecheck.report import html_format

    (tmp_path / "in").mkdir()
    for name in ("a.jpg", "b.jpg"):
        (tmp_path / "in" / name).write_bytes(_jpeg((300, 300)))
    build_report = api.build_report

    def then_swap(*args: object, **kwargs: object) -> object:
        _swap_for_a_pipe(tmp_path / "in" / "a.jpg")
        return build_report(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "build_report", then_swap)
    if fmt == "html-folder":
        monkeypatch.setattr(html_format, "SELF_CONTAINED_LIMIT", 0)
    args = (["annotate", "--all", "--out", str(tmp_path / "drawn")] if fmt == "annotate"
            else ["scan", "-f", "html", "-o", str(tmp_path / "r.html")])
    done = _in_time(lambda: CliRunner().invoke(
        main, [*args[:1], "--ocr", "none", "--jobs", "1", *args[1:], str(tmp_path / "in")]))
    assert done, f"{fmt} blocked on a named pipe"
    assert done[0].exit_code in (0, 1), done[0].output  # type: ignore[attr-defined]
    assert (tmp_path / "in" / "a.jpg").is_fifo()
    if fmt == "annotate":
        assert [p.name for p in (tmp_path / "drawn").glob("*.png")] == ["b.jpg.annotated.png"]
    else:
        page = (tmp_path / "r.html").read_text()
        assert "a.jpg" in page and "b.jpg" in page
