"""The HTML reports: one self-contained file (inline CSS and JavaScript, nothing fetched) a plugin author can
publish next to their README badge.

``render_report_html(data)`` renders one run (the JSON form of ``report.ConformanceReport``): a verdict, an
overview of the targets with their feature tables, the root causes of failures, then per target the clause
table, filterable by outcome, family, level, target and text.  ``render_matrix_html(matrix)`` renders several
MLflow versions (the JSON form of ``matrix.merge_reports``): the feature x version and clause x version grids, one
colour per outcome, a marker where an outcome changes from one version to the next.

Every row is rendered here, so a reader without JavaScript (or a crawler) sees the whole report; the script only
filters.  Filters live in the URL fragment (``#outcome=failed&level=core``), so a filtered view is a link.
Nothing here imports pytest or MLflow.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from .outcomes import FAILED, KNOWN_FAILURE, NOT_APPLICABLE, NOT_RUN, PASSED, UNSUPPORTED
from .matrix import ABSENT
from .report import (
    BLOCKED_BY,
    CORE_FEATURE,
    REPORT_OUTCOMES,
    ambiguous_kinds,
    clause_label,
    feature_status,
    feature_summary,
    rerun_command,
    root_causes,
    short_feature,
)

# Short cell texts of the matrix grid.
CELL = {PASSED: "pass", FAILED: "FAIL", BLOCKED_BY: "blocked", UNSUPPORTED: "unsup.", KNOWN_FAILURE: "known",
        NOT_APPLICABLE: "n/a", NOT_RUN: "not run", ABSENT: "—"}

OUTCOME_HELP = {
    PASSED: "the plugin honours the clause",
    FAILED: "the plugin breaks the clause",
    BLOCKED_BY: "not checked: a clause it needs failed first",
    UNSUPPORTED: "an optional feature the plugin does not offer (declared, or it raised NotImplementedError)",
    KNOWN_FAILURE: "a failure the plugin declares, with a reason (strict: an unexpected pass fails)",
    NOT_APPLICABLE: "the installed MLflow predates the clause",
    NOT_RUN: "the target did not build: see its build clause",
    ABSENT: "the clause did not run on that version",
}

_CSS = """
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa;
--passed:#1a7f37;--passed-bg:#dafbe1;--failed:#cf222e;--failed-bg:#ffebe9;--blocked:#bc4c00;--blocked-bg:#fff1e5;
--unsupported:#57606a;--unsupported-bg:#eaeef2;--known-failure:#9a6700;--known-failure-bg:#fff8c5;
--not-applicable:#6e7781;--not-applicable-bg:#f6f8fa;--not-run:#8250df;--not-run-bg:#fbefff;--absent:#8c959f;--absent-bg:#fff}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1280px;margin:0 auto;padding:20px 24px 60px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 10px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:16px;margin:18px 0 8px}
.meta{color:var(--muted);margin:0 0 14px}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:8px 10px;white-space:pre-wrap;word-break:break-word;margin:6px 0;max-height:22em;overflow:auto}
.verdict{display:flex;align-items:center;gap:12px;border-radius:8px;padding:12px 16px;font-size:17px;font-weight:600;margin:10px 0 6px}
.verdict.ok{background:var(--passed-bg);color:var(--passed);border:1px solid #aceebb}
.verdict.bad{background:var(--failed-bg);color:var(--failed);border:1px solid #ffcecb}
.verdict.warn{background:var(--known-failure-bg);color:var(--known-failure);border:1px solid #f0dc8c}
.verdict .big{font-size:28px;line-height:1}
.counts{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0 0}
table{border-collapse:collapse;width:100%;margin:6px 0 12px}
td.dist{white-space:nowrap}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600;position:sticky;top:var(--bar,0px);z-index:1}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.pill{display:inline-block;border-radius:999px;padding:1px 9px;font-size:12px;font-weight:600;white-space:nowrap;border:1px solid transparent}
a.pill{text-decoration:none}
.o-passed,.s-works{color:var(--passed);background:var(--passed-bg)}
.o-failed,.s-broken{color:var(--failed);background:var(--failed-bg)}
.o-blocked{color:var(--blocked);background:var(--blocked-bg)}
.o-unsupported,.s-unsupported{color:var(--unsupported);background:var(--unsupported-bg)}
.s-partly-unsupported{color:#0969da;background:#ddf4ff}
.o-known-failure,.s-known-failures{color:var(--known-failure);background:var(--known-failure-bg)}
.o-not-applicable,.s-not-applicable{color:var(--not-applicable);background:var(--not-applicable-bg);border-color:var(--line)}
.o-not-run,.s-not-run{color:var(--not-run);background:var(--not-run-bg)}
.o-absent{color:var(--absent);background:var(--absent-bg)}
.zero{opacity:.35}
.bar{position:sticky;top:0;z-index:3;background:rgba(255,255,255,.96);border-bottom:1px solid var(--line);padding:8px 0;margin:0 0 8px;display:flex;flex-wrap:wrap;gap:10px;align-items:center}
.bar label{font-size:12.5px;color:var(--muted);display:flex;gap:4px;align-items:center}
.bar select,.bar input[type=search]{font:inherit;font-size:13px;padding:3px 6px;border:1px solid var(--line);border-radius:6px;background:#fff;color:var(--fg)}
.bar input[type=search]{width:16em}
.bar button{font:inherit;font-size:12.5px;border:1px solid var(--line);background:var(--soft);border-radius:6px;padding:3px 10px;cursor:pointer}
#shown{margin-left:auto;color:var(--muted);font-size:12.5px}
section.target{margin-top:26px}
section.target>h2{display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
section.target>h2 small{font-weight:400;color:var(--muted);font-size:13px}
.nomatch{color:var(--muted);font-style:italic;display:none}
section.target.empty .nomatch{display:block}
section.target.empty table.clauses{display:none}
tr.clause.flash td{background:#fff8c5}
td.clause-id{word-break:break-word}
.reason{color:var(--muted);font-size:12.5px;margin-top:2px}
.failure .reason{color:var(--failed)}
.rerun{display:flex;gap:6px;align-items:center;margin-top:4px}
.rerun code{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:2px 6px;word-break:break-all}
.rerun>span{white-space:nowrap}.rerun button{flex:none;white-space:nowrap}
.rerun button,.copy{font-size:11.5px;border:1px solid var(--line);background:#fff;border-radius:6px;padding:1px 7px;cursor:pointer}
details>summary{cursor:pointer;color:var(--muted);font-size:12.5px}
ol.causes{padding-left:22px}ol.causes>li{margin:0 0 12px}
ol.causes .head{font-weight:600}
ol.causes .msg{color:var(--muted)}
.clause-links{font-size:12.5px}
.clause-links a{margin-right:8px}
.legend{display:flex;flex-wrap:wrap;gap:10px;color:var(--muted);font-size:12.5px;margin:6px 0}
table.grid td.cell{text-align:center;font-size:12px;font-weight:600;white-space:nowrap;border-left:2px solid #fff}
table.grid td.cell.changed{box-shadow:inset 4px 0 0 #0969da}
table.grid td.cell.changed::before{content:"\\25B8";color:#0969da;margin-right:3px}
table.grid tr.changes td.clause-id::after{content:"changes";margin-left:6px;font-size:11px;color:#0969da;border:1px solid #54aeff;border-radius:999px;padding:0 6px}
.overview td .pill{margin:1px 2px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:8px 12px;min-width:220px}
.card-head{font-weight:600;margin-bottom:4px}
table.grid.clauses{table-layout:fixed}table.grid.clauses th:first-child{width:46%}
table.grid.clauses th:nth-child(2){width:6%}
td.group{background:var(--soft);font-weight:600}
footer{margin-top:40px;color:var(--muted);font-size:12.5px}
@media print{.bar{display:none}th{position:static}}
"""

# Filters: the URL fragment holds them (#outcome=failed&family=metrics&level=core&target=...&q=text&changed=1).
_JS = r"""
(function(){
  var keys=["outcome","family","level","target","q","changed"];
  var controls={};
  keys.forEach(function(k){controls[k]=document.getElementById("f-"+k);});
  function state(){
    var s={};
    (location.hash.replace(/^#/,"")).split("&").forEach(function(p){
      if(!p)return;var i=p.indexOf("=");var k=decodeURIComponent(i<0?p:p.slice(0,i));
      var v=i<0?"1":decodeURIComponent(p.slice(i+1).replace(/\+/g," "));
      if(keys.indexOf(k)>=0)s[k]=v;});
    return s;
  }
  function setControls(s){
    keys.forEach(function(k){var c=controls[k];if(!c)return;
      if(c.type==="checkbox")c.checked=s[k]==="1";else c.value=s[k]||"";});
  }
  function fromControls(){
    var s={};
    keys.forEach(function(k){var c=controls[k];if(!c)return;
      if(c.type==="checkbox"){if(c.checked)s[k]="1";}else if(c.value)s[k]=c.value;});
    return s;
  }
  function match(row,s){
    if(s.outcome&&(" "+row.getAttribute("data-outcomes")+" ").indexOf(" "+s.outcome+" ")<0)return false;
    if(s.family&&row.getAttribute("data-family")!==s.family)return false;
    if(s.level&&row.getAttribute("data-level")!==s.level)return false;
    if(s.target&&row.getAttribute("data-target")!==s.target)return false;
    if(s.changed&&row.getAttribute("data-changed")!=="1")return false;
    if(s.q&&row.getAttribute("data-text").indexOf(s.q.toLowerCase())<0)return false;
    return true;
  }
  function apply(s){
    var rows=document.querySelectorAll("tr.clause"),shown=0;
    for(var i=0;i<rows.length;i++){var ok=match(rows[i],s);rows[i].hidden=!ok;
      var more=rows[i].nextElementSibling;if(more&&more.classList.contains("more"))more.hidden=!ok;
      if(ok)shown++;}
    var sections=document.querySelectorAll("section.target");
    for(var j=0;j<sections.length;j++){
      var visible=sections[j].querySelectorAll("tr.clause:not([hidden])").length;
      sections[j].classList.toggle("empty",visible===0);
      var n=sections[j].querySelector(".shown-here");if(n)n.textContent=visible;}
    var out=document.getElementById("shown");
    if(out)out.textContent="showing "+shown+" of "+rows.length+" clause"+(rows.length===1?"":"s");
    document.body.setAttribute("data-shown",String(shown));
  }
  function write(s){
    var parts=[];keys.forEach(function(k){if(s[k])parts.push(k+"="+encodeURIComponent(s[k]));});
    var h=parts.length?"#"+parts.join("&"):location.pathname+location.search;
    if(history.replaceState)history.replaceState(null,"",h);else location.hash=parts.join("&");
  }
  keys.forEach(function(k){var c=controls[k];if(!c)return;
    c.addEventListener(c.tagName==="INPUT"&&c.type==="search"?"input":"change",function(){var s=fromControls();write(s);apply(s);});});
  var reset=document.getElementById("f-reset");
  if(reset)reset.addEventListener("click",function(){setControls({});write({});apply({});});
  document.addEventListener("click",function(e){
    var a=e.target.closest("[data-filter]");
    if(a){e.preventDefault();var s=JSON.parse(a.getAttribute("data-filter"));setControls(s);write(s);apply(s);
      var bar=document.querySelector(".bar");if(bar)bar.scrollIntoView({block:"start"});return;}
    var g=e.target.closest("[data-goto]");
    if(g){e.preventDefault();var s2={};setControls(s2);write(s2);apply(s2);
      var row=document.getElementById(g.getAttribute("data-goto"));
      if(row){row.scrollIntoView({block:"center"});row.classList.add("flash");
        setTimeout(function(){row.classList.remove("flash");},1600);}return;}
    var b=e.target.closest("button[data-copy]");
    if(b&&navigator.clipboard){navigator.clipboard.writeText(b.getAttribute("data-copy"));b.textContent="copied";}
  });
  window.addEventListener("hashchange",function(){var s=state();setControls(s);apply(s);});
  var bar=document.querySelector(".bar");
  if(bar)document.documentElement.style.setProperty("--bar",bar.offsetHeight+"px");
  var s0=state();setControls(s0);apply(s0);
})();
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _slug(text: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_-]+", "-", text).strip("-")


def family_of(clause_id: str) -> str:
    """``tracking_store/metrics/nan-round-trip`` -> ``metrics``."""
    parts = clause_id.split("/")
    return parts[1] if len(parts) > 2 else ""


def _pill(outcome: str, text: str | None = None, title: str | None = None) -> str:
    title = title if title is not None else OUTCOME_HELP.get(outcome, "")
    return f'<span class="pill o-{_e(outcome)}" title="{_e(title)}">{_e(text if text is not None else outcome)}</span>'


def _status_pill(status: str, text: str, title: str = "") -> str:
    return f'<span class="pill s-{_slug(status)}" title="{_e(title)}">{_e(text)}</span>'


def _filter_link(content: str, filters: Mapping[str, str], css: str = "", title: str = "") -> str:
    return (f'<a href="#" class="{css}" title="{_e(title)}" data-filter="{_e(json.dumps(dict(filters)))}">'
            f'{content}</a>')


def _page(title: str, body: str) -> str:
    return ("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n"
            f"<script>{_JS}</script>\n</body>\n</html>\n")


def _select(key: str, label: str, options: Sequence[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{_e(v)}">{_e(t)}</option>' for v, t in options)
    return f'<label>{_e(label)} <select id="f-{key}"><option value="">all</option>{opts}</select></label>'


def _filter_bar(outcomes: Sequence[tuple[str, str]], families: Sequence[str], levels: Sequence[str],
                targets: Sequence[str], changed: bool = False) -> str:
    parts = [
        _select("outcome", "Outcome", outcomes),
        _select("family", "Family", [(f, f) for f in families]),
        _select("level", "Level", [(lv, lv) for lv in levels]),
        _select("target", "Target", [(t, t) for t in targets]),
        '<label>Search <input type="search" id="f-q" placeholder="clause id or message"></label>',
    ]
    if changed:
        parts.append('<label><input type="checkbox" id="f-changed"> only clauses whose outcome changes</label>')
    parts.append('<button type="button" id="f-reset">show all</button><span id="shown"></span>')
    return '<div class="bar" role="search">' + "".join(parts) + "</div>"


def _counts_pills(counts: Mapping[str, int], filters: Mapping[str, str] | None = None) -> str:
    out = []
    for outcome in REPORT_OUTCOMES:
        n = counts.get(outcome, 0)
        pill = _pill(outcome, f"{n} {outcome}")
        if n:
            out.append(_filter_link(pill, {**(filters or {}), "outcome": outcome}, title=f"show the {outcome} clauses"))
        elif outcome in (PASSED, FAILED):
            out.append(f'<span class="zero">{pill}</span>')
    return '<div class="counts">' + "".join(out) + "</div>"


def _verdict(failed: int, causes: int, blocked: int, known: int, total: int, passed: int, where: str = "") -> str:
    if failed or blocked:
        text = f"{failed} failed clause{'s' if failed != 1 else ''}"
        if causes:
            text += f", {causes} root cause{'s' if causes != 1 else ''}"
        if blocked:
            text += f"; {blocked} blocked"
        return f'<div class="verdict bad"><span class="big">&#10008;</span><span>{_e(text + where)}</span></div>'
    if known:
        text = f"No unexpected failure: {passed} of {total} clauses passed, {known} known failure" + \
            ("s" if known != 1 else "")
        return f'<div class="verdict warn"><span class="big">&#9888;</span><span>{_e(text + where)}</span></div>'
    text = f"No clause failed: {passed} of {total} clauses passed"
    return f'<div class="verdict ok"><span class="big">&#10004;</span><span>{_e(text + where)}</span></div>'


def _causes_html(causes: Sequence[Mapping[str, Any]], row_ids: Mapping[tuple[str, str], str],
                 ambiguous: set[str]) -> str:
    items = []
    for group in causes:
        n = len(group["clauses"])
        links = []
        for c in group["clauses"]:
            name = clause_label(c["target"], c["clause"], ambiguous)
            rid = row_ids.get((c["target"], c["clause"]))
            links.append(f'<a href="#" data-goto="{_e(rid)}">{_e(name)}</a>' if rid else _e(name))
        message = f'<div class="msg mono">{_e(group["message"])}</div>' if group.get("function") else ""
        items.append(f'<li value="{group["index"]}"><div class="head">{_code_ticks(group["headline"])} '
                     f'<span class="pill o-failed">{n} clause{"s" if n != 1 else ""}</span></div>{message}'
                     f'<div class="clause-links">{"".join(links)}</div></li>')
    return '<ol class="causes">' + "".join(items) + "</ol>"


def _code_ticks(text: str) -> str:
    """`x` -> <code>x</code>, everything escaped."""
    parts = str(text).split("`")
    return "".join(f"<code>{_e(p)}</code>" if i % 2 else _e(p) for i, p in enumerate(parts))


# -- one run ---------------------------------------------------------------------------------------------------


def render_report_html(data: Mapping[str, Any]) -> str:
    """The HTML page of one run (``data`` is ``ConformanceReport.to_dict()`` or a JSON report read back)."""
    clauses = list(data["clauses"])
    targets = {t["label"]: t for t in data["targets"]}
    for record in clauses:
        targets.setdefault(record["target"], {"label": record["target"], "dist": "", "version": "", "kind": "",
                                              "group": "", "name": "", "contract": True})
    causes = data.get("root_causes") or root_causes(clauses)
    selection = data.get("selection") or {}
    row_ids = {(r["target"], r["clause"]): "c-" + _slug(f"{r['target']}-{r['clause']}") for r in clauses}
    cause_index = {(c["target"], c["clause"]): g["index"] for g in causes for c in g["clauses"]}
    totals = {o: sum(1 for r in clauses if r["outcome"] == o) for o in REPORT_OUTCOMES}
    ambiguous = ambiguous_kinds(clauses)
    plugin = ", ".join(sorted({f"{t['dist']} {t['version']}".strip() for t in targets.values() if t.get("dist")}))
    title = f"MLflow plugin conformance: {plugin or 'plugin'} on MLflow {data['mlflow_version']}"

    out = [f"<header><h1>MLflow plugin conformance</h1>",
           f'<p class="meta">{_e(plugin or "(no distribution)")} &middot; MLflow {_e(data["mlflow_version"])} '
           f'&middot; Python {_e(data.get("python_version", "?"))} &middot; '
           f'mlflow-plugin-conformance {_e(data.get("suite_version", "?"))} &middot; {len(targets)} '
           f'target{"s" if len(targets) != 1 else ""} &middot; {len(clauses)} clauses</p>',
           _verdict(totals[FAILED], len(causes), totals.get(BLOCKED_BY, 0), totals[KNOWN_FAILURE], len(clauses),
                    totals[PASSED]),
           _counts_pills(totals), "</header>"]

    if causes:
        out += [f'<h2 id="root-causes">Root causes</h2>',
                f'<p class="meta">{sum(len(g["clauses"]) for g in causes)} failed clauses come from '
                f'{len(causes)} distinct cause{"s" if len(causes) != 1 else ""} (same exception type, place in the '
                f'plugin\'s code and message shape). Fix them in this order.</p>',
                _causes_html(causes, row_ids, ambiguous)]

    # overview: one row per target, its features at a glance
    features_by_target: dict[str, list[Mapping[str, Any]]] = {}
    for f in data.get("features", ()):
        features_by_target.setdefault(f["target"], []).append(f)
    out += ['<h2 id="overview">Targets and features</h2>',
            '<table class="overview"><thead><tr><th>target</th><th>distribution</th><th>features</th>'
            '<th class="num">clauses</th><th class="num">failed</th></tr></thead><tbody>']
    for label, info in targets.items():
        mine = [r for r in clauses if r["target"] == label]
        chips = " ".join(
            _filter_link(_status_pill(f["status"], f"{short_feature(f['feature'])}: {f['status']}", f["summary"]),
                         {"target": label, **({} if f["feature"] == CORE_FEATURE else {"q": f["feature"]})})
            for f in features_by_target.get(label, ()))
        if not info.get("contract", True):
            chips = f'<span class="reason">no contract for {_e(info.get("group", ""))} yet ' \
                    f'({_e(info.get("note") or "not checked")})</span>'
        failed = sum(1 for r in mine if r["outcome"] == FAILED)
        out.append(f'<tr><td><a href="#t-{_slug(label)}">{_e(label)}</a></td>'
                   f'<td class="dist">{_e(info.get("dist", ""))} {_e(info.get("version", ""))}</td><td>{chips}</td>'
                   f'<td class="num">{len(mine)}</td>'
                   f'<td class="num">{_pill(FAILED, str(failed)) if failed else "0"}</td></tr>')
    out.append("</tbody></table>")

    families = sorted({family_of(r["clause"]) for r in clauses} - {""})
    levels = sorted({r["level"] for r in clauses})
    present = [o for o in REPORT_OUTCOMES if totals.get(o)]
    out += ['<h2 id="clauses">Clauses</h2>',
            _legend(present),
            _filter_bar([(o, f"{o} ({totals[o]})") for o in present], families, levels, list(targets))]

    for label, info in targets.items():
        mine = [r for r in clauses if r["target"] == label]
        if not mine and info.get("contract", True) is False:
            continue
        counts = {o: sum(1 for r in mine if r["outcome"] == o) for o in REPORT_OUTCOMES}
        uri = f' &middot; <span class="mono">{_e(info["uri"])}</span>' if info.get("uri") else ""
        if info.get("note") and info.get("contract", True):
            uri += f" &middot; <strong>{_e(info['note'])}</strong>"
        out.append(f'<section class="target" id="t-{_slug(label)}"><h2>{_e(label)} '
                   f'<small>{_e(info.get("dist", ""))} {_e(info.get("version", ""))} &middot; '
                   f'{_e(info.get("group", ""))}{uri} &middot; <span class="shown-here">{len(mine)}</span> of '
                   f'{len(mine)} shown</small></h2>')
        out.append(_counts_pills(counts, {"target": label}))
        mine_features = features_by_target.get(label, ())
        if mine_features:
            out.append('<h3>Features</h3><table class="features"><thead><tr><th>feature</th><th>status</th>'
                       '<th>what it covers</th></tr></thead><tbody>')
            for f in mine_features:
                out.append(f'<tr><td class="mono">{_e(short_feature(f["feature"]))}</td>'
                           f'<td>{_status_pill(f["status"], f["summary"])}</td>'
                           f'<td class="reason">{_e(f.get("description", ""))}</td></tr>')
            out.append("</tbody></table>")
        mine_causes = [g for g in causes if any(c["target"] == label for c in g["clauses"])]
        if mine_causes and len(targets) > 1:  # with one target, the root causes above are this target's
            out.append("<h3>Root causes here</h3>")
            out.append(_causes_html([{**g, "clauses": [c for c in g["clauses"] if c["target"] == label]}
                                     for g in mine_causes], row_ids, ambiguous))
        out.append('<h3>Clauses</h3><p class="nomatch">No clause of this target matches the filters.</p>'
                   '<table class="clauses"><thead><tr><th>clause</th><th>level</th><th>feature</th>'
                   '<th>outcome</th><th class="num">seconds</th></tr></thead><tbody>')
        for r in sorted(mine, key=lambda r: (_outcome_rank(r["outcome"]), r["clause"])):
            out.append(_clause_row(r, info, row_ids[(label, r["clause"])], cause_index, selection))
        out.append("</tbody></table></section>")
    out.append(_footer())
    return _page(title, "\n".join(out))


def _outcome_rank(outcome: str) -> int:
    order = (FAILED, BLOCKED_BY, NOT_RUN, KNOWN_FAILURE, UNSUPPORTED, NOT_APPLICABLE, PASSED)
    return order.index(outcome) if outcome in order else len(order)


def _clause_row(r: Mapping[str, Any], target: Mapping[str, Any], row_id: str,
                cause_index: Mapping[tuple[str, str], int], selection: Mapping[str, Any]) -> str:
    outcome = r["outcome"]
    reason = (r.get("reason") or "").strip()
    first = reason.splitlines()[0] if reason else ""
    detail = ""
    if outcome == FAILED:
        command = rerun_command(r, target if target.get("dist") else None, selection)
        cause = cause_index.get((r["target"], r["clause"]))
        cause_link = f' &middot; <a href="#root-causes">root cause {cause}</a>' if cause else ""
        more = f"<details><summary>full message</summary><pre>{_e(reason)}</pre></details>" \
            if len(reason.splitlines()) > 1 else ""
        detail = (f'<div class="failure"><div class="reason mono">{_e(first)}{cause_link}</div>{more}'
                  f'<div class="rerun"><span>rerun:</span> <code>{_e(command)}</code>'
                  f'<button type="button" data-copy="{_e(command)}">copy</button></div></div>')
    elif outcome == BLOCKED_BY:
        detail = f'<div class="reason">blocked by <code>{_e(r.get("blocked_by") or "?")}</code>' \
                 f'{" — " + _e(first) if first else ""}</div>'
    elif first:
        detail = f'<div class="reason">{_e(first)}</div>'
    text = " ".join([r["clause"], first, r.get("feature") or ""]).lower()
    feature = r.get("feature")
    return (f'<tr class="clause" id="{_e(row_id)}" data-outcomes="{_e(outcome)}" '
            f'data-family="{_e(family_of(r["clause"]))}" data-level="{_e(r["level"])}" '
            f'data-target="{_e(r["target"])}" data-text="{_e(text)}">'
            f'<td class="clause-id"><span class="mono">{_e(r["clause"])}</span>{detail}</td>'
            f'<td>{_e(r["level"])}</td><td class="mono">{_e(short_feature(feature) if feature else "")}</td>'
            f'<td>{_pill(outcome)}</td><td class="num">{float(r.get("duration") or 0):.2f}</td></tr>')


def _legend(outcomes: Sequence[str]) -> str:
    return '<div class="legend">' + "".join(
        f"<span>{_pill(o)} {_e(OUTCOME_HELP.get(o, ''))}</span>" for o in outcomes) + "</div>"


def _footer() -> str:
    return ('<footer>Generated by mlflow-plugin-conformance. Filters are kept in the address (a filtered view is '
            'a link); every clause is in the page without JavaScript.</footer>')


# -- several MLflow versions -----------------------------------------------------------------------------------


def _matrix_features(matrix: Mapping[str, Any], keys: Sequence[str]) -> dict[str, dict[str, dict[str, dict]]]:
    """target -> feature -> column -> {status, summary}: the feature table of each version."""
    counts: dict[str, dict[str, dict[str, dict[str, int]]]] = {}
    for row in matrix["clauses"]:
        feature = row.get("feature") or CORE_FEATURE
        for key in keys:
            outcome = row["outcomes"].get(key, ABSENT)
            if outcome == ABSENT:
                continue
            c = counts.setdefault(row["target"], {}).setdefault(feature, {}).setdefault(key, {})
            c[outcome] = c.get(outcome, 0) + 1
    out: dict[str, dict[str, dict[str, dict]]] = {}
    for target, features in counts.items():
        for feature, per_key in sorted(features.items(), key=lambda kv: (kv[0] != CORE_FEATURE, kv[0])):
            for key, c in per_key.items():
                status = feature_status(c)
                out.setdefault(target, {}).setdefault(feature, {})[key] = {
                    "status": status, "summary": feature_summary(status, c)}
    return out


def render_matrix_html(matrix: Mapping[str, Any], title: str = "MLflow plugin conformance matrix",
                       report_links: Mapping[str, str] | None = None) -> str:
    """The HTML page of a merged matrix (``matrix.merge_reports``): clause x MLflow version, changes marked.

    ``report_links`` maps a column key to the address of that version's own report (headers link to it).
    """
    keys = [c["key"] for c in matrix["columns"]]
    links = dict(report_links or {})

    def head(key: str) -> str:
        text = f"MLflow {_e(key)}"
        return f'<a href="{_e(links[key])}">{text}</a>' if key in links else text

    rows = list(matrix["clauses"])
    targets = [t["label"] for t in matrix["targets"]]
    for row in rows:
        if row["target"] not in targets:
            targets.append(row["target"])
    failed_cells = sum(1 for r in rows for k in keys if r["outcomes"].get(k) == FAILED)
    blocked_cells = sum(1 for r in rows for k in keys if r["outcomes"].get(k) == BLOCKED_BY)
    changed = [r for r in rows if len({r["outcomes"].get(k, ABSENT) for k in keys}) > 1]
    dists = sorted({t.get("dist", "") for t in matrix["targets"] if t.get("dist")})
    versions = ", ".join(keys)

    out = ["<header><h1>MLflow plugin conformance across MLflow versions</h1>",
           f'<p class="meta">{_e(", ".join(dists) or "plugin")} &middot; MLflow {_e(versions)} &middot; '
           f'{len(targets)} target{"s" if len(targets) != 1 else ""} &middot; {len(rows)} clauses</p>']
    if failed_cells or blocked_cells:
        failing = [k for k in keys if any(r["outcomes"].get(k) in (FAILED, BLOCKED_BY) for r in rows)]
        text = (f"{failed_cells} failed cell{'s' if failed_cells != 1 else ''} on MLflow {', '.join(failing)}"
                + (f"; {blocked_cells} blocked" if blocked_cells else ""))
        out.append(f'<div class="verdict bad"><span class="big">&#10008;</span><span>{_e(text)}</span></div>')
    else:
        out.append(f'<div class="verdict ok"><span class="big">&#10004;</span><span>No clause failed on any of '
                   f'MLflow {_e(versions)}</span></div>')
    out.append("</header>")

    # one card per version: its counts, a link to its own report
    cards = []
    for k in keys:
        totals = matrix["totals"].get(k, {})
        pills = " ".join(_filter_link(_pill(o, f"{totals[o]} {o}"), {"outcome": o}) for o in REPORT_OUTCOMES
                         if totals.get(o))
        cards.append(f'<div class="card"><div class="card-head">{head(k)}</div><div>{pills}</div></div>')
    out.append('<div class="cards">' + "".join(cards) + "</div>")
    if len(keys) > 1:
        out.append(f'<p class="meta">{len(changed)} clause{"s" if len(changed) != 1 else ""} change outcome '
                   f'between versions: {_filter_link("show them", {"changed": "1"})}.</p>')

    # features x versions
    features = _matrix_features(matrix, keys)
    if features:
        out += ['<h2 id="features">Features per MLflow version</h2><table class="grid features"><thead><tr>'
                "<th>target</th><th>feature</th>" + "".join(f"<th>{head(k)}</th>" for k in keys)
                + "</tr></thead><tbody>"]
        for target in targets:
            mine = list(features.get(target, {}).items())
            for index, (feature, per_key) in enumerate(mine):
                cells = []
                previous = None
                for k in keys:
                    cell = per_key.get(k)
                    if cell is None:
                        cells.append(f'<td class="cell">{_pill(ABSENT, CELL[ABSENT])}</td>')
                        continue
                    mark = " changed" if previous is not None and cell["status"] != previous else ""
                    previous = cell["status"]
                    cells.append(f'<td class="cell{mark}">'
                                 f'{_status_pill(cell["status"], cell["status"], cell["summary"])}</td>')
                first = f'<td rowspan="{len(mine)}" class="group">{_e(target)}</td>' if index == 0 else ""
                out.append(f'<tr>{first}<td class="mono">{_e(short_feature(feature))}</td>' + "".join(cells) + "</tr>")
        out.append("</tbody></table>")

    # root causes across versions
    ambiguous = ambiguous_kinds(rows)
    causes: dict[str, dict] = {}
    for row in rows:
        for k in keys:
            if row["outcomes"].get(k) != FAILED:
                continue
            cause = (row.get("causes") or {}).get(k) or {
                "type": "", "message": (row.get("reasons") or {}).get(k, ""), "function": None, "location": None,
                "key": "reason | " + (row.get("reasons") or {}).get(k, "")}
            group = causes.setdefault(cause["key"], {**cause, "cells": []})
            group["cells"].append((k, row["target"], row["clause"]))
    if causes:
        from .report import cause_headline

        out.append(f'<h2 id="root-causes">Root causes</h2><ol class="causes">')
        for index, group in enumerate(sorted(causes.values(), key=lambda g: -len(g["cells"])), 1):
            on = sorted({k for k, _, _ in group["cells"]}, key=keys.index)
            clauses = sorted({(t, c) for _, t, c in group["cells"]})
            names = ", ".join(clause_label(t, c, ambiguous) for t, c in clauses[:8])
            more = f", and {len(clauses) - 8} more" if len(clauses) > 8 else ""
            message = f'<div class="msg mono">{_e(group["message"])}</div>' if group.get("function") else ""
            out.append(f'<li><div class="head">{_code_ticks(cause_headline(group))} '
                       f'<span class="pill o-failed">{len(clauses)} clause{"s" if len(clauses) != 1 else ""}</span> '
                       f'on MLflow {_e(", ".join(on))}</div>{message}<div class="clause-links">{_e(names + more)}'
                       f"</div></li>")
        out.append("</ol>")

    # the grid
    present = [o for o in (*REPORT_OUTCOMES, ABSENT) if any(r["outcomes"].get(k) == o for r in rows for k in keys)]
    families = sorted({family_of(r["clause"]) for r in rows} - {""})
    levels = sorted({r["level"] for r in rows})
    out += ['<h2 id="clauses">Clauses per MLflow version</h2>', _legend(present),
            '<p class="legend"><span>&#9656; marks a cell whose outcome differs from the version before it; '
            '<span class="pill" style="color:#0969da;border-color:#54aeff">changes</span> marks its row.</span></p>',
            _filter_bar([(o, o) for o in present], families, levels, targets, changed=len(keys) > 1)]
    by_target: dict[str, list] = {}
    for row in rows:
        by_target.setdefault(row["target"], []).append(row)
    for target in targets:
        mine = by_target.get(target, [])
        if not mine:
            continue
        out.append(f'<section class="target" id="t-{_slug(target)}"><h2>{_e(target)} <small>'
                   f'<span class="shown-here">{len(mine)}</span> of {len(mine)} shown</small></h2>'
                   '<p class="nomatch">No clause of this target matches the filters.</p>'
                   '<table class="grid clauses"><thead><tr><th>clause</th><th>level</th>'
                   + "".join(f"<th>{head(k)}</th>" for k in keys) + "</tr></thead><tbody>")
        for row in mine:
            outcomes = [row["outcomes"].get(k, ABSENT) for k in keys]
            is_changed = len(set(outcomes)) > 1
            cells = []
            for i, (k, outcome) in enumerate(zip(keys, outcomes)):
                mark = " changed" if i and outcome != outcomes[i - 1] else ""
                reason = (row.get("reasons") or {}).get(k, "")
                cells.append(f'<td class="cell o-{_e(outcome)}{mark}" title="{_e(f"MLflow {k}: {outcome}" + (f" — {reason}" if reason else ""))}">'
                             f"{_e(CELL.get(outcome, outcome))}</td>")
            failures = [(k, (row.get("reasons") or {}).get(k, "")) for k, o in zip(keys, outcomes) if o == FAILED]
            detail = "".join(f'<div class="reason failure"><span class="reason">MLflow {_e(k)}: {_e(r)}</span></div>'
                             for k, r in failures)
            text = " ".join([row["clause"], row.get("feature") or "", *(row.get("reasons") or {}).values()]).lower()
            out.append(f'<tr class="clause{" changes" if is_changed else ""}" data-outcomes="{_e(" ".join(sorted(set(outcomes))))}" '
                       f'data-family="{_e(family_of(row["clause"]))}" data-level="{_e(row["level"])}" '
                       f'data-target="{_e(row["target"])}" data-changed="{1 if is_changed else 0}" '
                       f'data-text="{_e(text)}"><td class="clause-id"><span class="mono">{_e(row["clause"])}</span>'
                       f'{detail}</td><td>{_e(row["level"])}</td>{"".join(cells)}</tr>')
        out.append("</tbody></table></section>")
    out.append(_footer())
    return _page(title, "\n".join(out))

