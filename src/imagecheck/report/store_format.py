"""The report of an audit written to a results store (``audit --store``): the summary
and the worst listings, never every image (those are in the store's rows).

:func:`render` gives text, JSON or HTML; the HTML page is self-contained, with the
worst listings' images as thumbnails with their findings drawn.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from html import escape
from typing import Any

from imagecheck.i18n import msg, term, translate
from imagecheck.report.html_format import CSS, card, legend, thumbnail, zh_font_face
from imagecheck.report.json_format import findings_list
from imagecheck.report.model import Report
from imagecheck.resultstore import StoreSummary

#: Listings the text report names (the JSON and HTML reports show every one kept).
TEXT_LISTINGS = 20
INTERRUPTED = msg("interrupted: images not reached are listed as not checked (IN006)")


def render(summary: StoreSummary, fmt: str, lang: str = "en") -> str:
    """``summary`` in ``fmt`` (a name in :data:`REPORTERS`), its words in ``lang`` (codes
    and numbers the same in every language)."""
    reporter = REPORTERS.get(fmt)
    if reporter is None:
        raise ValueError(f"a results store's report is {', '.join(FORMATS)}, not {fmt!r}")
    return reporter(summary, lang)


def _headline(summary: StoreSummary, lang: str) -> str:
    c = summary.counts
    return translate(msg("{images} image(s) in {listings} listing(s): {passed} pass,"
                         " {failed} fail, {errors} error; {problems} problem(s)"
                         " ({findings} finding(s))", images=c["images"],
                         listings=c["listings"], passed=c["pass"], failed=c["fail"],
                         errors=c["error"], problems=c["problems"], findings=c["findings"]),
                     lang)


def _listing_line(row: dict[str, Any], lang: str) -> str:
    counts = translate(msg("{errors:>3} error {failed:>3} fail {problems:>4} problem(s) /"
                           " {images} image(s)", errors=row["error"], failed=row["fail"],
                           problems=row["problems"], images=row["images"]), lang)
    return f"{counts}  {row['listing']}"


def _every(summary: StoreSummary) -> str:
    return msg("Every image and finding: {folder} (JSON Lines)", folder=summary.folder)


def _text(summary: StoreSummary, lang: str) -> str:
    def say(text: str) -> str:
        return translate(text, lang)

    by_code = sorted(summary.counts["problems_by_code"].items(),
                     key=lambda kv: (-kv[1], kv[0]))
    lines = [_headline(summary, lang), *(say(msg("note: {note}", note=n)) for n in summary.notes),
             "", say(msg("Problems by main rule:")),
             *([f"  {code:<7} {count}" for code, count in by_code] or
               ["  " + say(msg("none"))])]
    worst = [row for row in summary.worst if row["fail"] or row["error"]]
    lines += ["", say(msg("Worst listings ({n} shown):", n=len(worst)))]
    lines += [f"  {_listing_line(row, lang)}" for row in worst[:TEXT_LISTINGS]]
    lines += ["", say(_every(summary))]
    if summary.interrupted:
        lines.append(say(INTERRUPTED))
    return "\n".join(lines) + "\n"


def _data(summary: StoreSummary, lang: str) -> dict[str, Any]:
    images: dict[str, list[dict[str, Any]]] = {}
    for r in summary.images:
        images.setdefault(r.listing, []).append({
            "path": r.path, "role": r.role, "role_source": r.role_source, "width": r.width,
            "height": r.height, "verdict": r.verdict(summary.fail_on),
            "findings": findings_list(r.findings, r.problems(), lang)})
    return {"store": summary.folder, "lang": lang, "platform": summary.platform,
            "fail_on": str(summary.fail_on), "interrupted": summary.interrupted,
            "notes": [translate(n, lang) for n in summary.notes], "summary": summary.counts,
            "worst_listings": [{**row, "images": images.get(row["listing"], [])}
                               for row in summary.worst]}


def _json(summary: StoreSummary, lang: str) -> str:
    return json.dumps(_data(summary, lang), ensure_ascii=False, indent=2, default=str) + "\n"


def _html(summary: StoreSummary, lang: str) -> str:
    def say(text: str) -> str:
        return escape(translate(text, lang))

    c = summary.counts
    codes = sorted(c["problems_by_code"].items(), key=lambda kv: (-kv[1], kv[0]))
    rule_rows = "".join(f"<tr><td>{escape(k)}</td><td>{v}</td></tr>" for k, v in codes)
    notes = "".join(f"<p>{say(n)}</p>" for n in summary.notes)
    if summary.interrupted:
        notes += f"<p>{say(INTERRUPTED)}</p>"
    # what a card reads of a report
    verdicts = Report((), summary.platform, summary.fail_on, lang=lang)
    by_listing: dict[str, list[str]] = {}
    for r in summary.images:
        by_listing.setdefault(r.listing, []).append(
            card(r, verdicts, thumbnail(r, lang), hidden=False,
                  filtered_by_attributes=False))
    sections = "".join(
        f'<section class="listing"><h2>{escape(row["listing"])}</h2>'
        f"<p>{escape(_listing_line(row, lang))}</p>"
        f'<div class="cards">{"".join(by_listing.get(row["listing"], []))}</div></section>'
        for row in summary.worst)
    title = say(msg("imagecheck audit: {platform}", platform=summary.platform))
    heading = say(msg("imagecheck audit ({platform}, fail on {fail_on})",
                      platform=summary.platform, fail_on=term(str(summary.fail_on))))
    return (
        f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
        '<meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{title}</title><style>{CSS}{zh_font_face() if lang == 'zh' else ''}</style>"
        f"</head><body><header><h1>{heading}</h1><p>{escape(_headline(summary, lang))}</p>"
        f"{notes}<p>{say(_every(summary))}</p></header><main>"
        f'<div class="tables"><table><tr><th>{say(msg("main rule"))}</th>'
        f'<th>{say(msg("problems"))}</th></tr>{rule_rows}'
        f"</table></div>{legend(lang)}"
        f"<h2>{say(msg('The {n} worst listings', n=len(summary.worst)))}</h2>{sections}"
        "</main></body></html>\n"
    )


#: The results store's report formats by name: each renders a summary in a language.
REPORTERS: Mapping[str, Callable[[StoreSummary, str], str]] = {
    "text": _text, "json": _json, "html": _html,
}
FORMATS: tuple[str, ...] = tuple(REPORTERS)
