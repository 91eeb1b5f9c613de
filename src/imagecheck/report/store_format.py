"""The report of an audit written to a results store (``audit --store``): the summary
and the worst listings, never every image (those are in the store's rows).

:func:`render` gives text, JSON or HTML; the HTML page is self-contained, with the
worst listings' images as thumbnails with their findings drawn.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from imagecheck.report.html_format import _CSS, _card, _legend, _thumbnail
from imagecheck.report.json_format import findings_list
from imagecheck.report.model import Report
from imagecheck.resultstore import StoreSummary

FORMATS = ("text", "json", "html")
#: Listings the text report names (the JSON and HTML reports show every one kept).
TEXT_LISTINGS = 20


def render(summary: StoreSummary, fmt: str) -> str:
    """``summary`` in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "text":
        return _text(summary)
    if fmt == "json":
        return json.dumps(_data(summary), ensure_ascii=False, indent=2, default=str) + "\n"
    if fmt == "html":
        return _html(summary)
    raise ValueError(f"a results store's report is {', '.join(FORMATS)}, not {fmt!r}")


def _headline(summary: StoreSummary) -> str:
    c = summary.counts
    return (f"{c['images']} image(s) in {c['listings']} listing(s): {c['pass']} pass,"
            f" {c['fail']} fail, {c['error']} error; {c['problems']} problem(s)"
            f" ({c['findings']} finding(s))")


def _listing_line(row: dict[str, Any]) -> str:
    return (f"{row['error']:>3} error {row['fail']:>3} fail {row['problems']:>4}"
            f" problem(s) / {row['images']} image(s)  {row['listing']}")


def _text(summary: StoreSummary) -> str:
    by_code = sorted(summary.counts["problems_by_code"].items(),
                     key=lambda kv: (-kv[1], kv[0]))
    lines = [_headline(summary), *(f"note: {n}" for n in summary.notes), "",
             "Problems by main rule:",
             *([f"  {code:<7} {count}" for code, count in by_code] or ["  none"])]
    worst = [row for row in summary.worst if row["fail"] or row["error"]]
    lines += ["", f"Worst listings ({len(worst)} shown):"]
    lines += [f"  {_listing_line(row)}" for row in worst[:TEXT_LISTINGS]]
    lines += ["", f"Every image and finding: {summary.folder} (JSON Lines)"]
    if summary.interrupted:
        lines.append("interrupted: images not reached are listed as not checked (IN006)")
    return "\n".join(lines) + "\n"


def _data(summary: StoreSummary) -> dict[str, Any]:
    images: dict[str, list[dict[str, Any]]] = {}
    for r in summary.images:
        images.setdefault(r.listing, []).append({
            "path": r.path, "role": r.role, "role_source": r.role_source, "width": r.width,
            "height": r.height, "verdict": r.verdict(summary.fail_on),
            "findings": findings_list(r.findings, r.problems())})
    return {"store": summary.folder, "platform": summary.platform,
            "fail_on": str(summary.fail_on), "interrupted": summary.interrupted,
            "notes": list(summary.notes), "summary": summary.counts,
            "worst_listings": [{**row, "images": images.get(row["listing"], [])}
                               for row in summary.worst]}


def _html(summary: StoreSummary) -> str:
    c = summary.counts
    codes = sorted(c["problems_by_code"].items(), key=lambda kv: (-kv[1], kv[0]))
    rule_rows = "".join(f"<tr><td>{escape(k)}</td><td>{v}</td></tr>" for k, v in codes)
    notes = "".join(f"<p>{escape(n)}</p>" for n in summary.notes)
    if summary.interrupted:
        notes += "<p><b>Interrupted</b>: images not reached are listed as not checked.</p>"
    verdicts = Report((), summary.platform, summary.fail_on)  # what a card reads of a report
    by_listing: dict[str, list[str]] = {}
    for r in summary.images:
        by_listing.setdefault(r.listing, []).append(
            _card(r, verdicts, _thumbnail(r, verdicts.lang), hidden=False,
                  filtered_by_attributes=False))
    sections = "".join(
        f'<section class="listing"><h2>{escape(row["listing"])}</h2>'
        f"<p>{escape(_listing_line(row))}</p>"
        f'<div class="cards">{"".join(by_listing.get(row["listing"], []))}</div></section>'
        for row in summary.worst)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>imagecheck audit: {escape(summary.platform)}</title><style>{_CSS}</style>"
        f"</head><body><header><h1>imagecheck audit ({escape(summary.platform)},"
        f" fail on {summary.fail_on})</h1><p>{escape(_headline(summary))}</p>{notes}"
        f"<p>Every image and finding: <code>{escape(summary.folder)}</code> (JSON Lines)."
        f"</p></header><main>"
        f'<div class="tables"><table><tr><th>main rule</th><th>problems</th></tr>{rule_rows}'
        f"</table></div>{_legend(verdicts.lang)}"
        f"<h2>The {len(summary.worst)} worst listings</h2>{sections}</main></body></html>\n"
    )
