"""HTML reporter: one self-contained page (no network resources) to look at.

Listings appear worst first, each with its images: a thumbnail (an embedded JPEG) with
the findings drawn on it, the verdict and the findings with their evidence. Filters by
verdict, rule and listing work offline and can be preset in the address:
``report.html#verdict=fail&rule=BG101&listing=...``.
"""

from __future__ import annotations

import base64
import io
from collections import defaultdict
from html import escape

from imagecheck.annotate import annotated
from imagecheck.findings import Finding
from imagecheck.report.model import ImageResult, Report, evidence

#: Long side of the thumbnails, in pixels.
THUMB_SIDE = 360

_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#222}
header{background:#1f2933;color:#fff;padding:12px 20px}
header h1{font-size:18px;margin:0 0 4px}
.bar{display:flex;gap:16px;flex-wrap:wrap;align-items:center;padding:10px 20px;
background:#fff;border-bottom:1px solid #ddd;position:sticky;top:0;z-index:1}
main{padding:12px 20px}
section.listing{margin:0 0 18px}
section.listing h2{font-size:15px;margin:8px 0;word-break:break-all}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{background:#fff;border:1px solid #ddd;border-top:4px solid #2e7d32;border-radius:4px;
width:380px;padding:8px}
.card[data-verdict=fail]{border-top-color:#d32f2f}
.card[data-verdict=error]{border-top-color:#7b1fa2}
.card img{max-width:100%;display:block;margin:0 auto}
.noimg{height:120px;display:flex;align-items:center;justify-content:center;background:#eee}
.path{font-family:monospace;font-size:12px;word-break:break-all}
.verdict{font-weight:bold;text-transform:uppercase}
ul.findings{padding-left:18px;margin:6px 0 0}
.sev-error{color:#c62828}.sev-warning{color:#e65100}.sev-info{color:#1565c0}
table{border-collapse:collapse;background:#fff;margin:6px 0 12px}
td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}
[hidden]{display:none!important}
"""

_JS = """
const cards=[...document.querySelectorAll('.card')];
const sections=[...document.querySelectorAll('section.listing')];
const ids=['verdict','rule','listing'];
function apply(){
  const want=Object.fromEntries(ids.map(i=>[i,document.getElementById(i).value]));
  let n=0;
  for(const c of cards){
    const ok=(!want.verdict||c.dataset.verdict===want.verdict)
      &&(!want.rule||c.dataset.codes.split(' ').includes(want.rule))
      &&(!want.listing||c.dataset.listing===want.listing);
    c.hidden=!ok; if(ok)n++;
  }
  for(const s of sections){s.hidden=!s.querySelector('.card:not([hidden])');}
  document.getElementById('shown').textContent='Showing '+n+' of '+cards.length+' images';
  const h=new URLSearchParams();
  for(const i of ids){if(want[i])h.set(i,want[i]);}
  try{history.replaceState(null,'',h.toString()?'#'+h.toString():location.pathname);}catch(e){}
}
const preset=new URLSearchParams(location.hash.slice(1));
for(const i of ids){
  const el=document.getElementById(i);
  if(preset.has(i))el.value=preset.get(i);
  el.addEventListener('change',apply);
}
apply();
"""


def _thumbnail(result: ImageResult) -> str | None:
    """The image with its findings drawn, as a ``data:`` URI, or ``None`` if unreadable."""
    img = annotated(result, THUMB_SIDE)
    if img is None:
        return None
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _finding(f: Finding) -> str:
    parts = "; ".join(f"{k} {v}" for k, v in evidence(f).items())
    tail = f" <small>({escape(parts)})</small>" if parts else ""
    return (f'<li class="sev-{f.severity}"><b>{escape(f.code)}</b> {f.severity}:'
            f" {escape(f.message)}{tail}</li>")


def _card(result: ImageResult, report: Report) -> str:
    verdict = result.verdict(report.fail_on)
    codes = " ".join(sorted({f.code for f in result.findings}))
    src = _thumbnail(result)
    picture = (f'<img src="{src}" alt="{escape(result.path)}">' if src
               else '<div class="noimg">image could not be read</div>')
    size = f"{result.width}x{result.height}" if result.width else "-"
    findings = "".join(_finding(f) for f in result.findings)
    return (
        f'<div class="card" data-verdict="{verdict}" data-codes="{escape(codes)}"'
        f' data-listing="{escape(result.listing)}">{picture}'
        f'<div><span class="verdict">{verdict}</span> · {escape(result.role)} · {size}</div>'
        f'<div class="path">{escape(result.path)}</div>'
        f'<ul class="findings">{findings}</ul></div>'
    )


def _options(values: list[str], label: str) -> str:
    items = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
    return f'<option value="">{label}</option>{items}'


def render(report: Report, color: bool = False) -> str:
    """The report as one HTML page."""
    s = report.summary()
    by_listing: dict[str, list[ImageResult]] = defaultdict(list)
    for r in report.images:
        by_listing[r.listing].append(r)
    order = [row["listing"] for row in s["by_listing"]]
    sections = []
    for listing in order:
        cards = "".join(_card(r, report) for r in by_listing[listing])
        sections.append(f'<section class="listing"><h2>{escape(listing)}</h2>'
                        f'<div class="cards">{cards}</div></section>')
    rules = "".join(f"<tr><td>{escape(code)}</td><td>{n}</td></tr>"
                    for code, n in sorted(s["by_code"].items(), key=lambda kv: (-kv[1], kv[0])))
    listings = "".join(
        f"<tr><td>{escape(row['listing'])}</td><td>{row['images']}</td><td>{row['fail']}</td>"
        f"<td>{row['error']}</td><td>{row['findings']}</td></tr>" for row in s["by_listing"])
    shop = "".join(_finding(f) for f in report.shop_findings)
    notes = "".join(f"<p>Note: {escape(n)}</p>" for n in report.notes)
    if report.interrupted:
        notes += "<p><b>The run was interrupted: images not reached are listed as IN006.</b></p>"
    title = f"imagecheck report: {s['fail']} fail, {s['error']} error, {s['pass']} pass"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title><style>{_CSS}</style></head>
<body><header><h1>{escape(title)}</h1>
<div id="summary">{s['images']} image(s) in {len(order)} listing(s): {s['pass']} pass,
{s['fail']} fail, {s['error']} error; {s['findings']} finding(s); platform
{escape(report.platform)}, fail-on {report.fail_on}</div>{notes}</header>
<div class="bar">
<label>Verdict <select id="verdict">{_options(['fail', 'error', 'pass'], 'all')}</select></label>
<label>Rule <select id="rule">{_options(sorted(s['by_code']), 'all')}</select></label>
<label>Listing <select id="listing">{_options(order, 'all')}</select></label>
<span id="shown">Showing {s['images']} of {s['images']} images</span></div>
<main>
<details><summary>Findings by rule</summary><table><tr><th>rule</th><th>findings</th></tr>
{rules}</table></details>
<details><summary>Listings, worst first</summary><table><tr><th>listing</th><th>images</th>
<th>fail</th><th>error</th><th>findings</th></tr>{listings}</table></details>
{f'<section id="shop"><h2>Shop</h2><ul class="findings">{shop}</ul></section>' if shop else ''}
{''.join(sections)}
</main><script>{_JS}</script></body></html>
"""
