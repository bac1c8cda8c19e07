"""What every renderer of an N-arm document (`kind: "arms"`) shows, as plain strings: short arm labels,
one row per family with a cell per arm, the forgetting list and the prompt-share line. The terminal,
HTML and Markdown reports escape these for their own medium (reports/arms_*.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.arms import display_names
from harness.stats import format_p
from reports.formatting import fmt_delta, fmt_pct

MARK = {"improved": "▲", "regressed": "▼", "unchanged": "·"}


def arm_labels(doc: dict[str, Any]) -> dict[str, str]:
    """Each arm's name as shown (harness.arms.display_names: a path by its shortest telling tail)."""
    return display_names([a["name"] for a in doc.get("arms") or []])


def pair_rows(doc: dict[str, Any]) -> dict[str, dict[tuple[str, str, str], dict[str, Any]]]:
    """arm -> (name, category, lang) -> its row against the baseline."""
    return {p["arm"]: {(r["name"], r["category"], r["lang"]): r for r in p.get("metrics") or []} for p in doc.get("pairs") or []}


@dataclass
class Cell:
    rate: str
    delta: str = ""
    verdict: str = ""  # improved / regressed / unchanged; "" for the baseline

    @property
    def mark(self) -> str:
        return MARK.get(self.verdict, "")


def family_grid(doc: dict[str, Any]) -> list[tuple[str, list[Cell]]]:
    """(family, a cell per arm in order) for every family with a headline pass-rate row: each arm's rate
    (the trajectory's: on the cases every arm was scored on, so one arm has one rate in every column, line
    and chart), and for the other arms the Δ against the baseline (points) and the verdict of its pair
    (paired, on the cases both were scored on: the same cases unless a scorer skipped some answers)."""
    rows = pair_rows(doc)
    names = [a["name"] for a in doc.get("arms") or []]
    out = []
    for t in doc.get("trajectory") or []:
        fam, cells = t["family"], []
        rate = {p["arm"]: p.get("rate") for p in t["points"]}
        for n in names:
            if n == doc.get("baseline"):
                cells.append(Cell(fmt_pct(rate.get(n))))
                continue
            r = rows.get(n, {}).get((fam, "all", "all"))
            cells.append(Cell(fmt_pct(rate.get(n)), fmt_delta(r, r.get("delta")), r.get("verdict", "unchanged"))
                         if r else Cell("—"))
        out.append((fam, cells))
    return out


def _where(r: dict[str, Any]) -> str:
    bits = [x for x in (r.get("category"), r.get("lang")) if x and x != "all"]
    return f" ({', '.join(bits)})" if bits else ""


def forgetting_text(r: dict[str, Any], labels: dict[str, str]) -> str:
    """"correctness (factual) 100.0% → 25.0% in sft (regressed, p (Holm) 0.003)"."""
    return (f"{r['name']}{_where(r)} {fmt_pct(r.get('baseline'))} → {fmt_pct(r.get('value'))} in "
            f"{labels.get(r['arm'], r['arm'])} (regressed, p (Holm) {format_p(r.get('p_adjusted'))}, "
            f"{len(r.get('regressions') or [])} of {r.get('n')} cases fell)" + (" (advisory)" if r.get("advisory") else ""))


def distinct_forgetting(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The forgetting rows that say something new: a row whose arm and family already had a row with the
    same cases falling (the family's headline and its only category, its sub-check) is left out."""
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    out = []
    for r in doc.get("forgetting") or []:
        key = (r["arm"], r.get("family") or r["name"], tuple(r.get("regressions") or ()))
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def prompt_share_text(r: dict[str, Any], labels: dict[str, str]) -> str:
    """"directness: raw 0% → icl 61% → sft 96%: the prompt gives 64% of the gain"."""
    name = lambda a: labels.get(a, a)  # noqa: E731
    chain = (f"{r['family']}: {name(r['raw_arm'])} {fmt_pct(r.get('raw'))} → {name(r['prompt_arm'])} "
             f"{fmt_pct(r.get('prompt'))} → {name(r['sft_arm'])} {fmt_pct(r.get('sft'))}")
    if r.get("share") is None:
        return f"{chain}: {r.get('note') or 'no share'}"
    return f"{chain}: the prompt gives {100 * r['share']:.0f}% of the gain"


def statistics_text(doc: dict[str, Any], labels: dict[str, str]) -> str:
    st = doc.get("stats") or {}
    rows = [r for p in doc.get("pairs") or [] for r in p.get("metrics") or []]
    m = max((r.get("holm_m") or 0 for r in rows if r.get("category") == "all" and r.get("lang") == "all"), default=0)
    base = labels.get(doc.get("baseline", ""), doc.get("baseline"))
    return (f"each arm paired with {base} by case · {round(100 * st.get('ci_level', 0.95))}% "
            f"bootstrap CI · Holm over {m} tests ({len(doc.get('pairs') or [])} pairs × metrics) · α = {st.get('alpha')}")
