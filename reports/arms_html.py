"""The HTML report of an N-arm document: one self-contained page (no script) with the arms, the gate, the
prompt-share line, the forgetting list, one column per arm, a trajectory chart per family (inline SVG:
the pass rate in each arm with its 95% bootstrap CI as a whisker, in the arms' order), each pair's rows,
and every case with each arm's answer. Everything from the document, model text included, goes through
`esc`."""

from __future__ import annotations

from typing import Any

from harness.stats import format_p
from reports.arms import (
    MARK,
    arm_labels,
    distinct_forgetting,
    family_grid,
    forgetting_text,
    pair_rows,
    prompt_share_text,
    statistics_text,
)
from reports.document import as_document
from reports.formatting import fmt_ci, fmt_delta, fmt_pct
from reports.html import CSS, OUTPUT_LIMIT, VERDICT_COLOURS, esc, metric_table

CSP = ("default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src 'none'; "
       "connect-src 'none'; frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'")
ARMS_CSS = ".arm-out{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:10px}"


def trajectory_chart(family: str, points: list[dict[str, Any]], labels: dict[str, str],
                     verdicts: dict[str, str] | None = None, width: int = 440) -> str:
    """A family's pass rate per arm, in order: a line through the rates, a whisker for each CI, each point
    coloured by its verdict against the baseline (`verdicts`: arm -> verdict; the baseline has none)."""
    left, right, top, plot_h, bottom = 40, 80, 26, 150, 70
    n = len(points)
    step = (width - left - right) / max(1, n - 1) if n > 1 else 0
    height = top + plot_h + bottom

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + 10 + i * step, top + (1 - max(0.0, min(1.0, v))) * plot_h

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{esc(family)} per arm" viewBox="0 0 {width} {height}">',
             f'<text x="4" y="16" font-size="13" font-weight="600">{esc(family)}: pass rate per arm (95% CI)</text>']
    for frac in (0, 0.5, 1):
        y = top + (1 - frac) * plot_h
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 6}" y2="{y:.1f}" stroke="#d0d7de"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">{int(frac * 100)}%</text>')
    line = [xy(i, p["rate"]) for i, p in enumerate(points) if p.get("rate") is not None]
    if len(line) > 1:
        parts.append('<polyline fill="none" stroke="#2f6fdf" stroke-width="2" points="'
                     + " ".join(f"{x:.1f},{y:.1f}" for x, y in line) + '"/>')
    for i, p in enumerate(points):
        label = labels.get(p["arm"], p["arm"])
        x, _ = xy(i, 0)
        parts.append(f'<text transform="translate({x:.1f},{top + plot_h + 12}) rotate(30)" font-size="10">{esc(label[:28])}</text>')
        if p.get("rate") is None:
            continue
        _, y = xy(i, p["rate"])
        if p.get("ci_low") is not None and p.get("ci_high") is not None:
            _, y1 = xy(i, p["ci_low"])
            _, y2 = xy(i, p["ci_high"])
            parts.append(f'<line x1="{x:.1f}" y1="{y1:.1f}" x2="{x:.1f}" y2="{y2:.1f}" stroke="#6e7781" stroke-width="1.5"/>')
        colour = VERDICT_COLOURS.get((verdicts or {}).get(p["arm"], ""), "#2f6fdf")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}"><title>{esc(label)}: {esc(fmt_pct(p["rate"]))} '
                     f'[{esc(fmt_pct(p.get("ci_low")))}, {esc(fmt_pct(p.get("ci_high")))}], n {esc(p.get("n"))}</title></circle>')
    parts.append("</svg>")
    return "".join(parts)


def _meta(doc: dict[str, Any], labels: dict[str, str]) -> str:
    out = ['<table class="meta">']
    for m in doc.get("arms") or []:
        role = "baseline" if m.get("name") == doc.get("baseline") else "arm"
        out.append(f"<tr><th>{role}</th><td><b>{esc(labels.get(m.get('name'), m.get('name')))}</b> "
                   f"<span class=muted>{esc(m.get('path'))}</span> · backend {esc(m.get('backend'))} · prompt "
                   f"{esc(m.get('prompt_format'))}</td></tr>")
        out += [f'<tr><th></th><td class="note">note: {esc(n)}</td></tr>' for n in m.get("notes") or []]
    out.append(f"<tr><th>suites</th><td>{esc(', '.join(map(str, doc.get('suites', []))))} ({esc(doc.get('n_cases'))} cases)</td></tr>")
    out.append(f"<tr><th>statistics</th><td>{esc(statistics_text(doc, labels))}</td></tr>")
    out += [f'<tr><th>note</th><td class="note">{esc(n)}</td></tr>' for n in doc.get("notes") or []]
    out.append(f"<tr><th>created</th><td>{esc(doc.get('created'))}</td></tr></table>")
    return "".join(out)


def _family_table(doc: dict[str, Any], labels: dict[str, str]) -> str:
    names = [a["name"] for a in doc.get("arms") or []]
    out = ['<table><thead><tr><th class="l">family</th>']
    out += [f"<th>{esc(labels.get(n, n))}</th>" for n in names]
    out.append("</tr></thead><tbody>")
    for fam, cells in family_grid(doc):
        out.append(f'<tr><td class="l"><b>{esc(fam)}</b></td>')
        for c in cells:
            extra = f' <span class="v-{esc(c.verdict)}">{esc(c.delta)} {esc(c.mark)}</span>' if c.verdict else ""
            out.append(f"<td>{esc(c.rate)}{extra}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _forgetting(doc: dict[str, Any], labels: dict[str, str]) -> str:
    rows = doc.get("forgetting") or []
    if not rows:
        return '<p class="v-improved">No metric fell significantly from the baseline in any arm.</p>'
    out = [f'<p class="v-regressed">{len(distinct_forgetting(doc))} metric(s) fell significantly from the baseline:</p><ul>']
    out += [f'<li class="v-regressed">▼ {esc(forgetting_text(r, labels))}</li>' for r in distinct_forgetting(doc)]
    out.append('</ul><details><summary>every row that fell (slices and sub-checks too)</summary><table><thead><tr>'
               '<th class="l">arm</th><th class="l">metric</th><th class="l">slice</th><th>baseline</th><th>arm</th>'
               '<th>Δ</th><th>95% CI</th><th>p (Holm)</th><th>n</th><th class="l">cases that fell</th></tr></thead><tbody>')
    for r in rows:
        where = "/".join(x for x in (r.get("category"), r.get("lang")))
        out.append(f'<tr><td class="l">{esc(labels.get(r["arm"], r["arm"]))}</td><td class="l">{esc(r["name"])}</td>'
                   f'<td class="l">{esc(where)}</td><td>{esc(fmt_pct(r.get("baseline")))}</td><td>{esc(fmt_pct(r.get("value")))}</td>'
                   f'<td>{esc(fmt_delta(r, r.get("delta")))}</td><td>{esc(fmt_ci(r))}</td>'
                   f'<td>{esc(format_p(r.get("p_adjusted")))}</td><td>{esc(r.get("n"))}</td>'
                   f'<td class="l">{esc(", ".join(map(str, (r.get("regressions") or [])[:20])))}</td></tr>')
    out.append("</tbody></table></details>")
    return "".join(out)


def _case(case: dict[str, Any], names: list[str], labels: dict[str, str]) -> str:
    prompt = str(case.get("prompt") or (case.get("turns") or [""])[0])
    out = [f'<details class="case"><summary><span class="cid">{esc(case.get("id"))}</span>'
           f'<span class="tag">{esc(case.get("category"))}</span><span class="tag">{esc(case.get("lang"))}</span>'
           f'<span class="prompt-preview">{esc(prompt[:200])}</span></summary><div class="body"><div class="arm-out">']
    for n in names:
        side = (case.get("arms") or {}).get(n) or {}
        scores = " ".join(f'<span class="{"v-improved" if v else "v-regressed"}">{esc(f)} {"✓" if v else "✗"}</span>'
                          for f, v in (side.get("scores") or {}).items() if v is not None)
        text = str((side.get("outputs") or [""])[-1] or "")
        out.append(f'<div class="side"><h4>{esc(labels.get(n, n))}</h4><div>{scores}</div>'
                   f"<pre>{esc(text[:OUTPUT_LIMIT])}</pre></div>")
    out.append("</div></div></details>")
    return "".join(out)


def render_arms_html(results: Any) -> str:
    """The whole page as one string."""
    doc = as_document(results)
    labels = arm_labels(doc)
    names = [a["name"] for a in doc.get("arms") or []]
    title = "sft-harness: " + " · ".join(labels.get(n, n) for n in names)
    parts = ["<!doctype html><html lang=en><head><meta charset=utf-8>",
             f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">',
             '<meta name="referrer" content="no-referrer">',
             f"<title>{esc(title)}</title><style>{CSS}{ARMS_CSS}</style></head><body>",
             f"<h1>{esc(title)}</h1>", _meta(doc, labels)]
    gate = doc.get("gate")
    if gate is not None:
        ok = gate.get("passed")
        parts.append(f'<h2>Gate: <span class="{"v-improved" if ok else "v-regressed"}">{"passed" if ok else "FAILED"}</span></h2><ul>')
        parts += [f'<li class="{"v-improved" if r.get("passed") else "v-regressed"}">{"✓" if r.get("passed") else "✗"} '
                  f'{esc(r.get("rule"))}: <span class=muted>{esc(r.get("detail"))}</span></li>' for r in gate.get("rules", [])]
        parts.append("</ul>")
    shares = doc.get("prompt_share") or []
    if shares:
        parts.append("<h2>Prompt or SFT?</h2><ul>" + "".join(f"<li>{esc(prompt_share_text(r, labels))}</li>" for r in shares) + "</ul>")
    parts.append("<h2>Forgetting</h2>" + _forgetting(doc, labels))
    parts.append(f"<h2>Pass rate per family</h2><p class=legend>Δ in points against the baseline; {MARK['improved']} improved, "
                 f"{MARK['regressed']} regressed (Holm over arms × metrics, CI excluding 0)</p>" + _family_table(doc, labels))
    rows = pair_rows(doc)

    def verdicts(fam: str) -> dict[str, str]:
        return {arm: r[(fam, "all", "all")].get("verdict", "") for arm, r in rows.items() if (fam, "all", "all") in r}

    charts = "".join(f'<div class="chart">{trajectory_chart(t["family"], t["points"], labels, verdicts(t["family"]))}</div>'
                     for t in doc.get("trajectory") or [])
    parts.append(f'<h2>Trajectory</h2><p class=legend>points: green improved, red regressed, grey unchanged against the '
                 f'baseline (blue); whiskers: 95% bootstrap CI of the rate</p><div class="charts">{charts}</div>')
    for p in doc.get("pairs") or []:
        head = [r for r in rows[p["arm"]].values() if r.get("category") == "all" and r.get("lang") == "all"]
        parts.append(f"<details><summary><b>{esc(labels.get(p['arm'], p['arm']))}</b> vs "
                     f"{esc(labels.get(doc.get('baseline'), doc.get('baseline')))}: every headline row</summary>"
                     f"{metric_table(head)}</details>")
    parts.append(f"<h2>Cases</h2><p class=muted>{esc(len(doc.get('cases') or []))} cases; each arm's last answer</p>")
    parts += [_case(c, names, labels) for c in doc.get("cases") or []]
    parts.append("</body></html>")
    return "".join(parts)


def write_html(path: Any, results: Any) -> None:
    from harness.outputs import write_atomic

    write_atomic(path, render_arms_html(results))
