"""Reports from a results document: terminal (rich), HTML, Markdown, JUnit, and `harness report`.

The compares are of `demo_like` (tests/helpers.py): replay files shaped like the demo pair.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from helpers import compare_json, demo_like
from rich.console import Console
from typer.testing import CliRunner

from harness.cli import app
from reports.html import SCRIPT, embed_json, render_html
from reports.junit import render_junit
from reports.markdown import MAX_CHARS, md, render_markdown
from reports.terminal import render_compare, safe

runner = CliRunner()


# ---------------------------------------------------------------------------------------------
# terminal


def test_demo_like_compare_shows_significant_improvements(tmp_path):
    res, out = compare_json(tmp_path, extra=["--detail"])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    head = {r["name"]: r for r in data["metrics"] if r["category"] == "all" and r["lang"] == "all"}
    assert head["directness"]["verdict"] == "improved" and head["correctness"]["verdict"] == "improved"
    assert head["directness"]["ci_low"] > 0 and head["directness"]["p_adjusted"] < 0.05
    assert data["stats"]["alpha"] == 0.05 and data["stats"]["bootstrap"]["resamples"] >= 10_000
    assert head["correctness"]["regressions"] == ["fact-en-11"]
    text = res.output
    panels = [line for line in text.splitlines() if line.startswith("╭─ ")]
    assert "fact-en-11  [factual" in panels[0] and "broke: correctness" in panels[0]  # regressions first ...
    assert len(panels) > 1 and all("fixed:" in p for p in panels[1:])  # ... then the largest improvements
    for part in ("What changed", "95% CI", "p (Holm)", "By category", "By language", "Flips", "Side by side"):
        assert part in text, part
    assert "improved" in text and "\x1b[" not in text  # not a TTY: plain text


def test_terminal_is_width_aware_and_model_text_is_inert(tmp_path):
    res, out = compare_json(tmp_path)
    data = json.loads(out.read_text())
    for width in (60, 100, 200):
        buf = io.StringIO()
        render_compare(data, Console(file=buf, width=width, no_color=True, highlight=False), n_examples=8)
        text = buf.getvalue()
        assert max(len(line) for line in text.splitlines()) <= width
        assert ("95% CI" in text) == (width >= 86)
        assert "<script>alert(1)</script>" in text  # shown literally, never interpreted
    t = safe("a\x1b[2Jb\u202ec[bold]x[/bold]")
    assert t.plain == "a\\x1b[2Jb\\u202ec[bold]x[/bold]" and not t.spans


# ---------------------------------------------------------------------------------------------
# HTML


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_self_contained_escaped_and_csp_protected(tmp_path):
    res, out = compare_json(tmp_path, extra=["--html", str(tmp_path / "r.html")])
    assert res.exit_code == 0, res.output
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "<img src=x" not in page
    p = _Collector()
    p.feed(page)
    scripts = [a for t, a in p.tags if t == "script"]
    assert len(scripts) == 2 and scripts[0].get("type") == "application/json"
    assert not [t for t, a in p.tags if t in ("img", "link", "iframe", "object", "embed")]
    assert not any(v and re.match(r"\s*(https?:|//)", v) for _, a in p.tags for k, v in a.items() if k in ("src", "href"))
    csp = next(a["content"] for t, a in p.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    assert "default-src 'none'" in csp and f"'sha256-{digest}'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    assert "<svg" in page and page.count("<details") == 48
    # every case is there with its filters
    assert 'data-id="chat-en-00"' in page and 'data-verdict="improved"' in page
    assert "directness:echo" in page


def test_html_escapes_hostile_names_ids_and_embedded_json(tmp_path):
    res, out = compare_json(tmp_path)
    data = json.loads(out.read_text())
    evil = '"><script>alert(2)</script><!--'
    data["models"]["sft"]["name"] = evil
    data["cases"][0]["id"] = evil
    data["cases"][0]["category"] = evil
    data["metrics"][0]["name"] = "</script><script>alert(3)</script>"
    page = render_html(data)
    p = _Collector()
    p.feed(page)
    assert sum(1 for t, _ in p.tags if t == "script") == 2
    assert "alert(2)</script>" not in page and "alert(3)</script>" not in page.replace("\\u003c", "<").split(
        'id="report-data">'
    )[0]
    blob = page.split('<script type="application/json" id="report-data">')[1].split("</script>")[0]
    assert "<" not in blob and json.loads(blob)["models"]["sft"]["name"] == evil
    assert embed_json({"x": "</script><!--"}) == '{"x": "\\u003c/script\\u003e\\u003c!--"}'


# ---------------------------------------------------------------------------------------------
# Markdown and JUnit


def test_markdown_summary(tmp_path):
    res, out = compare_json(tmp_path, extra=["--md", str(tmp_path / "r.md")])
    assert res.exit_code == 0, res.output
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert text.startswith("## sft-harness")
    assert "| metric | base | sft | Δ | 95% CI | p (Holm) |" in text
    assert "**directness**" in text and "🟢 improved" in text
    assert "<script>" not in text and "<img" not in text
    assert md("a|b <x> @me [l](u)") == "a\\|b &lt;x&gt; &#64;me \\[l\\](u)"
    assert "Flips:" in text and "(+17 more)" in text  # directness's 47 fixes: the first 30 are named


def test_markdown_is_cut_to_fit_a_pr_comment(tmp_path):
    """Too long for a PR comment: first fewer ids per flip list, then the flips section goes, and a text
    still too long is cut with a marker."""
    from harness.comparison import recompute_stats

    res, out = compare_json(tmp_path)

    def with_ids_times(k: int) -> str:
        data = json.loads(out.read_text())
        for c in data["cases"]:
            c["id"] = c["id"] * k
        return render_markdown(recompute_stats(data))

    longer = with_ids_times(40)  # 400-character ids: 10 per list
    assert len(longer) <= MAX_CHARS and "Flips:" in longer and "(+37 more)" in longer
    huge = with_ids_times(400)  # even 3 per list do not fit: the section is left out, the rest stays
    assert len(huge) <= MAX_CHARS and "Flips:" not in huge and "By category and language" in huge
    data = json.loads(out.read_text())
    data["models"]["sft"]["name"] = "y" * 70_000
    cut = render_markdown(data)
    assert len(cut) <= MAX_CHARS and cut.endswith("… (cut to fit a comment)\n")


def test_junit_one_testcase_per_metric_and_rule(tmp_path):
    res, out = compare_json(tmp_path, reverse=True, extra=["--junit", str(tmp_path / "r.xml"), "--gate"])
    assert res.exit_code == 1, res.output
    root = ET.parse(tmp_path / "r.xml").getroot()
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    data = json.loads(out.read_text())
    head = [r for r in data["metrics"] if r["category"] == "all" and r["lang"] == "all"]
    metrics = suites["sft-harness.metrics"]
    assert len(metrics.findall("testcase")) == len(head)
    failed = {c.get("name") for c in metrics.findall("testcase") if c.find("failure") is not None}
    assert failed == {r["name"] for r in head if r["verdict"] == "regressed"} and "directness" in failed
    gate = suites["sft-harness.gate"]
    assert len(gate.findall("testcase")) == 1 and gate.get("failures") == "1"
    assert root.get("tests") == str(len(head) + 1)
    # characters XML cannot hold are replaced, never written raw
    data["metrics"][0]["name"] = "bad\x00name\x1b"
    xml = render_junit(data)
    ET.fromstring(xml.split("\n", 1)[1])


# ---------------------------------------------------------------------------------------------
# harness report


def test_report_rerenders_and_writes_files_without_generating(tmp_path):
    res, out = compare_json(tmp_path)
    files = {ext: tmp_path / f"again.{ext}" for ext in ("html", "md", "xml")}
    again = runner.invoke(
        app,
        ["--no-color", "report", str(out), "--html", str(files["html"]), "--md", str(files["md"]),
         "--junit", str(files["xml"]), "--examples", "2"],
        env={"COLUMNS": "120"},
    )
    assert again.exit_code == 0, again.output
    assert "What changed" in again.output
    data = json.loads(out.read_text())
    head = [r for r in data["metrics"] if r["category"] == "all" and r["lang"] == "all"]
    page = files["html"].read_text(encoding="utf-8")
    assert page.count("<details") == 48 and "&lt;script&gt;alert(1)" in page and "<script>alert(1)" not in page
    text = files["md"].read_text(encoding="utf-8")
    for r in head:  # a row for every metric, with its number of cases
        assert re.search(rf"^\| (\*\*|&nbsp;&nbsp;){re.escape(md(r['name']))}(\*\*)? \|.*\| {r['n']} \|", text, re.M), r["name"]
    assert "<script>" not in text
    suites = {s.get("name"): s for s in ET.parse(files["xml"]).getroot().iter("testsuite")}
    assert {c.get("name") for c in suites["sft-harness.metrics"].findall("testcase")} == {r["name"] for r in head}


def test_report_upgrades_a_file_written_before_paired_statistics(tmp_path):
    res, out = compare_json(tmp_path)
    data = json.loads(out.read_text())
    data.pop("stats")
    for r in data["metrics"]:
        for k in ("ci_low", "ci_high", "p_adjusted", "lang", "kind"):
            r.pop(k, None)
    for c in data["cases"]:
        for s in ("base", "sft"):
            for ch in c[s]["checks"]:
                ch.pop("family", None)
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data))
    again = runner.invoke(app, ["--no-color", "report", str(old), "--md", str(tmp_path / "o.md")], env={"COLUMNS": "160"})
    assert again.exit_code == 0, again.output
    assert "p (Holm)" in again.output and "improved" in (tmp_path / "o.md").read_text()


def test_report_on_a_run_file_refuses_side_by_side_outputs(tmp_path):
    suite, base, sft = demo_like(tmp_path)
    out = tmp_path / "run.json"
    assert runner.invoke(app, ["run", f"replay:{sft}", "--suite", str(suite), "--json", str(out)]).exit_code == 0
    res = runner.invoke(app, ["report", str(out), "--html", str(tmp_path / "x.html")])
    assert res.exit_code == 2 and "need compare results" in res.output
