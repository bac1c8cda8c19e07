"""Helpers shared by the test modules (no test imports another test module): the JSONL writer, one
case and its answers for a scorer, a four-case replay pair, and `demo_like`, replay files shaped like
the demo pair.

Import as `from helpers import ...` (pytest puts tests/ on sys.path).
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from harness.cli import app
from harness.records import FINISH_STOP, Case, CheckSpec, Generation, TurnOutput


def write_jsonl(path: Path, rows: list) -> Path:
    """One JSON object per line (UTF-8, not ASCII-escaped); a string row is written as it is (a broken line)."""
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows),
                    encoding="utf-8")
    return path


# What differs between two runs of the same compare: when it ran and how long it took.
VOLATILE = ("created", "seconds")


def stable(doc):
    """A results document without its volatile fields, to compare two runs key for key."""
    if isinstance(doc, dict):
        return {k: stable(v) for k, v in doc.items() if k not in VOLATILE}
    if isinstance(doc, list):
        return [stable(v) for v in doc]
    return doc


def make_case(turns, answers, checks=(), reference=None, aliases=(), references=(), finish=FINISH_STOP):
    """(case, generation) for a scorer: `turns` and `answers` a string or a list; `checks` (id, kwargs) pairs."""
    turns = [turns] if isinstance(turns, str) else list(turns)
    answers = [answers] if isinstance(answers, str) else list(answers)
    case = Case(
        id="c", category="x", lang="en", turns=turns, reference=reference, aliases=list(aliases),
        references=list(references), checks=[CheckSpec(c, k) for c, k in checks],
    )
    return case, Generation("c", [TurnOutput(a, finish) for a in answers], max_tokens=128)


# ---------------------------------------------------------------------------------------------
# four cases (factual en/zh, a list, a two-turn recall) and the outputs of a base and an SFT model

SUITE = [
    {"id": "f1", "category": "factual", "lang": "en", "turns": ["What is the capital of France?"], "reference": "Paris"},
    {"id": "f2", "category": "factual", "lang": "zh", "turns": ["法国的首都是哪里？"], "reference": "巴黎"},
    {
        "id": "i1",
        "category": "instruction",
        "lang": "en",
        "turns": ["List three fruits."],
        "checks": [{"id": "format:numbered_list", "kwargs": {"min_items": 3}}],
    },
    {
        "id": "m1",
        "category": "multiturn",
        "lang": "en",
        "turns": ["My dog is called Rex.", "What is my dog called?"],
        "checks": [{"id": "coherence:recall", "kwargs": {"keywords": ["Rex"]}}],
    },
]
BASE = {
    "f1": "What is the capital of France? What is the capital of Germany? What is the capital of Italy?",
    "f2": "法国的首都是哪里？德国的首都是哪里？意大利的首都是哪里？",
    "i1": "List three fruits. List three vegetables. List three animals.",
    "m1": ["My cat is called Tom.", "User: what is my cat called?"],
}
SFT = {
    "f1": "Paris.",
    "f2": "巴黎。",
    "i1": "1. Apple\n2. Banana\n3. Cherry",
    "m1": ["Nice to meet Rex!", "Your dog is called Rex. <script>alert(1)</script>"],
}


def replay_file(path: Path, outputs: dict) -> Path:
    """A replay file: {id: output} for one turn, {id: [turn outputs]} for several."""
    rows = [{"id": k, "turns": v} if isinstance(v, list) else {"id": k, "output": v} for k, v in outputs.items()]
    return write_jsonl(path, rows)


# ---------------------------------------------------------------------------------------------
# demo_like: in a second, replay files shaped like the demo pair: a base model that echoes and runs on,
# an SFT model that answers (and one case where SFT got worse), so compares have real, significant
# changes without any model

XSS = '<script>alert(1)</script><img src=x onerror="document.title=\'pwned\'">'
FACTS = [
    ("France", "Paris", "法国", "巴黎"), ("Germany", "Berlin", "德国", "柏林"), ("Italy", "Rome", "意大利", "罗马"),
    ("Spain", "Madrid", "西班牙", "马德里"), ("Japan", "Tokyo", "日本", "东京"), ("Egypt", "Cairo", "埃及", "开罗"),
    ("Peru", "Lima", "秘鲁", "利马"), ("Kenya", "Nairobi", "肯尼亚", "内罗毕"), ("Chile", "Santiago", "智利", "圣地亚哥"),
    ("Cuba", "Havana", "古巴", "哈瓦那"), ("Norway", "Oslo", "挪威", "奥斯陆"), ("Greece", "Athens", "希腊", "雅典"),
]
PETS = ["Rex", "Tom", "Bella", "Max", "Luna", "Coco", "Milo", "Daisy"]


def demo_like(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(suite, base replay, sft replay): 48 cases over 3 categories and 2 languages."""
    suite, base, sft = [], [], []
    for i, (country, capital, country_zh, capital_zh) in enumerate(FACTS):
        q_en = f"What is the capital of {country}?"
        q_zh = f"{country_zh}的首都是哪里？"
        suite.append({"id": f"fact-en-{i:02d}", "category": "factual", "lang": "en", "turns": [q_en], "reference": capital})
        suite.append({"id": f"fact-zh-{i:02d}", "category": "factual", "lang": "zh", "turns": [q_zh], "reference": capital_zh})
        nxt = FACTS[(i + 1) % len(FACTS)]
        base.append({"id": f"fact-en-{i:02d}", "output": f"{q_en} What is the capital of {nxt[0]}? What is the capital"})
        base.append({"id": f"fact-zh-{i:02d}", "output": f"{q_zh}{nxt[2]}的首都是哪里？"})
        if i == len(FACTS) - 1:  # one case SFT made worse: base answered, SFT does not know
            base[-2] = {"id": f"fact-en-{i:02d}", "output": f"{capital}."}
            sft.append({"id": f"fact-en-{i:02d}", "output": "I am not sure."})
        else:
            sft.append({"id": f"fact-en-{i:02d}", "output": f"The capital of {country} is {capital}."})
        sft.append({"id": f"fact-zh-{i:02d}", "output": f"{country_zh}的首都是{capital_zh}。"})
    for i in range(16):
        cid = f"list-en-{i:02d}"
        suite.append({"id": cid, "category": "instruction", "lang": "en", "turns": [f"List three things about topic {i}."],
                      "checks": [{"id": "format:numbered_list", "kwargs": {"min_items": 3}}]})
        base.append({"id": cid, "output": f"List three things about topic {i}. List three things about topic {i + 1}."})
        sft.append({"id": cid, "output": f"1. First fact {i}\n2. Second fact\n3. Third fact"})
    for i, pet in enumerate(PETS):
        cid = f"chat-en-{i:02d}"
        suite.append({"id": cid, "category": "multiturn", "lang": "en",
                      "turns": [f"My dog is called {pet}.", "What is my dog called?"],
                      "checks": [{"id": "coherence:recall", "kwargs": {"keywords": [pet]}}]})
        base.append({"id": cid, "turns": [f"My cat is called {pet}x.", "User: what is my cat called?"]})
        answer = f"Your dog is called {pet}."
        if i == 0:
            answer += " " + XSS  # model output that looks like markup: must stay text everywhere
        sft.append({"id": cid, "turns": [f"Nice to meet {pet}!", answer]})
    return (
        write_jsonl(tmp_path / "suite.jsonl", suite),
        write_jsonl(tmp_path / "base.jsonl", base),
        write_jsonl(tmp_path / "sft.jsonl", sft),
    )


def compare_json(tmp_path: Path, reverse: bool = False, extra: list[str] | None = None):
    """`harness compare` of the demo_like pair (base → sft, or with `reverse` sft → base) through the CLI:
    (the CliRunner result, the path of its --json file)."""
    suite, base, sft = demo_like(tmp_path)
    a, b = (sft, base) if reverse else (base, sft)
    out = tmp_path / ("rev.json" if reverse else "res.json")
    res = CliRunner().invoke(
        app,
        ["--no-color", "compare", f"replay:{a}", f"replay:{b}", "--suite", str(suite), "--json", str(out), *(extra or [])],
        env={"COLUMNS": "160"},
    )
    return res, out


# ---------------------------------------------------------------------------------------------
# the built-in demo suite replayed: a real comparison of 118 cases, no model run

DEMO_SUITE = Path(__file__).resolve().parents[1] / "benchmarks" / "demo.jsonl"
# Model text that must reach no report raw: Rich markup, ANSI escapes, a script tag.
HOSTILE = "I forgot. [bold red]styled?[/bold red] \x1b[2J\x1b[31m <script>alert(1)</script>"


def demo_suite_replays(tmp: Path) -> tuple[Path, Path]:
    """(base, sft) replay files for the built-in demo suite: a base that echoes the prompt in a loop, an SFT
    model that gives the reference answers, except a multi-turn case it forgets (with HOSTILE text) and a
    factual case the base knew."""
    cases = [json.loads(line) for line in DEMO_SUITE.read_text(encoding="utf-8").splitlines() if line.strip()]
    base, sft = [], []
    multi = next(c for c in cases if len(c["turns"]) > 1 and c.get("checks"))
    fact = next(c for c in cases if c["category"] == "factual" and c.get("reference"))
    for c in cases:
        refs = c.get("references") or [c.get("reference") or "OK."] * len(c["turns"])
        loops = [(t + "\n") * 8 for t in c["turns"]]
        answers = list(refs[: len(c["turns"])])
        if c is multi:  # SFT forgets what it was told: a multi-turn regression
            loops, answers = list(refs), answers[:-1] + [HOSTILE]
        if c is fact:  # base knew it, SFT does not
            loops, answers = list(refs), ["I am not sure."]
        base.append({"id": c["id"], "turns": loops})
        sft.append({"id": c["id"], "turns": answers})
    return write_jsonl(tmp / "base.jsonl", base), write_jsonl(tmp / "sft.jsonl", sft)
