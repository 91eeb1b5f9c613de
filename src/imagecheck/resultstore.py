"""The results store of a large audit: JSON Lines shards a person can query.

An audit too large to hold in memory (``imagecheck audit --store DIR``) streams its
results, in input order, to a folder of:

- ``images-00000.jsonl``, ...: one row per image: ``path``, ``listing``, ``role``,
  ``role_source``, ``width``, ``height``, ``verdict``, ``findings`` (how many) and
  ``codes`` (the rule codes found);
- ``findings-00000.jsonl``, ...: one row per finding: ``path``, ``listing``, ``role``,
  ``code``, ``category``, ``severity``, ``message``, ``value``, ``threshold``, ``box``,
  ``target``, ``details`` and ``message_source`` (the message's English template and
  arguments, from which reports say it in another language);
- ``run.json``, written last: the platform, ``fail_on``, the notes (and their templates,
  ``notes_source``), whether the audit was
  interrupted and the row counts. A store without it is one whose writer was killed.

A new shard starts every :data:`SHARD_ROWS` images. The rows of one listing are
consecutive (the audit writes in input order, and inputs are grouped by listing), so the
summary (:func:`summarise`: counts by verdict, severity and rule, the worst listings) is
computed in one pass holding only the worst listings. The files are read by any JSON
Lines tool, for example DuckDB (``SELECT code, count(*) FROM 'DIR/findings-*.jsonl'
GROUP BY code``), pandas (``read_json(path, lines=True)``) or ``jq``. Read back
(:func:`summarise`, the report), a store written before a rule was renamed names it by
its new code.
"""

from __future__ import annotations

import heapq
import json
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from imagecheck.findings import Finding, Severity
from imagecheck.i18n import from_data, to_data
from imagecheck.problems import problem_numbers
from imagecheck.report import atomic_write_text
from imagecheck.report.model import ImageResult
from imagecheck.rules.registry import canonical

#: Images per shard.
SHARD_ROWS = 100_000
RUN_NAME = "run.json"
#: Listings kept for the report of a large audit.
WORST_LISTINGS = 50
_KINDS = ("images", "findings")


def _plain(value: object) -> object:
    """JSON for values ``json`` does not know (numpy scalars and the like)."""
    if hasattr(value, "item"):
        return value.item()
    return str(value)


class StoreWriter:
    """Writes results to a results store folder (see the module documentation); the
    shards of an earlier run in the same folder are removed first."""

    def __init__(self, folder: str | Path, fail_on: Severity) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in [*self.folder.glob("*.jsonl"), self.folder / RUN_NAME]:
            old.unlink(missing_ok=True)
        self.fail_on = fail_on
        self.images = 0
        self.findings = 0
        self._files: dict[str, IO[str]] = {}

    def add(self, result: ImageResult) -> None:
        """Append the rows of ``result``."""
        if self.images % SHARD_ROWS == 0:
            self._next_shard()
        row = {"path": result.path, "listing": result.listing, "role": result.role,
               "role_source": result.role_source, "width": result.width,
               "height": result.height, "verdict": result.verdict(self.fail_on),
               "problems": len(result.problems()), "findings": len(result.findings),
               "codes": sorted({f.code for f in result.findings})}
        self._write("images", row)
        numbers = problem_numbers(result.problems())
        for f, (problem, main) in zip(result.findings, numbers, strict=True):
            self._write("findings", {
                "path": result.path, "listing": result.listing, "role": result.role,
                "code": f.code, "category": f.category, "severity": str(f.severity),
                "message": f.message, "value": f.value, "threshold": f.threshold,
                "box": list(f.box) if f.box else None, "target": f.target,
                "problem": problem, "problem_main": main, "details": dict(f.details),
                "message_source": to_data(f.message)})
        self.images += 1
        self.findings += len(result.findings)

    def _write(self, kind: str, row: dict[str, Any]) -> None:
        line = json.dumps(row, ensure_ascii=False, default=_plain)
        self._files[kind].write(line + "\n")

    def _next_shard(self) -> None:
        self._close_files()
        number = self.images // SHARD_ROWS
        for kind in _KINDS:
            self._files[kind] = (self.folder / f"{kind}-{number:05d}.jsonl").open(
                "w", encoding="utf-8", errors="surrogateescape")

    def _close_files(self) -> None:
        """Close the shards, flushed to disk first: ``run.json``, written after them,
        must not survive a power cut that they do not."""
        for handle in self._files.values():
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
        self._files = {}

    def close(self, platform: str, notes: Sequence[str] = (), interrupted: bool = False) -> None:
        """Finish the shards and write ``run.json``, which marks the store complete."""
        self._close_files()
        run = {"platform": platform, "fail_on": str(self.fail_on), "notes": list(notes),
               "notes_source": [to_data(n) for n in notes],
               "interrupted": interrupted, "images": self.images, "findings": self.findings}
        atomic_write_text(self.folder / RUN_NAME, json.dumps(run, indent=2) + "\n")


def rows(folder: str | Path, kind: str) -> Iterator[dict[str, Any]]:
    """The rows of one kind (``images`` or ``findings``) of a store, in order."""
    for shard in sorted(Path(folder).glob(f"{kind}-*.jsonl")):
        with shard.open(encoding="utf-8", errors="surrogateescape") as handle:
            for line in handle:
                yield json.loads(line)


@dataclass(frozen=True)
class StoreSummary:
    """What the report of a large audit shows: the counts, the worst listings and the
    results of their images."""

    folder: str
    platform: str
    fail_on: Severity
    notes: tuple[str, ...]
    interrupted: bool
    counts: dict[str, Any]
    worst: tuple[dict[str, Any], ...]
    images: tuple[ImageResult, ...]

    @property
    def unreadable(self) -> bool:
        """Whether any image could not be checked."""
        return bool(self.counts["error"])

    @property
    def failed(self) -> bool:
        """Whether any image failed (a finding at or above ``fail_on``)."""
        return bool(self.counts["fail"])


def _rank(row: dict[str, Any]) -> tuple[int, ...]:
    """Larger is worse, as :meth:`imagecheck.report.model.Report.listings` orders them."""
    return (row["error"], row["fail"], row["failing_findings"], row["findings"])


class _Backwards(str):
    """A name that sorts backwards: among equally bad listings the first by name is kept."""

    def __lt__(self, other: str) -> bool:
        return str.__gt__(self, other)

    def __gt__(self, other: str) -> bool:
        return str.__lt__(self, other)


def summarise(folder: str | Path, worst: int = WORST_LISTINGS) -> StoreSummary:
    """The summary of a complete store, and the ``worst`` listings with their images, in
    one pass that holds only those listings."""
    folder = Path(folder)
    try:
        run = json.loads((folder / RUN_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{folder} is not a complete results store ({exc})") from None
    fail_on = Severity.parse(run["fail_on"])
    verdicts: Counter[str] = Counter()
    by_code: Counter[str] = Counter()
    problems_by_code: Counter[str] = Counter()
    by_severity: Counter[str] = Counter()
    kept: list[tuple[tuple[int, ...], _Backwards, dict[str, Any]]] = []  # a min-heap
    listings = 0

    def finish(row: dict[str, Any] | None) -> None:
        if row is None:
            return
        entry = (_rank(row), _Backwards(row["listing"]), row)
        if len(kept) < worst:
            heapq.heappush(kept, entry)
        elif entry[:2] > kept[0][:2]:
            heapq.heapreplace(kept, entry)

    findings = rows(folder, "findings")
    current: dict[str, Any] | None = None
    for image in rows(folder, "images"):
        verdicts[image["verdict"]] += 1
        if current is None or current["listing"] != image["listing"]:
            finish(current)
            listings += 1
            current = {"listing": image["listing"], "images": 0, "pass": 0, "fail": 0,
                       "error": 0, "problems": 0, "findings": 0, "failing_findings": 0}
        current["images"] += 1
        current[image["verdict"]] += 1
        current["problems"] += image["problems"]
        current["findings"] += image["findings"]
        for _ in range(image["findings"]):
            f = next(findings)
            code = canonical(f["code"])  # a store written before a rule was renamed
            by_code[code] += 1
            problems_by_code[code] += f["problem_main"]
            by_severity[f["severity"]] += 1
            current["failing_findings"] += Severity.parse(f["severity"]) >= fail_on
    finish(current)
    chosen = [entry[2] for entry in sorted(kept, key=lambda e: e[:2], reverse=True)]
    counts = {"images": run["images"], "pass": verdicts["pass"], "fail": verdicts["fail"],
              "error": verdicts["error"], "problems": sum(problems_by_code.values()),
              "problems_by_code": {c: n for c, n in sorted(problems_by_code.items()) if n},
              "findings": run["findings"],
              "by_severity": dict(by_severity), "by_code": dict(sorted(by_code.items())),
              "listings": listings}
    return StoreSummary(str(folder), run["platform"], fail_on,
                        tuple(from_data(n) for n in run.get("notes_source", run["notes"])),
                        run["interrupted"], counts, tuple(chosen),
                        tuple(_images_of(folder, {row["listing"] for row in chosen})))


def _images_of(folder: Path, listings: set[str]) -> Iterator[ImageResult]:
    """The results of the images of ``listings``, from the store's rows."""
    findings = rows(folder, "findings")
    for image in rows(folder, "images"):
        own = [next(findings) for _ in range(image["findings"])]
        if image["listing"] not in listings:
            continue
        yield ImageResult(image["path"], image["listing"], image["role"],
                          image["role_source"], image["width"], image["height"],
                          tuple(_finding(f) for f in own))


def _finding(row: dict[str, Any]) -> Finding:
    box = row["box"]
    return Finding(canonical(row["code"]), row["category"], Severity.parse(row["severity"]),
                   from_data(row.get("message_source", row["message"])), row["value"],
                   row["threshold"],
                   tuple(box) if box else None, row["target"], row["details"])
