"""Self-contained HTML report of a compare (or baseline) results document.

One file that opens offline: inline CSS, inline SVG charts, one inline script allowed by its
hash in a Content-Security-Policy that forbids every external load. Model text and case text
are data, never markup: everything taken from the results goes through `esc` (html.escape,
quotes included) before it reaches the page, and the JSON embedded for scripts escapes `<`,
`>` and `&` so no output can close its <script> element.

The page reacts to its URL fragment, so a link can carry a view:
`report.html#search=rex&category=multiturn&lang=en&verdict=regressed&flip=regression&open=m1`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from typing import Any

from harness.provenance import provenance_lines
from harness.stats import format_p
from reports.document import as_document, case_change, side_names, turn_grid
from reports.formatting import (
    answer_judgements,
    case_preference,
    fmt_ci,
    fmt_delta,
    fmt_grade,
    fmt_level,
    fmt_pct,
    fmt_pct_se,
    fmt_wtl,
    grade_text,
    is_continuous,
    is_headline,
    judge_label,
    judge_row,
    judge_summary_lines,
    judge_title,
    judge_value_text,
    judgements_by_turn,
    preference_text,
    verdict_text,
    visible_controls,
)

OUTPUT_LIMIT = 20_000  # characters of one output shown in the page (the JSON keeps all)
FAMILY_COLOURS = {"base": "#9aa5b1", "sft": "#2f6fdf"}
VERDICT_COLOURS = {"improved": "#1a7f37", "regressed": "#cf222e", "unchanged": "#6e7781"}


def esc(value: Any) -> str:
    """HTML-escape anything for text and attribute context (quotes included); control characters and
    bidi overrides (NUL, ESC, BEL, U+009B, U+202E…) are shown as visible escapes, as in the terminal."""
    return visible_controls(html.escape("" if value is None else str(value), quote=True))


def embed_json(data: Any) -> str:
    """JSON that is safe inside <script type="application/json">: no `</script>`, no `<!--`."""
    return (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
        .translate(_JSON_INVISIBLE)
    )


# C1 controls and bidi marks pass through json.dumps(ensure_ascii=False) raw: \u-escape them too.
_JSON_INVISIBLE = {cp: f"\\u{cp:04x}" for cp in [*range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F]}


CSS = """
:root{--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--bg:#fff;--soft:#f6f8fa;--good:#1a7f37;--bad:#cf222e}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",sans-serif;color:var(--fg);
 background:var(--bg);margin:0 auto;max-width:1400px;padding:16px 24px 64px}
h1{font-size:22px;margin:4px 0 8px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:12px 0 4px}
table{border-collapse:collapse;margin:6px 0}
th,td{border:1px solid var(--line);padding:3px 8px;text-align:right;vertical-align:top}
th{background:var(--soft)}td.l,th.l{text-align:left}
.sub td.name{padding-left:22px;color:var(--muted)}
.legend{font-size:12px;color:var(--muted)}.swatch{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px}
.v-improved{color:var(--good);font-weight:600}.v-regressed{color:var(--bad);font-weight:600}.v-unchanged{color:var(--muted)}
.meta td,.meta th{border:none;text-align:left;padding:1px 10px 1px 0}
.muted{color:var(--muted)}.note{color:#9a6700}
.charts{display:flex;flex-wrap:wrap;gap:16px}.chart{border:1px solid var(--line);border-radius:6px;padding:8px;background:#fff}
.controls{display:flex;flex-wrap:wrap;gap:8px;align-items:center;position:sticky;top:0;background:var(--bg);padding:8px 0;z-index:1}
.controls input[type=search]{width:320px;padding:5px 8px}
.case{border:1px solid var(--line);border-radius:6px;margin:4px 0;background:#fff}
.case>summary{cursor:pointer;padding:5px 8px;display:flex;gap:10px;align-items:baseline;list-style:none}
.case>summary::-webkit-details-marker{display:none}
.case>summary::before{content:"▸";color:var(--muted)}.case[open]>summary::before{content:"▾"}
.case .cid{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-weight:600}
.tag{font-size:12px;border:1px solid var(--line);border-radius:10px;padding:0 7px;color:var(--muted);white-space:nowrap}
.prompt-preview{color:var(--muted);overflow:hidden;text-overflow:ellipsis;white-space:nowrap;flex:1}
.body{padding:4px 12px 12px;border-top:1px solid var(--line)}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:12px}
@media (max-width:900px){.sides{grid-template-columns:1fr}}
.side{border:1px solid var(--line);border-radius:6px;padding:6px 10px;min-width:0}
.side h4{margin:2px 0 6px}
pre{white-space:pre-wrap;word-break:break-word;background:var(--soft);padding:6px 8px;border-radius:4px;margin:4px 0;
 font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}
.checks td{text-align:left;font-size:13px}.checks td.ok{color:var(--good)}.checks td.ko{color:var(--bad)}
.checks tr.changed{background:#fff8c5}
.turn-label{font-size:12px;color:var(--muted)}
.flips li{margin:2px 0}.flips a{font-family:ui-monospace,monospace}
[hidden]{display:none!important}
"""

# Added to the page only when the document has a judge section.
JUDGE_CSS = """
.judge-section{border-left:3px solid #8250df;padding-left:12px}
.judge{font-size:13px;margin:2px 0 8px;padding:3px 8px;border-left:3px solid #8250df;background:#fbf8ff}
.judge .grade{font-weight:600;color:#8250df}.judge .unparsed{font-weight:600;color:#9a6700}
.judge details summary{cursor:pointer;color:var(--muted);font-size:12px}.judge .why{white-space:pre-wrap}
.tag.judge-tag{border-color:#c297ff;color:#8250df}
"""

SCRIPT = r"""
(function(){
  "use strict";
  var cases = Array.prototype.slice.call(document.querySelectorAll("details.case"));
  var haystack = cases.map(function(el){ return el.textContent.toLowerCase(); });
  var q = document.getElementById("search");
  var selects = {category: document.getElementById("f-category"), lang: document.getElementById("f-lang"),
                 verdict: document.getElementById("f-verdict"), flip: document.getElementById("f-flip")};
  var count = document.getElementById("count");
  function apply(){
    var terms = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    cases.forEach(function(el, i){
      var ok = terms.every(function(t){ return haystack[i].indexOf(t) !== -1; });
      if (ok && selects.category.value) ok = el.dataset.category === selects.category.value;
      if (ok && selects.lang.value) ok = el.dataset.lang === selects.lang.value;
      if (ok && selects.verdict.value) ok = el.dataset.verdict === selects.verdict.value;
      if (ok && selects.flip.value) {
        var flips = el.dataset.flip ? el.dataset.flip.split(" ") : [];
        ok = selects.flip.value === "none" ? flips.length === 0 : flips.indexOf(selects.flip.value) !== -1;
      }
      el.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = shown + " of " + cases.length + " cases";
    document.body.dataset.shown = String(shown);
  }
  function openCase(id){
    for (var i = 0; i < cases.length; i++) {
      if (cases[i].dataset.id === id) {
        cases[i].hidden = false; cases[i].open = true; cases[i].scrollIntoView({block: "start"});
        return true;
      }
    }
    return false;
  }
  function fromHash(){
    var h = location.hash.replace(/^#/, "");
    if (!h) return;
    if (h.indexOf("=") === -1) {  // #case-ID anchors from the flip lists
      var id = decodeURIComponent(h);
      if (id.indexOf("case-") === 0) openCase(id.slice(5));
      return;
    }
    var params = new URLSearchParams(h);  // a link carries the whole view: unnamed filters reset
    q.value = params.get("search") || "";
    Object.keys(selects).forEach(function(k){ selects[k].value = params.get(k) || ""; });
    apply();
    if (params.has("open")) openCase(params.get("open"));
    document.body.dataset.ready = "hash";
  }
  q.addEventListener("input", apply);
  Object.keys(selects).forEach(function(k){ selects[k].addEventListener("change", apply); });
  document.getElementById("expand-all").addEventListener("click", function(){
    cases.forEach(function(el){ if (!el.hidden) el.open = true; });
  });
  document.getElementById("collapse-all").addEventListener("click", function(){
    cases.forEach(function(el){ el.open = false; });
  });
  window.addEventListener("hashchange", fromHash);
  apply();
  fromHash();
  document.body.dataset.ready = document.body.dataset.ready || "yes";
})();
"""


def _csp(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    return (
        "default-src 'none'; "
        f"script-src 'sha256-{digest}'; "
        "style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; "
        "frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
    )


# ---------------------------------------------------------------------------------------------
# charts (inline SVG)


def bar_chart(title: str, groups: list[tuple[str, float, float, str]], width: int = 460) -> str:
    """Horizontal paired bars: (label, base share, sft share, verdict) per group."""
    label_w, row_h, top = 120, 30, 26
    plot_w = width - label_w - 60
    height = top + row_h * len(groups) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{esc(title)}" viewBox="0 0 {width} {height}">',
        f'<text x="4" y="16" font-size="13" font-weight="600">{esc(title)}</text>',
    ]
    for i, (label, b, s, verdict) in enumerate(groups):
        y = top + i * row_h
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 17}" font-size="12" text-anchor="end">{esc(label)}</text>'
        )
        for j, (v, colour) in enumerate(((b, FAMILY_COLOURS["base"]), (s, FAMILY_COLOURS["sft"]))):
            w = max(0.0, min(1.0, v or 0.0)) * plot_w
            parts.append(
                f'<rect x="{label_w}" y="{y + 3 + j * 12}" width="{w:.1f}" height="11" fill="{colour}">'
                f"<title>{esc(label)} {'base' if j == 0 else 'sft'}: {fmt_pct(v)}</title></rect>"
            )
        mark = {"improved": "▲", "regressed": "▼"}.get(verdict, "")
        parts.append(
            f'<text x="{label_w + plot_w + 4}" y="{y + 17}" font-size="11" fill="{VERDICT_COLOURS.get(verdict, "#000")}">'
            f"{fmt_pct(s)} {mark}</text>"
        )
    axis_y = top + row_h * len(groups) + 4
    for frac in (0, 0.5, 1):
        x = label_w + frac * plot_w
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{axis_y}" stroke="#d0d7de"/>')
        parts.append(f'<text x="{x:.1f}" y="{axis_y + 14}" font-size="10" text-anchor="middle">{int(frac * 100)}%</text>')
    parts.append("</svg>")
    return "".join(parts)


def forest_plot(rows: list[dict[str, Any]], width: int = 560) -> str:
    """Δ (percentage points) with its 95% CI for each headline pass-rate metric."""
    if not rows:
        return ""
    label_w, row_h, top = 190, 20, 28
    plot_w = width - label_w - 20
    height = top + row_h * len(rows) + 26

    def x(v: float) -> float:
        return label_w + (max(-1.0, min(1.0, v)) + 1) / 2 * plot_w

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="change with 95% CI" viewBox="0 0 {width} {height}">',
        '<text x="4" y="16" font-size="13" font-weight="600">Change (sft − base) with 95% bootstrap CI</text>',
        f'<line x1="{x(0):.1f}" y1="{top - 4}" x2="{x(0):.1f}" y2="{top + row_h * len(rows)}" stroke="#8c959f"/>',
    ]
    for i, r in enumerate(rows):
        y = top + i * row_h + row_h / 2
        colour = VERDICT_COLOURS.get(r.get("verdict", "unchanged"), "#000")
        weight = ' font-weight="600"' if r["name"] == r.get("family", r["name"]) else ""
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 4:.1f}" font-size="11" text-anchor="end"{weight}>{esc(r["name"])}</text>'
        )
        lo, hi = r.get("ci_low"), r.get("ci_high")
        if lo is not None and hi is not None:
            parts.append(
                f'<line x1="{x(lo):.1f}" y1="{y:.1f}" x2="{x(hi):.1f}" y2="{y:.1f}" stroke="{colour}" stroke-width="2"/>'
            )
        parts.append(
            f'<circle cx="{x(r.get("delta") or 0):.1f}" cy="{y:.1f}" r="4" fill="{colour}">'
            f"<title>{esc(r['name'])}: Δ {fmt_delta(r, r.get('delta'))} pp, CI {esc(fmt_ci(r))}, "
            f"{esc(verdict_text(r))}</title></circle>"
        )
    axis_y = top + row_h * len(rows) + 4
    for v in (-1, -0.5, 0, 0.5, 1):
        parts.append(f'<text x="{x(v):.1f}" y="{axis_y + 12}" font-size="10" text-anchor="middle">{int(v * 100):+d}</text>')
    parts.append("</svg>")
    return "".join(parts)


def charts(results: dict[str, Any]) -> str:
    rows = [r for r in results.get("metrics", []) if not is_continuous(r)]
    fam_rows = [r for r in rows if r["name"] == r.get("family", r["name"].partition(":")[0])]
    out = ['<div class="charts">', f'<div class="chart">{forest_plot([r for r in rows if is_headline(r)])}</div>']
    for fam in dict.fromkeys(r["name"] for r in fam_rows):
        groups = []
        for r in fam_rows:
            if r["name"] != fam:
                continue
            label = "all" if is_headline(r) else (r["category"] if r.get("lang", "all") == "all" else f"lang {r['lang']}")
            groups.append((label, r["base"], r["sft"], r["verdict"]))
        out.append(f'<div class="chart">{bar_chart(f"{fam}: by category and language", groups)}</div>')
    cats = [c for c in dict.fromkeys(r["category"] for r in fam_rows) if c != "all"]
    for cat in cats:
        groups = [
            (r["name"], r["base"], r["sft"], r["verdict"])
            for r in fam_rows
            if r["category"] == cat and r.get("lang", "all") == "all"
        ]
        out.append(f'<div class="chart">{bar_chart(f"category {cat}: by metric family", groups)}</div>')
    out.append("</div>")
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# tables


def _meta(results: dict[str, Any]) -> str:
    out = ['<table class="meta">']
    for side, m in (results.get("models") or {}).items():
        out.append(
            f"<tr><th>{esc(side)}</th><td><b>{esc(m.get('name'))}</b> <span class=muted>{esc(m.get('path'))}</span>"
            f" · backend {esc(m.get('backend'))} · prompt {esc(m.get('prompt_format'))}"
            + (f" · max_tokens {esc(m.get('max_tokens'))}" if m.get("max_tokens") is not None else "")
            + "</td></tr>"
        )
        for note in m.get("notes") or []:
            out.append(f'<tr><th></th><td class="note">note: {esc(note)}</td></tr>')
        if "training" in m and (m["training"] is not None or side == "sft"):
            for ok, sentence in provenance_lines(m["training"]):
                cls = "muted" if ok is None else "" if ok else "note"
                out.append(f'<tr><th></th><td class="{cls}">{"✓" if ok else "!" if ok is False else "?"} {esc(sentence)}</td></tr>')
    out.append(
        f"<tr><th>suites</th><td>{esc(', '.join(map(str, results.get('suites', []))))} "
        f"({esc(results.get('n_cases'))} paired cases)</td></tr>"
    )
    st = results.get("stats") or {}
    if st:
        boot = st.get("bootstrap", {})
        out.append(
            "<tr><th>statistics</th><td>paired by case: McNemar exact (pass/fail), Wilcoxon signed-rank "
            f"(numbers); {esc(round(100 * st.get('ci_level', 0.95)))}% paired bootstrap CI "
            f"({esc(boot.get('resamples'))} resamples, seed {esc(boot.get('seed'))}); Holm within each "
            f"category/language slice; α = {esc(st.get('alpha'))}</td></tr>"
        )
    for note in results.get("notes") or []:
        out.append(f'<tr><th>note</th><td class="note">{esc(note)}</td></tr>')
    out.append(f"<tr><th>created</th><td>{esc(results.get('created'))}</td></tr></table>")
    return "".join(out)


def metric_table(rows: list[dict[str, Any]]) -> str:
    head = ["metric", "base", "sft", "Δ", "95% CI", "p", "p (Holm)", "n", "fixed", "broke", "verdict"]
    out = ["<table class=metrics><thead><tr>"]
    out += [f'<th class="{"l" if h in ("metric", "verdict") else ""}">{esc(h)}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    for r in rows:
        fam = r["name"] == r.get("family", r["name"]) or is_continuous(r)
        cont = is_continuous(r)
        out.append(
            f'<tr class="{"" if fam else "sub"}" data-metric="{esc(r["name"])}">'
            f'<td class="l name">{esc(r["name"])}</td><td>{esc(fmt_level(r, r.get("base")))}</td>'
            f"<td>{esc(fmt_level(r, r.get('sft')))}</td><td>{esc(fmt_delta(r, r.get('delta')))}</td>"
            f"<td>{esc(fmt_ci(r))}</td><td>{esc(format_p(r.get('p_value')))}</td><td>{esc(format_p(r.get('p_adjusted')))}</td>"
            f"<td>{esc(r.get('n'))}</td><td>{'—' if cont else len(r.get('fixes', []))}</td>"
            f"<td>{'—' if cont else len(r.get('regressions', []))}</td>"
            f'<td class="l v-{esc(r.get("verdict"))}">{esc(verdict_text(r))}</td></tr>'
        )
    out.append("</tbody></table>")
    return "".join(out)


def instruction_table(results: dict[str, Any]) -> str:
    rows = [r for r in results.get("metrics", []) if is_headline(r) and r.get("instruction_level")]
    if not rows:
        return ""
    out = [
        "<h3>Instruction-level accuracy</h3><p class=muted>Every check of a family counted once; "
        "standard errors clustered by prompt.</p><table><thead><tr><th class=l>family</th><th>base</th>"
        "<th>sft</th><th>Δ</th><th>instructions</th><th>prompts</th></tr></thead><tbody>"
    ]

    for r in rows:
        for key, label in (("instruction_level", ""), ("instruction_level_loose", " (loose)")):
            il = r.get(key)
            if il:
                out.append(
                    f"<tr><td class=l>{esc(r['name'] + label)}</td><td>{esc(fmt_pct_se(il['base'], il['base_se']))}</td>"
                    f"<td>{esc(fmt_pct_se(il['sft'], il['sft_se']))}</td><td>{esc(fmt_pct_se(il['delta'], il['delta_se']))}</td>"
                    f"<td>{esc(il['n_instructions'])}</td><td>{esc(il['n_prompts'])}</td></tr>"
                )
    out.append("</tbody></table>")
    return "".join(out)


def breakdown_table(results: dict[str, Any], key: str) -> str:
    other = "lang" if key == "category" else "category"
    rows = [
        r
        for r in results.get("metrics", [])
        if r.get(key, "all") != "all" and r.get(other, "all") == "all" and not is_continuous(r)
        and r["name"] == r.get("family", r["name"])
    ]
    if not rows:
        return ""
    fams = list(dict.fromkeys(r["name"] for r in rows))
    groups = list(dict.fromkeys(r[key] for r in rows))
    cell = {(r[key], r["name"]): r for r in rows}
    out = [f"<table><thead><tr><th class=l>{esc(key)}</th>"]
    out += [f"<th>{esc(f)}</th>" for f in fams]
    out.append("</tr></thead><tbody>")
    for g in groups:
        out.append(f"<tr><td class=l>{esc(g)}</td>")
        for f in fams:
            r = cell.get((g, f))
            if r is None:
                out.append("<td class=muted>·</td>")
            else:
                out.append(
                    f'<td class="v-{esc(r["verdict"])}" title="{esc(verdict_text(r))}, p (Holm) '
                    f'{esc(format_p(r.get("p_adjusted")))}">'
                    f"{fmt_pct(r['base'])} → {fmt_pct(r['sft'])} <span class=muted>(n={esc(r['n'])})</span></td>"
                )
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def per_turn_html(results: dict[str, Any]) -> str:
    grid = turn_grid(results)
    if grid is None:
        return ""
    turns, families, cell = grid
    out = ["<table class=per-turn><thead><tr><th class=l>family</th>"]
    out += [f"<th>turn {esc(k)}</th>" for k in turns]
    out.append("</tr></thead><tbody>")
    for fam in families:
        out.append(f"<tr><td class=l>{esc(fam)}</td>")
        for k in turns:
            r = cell.get((fam, k))
            if r is None:
                out.append("<td class=muted>·</td>")
            elif "value" in r:
                out.append(f"<td>{fmt_pct(r['value'])} <span class=muted>(n={esc(r['n'])})</span></td>")
            else:
                mark = {"improved": " ▲", "regressed": " ▼"}.get(r.get("verdict", ""), "")
                out.append(
                    f'<td class="v-{esc(r.get("verdict"))}">{fmt_pct(r["base"])} → {fmt_pct(r["sft"])}{mark} '
                    f"<span class=muted>(n={esc(r['n'])})</span></td>"
                )
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def flips_section(results: dict[str, Any], limit: int = 200) -> str:
    rows = [
        r
        for r in results.get("metrics", [])
        if is_headline(r) and not is_continuous(r) and (r.get("fixes") or r.get("regressions"))
    ]
    if not rows:
        return "<p class=muted>No case changed outcome.</p>"

    def links(ids: list[str]) -> str:
        shown = ", ".join(f'<a href="#case-{esc(i)}">{esc(i)}</a>' for i in ids[:limit])
        return shown + (f" … (+{len(ids) - limit} more)" if len(ids) > limit else "")

    out = ['<ul class="flips">']
    for r in rows:
        reg, fix = r.get("regressions", []), r.get("fixes", [])
        out.append(
            f"<li><b>{esc(r['name'])}</b>: "
            f'<span class="v-regressed">{len(reg)} pass → fail</span>{": " + links(reg) if reg else ""}; '
            f'<span class="v-improved">{len(fix)} fail → pass</span>{": " + links(fix) if fix else ""}</li>'
        )
    out.append("</ul>")
    return "".join(out)


def judge_html(results: dict[str, Any]) -> str:
    """The model judge's section: its rows, pairwise outcomes, length control, per turn; "" without one."""
    judge = results.get("judge")
    if not judge:
        return ""
    out = [f'<section class="judge-section" id="judge"><h2>{esc(judge_title(judge))}</h2>',
           "<p class=muted>A model "
           + " and ".join(what for mode, what in (
               ("single", "graded each answer (1-10)"), ("on_topic", "said whether each answer is on topic"),
               ("pairwise", "compared the two answers of each turn, asked in both orders"))
               if mode in (judge.get("modes") or ["single"]))
           + ". Its rows are advisory: the default gate skips them.</p>"]
    rows = [r for r in judge.get("metrics") or [] if is_headline(r)]
    if rows and any("base" in r for r in rows):
        head = ["metric", "base", "sft", "Δ", "95% CI", "p", "p (Holm)", "n", "verdict"]
        out.append("<table class=judge-metrics><thead><tr>")
        out += [f'<th class="{"l" if h in ("metric", "verdict") else ""}">{esc(h)}</th>' for h in head]
        out.append("</tr></thead><tbody>")
        for r in rows:
            v = judge_row(r)
            out.append(
                f'<tr data-metric="{esc(r.get("name"))}"><td class=l>{esc(judge_label(r))}</td>'
                f"<td>{esc(fmt_level(v, v.get('base')))}</td><td>{esc(fmt_level(v, v.get('sft')))}</td>"
                f"<td>{esc(fmt_delta(v, v.get('delta')))}</td><td>{esc(fmt_ci(v))}</td>"
                f"<td>{esc(format_p(r.get('p_value')))}</td><td>{esc(format_p(r.get('p_adjusted')))}</td>"
                f'<td>{esc(r.get("n"))}</td><td class="l v-{esc(r.get("verdict"))}">{esc(verdict_text(v))}</td></tr>'
            )
        out.append("</tbody></table>")
    else:
        out += [f"<p><b>{esc(r.get('name'))}</b>: {esc(judge_value_text(r))}</p>" for r in rows]
    out.append("<ul>" + "".join(f"<li>{esc(line)}</li>" for line in judge_summary_lines(judge)) + "</ul>")
    out += [f'<p class="note">note: {esc(n)}</p>' for n in judge.get("notes") or []]
    pw = judge.get("pairwise") or {}
    if pw.get("length_bins"):
        out.append(f"<h3>By length of SFT's answer vs base's ({esc(pw.get('length_unit', 'characters'))})</h3>"
                   "<table><thead><tr><th class=l>SFT's answer</th><th>n</th><th>won / tied / lost</th>"
                   "<th>win rate</th></tr></thead><tbody>")
        out += [f"<tr><td class=l>{esc(b.get('bin'))}</td><td>{esc(b.get('n'))}</td><td>{esc(fmt_wtl(b))}</td>"
                f"<td>{esc(fmt_pct(b.get('win_rate')))}</td></tr>" for b in pw["length_bins"]]
        out.append("</tbody></table>")
    turns = judge.get("per_turn") or []
    if len({t.get("turn") for t in turns}) > 1:
        run = all("value" in t for t in turns)
        head = ["turn", "n", "mean grade"] if run else ["turn", "n", "base grade", "sft grade", "won / tied / lost", "win rate"]
        out.append("<h3>By turn</h3><table><thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in head)
                   + "</tr></thead><tbody>")
        for t in turns:
            cells = [t.get("turn"), t.get("n")] + (
                [fmt_grade(t.get("value"))] if run
                else [fmt_grade(t.get("base")), fmt_grade(t.get("sft")), fmt_wtl(t), fmt_pct(t.get("win_rate"))]
            )
            out.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
        out.append("</tbody></table>")
    out.append("</section>")
    return "".join(out)


def _raw_details(label: str, raw: Any) -> str:
    return f"<details><summary>{esc(label)}</summary><pre>{esc(_cut(str(raw)))}</pre></details>" if raw else ""


def _judge_grade_html(slot: dict[str, Any] | None) -> str:
    """The judge's grade of one answer and its rationale (model text: escaped like any output)."""
    text = grade_text(slot)
    cls = "grade" if slot and slot.get("score") is not None else "unparsed"
    return _judge_div("judge", cls, text, slot or {})


def _judge_div(label: str, cls: str, text: str, slot: dict[str, Any]) -> str:
    """A judge's verdict on one answer, its rationale and its raw reply (model text: escaped)."""
    why, raw = str(slot.get("rationale") or ""), slot.get("raw")
    parts = [f'<div class=judge>{esc(label)}: <span class="{cls}">{esc(text)}</span>']
    if why and (raw is None or why.strip() != str(raw).strip()):
        parts.append(f" — <span class=why>{esc(why)}</span>")
    parts.append(_raw_details("the judge's raw reply", raw))
    parts.append("</div>")
    return "".join(parts)


def _judge_topic_html(slot: dict[str, Any]) -> str:
    """The judge's on-topic verdict on one answer and its reason (model text: escaped like any output)."""
    said = slot.get("on_topic")
    text = str(slot.get("error") or "no verdict") if said is None else ("yes" if said else "no")
    return _judge_div("judge, on topic", "unparsed" if said is None else "grade", text, slot)


def _judge_pair_html(judged: dict[int, dict[str, Any]]) -> str:
    turns = [(k, t["pair"]) for k, t in sorted(judged.items()) if t.get("pair")]
    if not turns:
        return ""
    out = []
    for k, pair in turns:
        label = f"turn {k}: " if len(judged) > 1 else ""
        pref = pair.get("preference")
        cls = "unparsed" if pref is None or pair.get("flipped") else "grade"
        reasons = "".join(
            f"<div><span class=muted>{esc(order)}:</span> <span class=why>{esc(pair.get(key))}</span></div>"
            for order, key in (("base shown first (A = base)", "rationale_ab"), ("SFT shown first (A = SFT)", "rationale_ba"))
            if pair.get(key)
        )
        raws = _raw_details("raw reply, base first", pair.get("raw_ab")) + _raw_details("raw reply, SFT first", pair.get("raw_ba"))
        out.append(
            f'<div class=judge>judge, pairwise: {esc(label)}<span class="{cls}">{esc(preference_text(pair))}</span>'
            + (f"<details><summary>why</summary>{reasons}</details>" if reasons else "") + raws + "</div>"
        )
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# cases


def _cut(text: str) -> str:
    if len(text) > OUTPUT_LIMIT:
        return text[:OUTPUT_LIMIT] + f"\n… [{len(text) - OUTPUT_LIMIT} more characters in the JSON]"
    return text


def _checks_table(side: dict[str, Any], other: dict[str, Any]) -> str:
    theirs = {(c.get("id"), c.get("turn")): c.get("passed") for c in other.get("checks", [])}
    multi = len(side.get("outputs") or ()) > 1
    out = ["<table class=checks><tbody>"]
    for c in side.get("checks", []):
        ok = bool(c.get("passed"))
        key = (c.get("id"), c.get("turn"))
        changed = key in theirs and theirs[key] != ok
        value = c.get("value")
        extra = f" <span class=muted>(value {esc(value)})</span>" if value is not None else ""
        turn = f"<span class=muted>turn {esc(c['turn'])} · </span>" if multi and c.get("turn") is not None else ""
        out.append(
            f'<tr class="{"changed" if changed else ""}"><td class="{"ok" if ok else "ko"}">{"✓" if ok else "✗"}</td>'
            f"<td><code>{esc(c.get('id'))}</code></td><td>{turn}{esc(c.get('reason'))}{extra}</td></tr>"
        )
    if not side.get("checks"):
        out.append("<tr><td class=muted>no checks applied</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _side_html(title: str, side: dict[str, Any], other: dict[str, Any],
               judged: dict[int, dict[str, Any]] | None = None, who: str = "") -> str:
    outs = side.get("outputs", [])
    reasons = side.get("finish_reasons", [])
    tokens = side.get("output_tokens", [])
    parts = [f"<div class=side><h4>{esc(title)}</h4>"]
    for i, text in enumerate(outs):
        bits = []
        if len(outs) > 1:
            bits.append(f"turn {i + 1}")
        if i < len(reasons):
            bits.append(f"finish: {reasons[i]}")
        if i < len(tokens) and tokens[i] is not None:
            bits.append(f"{tokens[i]} tokens")
        parts.append(f"<div class=turn-label>{esc(' · '.join(bits))}</div>")
        parts.append(f"<pre>{esc(_cut(text))}</pre>" if text else "<pre class=muted>(empty)</pre>")
        if judged and i + 1 in judged:
            graded, grade, topic = answer_judgements(judged[i + 1], who)
            if graded:
                parts.append(_judge_grade_html(grade))
            if topic:
                parts.append(_judge_topic_html(topic))
    parts.append(_checks_table(side, other))
    parts.append("</div>")
    return "".join(parts)


def case_verdict(case: dict[str, Any]) -> tuple[str, list[str], list[str]]:
    fixed, broke = case_change(case)
    return ("regressed" if broke else "improved" if fixed else "unchanged"), fixed, broke


def case_html(case: dict[str, Any], base_name: str, sft_name: str) -> str:
    verdict, fixed, broke = case_verdict(case)
    flip = " ".join(x for x, on in (("fix", fixed), ("regression", broke)) if on)
    cid = str(case.get("id"))
    tags = [f'<span class="tag">{esc(case.get("category"))}</span>', f'<span class="tag">{esc(case.get("lang"))}</span>']
    tags.append(f'<span class="tag v-{verdict}">{verdict}</span>')
    if broke:
        tags.append(f'<span class="tag v-regressed">broke: {esc(", ".join(broke))}</span>')
    if fixed:
        tags.append(f'<span class="tag v-improved">fixed: {esc(", ".join(fixed))}</span>')
    pref = case_preference(case)
    if pref is not None:
        tags.append(f'<span class="tag judge-tag">judge: {esc({"sft": "SFT preferred", "base": "base preferred"}.get(pref, "tie"))}</span>')
    judged = judgements_by_turn(case)
    turns = case.get("turns") or [case.get("prompt", "")]
    body = ["<div class=body>"]
    for i, t in enumerate(turns):
        label = f"user, turn {i + 1}" if len(turns) > 1 else "user"
        body.append(f"<div class=turn-label>{esc(label)}</div><pre>{esc(_cut(str(t)))}</pre>")
    if case.get("reference") is not None:
        body.append(f"<div class=turn-label>reference: {esc(case.get('reference'))}</div>")
    body.append("<div class=sides>")
    body.append(_side_html(f"base: {base_name}", case["base"], case["sft"], judged, "base"))
    body.append(_side_html(f"sft: {sft_name}", case["sft"], case["base"], judged, "sft"))
    body.append("</div>")
    body.append(_judge_pair_html(judged))
    body.append("</div>")
    preview = str(turns[0])[:160] if turns else ""
    return (
        f'<details class="case" id="case-{esc(cid)}" data-id="{esc(cid)}" data-category="{esc(case.get("category"))}" '
        f'data-lang="{esc(case.get("lang"))}" data-verdict="{verdict}" data-flip="{flip}">'
        f'<summary><span class="cid">{esc(cid)}</span>{"".join(tags)}'
        f'<span class="prompt-preview">{esc(preview)}</span></summary>{"".join(body)}</details>'
    )


def _options(values: list[str], label: str) -> str:
    return f'<option value="">{esc(label)}</option>' + "".join(
        f'<option value="{esc(v)}">{esc(v)}</option>' for v in values
    )


def render_html(results: Any, gate: Any = None) -> str:
    """The whole page as one string."""
    results = as_document(results)
    gate = as_document(gate) if gate is not None else results.get("gate")
    base_name, sft_name = side_names(results)
    cases = results.get("cases", [])
    metrics = results.get("metrics", [])
    headline = [r for r in metrics if is_headline(r)]
    cats = list(dict.fromkeys(str(c.get("category")) for c in cases))
    langs = list(dict.fromkeys(str(c.get("lang")) for c in cases))
    title = f"sft-harness: {base_name} → {sft_name}"
    summary = {
        "schema": results.get("schema"),
        "kind": results.get("kind"),
        "models": {k: {"name": v.get("name"), "path": v.get("path")} for k, v in (results.get("models") or {}).items()},
        "n_cases": results.get("n_cases"),
        "metrics": [{k: v for k, v in r.items() if k not in ("fixes", "regressions")} for r in headline],
        "gate": gate,
    }
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f'<meta http-equiv="Content-Security-Policy" content="{esc(_csp(SCRIPT))}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title><style>{CSS}</style>"
        + (f"<style>{JUDGE_CSS}</style>" if results.get("judge") else "") + "</head><body>",
        f"<h1>{esc(title)}</h1>",
        _meta(results),
    ]
    if gate is not None:
        status = "passed" if gate.get("passed") else "FAILED"
        cls = "v-improved" if gate.get("passed") else "v-regressed"
        parts.append(f'<h2>Gate: <span class="{cls}">{status}</span></h2><ul>')
        for rule in gate.get("rules", []):
            mark = "✓" if rule.get("passed") else "✗"
            rcls = "v-improved" if rule.get("passed") else "v-regressed"
            parts.append(f'<li class="{rcls}">{mark} {esc(rule.get("rule"))}: <span class=muted>{esc(rule.get("detail"))}</span></li>')
        parts.append("</ul>")
    parts.append("<h2>Summary</h2>")
    parts.append(metric_table([r for r in headline if not is_continuous(r)]))
    cont = [r for r in headline if is_continuous(r)]
    if cont:
        parts.append("<h3>Measured values (means; Wilcoxon signed-rank)</h3>" + metric_table(cont))
    parts.append(instruction_table(results))
    small = [r for r in headline if r.get("small_sample")]
    if small:
        parts.append(
            f'<p class="note">{len(small)} metric(s) have fewer than 10 cases that changed: their p-values and '
            "CIs are rough and cannot show a significant change.</p>"
        )
    legend = (
        f'<p class=legend>bars:<span class=swatch style="background:{FAMILY_COLOURS["base"]}"></span>base'
        f'<span class=swatch style="background:{FAMILY_COLOURS["sft"]}"></span>sft · ▲ ▼ significant change '
        "(Holm within the slice, CI excluding 0)</p>"
    )
    parts.append("<h2>Charts</h2>" + legend + charts(results))
    bd_cat, bd_lang = breakdown_table(results, "category"), breakdown_table(results, "lang")
    if bd_cat or bd_lang:
        parts.append("<h2>Breakdown</h2>" + bd_cat + bd_lang)
    turns = per_turn_html(results)
    if turns:
        parts.append("<h2>Per turn</h2><p class=muted>Multi-turn cases only; a case passes a family at a turn when "
                     "every check of that family on that turn's answer passes. ▲ ▼ significant after Holm over "
                     "this table.</p>" + turns)
    parts.append("<h2>Flips</h2>" + flips_section(results))
    parts.append(judge_html(results))
    parts.append(
        "<h2>Cases</h2><div class=controls>"
        '<input id="search" type="search" placeholder="search ids, prompts, outputs, reasons" autocomplete="off">'
        f'<select id="f-category" aria-label="category">{_options(cats, "all categories")}</select>'
        f'<select id="f-lang" aria-label="language">{_options(langs, "all languages")}</select>'
        f'<select id="f-verdict" aria-label="verdict">{_options(["regressed", "improved", "unchanged"], "any verdict")}</select>'
        '<select id="f-flip" aria-label="flip"><option value="">any flip</option>'
        '<option value="regression">has a regression</option><option value="fix">has a fix</option>'
        '<option value="none">no flip</option></select>'
        '<button id="expand-all" type="button">expand all</button>'
        '<button id="collapse-all" type="button">collapse all</button>'
        f'<span id="count" class="muted">{len(cases)} cases</span></div><div id="case-list">'
    )
    order = sorted(range(len(cases)), key=lambda i: {"regressed": 0, "improved": 1}.get(case_verdict(cases[i])[0], 2))
    parts.extend(case_html(cases[i], base_name, sft_name) for i in order)
    parts.append("</div>")
    parts.append(f'<script type="application/json" id="report-data">{embed_json(summary)}</script>')
    parts.append(f"<script>{SCRIPT}</script></body></html>")
    return "".join(parts)


def write_html(path: Any, results: Any, gate: Any = None) -> None:
    from harness.outputs import write_atomic

    write_atomic(path, render_html(results, gate))
