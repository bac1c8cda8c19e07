"""The CI regression gate: rules over a results document's metric rows.

`harness gate RESULTS.json [--rules gate.toml] [--baseline OLD.json]` and
`harness compare … --gate [--rules gate.toml]`. Exit codes: 0 pass, 1 gate failed, 2 usage
or input error (a bad rules file names the file and the rule). See docs/ci-gate.md.

Default rule (unless `[gate] default = false`): fail when any metric of the headline slice
(category all, language all) regressed significantly, i.e. its verdict is `regressed`
(Holm-corrected p < alpha and the bootstrap CI excludes 0). Rows marked `advisory` (families whose
verdicts are not yet precise enough for CI, e.g. relevance) are reported but left out of it; an
explicit rule may still name them.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.errors import HarnessError
from harness.stats import ALPHA, format_p, row_significant, row_verdict

FIELDS = ("base", "sft", "delta", "ci_low", "ci_high", "p_value", "p_adjusted", "n", "fixes", "regressions")
OPS = {
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
    "==": lambda a, b: math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12),
    "!=": lambda a, b: not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12),
}
EXPR = re.compile(
    r"^\s*(?P<metric>[^\s\[\]]+?)(?:\[(?P<category>[^\]/]*)(?:/(?P<lang>[^\]]*))?\])?"
    r"(?:\.(?P<field>" + "|".join(FIELDS) + r"))?\s*(?P<op>>=|<=|==|!=|>|<)\s*"
    r"(?P<num>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)(?P<pct>%?)\s*$"
)
RULE_KEYS = {
    "name": str,
    "metric": str,
    "category": str,
    "lang": str,
    "expr": str,
    "min": float,
    "max": float,
    "max_drop": float,
    "max_drop_relative": float,
    "min_improvement": float,
    "no_regression": bool,
    "significant": bool,
    "missing": str,
}
GATE_KEYS = {"default": bool, "alpha": float, "default_scope": str, "require": list, "pairs": list}
CONDITIONS = ("expr", "min", "max", "max_drop", "max_drop_relative", "min_improvement", "no_regression")


@dataclass
class Rule:
    source: str  # "gate.toml rule 2" — for messages
    name: str = ""
    metric: str = ""
    category: str = "all"  # a category, "all" (the headline), or "*" (every category row)
    lang: str = "all"  # a language, "all", or "*" (every language row)
    expr: tuple[str, str, float] | None = None  # (field, op, number)
    min: float | None = None
    max: float | None = None
    max_drop: float | None = None
    max_drop_relative: float | None = None
    min_improvement: float | None = None
    no_regression: bool = False
    significant: bool = False
    missing: str = "fail"  # fail | skip: what to do when no row matches

    def label(self) -> str:
        if self.name:
            return self.name
        where = "" if (self.category, self.lang) == ("all", "all") else f"[{self.category}/{self.lang}]"
        m = f"{self.metric}{where}"
        bits = []
        if self.expr:
            f, op, v = self.expr
            bits.append(f"{m}.{f} {op} {v:g}")
        if self.min is not None:
            bits.append(f"{m}.sft >= {self.min:g}")
        if self.max is not None:
            bits.append(f"{m}.sft <= {self.max:g}")
        if self.max_drop is not None:
            bits.append(f"{m} drops at most {self.max_drop:g}")
        if self.max_drop_relative is not None:
            bits.append(f"{m} drops at most {100 * self.max_drop_relative:g}% of base")
        if self.min_improvement is not None:
            bits.append(f"{m} improves by at least {self.min_improvement:g}")
        if self.no_regression:
            bits.append(f"{m} does not regress significantly")
        text = "; ".join(bits)
        if self.significant and (self.max_drop is not None or self.max_drop_relative is not None):
            text += " (drops count only when significant)"
        elif self.significant and self.min_improvement is not None:
            text += " (and significantly)"
        return text


@dataclass
class GateConfig:
    rules: list[Rule] = field(default_factory=list)
    default: bool = True
    default_scope: str = "headline"  # headline | all: rows the default rule looks at
    alpha: float | None = None  # re-decide significance at another alpha (p_adjusted and CI)
    path: str | None = None
    pairs: list[str] = field(default_factory=list)  # N-arm results: the arms gated against the baseline


@dataclass
class RuleResult:
    rule: str
    source: str
    passed: bool
    detail: str
    failures: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "source": self.source, "passed": self.passed, "detail": self.detail,
                "failures": self.failures}


# ---------------------------------------------------------------------------------------------
# rules files


def parse_expr(text: str, where: str) -> tuple[str, str, str, str, str, float]:
    """`format.sft >= 0.8`, `directness[factual].delta > 0`, `format[all/zh].sft >= 80%`."""
    m = EXPR.match(text)
    if not m:
        raise HarnessError(
            f"{where}: cannot read expression {text!r}; expected METRIC[CATEGORY/LANG][.FIELD] OP NUMBER, "
            f"e.g. 'format.sft >= 0.8' or 'directness[factual].delta > -0.05' (FIELD: {', '.join(FIELDS)})"
        )
    num = float(m["num"]) / (100 if m["pct"] else 1)
    return m["metric"], (m["category"] or "all"), (m["lang"] or "all"), m["field"] or "sft", m["op"], num


def _typed(value: Any, kind: type, key: str, where: str) -> Any:
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise HarnessError(f"{where}: {key!r} must be a number, got {value!r}")
        if not math.isfinite(value):
            raise HarnessError(f"{where}: {key!r} must be finite, got {value!r}")
        return float(value)
    if not isinstance(value, kind):
        raise HarnessError(f"{where}: {key!r} must be a {kind.__name__}, got {value!r}")
    return value


def rule_from_dict(d: dict[str, Any], where: str) -> Rule:
    if not isinstance(d, dict):
        raise HarnessError(f"{where}: a rule must be a table, got {d!r}")
    unknown = sorted(set(d) - set(RULE_KEYS))
    if unknown:
        raise HarnessError(f"{where}: unknown key(s) {', '.join(map(repr, unknown))} (known: {', '.join(RULE_KEYS)})")
    vals = {k: _typed(v, RULE_KEYS[k], k, where) for k, v in d.items()}
    rule = Rule(source=where)
    rule.name = vals.get("name", "")
    if "expr" in vals:
        metric, category, lang, fld, op, num = parse_expr(vals["expr"], where)
        if "metric" in vals and vals["metric"] != metric:
            raise HarnessError(f"{where}: 'metric' {vals['metric']!r} and expression metric {metric!r} differ")
        rule.metric, rule.category, rule.lang, rule.expr = metric, category, lang, (fld, op, num)
    if "metric" in vals:
        rule.metric = vals["metric"].strip()
    if not rule.metric:
        raise HarnessError(f"{where}: 'metric' is required (e.g. metric = \"format\")")
    rule.category = vals.get("category", rule.category).strip() or "all"
    rule.lang = vals.get("lang", rule.lang).strip() or "all"
    for k in ("min", "max", "max_drop", "max_drop_relative", "min_improvement"):
        if k in vals:
            setattr(rule, k, vals[k])
    for k in ("max_drop", "max_drop_relative"):
        v = getattr(rule, k)
        if v is not None and v < 0:
            raise HarnessError(f"{where}: {k!r} must be >= 0, got {v!r}")
    rule.no_regression = vals.get("no_regression", False)
    rule.significant = vals.get("significant", False)
    rule.missing = vals.get("missing", "fail")
    if rule.missing not in ("fail", "skip"):
        raise HarnessError(f"{where}: 'missing' must be \"fail\" or \"skip\", got {rule.missing!r}")
    if not any(getattr(rule, k) not in (None, False) for k in CONDITIONS):
        raise HarnessError(
            f"{where}: the rule checks nothing; give one of expr, min, max, max_drop, max_drop_relative, "
            "min_improvement, no_regression"
        )
    return rule


def load_rules(path: str | Path | None) -> GateConfig:
    """Read and validate a gate.toml; None gives the default gate."""
    if path is None:
        return GateConfig()
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HarnessError(f"rules file not found: {p}") from None
    except IsADirectoryError:
        raise HarnessError(f"{p}: is a directory, not a gate rules (TOML) file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise HarnessError(f"{p}: not valid TOML ({e})") from None
    except OSError as e:
        raise HarnessError(f"{p}: cannot read: {e.strerror or e}") from None
    unknown = sorted(set(data) - {"gate", "rule"})
    if unknown:
        raise HarnessError(f"{p}: unknown table(s) {', '.join(map(repr, unknown))} (known: [gate], [[rule]])")
    cfg = GateConfig(path=str(p))
    g = data.get("gate", {})
    if not isinstance(g, dict):
        raise HarnessError(f"{p}: [gate] must be a table")
    bad = sorted(set(g) - set(GATE_KEYS))
    if bad:
        raise HarnessError(f"{p}: [gate]: unknown key(s) {', '.join(map(repr, bad))} (known: {', '.join(GATE_KEYS)})")
    for k, v in g.items():
        _typed(v, GATE_KEYS[k], k, f"{p}: [gate]")
    cfg.default = g.get("default", True)
    cfg.default_scope = g.get("default_scope", "headline")
    if cfg.default_scope not in ("headline", "all"):
        raise HarnessError(f"{p}: [gate]: 'default_scope' must be \"headline\" or \"all\", got {cfg.default_scope!r}")
    if "alpha" in g:
        cfg.alpha = float(g["alpha"])
        if not 0 < cfg.alpha < 1:
            raise HarnessError(f"{p}: [gate]: 'alpha' must be between 0 and 1, got {cfg.alpha!r}")
    cfg.pairs = list(g.get("pairs", []))
    if not all(isinstance(a, str) and a for a in cfg.pairs):
        raise HarnessError(f"{p}: [gate]: 'pairs' must be a list of arm names, got {cfg.pairs!r}")
    for i, text in enumerate(g.get("require", []), 1):
        where = f"{p}: [gate] require #{i}"
        if not isinstance(text, str):
            raise HarnessError(f"{where}: must be a string like 'format.sft >= 0.8', got {text!r}")
        cfg.rules.append(rule_from_dict({"expr": text}, where))
    rules = data.get("rule", [])
    if not isinstance(rules, list):
        raise HarnessError(f"{p}: 'rule' must be an array of tables ([[rule]])")
    for i, d in enumerate(rules, 1):
        name = d.get("name") if isinstance(d, dict) else None
        where = f"{p}: rule {i}" + (f" ({name!r})" if name else "")
        cfg.rules.append(rule_from_dict(d, where))
    return cfg


# ---------------------------------------------------------------------------------------------
# evaluation


def _matching(rows: list[dict[str, Any]], rule: Rule) -> list[dict[str, Any]]:
    def ok(value: str, want: str) -> bool:
        return value != "all" if want == "*" else value == want

    return [
        r for r in rows
        if r["name"] == rule.metric and ok(r.get("category", "all"), rule.category) and ok(r.get("lang", "all"), rule.lang)
    ]


def gate_verdict(row: dict[str, Any], alpha: float | None) -> str:
    """The row's stored verdict, or re-decided (harness.stats.row_verdict) when the gate sets its own alpha."""
    return row.get("verdict", "unchanged") if alpha is None else row_verdict(row, alpha)


def fmt(row: dict[str, Any], v: float | None) -> str:
    if v is None:
        return "—"
    if row.get("kind") == "continuous":
        return f"{v:.4g}"
    return f"{v:.3f}"


def describe(row: dict[str, Any]) -> str:
    """The numbers of one row, for messages."""
    where = f"{row['name']}" + (
        "" if (row.get("category", "all"), row.get("lang", "all")) == ("all", "all")
        else f"[{row.get('category', 'all')}/{row.get('lang', 'all')}]"
    )
    ptxt = format_p(row.get("p_adjusted"))
    ci = (
        f", 95% CI [{fmt(row, row.get('ci_low'))}, {fmt(row, row.get('ci_high'))}]"
        if row.get("ci_low") is not None else ""
    )
    extra = f", {len(row.get('regressions', []))} pass→fail" if row.get("regressions") else ""
    return (
        f"{where}: base {fmt(row, row.get('base'))} → sft {fmt(row, row.get('sft'))} "
        f"(Δ {fmt(row, row.get('delta'))}{ci}, p (Holm) {ptxt}, n {row.get('n')}{extra})"
    )


def _field(row: dict[str, Any], name: str) -> float | None:
    v = row.get(name)
    if name in ("fixes", "regressions"):
        return float(len(v or []))
    return None if v is None else float(v)


def check_row(rule: Rule, row: dict[str, Any], alpha: float) -> list[str]:
    """Reasons the row breaks the rule (empty when it holds)."""
    why: list[str] = []
    sig = row_significant(row, alpha)
    base, sft, delta = row.get("base"), row.get("sft"), row.get("delta")
    if rule.expr:
        fld, op, num = rule.expr
        v = _field(row, fld)
        if v is None or not OPS[op](v, num):
            why.append(f"{fld} = {'—' if v is None else f'{v:.4g}'}, needs {op} {num:g}")
    if rule.min is not None and (sft is None or sft < rule.min):
        why.append(f"sft {fmt(row, sft)} < {rule.min:g}")
    if rule.max is not None and (sft is None or sft > rule.max):
        why.append(f"sft {fmt(row, sft)} > {rule.max:g}")
    drop = None if base is None or sft is None else base - sft
    if rule.max_drop is not None and drop is not None and drop > rule.max_drop + 1e-12:
        if not rule.significant or (sig and delta is not None and delta < 0):
            why.append(f"dropped {fmt(row, drop)} > {rule.max_drop:g}" + (" (significant)" if rule.significant else ""))
    if rule.max_drop_relative is not None and drop is not None and base:
        rel = drop / base
        if rel > rule.max_drop_relative + 1e-12 and (not rule.significant or (sig and delta is not None and delta < 0)):
            why.append(
                f"dropped {100 * rel:.1f}% of base > {100 * rule.max_drop_relative:g}%"
                + (" (significant)" if rule.significant else "")
            )
    if rule.min_improvement is not None:
        if delta is None or delta < rule.min_improvement - 1e-12:
            why.append(f"Δ {fmt(row, delta)} < {rule.min_improvement:g}")
        elif rule.significant and not (sig and delta > 0):
            why.append("the improvement is not significant")
    if rule.no_regression and gate_verdict(row, alpha) == "regressed":
        why.append("regressed significantly")
    return why


def evaluate(results: dict[str, Any], cfg: GateConfig) -> dict[str, Any]:
    """Apply the gate; returns {passed, alpha, mode, rules: [RuleResult dicts]}."""
    # the judge's rows (advisory: only explicit rules gate on them) beside the checks' rows
    rows = (results.get("metrics") or []) + ((results.get("judge") or {}).get("metrics") or [])
    stats_alpha = (results.get("stats") or {}).get("alpha", ALPHA)
    alpha = cfg.alpha if cfg.alpha is not None else stats_alpha
    re_alpha = cfg.alpha if cfg.alpha is not None and cfg.alpha != stats_alpha else None
    out: list[RuleResult] = []
    if cfg.default:
        scope = rows if cfg.default_scope == "all" else [
            r for r in rows if r.get("category", "all") == "all" and r.get("lang", "all") == "all"
        ]
        advisory = sorted({r["name"] for r in scope if r.get("advisory")})
        scope = [r for r in scope if not r.get("advisory")]  # advisory metrics are reported, not gated by default
        bad = [r for r in scope if gate_verdict(r, re_alpha) == "regressed"]
        label = "no metric regressed significantly" + (" (any slice)" if cfg.default_scope == "all" else "")
        tested = sum(1 for r in scope if r.get("direction", "higher") != "none")
        out.append(
            RuleResult(
                rule=label,
                source="default rule",
                passed=not bad,
                detail=(f"{len(bad)} regressed: " + "; ".join(describe(r) for r in bad)) if bad
                else f"{tested} metric row(s) checked, none regressed (α {alpha:g}, Holm, CI excludes 0)"
                + (f"; advisory, not checked: {', '.join(advisory)}" if advisory else ""),
                failures=[describe(r) for r in bad],
            )
        )
    known = list(dict.fromkeys(r["name"] for r in rows))
    for rule in cfg.rules:
        matched = _matching(rows, rule)
        if not matched:
            where = f"category {rule.category}, lang {rule.lang}"
            hint = f"metrics in the results: {', '.join(known[:30])}" + (" …" if len(known) > 30 else "")
            if rule.metric in known:
                hint = f"the metric exists but has no row for {where}"
            out.append(
                RuleResult(
                    rule=rule.label(),
                    source=rule.source,
                    passed=rule.missing == "skip",
                    detail=(f"skipped: no row for {rule.metric!r} ({where})" if rule.missing == "skip"
                            else f"no row for metric {rule.metric!r} ({where}); {hint}"),
                )
            )
            continue
        failures = []
        for row in matched:
            why = check_row(rule, row, alpha)
            if why:
                failures.append(f"{describe(row)}: {'; '.join(why)}")
        detail = "; ".join(failures) if failures else "; ".join(describe(r) for r in matched[:4]) + (
            f" … (+{len(matched) - 4} rows)" if len(matched) > 4 else ""
        )
        out.append(RuleResult(rule.label(), rule.source, not failures, detail, failures))
    return {
        "passed": all(r.passed for r in out),
        "alpha": alpha,
        "mode": "baseline" if results.get("kind") == "baseline" else "compare",
        "rules_file": cfg.path,
        "rules": [r.to_dict() for r in out],
    }


# ---------------------------------------------------------------------------------------------
# --baseline: the new run's SFT side against a previous run's SFT side


def _sft_side(doc: dict[str, Any], which: str) -> tuple[str, dict[str, Any]]:
    kind = doc.get("kind")
    if kind == "compare":
        return "sft", (doc.get("models") or {}).get("sft", {})
    if kind == "run":
        return "output", doc.get("model", {})
    if kind == "baseline":
        raise HarnessError(f"{which}: is a baseline comparison; give the compare or run results it came from")
    raise HarnessError(f"{which}: unknown results kind {kind!r} (expected compare or run)")


def baseline_results(
    new: dict[str, Any], old: dict[str, Any], alpha: float | None = None, new_name: str = "NEW", old_name: str = "OLD"
) -> dict[str, Any]:
    """A results document (kind "baseline") pairing OLD's SFT side with NEW's SFT side by case id.

    Its `models.base` is the previous (accepted) checkpoint, `models.sft` the new one; rows come
    from the same paired statistics as `compare`.
    """

    from harness.comparison import document_head, rows_from_cases, stats_settings

    new_key, new_model = _sft_side(new, new_name)
    old_key, old_model = _sft_side(old, old_name)
    a = alpha if alpha is not None else (new.get("stats") or {}).get("alpha", ALPHA)
    old_cases = {str(c.get("id")): c for c in old.get("cases") or []}
    paired, notes = [], []
    for c in new.get("cases") or []:
        prev = old_cases.get(str(c.get("id")))
        if prev is None or not prev.get(old_key) or not c.get(new_key):
            continue
        head = {k: c.get(k) for k in ("id", "suite", "category", "lang", "prompt", "turns", "reference")}
        paired.append({**head, "base": prev[old_key], "sft": c[new_key]})
    n_new, n_old = len(new.get("cases") or []), len(old_cases)
    if not paired:
        raise HarnessError(
            f"{new_name} and {old_name} share no case id: nothing to compare (did the suite change?)"
        )
    if len(paired) < n_new:
        notes.append(f"{n_new - len(paired)} case(s) of the new results are not in the baseline and are left out")
    if len(paired) < n_old:
        notes.append(f"{n_old - len(paired)} case(s) of the baseline are not in the new results and are left out")
    s_new, s_old = new.get("settings") or {}, old.get("settings") or {}
    for k in sorted(set(s_new) | set(s_old)):
        if s_new.get(k) != s_old.get(k):
            notes.append(f"settings differ: {k} {s_old.get(k)!r} (baseline) vs {s_new.get(k)!r} (new)")
    if sorted(new.get("suites") or []) != sorted(old.get("suites") or []):
        notes.append(f"suites differ: {old.get('suites')} (baseline) vs {new.get('suites')} (new)")
    base_model = {**old_model, "name": f"baseline: {old_model.get('name', 'sft')}"}
    sft_model = {**new_model, "name": f"new: {new_model.get('name', 'sft')}"}
    return {
        **document_head("baseline", new.get("suites", []), s_new),
        "stats": stats_settings(a),
        "n_cases": len(paired),
        "notes": notes,
        "models": {"base": base_model, "sft": sft_model},
        "metrics": rows_from_cases(paired, alpha=a),
        "cases": paired,
    }
