"""The result cache: keys, invalidation by exactly what changed, and safe sharing."""

from __future__ import annotations

from pathlib import Path

import pytest

from imagecheck.api import check_listing
from imagecheck.cache import DB_NAME, ENV_VAR, ResultCache, default_dir
from imagecheck.config import build_settings
from imagecheck.listing import ImageJob
from imagecheck.report import render
from imagecheck.report.model import ImageResult
from imagecheck.rules.registry import get_rule
from imagecheck_dev import synth


@pytest.fixture()
def listing(tmp_path: Path) -> Path:
    """A listing with an off-centre main image and a framed carousel image."""
    folder = tmp_path / "listing"
    synth.save(synth.shot("box", (300, 300), at=(0.25, 0.3), fill=0.4), folder / "main.jpg")
    framed = synth.frame(synth.shot("mug", (300, 300)), width=12, color=(200, 0, 0))
    synth.save(framed, folder / "carousel1.jpg")
    return folder


def _run(listing: Path, cache: ResultCache) -> str:
    """The JSON report of ``listing`` checked through ``cache``."""
    settings = build_settings(ocr="none")
    return render(check_listing([listing], settings, jobs=1, cache=cache), "json")


def test_second_run_is_served_from_cache_with_identical_results(
    listing: Path, tmp_path: Path
) -> None:
    cache = ResultCache(tmp_path / "cache")
    first = _run(listing, cache)
    assert (cache.hits, cache.misses) == (0, 2)
    second = _run(listing, cache)
    assert (cache.hits, cache.misses) == (2, 2)
    assert second == first
    assert '"FR201"' in second and '"OV401"' in second


def test_changed_threshold_invalidates_only_the_role_that_uses_it(
    listing: Path, tmp_path: Path
) -> None:
    cache = ResultCache(tmp_path / "cache")
    _run(listing, cache)
    roles = {"main": {"params": {"FR201": {"max_offset": 0.4, "error_offset": 0.5}}}}
    settings = build_settings({"roles": roles}, ocr="none")
    report = check_listing([listing], settings, jobs=1, cache=cache)
    assert (cache.hits, cache.misses) == (1, 3)  # carousel hit, main re-checked
    main = next(r for r in report.images if r.role == "main")
    assert not any(f.code == "FR201" for f in main.findings)


def test_changed_file_content_is_a_miss_and_rename_is_a_hit(listing: Path, tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "cache")
    _run(listing, cache)
    synth.save(synth.shot("bottle", (300, 300)), listing / "carousel1.jpg")
    (listing / "main.jpg").rename(listing / "main_front.jpg")
    _run(listing, cache)
    assert (cache.hits, cache.misses) == (1, 3)


def test_incomplete_checks_are_never_stored(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "cache")
    job = ImageJob(tmp_path / "x.jpg", tmp_path, "main", "order")
    findings = tuple(get_rule("IN006").findings("the run was interrupted", {}))
    cache.put("k", ImageResult(str(job.path), str(job.listing), "main", "order", None, None,
                               findings))
    assert cache.get("k", job) is None


def test_two_caches_share_one_folder(listing: Path, tmp_path: Path) -> None:
    one, two = ResultCache(tmp_path / "cache"), ResultCache(tmp_path / "cache")
    _run(listing, one)
    _run(listing, two)
    assert two.hits == 2
    assert one.clear() == 2
    _run(listing, two)
    assert two.misses == 2


def test_no_cache_runs_write_nothing(listing: Path, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from imagecheck.cli import main

    monkeypatch.setenv(ENV_VAR, str(tmp_path / "envcache"))
    assert default_dir() == tmp_path / "envcache"
    args = ["audit", str(listing), "--ocr", "none", "-q", "--exit-zero"]
    assert CliRunner().invoke(main, [*args, "--no-cache"]).exit_code == 0
    assert not (tmp_path / "envcache").exists()
    assert CliRunner().invoke(main, args).exit_code == 0
    assert (tmp_path / "envcache" / DB_NAME).is_file()


def test_unusable_cache_folder_warns_and_checks_everything(listing: Path, tmp_path: Path) -> None:
    from imagecheck.api import AuditOptions, audit

    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    with pytest.warns(UserWarning, match="result cache unavailable"):
        report = audit([listing], build_settings(ocr="none"),
                       AuditOptions(jobs=1, cache_dir=blocked))
    assert len(report.images) == 2 and not report.interrupted


def _damage_pages(path: Path) -> None:
    """Keep the SQLite header, overwrite every page after the first with garbage."""
    data = bytearray(path.read_bytes())
    data[4096:] = b"\xa5" * (len(data) - 4096)
    path.write_bytes(bytes(data))


def _foreign_table(path: Path) -> None:
    import sqlite3

    path.unlink()
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE results (id INTEGER, note TEXT)")
    db.commit()
    db.close()


def _not_a_database(path: Path) -> None:
    path.write_bytes(b"this is not a database" * 100)


def _schema_not_utf8(path: Path) -> None:
    data = path.read_bytes()  # found by tests/fuzz.py (UnicodeDecodeError)
    at = data.index(b"width INTEGER") + len(b"width I")  # a column type SQLite still parses
    path.write_bytes(data[:at] + b"\xc0" + data[at + 1:])


@pytest.mark.parametrize("damage", [_damage_pages, _foreign_table, _not_a_database,
                                    _schema_not_utf8])
def test_damaged_cache_is_set_aside_and_rebuilt(listing: Path, tmp_path: Path,
                                               damage: object) -> None:
    from click.testing import CliRunner

    from imagecheck.cli import main

    folder = tmp_path / "cache"
    cache = ResultCache(folder)
    expected = _run(listing, cache)
    for extra in range(40):  # enough rows for several pages
        cache.put(f"filler{extra}", ImageResult("x", "y", "main", "order", 1, 1, ()))
    cache.close()
    assert callable(damage)
    damage(folder / DB_NAME)
    with pytest.warns(UserWarning, match="damaged"):
        cache = ResultCache(folder)
        assert _run(listing, cache) == expected
        cache.close()
    assert list(folder.glob(f"{DB_NAME}.damaged-*"))
    damage(folder / DB_NAME)
    result = CliRunner().invoke(main, ["audit", "--ocr", "none", "--jobs", "1", "--quiet",
                                       "--clear-cache", "--cache-dir", str(folder),
                                       str(listing)])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output


def test_a_bad_row_is_a_miss_and_is_dropped(listing: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    cache = ResultCache(folder)
    expected = _run(listing, cache)
    cache._db.execute("UPDATE results SET findings = 'not json'")
    assert _run(listing, cache) == expected
    assert cache.hits == 0 and cache.misses == 4


def test_a_row_that_is_not_utf8_is_a_miss(listing: Path, tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "cache")
    expected = _run(listing, cache)  # found by tests/fuzz.py (OperationalError)
    cache._db.execute("UPDATE results SET findings = CAST(X'5B22FF225D' AS TEXT)")
    assert _run(listing, cache) == expected
