"""Paired statistics: McNemar, Wilcoxon, bootstrap CIs, Holm, clustered SE, rows of a report."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest, rankdata, wilcoxon

from harness.comparison import rows_from_cases, run_rows
from harness.stats import (
    bootstrap_ci,
    clustered_accuracy,
    clustered_mean,
    holm,
    is_significant,
    mcnemar_exact,
    mcnemar_p,
    row_significant,
    row_verdict,
    signed_rank_exact_p,
    verdict,
    wilcoxon_signed_rank,
)

# ---------------------------------------------------------------------------------------------
# tests of single statistics


def test_mcnemar_exact_known_value():
    # 9 fixes, 1 regression: two-sided exact binomial p = 2 * P(X <= 1 | 10, 0.5) = 22/1024.
    base = [False] * 9 + [True] + [True] * 5
    sft = [True] * 9 + [False] + [True] * 5
    t = mcnemar_exact(base, sft)
    assert (t.fixes, t.regressions, t.discordant, t.n) == (9, 1, 10, 15)
    assert t.p_value == pytest.approx(22 / 1024)
    assert mcnemar_p(9, 1) == pytest.approx(binomtest(9, 10, 0.5).pvalue)
    assert mcnemar_p(300, 250) == pytest.approx(binomtest(300, 550, 0.5).pvalue)
    assert mcnemar_exact([True, False], [True, False]).p_value == 1.0
    assert mcnemar_exact([], []).p_value is None
    with pytest.raises(ValueError):
        mcnemar_exact([True], [True, False])


def test_wilcoxon_matches_scipy_and_handles_ties_and_zeros():
    rng = np.random.default_rng(1)
    b = rng.integers(0, 100, 60).astype(float)
    s = b + rng.normal(5, 10, 60).round()
    t = wilcoxon_signed_rank(b, s)
    assert t.p_value == pytest.approx(wilcoxon(s - b, zero_method="wilcox").pvalue)
    assert t.nonzero == int(np.count_nonzero(s - b)) and t.increases + t.decreases == t.nonzero
    assert t.base_mean == pytest.approx(b.mean()) and t.sft_mean == pytest.approx(s.mean())
    same = wilcoxon_signed_rank([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    assert same.p_value == 1.0 and same.nonzero == 0
    assert wilcoxon_signed_rank([], []).p_value is None


def test_wilcoxon_exact_small_samples_with_and_without_ties():
    rng = np.random.default_rng(2)
    for n in (1, 5, 12, 30, 50):
        d = rng.normal(size=n)
        assert signed_rank_exact_p(d) == pytest.approx(wilcoxon(d, method="exact").pvalue)
    # Ties (midranks): check against brute-force enumeration of the 2^8 sign patterns.
    d = np.array([1.0, 1.0, 2.0, -1.0, 3.0, 3.0, 4.0, 5.0])
    r = rankdata(np.abs(d))
    signs = (np.arange(2**8)[:, None] >> np.arange(8)) & 1
    t_all, t_obs, c = signs @ r, r[d > 0].sum(), r.sum() / 2
    assert signed_rank_exact_p(d) == pytest.approx(np.mean(np.abs(t_all - c) >= abs(t_obs - c) - 1e-9))
    # Exact, not a random permutation estimate: 12 non-zero differences (tied 1, 2, 3), all positive. Only the
    # all-positive sign pattern is that extreme, so the two-sided p is exactly 2 / 2^12.
    b, s = [0, 0, 1, 1, 2] * 4, [1, 0, 3, 1, 5] * 4
    res = wilcoxon_signed_rank(b, s)
    assert (res.nonzero, res.increases, res.decreases) == (12, 12, 0) and res.p_value == 2 / 2**12


def test_holm_known_example_and_none_entries():
    # sorted 0.005, 0.01, 0.03, 0.04 -> 4*0.005, 3*0.01, max(2*0.03, .), max(1*0.04, 0.06)
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm([None, 0.5, None]) == [None, 0.5, None]
    assert holm([0.9, 0.8]) == [1.0, 1.0]
    assert holm([]) == []


@given(st.lists(st.floats(min_value=0, max_value=1, allow_nan=False), min_size=1, max_size=30))
@settings(max_examples=100, deadline=None)
def test_holm_properties(ps):
    adj = holm(ps)
    m = len(ps)
    for p, a in zip(ps, adj, strict=True):
        assert p - 1e-12 <= a <= 1.0
        assert a <= min(1.0, m * p) + 1e-12  # never more conservative than Bonferroni
    order = np.argsort(ps, kind="stable")
    sorted_adj = [adj[i] for i in order]
    assert all(x <= y + 1e-12 for x, y in zip(sorted_adj, sorted_adj[1:], strict=False))


def test_bootstrap_ci_is_seeded_and_sensible():
    rng = np.random.default_rng(0)
    d = rng.normal(0.3, 1.0, 1000)
    lo1, hi1 = bootstrap_ci(d[:, None], resamples=10_000, seed=7)
    lo2, hi2 = bootstrap_ci(d[:, None], resamples=10_000, seed=7)
    assert (lo1, hi1) == (lo2, hi2)
    assert lo1[0] < d.mean() < hi1[0]
    # Width close to the normal-theory 2 * 1.96 * sd / sqrt(n).
    expected = 2 * 1.96 * d.std(ddof=1) / math.sqrt(d.size)
    assert (hi1[0] - lo1[0]) == pytest.approx(expected, rel=0.08)
    lo3, _ = bootstrap_ci(d[:, None], resamples=10_000, seed=8)
    assert lo3[0] != lo1[0]


def test_bootstrap_ci_matches_a_naive_bootstrap_for_a_subset_row():
    rng = np.random.default_rng(3)
    n = 400
    d = (rng.random(n) < 0.6).astype(float) - (rng.random(n) < 0.3).astype(float)  # -1/0/1 pairs
    sub = np.where(np.arange(n) % 2 == 0, d, np.nan)  # a row that applies to half the cases
    lo, hi = bootstrap_ci(np.stack([d, sub, np.full(n, np.nan)], axis=1), resamples=10_000, seed=0)
    naive = [rng.choice(d, d.size).mean() for _ in range(4000)]
    nlo, nhi = np.percentile(naive, [2.5, 97.5])
    assert lo[0] == pytest.approx(nlo, abs=0.02) and hi[0] == pytest.approx(nhi, abs=0.02)
    half = d[::2]
    naive_half = [rng.choice(half, half.size).mean() for _ in range(4000)]
    hlo, hhi = np.percentile(naive_half, [2.5, 97.5])
    assert lo[1] == pytest.approx(hlo, abs=0.03) and hi[1] == pytest.approx(hhi, abs=0.03)
    assert math.isnan(lo[2]) and math.isnan(hi[2])  # a row with no case


def test_bootstrap_ci_constant_differences():
    lo, hi = bootstrap_ci(np.ones((5, 1)), resamples=2000)
    assert lo[0] == pytest.approx(1.0) and hi[0] == pytest.approx(1.0)
    lo, hi = bootstrap_ci(np.zeros((0, 1)))
    assert math.isnan(lo[0])


def test_clustered_mean_and_accuracy():
    # One value per cluster: the usual standard error s / sqrt(n).
    v = [1.0, 0.0, 1.0, 1.0, 0.0, 1.0]
    c = clustered_mean(v, list(range(6)))
    assert c.mean == pytest.approx(4 / 6)
    assert c.se == pytest.approx(np.std(v, ddof=1) / math.sqrt(6))
    # Two prompts with 3 instructions each, perfectly correlated inside a prompt: mean 0.5,
    # residual sums per cluster +1.5 and -1.5, SE^2 = G/(G-1) * (1.5^2 + 1.5^2) / N^2 = 2 * 4.5 / 36.
    acc = clustered_accuracy([True, True, True, False, False, False], ["p1", "p1", "p1", "p2", "p2", "p2"])
    assert acc.mean == 0.5 and acc.n == 6 and acc.n_clusters == 2
    assert acc.se == pytest.approx(math.sqrt(2 * 4.5 / 36))
    # Treating the 6 as independent would understate the uncertainty.
    naive = clustered_accuracy([True, True, True, False, False, False], range(6)).se
    assert acc.se > naive
    assert clustered_mean([1.0, 0.0], ["a", "a"]).se is None  # one cluster: no SE
    assert clustered_mean([], []).n == 0
    with pytest.raises(ValueError):
        clustered_mean([1.0], ["a", "b"])


def test_verdict_needs_corrected_p_and_a_ci_excluding_zero():
    assert verdict(0.2, 0.01, 0.05, 0.1, 0.3) == "improved"
    assert verdict(-0.2, 0.01, 0.05, -0.3, -0.1) == "regressed"
    assert verdict(0.2, 0.01, 0.05, -0.01, 0.3) == "unchanged"  # CI includes 0
    assert verdict(0.2, 0.06, 0.05, 0.1, 0.3) == "unchanged"
    assert verdict(0.2, 0.01, 0.05, 0.1, 0.3, direction="none") == "unchanged"
    assert verdict(-0.2, 0.01, 0.05, -0.3, -0.1, direction="lower") == "improved"
    # One rule everywhere (compare, per-turn rows, gate): without a CI nothing is significant.
    assert verdict(0.2, 0.01) == "unchanged"
    assert is_significant(0.01, 0.1, 0.3) and not is_significant(0.01, None, None)
    assert not is_significant(None, 0.1, 0.3) and not is_significant(0.05, 0.1, 0.3, alpha=0.05)
    row = {"delta": -0.2, "p_value": 0.2, "p_adjusted": 0.04, "ci_low": -0.3, "ci_high": -0.1, "direction": "higher"}
    assert row_verdict(row, 0.05) == "regressed" and row_verdict(row, 0.01) == "unchanged"
    assert row_significant({k: v for k, v in row.items() if k != "p_adjusted"}, 0.05) is False  # raw p 0.2


# ---------------------------------------------------------------------------------------------
# rows of a report


def side(scores, checks=(), tokens=None):
    return {
        "outputs": ["x"],
        "finish_reasons": ["stop"],
        "output_tokens": [tokens],
        "scores": scores,
        "checks": list(checks),
    }


def chk(cid, passed, family=None, **kw):
    d = {"id": cid, "passed": passed, "reason": "r", **kw}
    if family:
        d["family"] = family
    return d


def make_cases(n=40):
    """n cases: directness fixed on most, one regression; two languages; token counts drop."""
    cases = []
    for i in range(n):
        b_ok = i % 10 == 0
        s_ok = i != 0
        lang = "en" if i % 2 else "zh"
        cat = "factual" if i < n // 2 else "instruction"
        b_checks = [chk("directness:echo", b_ok), chk("directness:stopped", b_ok or i % 3 == 0)]
        s_checks = [chk("directness:echo", s_ok), chk("directness:stopped", s_ok)]
        cases.append(
            {
                "id": f"c{i:03d}",
                "category": cat,
                "lang": lang,
                "base": side({"directness": float(all(c["passed"] for c in b_checks))}, b_checks, tokens=128),
                "sft": side({"directness": float(all(c["passed"] for c in s_checks))}, s_checks, tokens=20 + i),
            }
        )
    return cases


def test_rows_fields_flips_slices_and_holm():
    cases = make_cases()
    rows = rows_from_cases(cases, resamples=2000)
    head = [r for r in rows if r["category"] == "all" and r["lang"] == "all"]
    names = [r["name"] for r in head]
    assert names == ["directness", "directness:echo", "directness:stopped", "length:output_tokens"]
    d = head[0]
    for key in ("name", "category", "base", "sft", "delta", "verdict", "p_value", "n", "fixes", "regressions",
                "small_sample", "lang", "kind", "test", "ci_low", "ci_high", "p_adjusted"):
        assert key in d
    assert d["kind"] == "binary" and d["test"] == "mcnemar_exact"
    assert d["regressions"] == ["c000"] and len(d["fixes"]) == 36 and d["n"] == 40
    assert d["verdict"] == "improved" and d["ci_low"] > 0 and d["p_adjusted"] < 0.05
    assert d["small_sample"] is False
    # Holm over the 4 headline rows: p_adjusted >= p_value, and m is recorded.
    assert all(r["holm_m"] == 4 and r["p_adjusted"] >= r["p_value"] for r in head)
    # Slices: categories and languages (two languages present).
    slices = {(r["category"], r["lang"]) for r in rows}
    assert {("factual", "all"), ("instruction", "all"), ("all", "en"), ("all", "zh")} <= slices
    zh = next(r for r in rows if r["name"] == "directness" and r["lang"] == "zh")
    assert zh["n"] == 20 and zh["category"] == "all"
    # The continuous metric: Wilcoxon on last-turn output tokens, no flips.
    length = head[-1]
    assert length["kind"] == "continuous" and length["test"] == "wilcoxon" and length["direction"] == "none"
    assert length["fixes"] == [] and length["regressions"] == [] and length["verdict"] == "unchanged"
    assert length["delta"] < 0 and length["significant"] and length["ci_high"] < 0


def test_rows_small_samples_are_flagged():
    rows = rows_from_cases(make_cases(6), resamples=500)
    d = next(r for r in rows if r["name"] == "directness" and r["category"] == "all" and r["lang"] == "all")
    assert d["small_sample"] and "discordant" in d["small_sample_note"] and d["verdict"] == "unchanged"


def test_rows_skip_missing_tokens_and_redundant_values_keep_informative_values():
    cases = make_cases(12)
    for c in cases:
        c["base"]["output_tokens"] = [None]  # replayed outputs: no token counts
        # a check whose value only repeats pass/fail, and one with a real measurement (token F1)
        for s in ("base", "sft"):
            ok = c[s]["checks"][0]["passed"]
            c[s]["checks"].append(chk("correctness:contains", ok, "correctness", value=1.0 if ok else 0.0))
            c[s]["checks"].append(chk("correctness:token_f1", ok, "correctness", value=0.9 if ok else 0.2))
            c[s]["scores"]["correctness"] = float(ok)
    names = {r["name"] for r in rows_from_cases(cases, resamples=500)}
    assert "length:output_tokens" not in names
    assert "correctness:contains:value" not in names
    assert "correctness:token_f1:value" in names


def test_ifeval_style_instruction_level_with_clusters_and_loose():
    cases = []
    for i in range(10):
        checks_b, checks_s = [], []
        for j, cid in enumerate(("detectable_format:number_bullet_lists", "length_constraints:number_words")):
            b = (i + j) % 3 == 0
            s = i % 4 != 0
            checks_b.append(chk(cid, b, "ifeval", strict=b, loose=b or j == 0))
            checks_s.append(chk(cid, s, "ifeval", strict=s, loose=True))
        cases.append(
            {
                "id": f"p{i}", "category": "instruction", "lang": "en",
                "base": side({"ifeval": float(all(c["passed"] for c in checks_b))}, checks_b),
                "sft": side({"ifeval": float(all(c["passed"] for c in checks_s))}, checks_s),
            }
        )
    rows = rows_from_cases(cases, resamples=500)
    fam = next(r for r in rows if r["name"] == "ifeval" and r["category"] == "all")
    il = fam["instruction_level"]
    assert il["n_instructions"] == 20 and il["n_prompts"] == 10
    b = [float((i + j) % 3 == 0) for i in range(10) for j in range(2)]
    s = [float(i % 4 != 0) for i in range(10) for j in range(2)]
    assert il["base"] == pytest.approx(np.mean(b), abs=1e-4) and il["sft"] == pytest.approx(np.mean(s), abs=1e-4)
    ref = clustered_mean(s, [f"p{i}" for i in range(10) for _ in range(2)])
    assert il["sft_se"] == pytest.approx(ref.se, abs=1e-4)
    assert fam["instruction_level_loose"]["sft"] == 1.0
    # sub-check rows use the check ids, whatever their prefix, grouped under the family
    sub = next(r for r in rows if r["name"] == "detectable_format:number_bullet_lists" and r["category"] == "all")
    assert sub["family"] == "ifeval"


def test_old_documents_without_family_field_fall_back_to_the_id_prefix():
    cases = make_cases(20)
    for c in cases:
        for s in ("base", "sft"):
            for ch in c[s]["checks"]:
                ch.pop("family", None)
    rows = rows_from_cases(cases, resamples=500)
    assert next(r for r in rows if r["name"] == "directness:echo")["family"] == "directness"


def test_single_language_has_no_language_rows_and_run_rows_have_lang():
    cases = make_cases(10)
    for c in cases:
        c["lang"] = "en"
    rows = rows_from_cases(cases, resamples=500)
    assert {r["lang"] for r in rows} == {"all"}
    run = run_rows([{**c, "output": c["sft"]} for c in make_cases(10)])
    assert {(r["category"], r["lang"]) for r in run} >= {("all", "all"), ("all", "en"), ("all", "zh")}
    tok = next(r for r in run if r["name"] == "length:output_tokens" and r["category"] == "all" and r["lang"] == "all")
    assert tok["kind"] == "continuous" and tok["value"] == pytest.approx(np.mean([20 + i for i in range(10)]))


def test_rows_are_deterministic():
    a = rows_from_cases(make_cases(), resamples=1000, seed=3)
    b = rows_from_cases(make_cases(), resamples=1000, seed=3)
    assert a == b
