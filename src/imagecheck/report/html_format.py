"""HTML reporter: a page to look at, without network resources.

Listings appear worst first, each with its images: a thumbnail with the findings drawn
on it, the verdict and the problems (findings about one object,
:mod:`imagecheck.problems`) with their evidence and related codes. Filters by verdict, rule and
listing work offline and can be preset in the address:
``report.html#verdict=fail&rule=BG101&listing=...&page=2``. Cards are shown a page
(:data:`PAGE_SIZE`) at a time; a filter nothing matches says so.

:func:`render` gives one self-contained page (thumbnails embedded as WebP ``data:`` URIs).
:func:`write` writes that for up to :data:`SELF_CONTAINED_LIMIT` images; for more, the
thumbnails go to a folder beside the page (``audit.html`` -> ``audit_thumbnails/``),
loaded lazily as the reader scrolls, drawn in parallel and kept between runs: a
thumbnail is named by a hash of its image file (path, size, modification time) and its
findings, so re-writing a report redraws only what changed.

:data:`CSS`, :func:`legend`, :func:`zh_font_face`, :func:`thumbnail` and :func:`card` are
the parts the page of an audit written to a results store
(:mod:`imagecheck.report.store_format`) shares with this one.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import io
import json
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from html import escape
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from PIL import features

from imagecheck.annotate import COLOURS, annotated
from imagecheck.findings import Finding, Severity
from imagecheck.i18n import msg, term, translate
from imagecheck.problems import Problem
from imagecheck.report import (
    atomic_write_text,
    remove_stale_temporaries,
    replace_with,
    sync_folder,
)
from imagecheck.report.fix_parts import fix_lines, pair_size, paired, side_by_side
from imagecheck.report.model import ImageResult, Report, evidence
from imagecheck.report.text_format import VERDICTS, related, shop_counts

#: Long side of the thumbnails, in pixels.
THUMB_SIDE = 360
#: Reports of up to this many images are one self-contained file.
SELF_CONTAINED_LIMIT = 500
#: Cards shown at a time.
PAGE_SIZE = 100
#: Bump when thumbnails are drawn differently, so kept thumbnails are redrawn.
DRAWING_VERSION = "2"
#: Thumbnails drawn in worker processes when at least this many are missing.
PARALLEL_FROM = 64
#: Thumbnails are WebP: half the bytes of a JPEG of the same look (5 KB against 10 KB).
_KIND = "webp" if features.check("webp") else "jpeg"
_THUMB_NAME = re.compile(r"[0-9a-f]{24}\.(webp|jpeg)")
_SURROGATES = re.compile("[\udc80-\udcff]")

#: The page's style sheet.
CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#222}
header{background:#1f2933;color:#fff;padding:12px 20px}
header h1{font-size:18px;margin:0 0 4px}
header p{margin:4px 0}
.bar{display:flex;gap:8px 16px;flex-wrap:wrap;align-items:center;padding:8px 20px;
background:#fff;border-bottom:1px solid #ddd;position:sticky;top:0;z-index:1}
.bar select{max-width:60vw}
.pager{display:flex;gap:8px;align-items:center}
main{padding:12px 20px}
.pagerbar{display:flex;justify-content:center;padding:8px}
section.listing{margin:0 0 18px}
section.listing h2{font-size:15px;margin:8px 0;word-break:break-all}
.cards{display:grid;gap:12px;grid-template-columns:repeat(auto-fill,minmax(min(340px,100%),1fr))}
.card{background:#fff;border:1px solid #ddd;border-top:4px solid #2e7d32;border-radius:4px;
padding:8px;min-width:0}
.card[data-verdict=fail]{border-top-color:#d32f2f}
.card[data-verdict=error]{border-top-color:#7b1fa2}
.card img{max-width:100%;height:auto;display:block;margin:0 auto;background:#eee}
.noimg{height:120px;display:flex;align-items:center;justify-content:center;background:#eee}
.path{font-family:monospace;font-size:12px;word-break:break-all}
.verdict{font-weight:bold;text-transform:uppercase}
ul.findings{padding-left:18px;margin:6px 0 0}
.sev-error{color:#c62828}.sev-warning{color:#e65100}.sev-info{color:#1565c0}
.legend{font-size:13px;margin:0 0 6px}.legend summary{cursor:pointer}
.legend span{display:inline-block;margin:2px 14px 2px 0}
.key{display:inline-block;width:18px;height:12px;vertical-align:middle;margin-right:4px;
border:3px dashed #fff;outline:1px solid #000}
.hatch{display:inline-block;width:22px;height:12px;vertical-align:middle;margin-right:4px;
background:repeating-linear-gradient(135deg,#f58c00 0 3px,#fff 3px 6px);outline:1px solid #000}
#none{background:#fff;border:1px solid #ddd;padding:24px;text-align:center;font-size:16px}
.tables{display:flex;gap:0 24px;flex-wrap:wrap;align-items:flex-start}
table{border-collapse:collapse;background:#fff;margin:6px 0 12px}
td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}
select,button{font:inherit}
[hidden]{display:none!important}
"""

_JS = r"""
const data=document.getElementById('cards-data');
const box=document.getElementById('cards');
const cards=data
  ?JSON.parse(data.textContent).map(([verdict,codes,listing,html])=>({verdict,codes,listing,html}))
  :[...document.querySelectorAll('.card')].map(el=>({verdict:el.dataset.verdict,
    codes:el.dataset.codes,listing:el.dataset.listing,el}));
const sections=[...document.querySelectorAll('section.listing')];
const ids=['verdict','rule','listing'];
const PAGE=PAGE_SIZE;
let page=1;
const say=(k,v)=>T[k].replace(/\{(\w+)\}/g,(m,n)=>v[n]);
const fmt=n=>n.toLocaleString('en');
const esc=t=>t.replace(/&/g,'&amp;').replace(/</g,'&lt;').replace(/>/g,'&gt;');
function show(list){
  if(!data){
    const shown=new Set(list);
    for(const c of cards){c.el.hidden=!shown.has(c);}
    for(const s of sections){s.hidden=!s.querySelector('.card:not([hidden])');}
    return;
  }
  let html='',last=null;
  for(const c of list){
    if(c.listing!==last){
      if(last!==null)html+='</div></section>';
      html+='<section class="listing"><h2>'+esc(c.listing)+'</h2><div class="cards">';
      last=c.listing;
    }
    html+=c.html;
  }
  box.innerHTML=last===null?html:html+'</div></section>';
}
function apply(){
  const want=Object.fromEntries(ids.map(i=>[i,document.getElementById(i).value]));
  const match=cards.filter(c=>(!want.verdict||c.verdict===want.verdict)
      &&(!want.rule||c.codes.split(' ').includes(want.rule))
      &&(!want.listing||c.listing===want.listing));
  const pages=Math.max(1,Math.ceil(match.length/PAGE));
  page=Math.min(Math.max(1,page),pages);
  const list=match.slice((page-1)*PAGE,page*PAGE);
  show(list);
  document.getElementById('none').hidden=match.length>0||!cards.length;
  let text=say('all',{shown:fmt(match.length),total:fmt(cards.length)});
  if(pages>1){text=say(match.length<cards.length?'page_some':'page_all',
    {first:fmt((page-1)*PAGE+1),last:fmt((page-1)*PAGE+list.length),
     shown:fmt(match.length),total:fmt(cards.length),page:page,pages:pages});}
  document.getElementById('shown').textContent=text;
  for(const el of document.querySelectorAll('.pager')){el.hidden=pages<2;}
  for(const b of document.querySelectorAll('.prev')){b.disabled=page<=1;}
  for(const b of document.querySelectorAll('.next')){b.disabled=page>=pages;}
  const h=new URLSearchParams();
  for(const i of ids){if(want[i])h.set(i,want[i]);}
  if(page>1)h.set('page',page);
  try{history.replaceState(null,'',h.toString()?'#'+h.toString():location.pathname);}catch(e){}
}
function turn(step){page+=step;apply();document.querySelector('main').scrollIntoView();}
const preset=new URLSearchParams(location.hash.slice(1));
for(const i of ids){
  const el=document.getElementById(i);
  if(preset.has(i)){
    const v=preset.get(i);
    if(![...el.options].some(o=>o.value===v))el.add(new Option(say('none',{value:v}),v));
    el.value=v;
  }
  el.addEventListener('change',()=>{page=1;apply();});
}
page=parseInt(preset.get('page')||'1',10)||1;
for(const b of document.querySelectorAll('.prev'))b.addEventListener('click',()=>turn(-1));
for(const b of document.querySelectorAll('.next'))b.addEventListener('click',()=>turn(1));
if(matchMedia('(max-width:600px)').matches)document.getElementById('legend').open=false;
document.getElementById('reset').addEventListener('click',()=>{
  for(const i of ids)document.getElementById(i).value='';page=1;apply();});
apply();
"""

def legend(lang: str) -> str:
    """What the drawing on the thumbnails means (the page's legend), in ``lang``."""
    def say(text: str) -> str:
        return escape(translate(text, lang))

    return (
        f'<details class="legend" id="legend" open><summary><b>{say(msg("Key to the drawing"))}'
        "</b></summary>"
        + "".join(f'<span><i class="key" style="background:rgb{COLOURS[sev]}"></i>'
                  f"{say(term(str(sev)))}</span>"
                  for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO))
        + "<span>" + say(msg("a box, dashed in its colour on white and edged in black, with the"
                             " rule codes on a label (a thin line leads to a box whose label"
                             " sits apart)")) + "</span>"
        + f'<span><i class="hatch"></i>{say(msg("hatched edge: a border"))}</span>'
        + f"<span>{say(msg('+ the image centre, a line to the subject’s centre'))}</span>"
        + f"<span>{say(msg('“whole image”: findings about all of it'))}</span></details>"
    )


#: The CSS font stack of Chinese pages: the system's Chinese fonts, else the package's.
_ZH_FONTS = ('"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",'
             '"imagecheck CJK UI"')


def zh_font_face() -> str:
    """An ``@font-face`` embedding the package's small Chinese font (the characters of
    the messages), so a Chinese page reads where no Chinese font is installed."""
    data = (resources.files("imagecheck") / "fonts" / "imagecheck-cjk-ui.otf").read_bytes()
    return ('@font-face{font-family:"imagecheck CJK UI";src:url(data:font/otf;base64,'
            + base64.b64encode(data).decode("ascii") + ')format("opentype")}'
            f"body{{font-family:system-ui,{_ZH_FONTS},sans-serif}}"
            f".path{{font-family:ui-monospace,monospace,{_ZH_FONTS}}}")


def _encoded(result: ImageResult, lang: str = "en") -> bytes | None:
    """The image with its findings drawn (words in ``lang``), as WebP (JPEG where Pillow
    lacks WebP), or ``None`` if unreadable."""
    img = (side_by_side(result, THUMB_SIDE, lang) if paired(result)
           else annotated(result, THUMB_SIDE, lang))
    if img is None:
        return None
    buf = io.BytesIO()
    if _KIND == "webp":
        img.save(buf, "WEBP", quality=70, method=1)
    else:
        img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def thumbnail(result: ImageResult, lang: str) -> str | None:
    """The drawn image as a ``data:`` URI, or ``None`` if unreadable."""
    data = _encoded(result, lang)
    if data is None:
        return None
    return f"data:image/{_KIND};base64," + base64.b64encode(data).decode("ascii")


def _thumb_size(result: ImageResult) -> tuple[int, int] | None:
    """The thumbnail's width and height (to reserve its place before it loads)."""
    if not result.width or not result.height:
        return None
    if paired(result):
        return pair_size(THUMB_SIDE)
    scale = min(1.0, THUMB_SIDE / max(result.width, result.height))
    return max(1, round(result.width * scale)), max(1, round(result.height * scale))


def _finding(f: Finding, lang: str, also: str = "") -> str:
    """A finding as a list item in ``lang``, ``also`` after it; the message says its
    measures in words (the raw value, threshold and box are in the item's title, for a
    pointer to show)."""
    raw = "; ".join(f"{k} {v}" for k, v in evidence(f).items())
    target = f"{f.target}: " if f.target else ""
    return (f'<li class="sev-{f.severity}" title="{escape(raw)}"><b>{escape(f.code)}</b>'
            f" {escape(translate(term(str(f.severity)), lang))}:"
            f" {escape(target + translate(f.message, lang))}{escape(also)}</li>")


def _problem(p: Problem, lang: str) -> str:
    return _finding(p.main, lang, related(p, lang))


def card(result: ImageResult, report: Report, src: str | None, hidden: bool,
          filtered_by_attributes: bool = True) -> str:
    """An image's card; the filter reads its ``data-`` attributes unless the card comes
    from the JSON block, whose records carry them."""
    lang = report.lang
    verdict = result.verdict(report.fail_on)
    codes = " ".join(sorted({f.code for f in result.findings}))
    keys = (f' data-codes="{escape(codes)}" data-listing="{escape(result.listing)}"'
            if filtered_by_attributes else "")
    size = _thumb_size(result)
    if src and size:
        picture = (f'<img src="{escape(src)}" width="{size[0]}" height="{size[1]}"'
                   f' loading="lazy" decoding="async" alt="thumbnail">')
    else:
        unreadable = escape(translate(msg("image could not be read"), lang))
        picture = f'<div class="noimg">{unreadable}</div>'
    dims = f"{result.width}x{result.height}" if result.width else "-"
    findings = "".join(_problem(p, lang) for p in result.problems())
    if result.fix is not None:  # imagecheck fix: original and fixed copy side by side
        findings += "".join(f'<li class="fix">{escape(line.strip())}</li>'
                            for line in fix_lines(result.fix, lang))
    return (
        f'<div class="card" data-verdict="{verdict}"{keys}{" hidden" if hidden else ""}>'
        f'{picture}'
        f'<div><span class="verdict">{escape(translate(VERDICTS[verdict], lang))}</span>'
        f' · {escape(translate(term(result.role), lang))} · {dims}</div>'
        f'<div class="path">{escape(result.path)}</div>'
        f'<ul class="findings">{findings}</ul></div>'
    )


def _shop(report: Report) -> str:
    """The shop's section: its verdict, a line per problem and the conditions met."""
    if report.shop is None or report.shop_verdict is None:
        return ""
    lang = report.lang
    met = report.shop.met()
    problems = "".join(_problem(p, lang) for p in report.shop.problems())
    met_line = escape(translate(msg("Met: {conditions}", conditions=", ".join(met)), lang))
    return (f'<section id="shop" class="card" data-verdict="{report.shop_verdict}">'
            f'<h2>{escape(translate(msg("Shop"), lang))} {escape(report.shop.shop)}:'
            f' <span class="verdict">{escape(translate(VERDICTS[report.shop_verdict], lang))}'
            f'</span> · {escape("+".join(report.shop.platforms))}</h2>'
            f'<ul class="findings">{problems}</ul>'
            + (f"<p>{met_line}</p>" if met else "") + "</section>")


def _options(values: list[str], label: str, shown: dict[str, str] | None = None) -> str:
    items = "".join(f'<option value="{escape(v)}">{escape((shown or {}).get(v, v))}</option>'
                    for v in values)
    return f'<option value="">{escape(label)}</option>{items}'


def render(report: Report, color: bool = False) -> str:
    """The report as one self-contained HTML page (thumbnails embedded)."""
    return _page(report, lambda i, result: thumbnail(result, report.lang))


def _page(report: Report, source: Callable[[int, ImageResult], str | None],
          on_demand: bool = False) -> str:
    """The page, with ``source(index, result)`` as each image's thumbnail address.

    With ``on_demand`` the cards are not in the page's markup but in a JSON block, and
    the script builds those of the page shown: a browser then parses and lays out a
    hundred cards, not tens of thousands."""
    lang = report.lang

    def say(text: str) -> str:
        return escape(translate(text, lang))

    s = report.summary()
    index = {id(r): i for i, r in enumerate(report.images)}
    by_listing: dict[str, list[ImageResult]] = defaultdict(list)
    for r in report.images:
        by_listing[r.listing].append(r)
    order = [row["listing"] for row in s["by_listing"]]
    sections = []
    records = []
    position = 0
    for listing in order:
        cards = []
        for r in by_listing[listing]:
            src = source(index[id(r)], r)
            if on_demand:
                records.append([r.verdict(report.fail_on),
                                " ".join(sorted({f.code for f in r.findings})), r.listing,
                                card(r, report, src, False, False)])
            else:
                cards.append(card(r, report, src, position >= PAGE_SIZE))
            position += 1
        if not on_demand:
            hidden = " hidden" if position - len(cards) >= PAGE_SIZE else ""
            sections.append(f'<section class="listing"{hidden}><h2>{escape(listing)}</h2>'
                            f'<div class="cards">{"".join(cards)}</div></section>')
    if on_demand:  # "</" cannot end the script block early
        blob = json.dumps(records, ensure_ascii=False, separators=(",", ":"))
        sections = ['<div id="cards"></div><script type="application/json" id="cards-data">'
                    + blob.replace("</", "<\\/").replace("<!--", "<\\u0021--")
                    + "</script>",
                    f"<noscript><p>{say(msg('This report shows its images with JavaScript.'))}"
                    "</p></noscript>"]
    rules = "".join(f"<tr><td>{escape(code)}</td><td>{n}</td></tr>"
                    for code, n in sorted(s["problems_by_code"].items(),
                                          key=lambda kv: (-kv[1], kv[0])))
    listings = "".join(
        f"<tr><td>{escape(row['listing'])}</td><td>{row['images']}</td><td>{row['fail']}</td>"
        f"<td>{row['error']}</td><td>{row['problems']}</td></tr>" for row in s["by_listing"])
    notes = "".join(f"<p>{say(msg('note: {note}', note=n))}</p>" for n in report.notes)
    if report.interrupted:
        notes += ("<p><b>" + say(msg("The run was interrupted: images not reached are listed"
                                     " as IN006.")) + "</b></p>")
    images = bool(report.images) or report.shop is None
    verdict = term(report.shop_verdict or "")
    title = translate(msg("imagecheck report: "), lang) + translate(msg("; "), lang).join(
        [translate(msg("{failed} fail, {errors} error, {passed} pass", failed=s["fail"],
                       errors=s["error"], passed=s["pass"]), lang)] * images
        + [translate(msg("shop {verdict}", verdict=verdict), lang)]
        * (report.shop is not None))
    counts = {"problems": s["problems"], "findings": s["findings"]}
    summary = translate(msg("; "), lang).join(translate(part, lang) for part in (
        [msg("{n} image(s) in {listings} listing(s): {passed} pass, {failed} fail,"
             " {errors} error", n=s["images"], listings=len(order), passed=s["pass"],
             failed=s["fail"], errors=s["error"])] * images
        + [shop_counts(report)] * (report.shop is not None)
        + [msg("{problems} problem(s) ({findings} finding(s)) in all", **counts)
           if report.shop is not None
           else msg("{problems} problem(s) ({findings} finding(s))", **counts)]
        * bool(report.images)
        + [msg("platform {platform}, fail-on {fail_on}", platform=report.platform,
               fail_on=term(str(report.fail_on)))]))
    shown = min(s["images"], PAGE_SIZE)
    pager = ('<span class="pager"{h}><button class="prev" type="button">&larr; {prev}'
             '</button><button class="next" type="button">{next} &rarr;</button></span>'
             ).format(h="" if s["images"] > PAGE_SIZE else " hidden",
                      prev=say(msg("Previous")), next=say(msg("Next")))
    texts = {
        "all": msg("Showing {shown} of {total} images"),
        "page_all": msg("Showing {first}–{last} of {shown} images, page {page} of {pages}"),
        "page_some": msg("Showing {first}–{last} of {shown} matching ({total} in all),"
                         " page {page} of {pages}"),
        "none": msg("{value} (none)"),
    }
    script = (f"const T={json.dumps({k: translate(v, lang) for k, v in texts.items()})};"
              + _JS.replace("PAGE_SIZE", str(PAGE_SIZE)))
    every = translate(msg("all"), lang)
    verdicts = {v: translate(VERDICTS[v], lang) for v in VERDICTS}
    return f"""<!DOCTYPE html>
<html lang="{'zh-CN' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title><style>{CSS}{zh_font_face() if lang == 'zh' else ''}</style>
</head>
<body><header><h1>{escape(title)}</h1>
<div id="summary">{escape(summary)}</div>{notes}</header>
<div class="bar">
<label>{say(msg("Verdict"))} <select id="verdict">{_options(['fail', 'error', 'pass'], every,
                                                          verdicts)}</select></label>
<label>{say(msg("Rule"))} <select id="rule">{_options(sorted(s['by_code']), every)}</select></label>
<label>{say(msg("Listing"))} <select id="listing">{_options(order, every)}</select></label>
{pager}<span id="shown">{say(msg("Showing {shown} of {total} images", shown=shown,
                                 total=s["images"]))}</span></div>
<main>{legend(lang)}
<div class="tables"><details><summary>{say(msg("Problems by main rule"))}</summary><table><tr>
<th>{say(msg("rule"))}</th><th>{say(msg("problems"))}</th></tr>{rules}</table></details>
<details><summary>{say(msg("Listings, worst first"))}</summary><table><tr>
<th>{say(msg("listing"))}</th><th>{say(msg("images"))}</th><th>{say(VERDICTS["fail"])}</th>
<th>{say(VERDICTS["error"])}</th><th>{say(msg("problems"))}</th></tr>{listings}</table>
</details></div>
{_shop(report)}
<p id="none" hidden>{say(msg("No image matches these filters."))}
<button id="reset" type="button">{say(msg("Show all images"))}</button></p>
{''.join(sections)}
<div class="pagerbar">{pager}</div>
</main><script>{script}</script></body></html>
"""


def thumbnail_folder(page: Path) -> Path:
    """The folder beside ``page`` that a large report's thumbnails go to."""
    return page.with_name(page.stem + "_thumbnails")


def write(report: Report, page: Path, jobs: int | None = None) -> None:
    """Write the report to ``page``: self-contained up to :data:`SELF_CONTAINED_LIMIT`
    images, else with its thumbnails in :func:`thumbnail_folder` (drawn by ``jobs``
    processes, default one per CPU; those kept from an earlier run are reused).

    Thumbnails are written first, each through a temporary file renamed into place, and
    the page last, atomically: a reader sees the old page with its thumbnails or the new
    one with its own. Thumbnails no page refers to any more are then removed (and the
    folder, once a report small enough to be self-contained leaves it empty)."""
    page = Path(page)
    folder = thumbnail_folder(page)
    if len(report.images) <= SELF_CONTAINED_LIMIT:
        atomic_write_text(page, _printable(render(report)))
        names: list[str | None] = []
    else:
        names = _write_thumbnails(report.images, folder, jobs, report.lang)
        prefix = quote(folder.name) + "/"
        atomic_write_text(page, _printable(_page(
            report, lambda i, result: _in(prefix, names[i]), on_demand=True)))
    if not folder.is_dir():
        return
    keep = {n for n in names if n}
    inputs = {os.path.realpath(r.path) for r in report.images
              if _THUMB_NAME.fullmatch(os.path.basename(r.path))}
    for old in folder.iterdir():
        if (_THUMB_NAME.fullmatch(old.name) and old.name not in keep
                and os.path.realpath(old) not in inputs):
            old.unlink(missing_ok=True)
    if not keep:
        with contextlib.suppress(OSError):  # not empty: files of someone else's
            folder.rmdir()


def _in(prefix: str, name: str | None) -> str | None:
    return None if name is None else prefix + name


def _printable(text: str) -> str:
    """File-name bytes that are not UTF-8 shown as ``\\xNN`` (as :func:`render` does)."""
    return _SURROGATES.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)


def _thumb_name(result: ImageResult, lang: str) -> str:
    """A name for the thumbnail that changes when the image, its findings or the
    language of its labels change."""
    try:
        st = os.stat(result.path)
        stamp = f"{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        stamp = "-"
    key = "\0".join([DRAWING_VERSION, str(THUMB_SIDE), lang, result.path, stamp,
                     repr(result.findings)])
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()
    return f"{digest[:24]}.{_KIND}"


def _write_thumbnails(images: Sequence[ImageResult], folder: Path,
                      jobs: int | None, lang: str = "en") -> list[str | None]:
    """Each image's thumbnail file name in ``folder`` (``None``: unreadable), drawing
    those not there yet."""
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(folder)
    present = {p.name for p in folder.iterdir()}
    names: list[str | None] = [None] * len(images)
    todo: list[int] = []
    for i, r in enumerate(images):
        if r.width is None:
            continue
        names[i] = _thumb_name(r, lang)
        if names[i] not in present:
            todo.append(i)
    workers = min(jobs or os.cpu_count() or 1, max(1, len(todo) // 16))
    if workers > 1 and len(todo) >= PARALLEL_FROM:
        with ProcessPoolExecutor(workers) as pool:
            drawn = pool.map(functools.partial(_encoded, lang=lang), [images[i] for i in todo],
                             chunksize=16)
            _save(folder, todo, drawn, names)
    else:
        _save(folder, todo, (_encoded(images[i], lang) for i in todo), names)
    return names


def _save(folder: Path, todo: list[int], drawn: Iterable[bytes | None],
          names: list[str | None]) -> None:
    """Write each drawn thumbnail into ``folder`` under its name; the folder is flushed
    to disk once, after the last (the page that refers to them is written after)."""
    for i, data in zip(todo, drawn, strict=True):
        name = names[i]
        if data is None or name is None:
            names[i] = None
            continue
        replace_with(folder / name, data)
    sync_folder(folder)
