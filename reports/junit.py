"""JUnit XML: one testcase per headline metric and one per gate rule.

CI systems (GitHub, GitLab, Jenkins) show these as tests. A metric testcase fails when the
metric regressed significantly (verdict `regressed`); a gate-rule testcase fails when the rule
fails. Numbers go into the failure message and <system-out>. Text is written through
ElementTree (escaped) after removing characters XML 1.0 cannot carry.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from harness.stats import format_p
from reports.document import as_document
from reports.formatting import fmt_ci, fmt_delta, fmt_level, is_headline, verdict_text

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(text: Any) -> str:
    return _XML_BAD.sub("\ufffd", "" if text is None else str(text))


def metric_summary(r: dict[str, Any]) -> str:
    return (
        f"base {fmt_level(r, r.get('base'))} -> sft {fmt_level(r, r.get('sft'))}, "
        f"delta {fmt_delta(r, r.get('delta'))} (95% CI {fmt_ci(r)}), p {format_p(r.get('p_value'))}, "
        f"p (Holm) {format_p(r.get('p_adjusted'))}, n {r.get('n')}, verdict {verdict_text(r)}"
    )


def _metric_suites(results: dict[str, Any], gate: dict[str, Any] | None) -> list[tuple[str, list[dict[str, Any]]]]:
    """(suite name, headline rows): the one comparison's, or an N-arm document's gated pairs (default: the last arm)."""
    if results.get("kind") != "arms":
        return [("sft-harness.metrics", [r for r in results.get("metrics", []) if is_headline(r)])]
    from harness.arms import display_names

    pairs = {p["arm"]: p for p in results.get("pairs") or []}
    chosen = (gate or {}).get("pairs") or list(pairs)[-1:]
    shown = display_names([a["name"] for a in results.get("arms") or []])
    return [(f"sft-harness.metrics.{shown.get(arm, arm)}", [r for r in pairs[arm].get("metrics", []) if is_headline(r)])
            for arm in chosen if arm in pairs]


def render_junit(results: Any, gate: Any = None, limit: int = 50) -> str:
    results = as_document(results)
    gate = as_document(gate) if gate is not None else results.get("gate")
    root = ET.Element("testsuites", name="sft-harness")
    total = failures = 0
    for suite_name, rows in _metric_suites(results, gate):
        t, f = _metrics_suite(root, suite_name, rows, limit)
        total += t
        failures += f
    if gate is not None:
        t, f = _gate_suite(root, gate)
        total += t
        failures += f
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _metrics_suite(root: ET.Element, suite_name: str, rows: list[dict[str, Any]], limit: int) -> tuple[int, int]:
    metrics = ET.SubElement(root, "testsuite", name=clean(suite_name))
    m_fail = 0
    for r in rows:
        case = ET.SubElement(metrics, "testcase", classname=clean(suite_name), name=clean(r["name"]), time="0")
        summary = metric_summary(r)
        if r.get("verdict") == "regressed":
            m_fail += 1
            reg = r.get("regressions", [])
            body = f"{summary}\npass -> fail ({len(reg)}): " + ", ".join(map(str, reg[:limit]))
            if len(reg) > limit:
                body += f", ... (+{len(reg) - limit} more)"
            f = ET.SubElement(case, "failure", message=clean(f"regressed: {summary}"), type="regression")
            f.text = clean(body)
        out = ET.SubElement(case, "system-out")
        out.text = clean(summary)
    metrics.set("tests", str(len(rows)))
    metrics.set("failures", str(m_fail))
    metrics.set("errors", "0")
    metrics.set("skipped", "0")
    return len(rows), m_fail


def _gate_suite(root: ET.Element, gate: dict[str, Any]) -> tuple[int, int]:
    suite = ET.SubElement(root, "testsuite", name="sft-harness.gate")
    g_fail = 0
    for rule in gate.get("rules", []):
        case = ET.SubElement(
            suite, "testcase", classname="sft-harness.gate", name=clean(rule.get("rule")), time="0"
        )
        if not rule.get("passed"):
            g_fail += 1
            f = ET.SubElement(case, "failure", message=clean(rule.get("detail")), type="gate")
            f.text = clean("\n".join(rule.get("failures") or [rule.get("detail", "")]))
        out = ET.SubElement(case, "system-out")
        out.text = clean(f"{rule.get('source')}: {rule.get('detail')}")
    n = len(gate.get("rules", []))
    suite.set("tests", str(n))
    suite.set("failures", str(g_fail))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    return n, g_fail


def write_junit(path: Any, results: Any, gate: Any = None) -> None:
    from harness.outputs import write_atomic

    write_atomic(path, render_junit(results, gate))
