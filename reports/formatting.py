"""How every renderer writes numbers and verdicts: one place, so the terminal, HTML, Markdown and
JUnit reports cannot drift apart.

Plain strings only (no Rich, no HTML): each renderer escapes the result for its own medium. The
p-value formatter is not here: it is the core's `harness.stats.format_p`, which the gate's messages
use too, so a p-value reads the same in a report and in a gate failure.
"""

from __future__ import annotations

import re
from typing import Any

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Unicode bidi overrides/isolates can reorder what the user sees: show them as escapes too.
BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def visible_controls(text: str) -> str:
    """Control characters (tab and newline aside) and bidi overrides as visible escapes: \\x1b, \\u202e."""
    text = CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return BIDI.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def fmt_pct(v: float | None) -> str:
    """A share as a percentage with one decimal: 0.8123 -> "81.2%"."""
    return "—" if v is None else f"{100 * v:.1f}%"


def fmt_pct_se(v: float | None, se: float | None) -> str:
    """A share with its standard error in percentage points: "81.2% ± 3.4" (no "±" without an SE)."""
    return "—" if v is None else fmt_pct(v) + (f" ± {100 * se:.1f}" if se is not None else "")


def is_headline(r: dict[str, Any]) -> bool:
    """A row over all cases (no category or language slice)."""
    return r.get("category", "all") == "all" and r.get("lang", "all") == "all"


def is_continuous(r: dict[str, Any]) -> bool:
    """A row of measured values (means), not pass rates."""
    return r.get("kind") == "continuous"


def fmt_level(r: dict[str, Any], v: float | None) -> str:
    """A row's base/sft value: a share for binary metrics, a mean for continuous ones."""
    if v is None:
        return "—"
    return f"{v:.4g}" if is_continuous(r) else fmt_pct(v)


def fmt_delta(r: dict[str, Any], v: float | None) -> str:
    """A difference: percentage points for binary metrics, signed units for continuous ones."""
    if v is None:
        return "—"
    return f"{v:+.4g}" if is_continuous(r) else f"{100 * v:+.1f}"


def fmt_ci(r: dict[str, Any]) -> str:
    lo, hi = r.get("ci_low"), r.get("ci_high")
    if lo is None or hi is None:
        return "—"
    return f"[{fmt_delta(r, lo)}, {fmt_delta(r, hi)}]"


def verdict_text(r: dict[str, Any]) -> str:
    """The verdict as shown: continuous rows without a better direction say which way they moved."""
    v = r.get("verdict", "unchanged")
    if is_continuous(r) and r.get("direction", "none") == "none":
        if r.get("significant"):
            v = "higher" if (r.get("delta") or 0) > 0 else "lower"
        else:
            v = "no clear change"
    if r.get("small_sample"):
        v += " (few pairs)"
    if r.get("advisory"):
        v += " (advisory)"
    return v
