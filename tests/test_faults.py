"""The fault suite: hostile inputs and faults, run through the `harness` command as a user would
(subprocess, real files, real signals on the tiny models), asserting exit codes, messages and that
nothing was lost. Exit codes: docs/exit-codes.md (0 ok, 1 gate failed, 2 input, 3 internal, 130
interrupted)."""

from __future__ import annotations

import json
import os
import resource
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import write_jsonl

from harness.errors import EXIT_GATE_FAILED, EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED

HARNESS = str(Path(sys.executable).with_name("harness"))
ROOT = Path(__file__).resolve().parents[1]


def env_for(home: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "HARNESS_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "120", "TOKENIZERS_PARALLELISM": "false"}
    env.update(extra)
    return env


def _default_sigint() -> None:
    # The test runner may have been started with SIGINT ignored (a background job): a user's
    # terminal delivers it, so the harness must see it by default.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def harness(*args, cwd: Path, home: Path, timeout: float = 180, preexec=None, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [HARNESS, *map(str, args)], cwd=cwd, env=env_for(home, **env), capture_output=True, text=True,
        timeout=timeout, preexec_fn=preexec or _default_sigint,
    )


def one_line_error(p: subprocess.CompletedProcess, code: int = EXIT_INPUT, *words: str) -> None:
    assert p.returncode == code, (p.returncode, p.stdout[-800:], p.stderr[-800:])
    assert "Traceback" not in p.stderr + p.stdout
    err = [ln for ln in p.stderr.splitlines() if ln.startswith(("error:", "internal error:"))]
    assert err, p.stderr
    for w in words:
        assert w in p.stderr, (w, p.stderr)


def replay_pair(tmp: Path, n: int = 6) -> tuple[Path, Path, Path]:
    """A suite and two replay files: a compare that needs no model."""
    suite = [{"id": f"q{i}", "category": "factual", "lang": "en", "turns": [f"What is {i} plus {i}?"], "reference": str(2 * i)}
             for i in range(n)]
    base = [{"id": f"q{i}", "output": f"What is {i} plus {i}? What is {i} minus {i}?"} for i in range(n)]
    sft = [{"id": f"q{i}", "output": f"{i} plus {i} is {2 * i}."} for i in range(n)]
    files = []
    for name, rows in (("suite.jsonl", suite), ("base.jsonl", base), ("sft.jsonl", sft)):
        files.append(write_jsonl(tmp / name, rows))
    return files[0], files[1], files[2]


def compare_replay(tmp: Path, home: Path, *extra, **kw) -> subprocess.CompletedProcess:
    suite, base, sft = replay_pair(tmp)
    return harness("compare", f"replay:{base}", f"replay:{sft}", "--suite", f"jsonl:{suite}", *extra, cwd=tmp, home=home, **kw)


# ---------------------------------------------------------------------------------------------
# 1. bad input: a one-line error and exit 2, never a traceback, never exit 1


@pytest.mark.parametrize(
    "toml, words",
    [
        ('[run]\nmax_tokens = "lots"\n', ["[run]", "max_tokens", "integer"]),
        ('[run]\ntemperature = "hot"\n', ["temperature", "number"]),
        ("run = 5\n", ["[run]", "table"]),
        ("models = [1, 2]\n", ["models"]),
        ("[models.m]\npath = 42\n", ["[models.m]", "path", "string"]),
        ('[run]\nuse_cache = "no"\n', ["use_cache", "true or false"]),
        ('[run]\nseed = "x"\n', ["seed", "integer"]),
        ("[run]\ntop_p = 0\n", ["top_p"]),
    ],
)
def test_bad_config_values(tmp_path, isolated_home, toml, words):
    (tmp_path / "harness.toml").write_text(toml)
    one_line_error(compare_replay(tmp_path, isolated_home), EXIT_INPUT, "harness.toml", *words)


def test_config_that_is_a_directory(tmp_path, isolated_home):
    one_line_error(compare_replay(tmp_path, isolated_home, "--config", tmp_path), EXIT_INPUT, "is a directory")


def test_results_files_that_are_not_results(tmp_path, isolated_home):
    p = compare_replay(tmp_path, isolated_home, "--json", "good.json")
    assert p.returncode == 0, p.stderr
    (tmp_path / "list.json").write_text("[1, 2, 3]")
    (tmp_path / "binary.json").write_bytes(b"\x00\xff\xfe\x80")
    (tmp_path / "adir").mkdir()
    doc = json.loads((tmp_path / "good.json").read_text())
    doc["cases"][1]["base"] = "a string"
    (tmp_path / "badcase.json").write_text(json.dumps(doc))
    for args, words in (
        (["gate", "list.json"], ["list.json", "results object"]),
        (["report", "list.json"], ["results object"]),
        (["gate", "good.json", "--baseline", "list.json"], ["list.json"]),
        (["report", "binary.json"], ["not a text file"]),
        (["report", "adir"], ["is a directory"]),
        (["gate", "good.json", "--rules", "adir"], ["is a directory"]),
        (["report", "badcase.json"], ["cases[1].base"]),
    ):
        p = harness(*args, cwd=tmp_path, home=isolated_home)
        one_line_error(p, EXIT_INPUT, *words)
        assert not p.stdout.strip() or "Traceback" not in p.stdout  # no partial report then a crash


def test_unwritable_json_paths(tmp_path, isolated_home):
    (tmp_path / "afile").write_text("x")
    (tmp_path / "adir").mkdir()
    for target, words in (("afile/x.json", ["afile", "not a directory"]), ("/proc/x.json", ["/proc/x.json"]), ("adir", ["is a directory"])):
        one_line_error(compare_replay(tmp_path, isolated_home, "--json", target), EXIT_INPUT, "cannot write", *words)


def _fsize_limit(limit: int):
    def apply() -> None:
        _default_sigint()
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail (EFBIG) like on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_full_disk_for_the_results(tmp_path, isolated_home):
    p = compare_replay(tmp_path, isolated_home, "--json", "out.json", preexec=_fsize_limit(2000))
    one_line_error(p, EXIT_INPUT, "cannot write", "out.json")
    assert not (tmp_path / "out.json").exists() and not list(tmp_path.glob(".out.json.*"))  # no half file, no litter


def test_same_path_twice_and_output_over_input(tmp_path, isolated_home):
    p = compare_replay(tmp_path, isolated_home, "--json", "x", "--html", "x", "--md", "x")
    one_line_error(p, EXIT_INPUT, "name the same file")
    assert not (tmp_path / "x").exists()
    suite = tmp_path / "suite.jsonl"
    before = suite.read_text()
    one_line_error(compare_replay(tmp_path, isolated_home, "--md", "suite.jsonl"), EXIT_INPUT, "overwrite")
    assert suite.read_text() == before
    data = ROOT / "examples" / "demo-alpaca.jsonl"
    one_line_error(harness("data", "clean", data, "--out", "f.jsonl", "--report", "f.jsonl", cwd=tmp_path, home=isolated_home),
                   EXIT_INPUT, "same file")
    copy = tmp_path / "in.jsonl"
    copy.write_bytes(data.read_bytes())
    one_line_error(harness("data", "clean", copy, "--out", copy, "--report", "r.json", cwd=tmp_path, home=isolated_home),
                   EXIT_INPUT, "overwrite")
    assert copy.read_bytes() == data.read_bytes()


def test_limits_and_suite_mistakes(tmp_path, isolated_home):
    for bad in ("-1", "0"):
        one_line_error(compare_replay(tmp_path, isolated_home, "--limit", bad), EXIT_INPUT, "--limit")
    s = tmp_path / "kw.jsonl"
    s.write_text(json.dumps({"id": "a", "category": "x", "lang": "en", "turns": ["Hi"],
                             "checks": [{"id": "format:max_words", "kwargs": {"limit": "ten"}}]}) + "\n")
    one_line_error(harness("run", f"replay:{tmp_path / 'base.jsonl'}", "--suite", f"jsonl:{s}", cwd=tmp_path, home=isolated_home),
                   EXIT_INPUT, "kw.jsonl:1", "checks[0]", "limit")
    r = tmp_path / "ref.jsonl"
    r.write_text(json.dumps({"id": "a", "category": "x", "lang": "en", "turns": ["Hi"], "reference": 5}) + "\n")
    one_line_error(harness("suites", "show", f"jsonl:{r}", cwd=tmp_path, home=isolated_home), EXIT_INPUT, "ref.jsonl:1", "reference")


def test_skipped_public_records_are_in_the_results(tmp_path, isolated_home):
    q = tmp_path / "questions.jsonl"
    q.write_text(json.dumps({"question_id": 1, "text": "What is a comet?", "category": "x"}) + "\n"
                 + json.dumps({"question_id": 2, "text": 123, "category": "x"}) + "\n")
    out = tmp_path / "o.jsonl"
    out.write_text(json.dumps({"question_id": 1, "text": "A comet is ice and dust."}) + "\n")
    p = harness("run", f"replay:{out}", "--suite", f"vicuna-bench:{q}", "--json", "r.json", cwd=tmp_path, home=isolated_home)
    assert p.returncode == 0, p.stderr
    notes = json.loads((tmp_path / "r.json").read_text())["notes"]
    assert any("questions.jsonl:2" in n and "text" in n for n in notes), notes
    p = harness("run", f"replay:{out}", "--suite", f"vicuna-bench:{q}", "--strict", cwd=tmp_path, home=isolated_home)
    one_line_error(p, EXIT_INPUT, "questions.jsonl:2")


def test_misleading_messages(tmp_path, isolated_home):
    one_line_error(harness("run", f"replay:{tmp_path}", cwd=tmp_path, home=isolated_home), EXIT_INPUT, "is a directory")
    b = tmp_path / "train.jsonl"
    b.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    p = harness("data", "inspect", b, cwd=tmp_path, home=isolated_home)
    one_line_error(p, EXIT_INPUT, "not UTF-8 text", "binary")
    assert "suite" not in p.stderr


# ---------------------------------------------------------------------------------------------
# exit codes: 1 only for a failed gate; 3 for a bug; usage errors 2


def test_exit_codes(tmp_path, isolated_home):
    assert compare_replay(tmp_path, isolated_home, "--gate").returncode == 0  # SFT only improves here
    (tmp_path / "gate.toml").write_text('[gate]\nrequire = ["directness.sft >= 0.9"]\n')
    p = harness("compare", f"replay:{tmp_path / 'sft.jsonl'}", f"replay:{tmp_path / 'base.jsonl'}",
                "--suite", f"jsonl:{tmp_path / 'suite.jsonl'}", "--rules", "gate.toml", cwd=tmp_path, home=isolated_home)
    assert p.returncode == EXIT_GATE_FAILED and "gate FAILED" in p.stdout
    p = harness("compare", "--no-such-option", cwd=tmp_path, home=isolated_home)
    assert p.returncode == EXIT_INPUT and "No such option" in p.stderr + p.stdout
    bug = (
        "import sys, harness.comparison as c; from harness.cli import run\n"
        "def boom(*a, **k): raise ZeroDivisionError('a bug')\n"
        "c.build_results = boom\n"
        f"run(['compare', 'replay:{tmp_path / 'base.jsonl'}', 'replay:{tmp_path / 'sft.jsonl'}', '--suite', 'jsonl:{tmp_path / 'suite.jsonl'}'])\n"
    )
    p = subprocess.run([sys.executable, "-c", bug], cwd=tmp_path, env=env_for(isolated_home), capture_output=True, text=True, timeout=120)
    one_line_error(p, EXIT_INTERNAL, "internal error", "ZeroDivisionError", "--debug")


# ---------------------------------------------------------------------------------------------
# reports: control characters, file modes


def test_html_shows_control_characters_escaped(tmp_path, isolated_home):
    suite, base, sft = replay_pair(tmp_path)
    evil = "ok\x00NUL \x1b[31mESC\x07BEL \x1b]0;title\x07 \u202eRLO \x9bCSI"
    sft.write_text("".join(json.dumps({"id": f"q{i}", "output": evil}) + "\n" for i in range(6)))
    p = harness("compare", f"replay:{base}", f"replay:{sft}", "--suite", f"jsonl:{suite}", "--html", "r.html",
                cwd=tmp_path, home=isolated_home)
    assert p.returncode == 0, p.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    for raw in ("\x00", "\x1b", "\x07", "\u202e", "\x9b"):
        assert raw not in page, repr(raw)
    assert "\\x1b[31mESC" in page and "\\u202eRLO" in page


def test_outputs_respect_the_umask(tmp_path, isolated_home):
    def umask_022() -> None:
        _default_sigint()
        os.umask(0o022)

    p = compare_replay(tmp_path, isolated_home, "--json", "r.json", "--md", "r.md", preexec=umask_022)
    assert p.returncode == 0, p.stderr
    for name in ("r.json", "r.md"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644, name


# ---------------------------------------------------------------------------------------------
# the cache: torn lines, a full disk, resuming an interrupted run (hf backend, tiny model)


def many_prompts(tmp: Path, n: int) -> Path:
    rows = [{"id": f"p{i:04d}", "category": "x", "lang": "en", "turns": [f"Tell me about number {i}."]} for i in range(n)]
    return write_jsonl(tmp / "many.jsonl", rows)


def cache_files(home: Path) -> list[Path]:
    return sorted((home / "cache" / "generations").glob("*.jsonl"))


def test_torn_cache_line_is_skipped_and_repaired(tmp_path, isolated_home, tiny_chat):
    s = many_prompts(tmp_path, 6)
    args = ("run", tiny_chat, "--suite", f"jsonl:{s}", "--backend", "hf", "--max-tokens", "4")
    assert harness(*args, cwd=tmp_path, home=isolated_home).returncode == 0
    (cache,) = cache_files(isolated_home)
    lines = cache.read_text().splitlines()
    cache.write_text("\n".join(lines[:3]) + "\n" + lines[3][: len(lines[3]) // 2])  # a write cut short, no newline
    p = harness(*args, "--json", "r.json", cwd=tmp_path, home=isolated_home)
    assert p.returncode == 0, p.stderr
    doc = json.loads((tmp_path / "r.json").read_text())
    assert doc["model"]["cached_turns"] == 3 and doc["model"]["generated_turns"] == 3
    assert any("torn line" in n for n in doc["model"]["notes"])
    rows = [json.loads(x) for x in cache.read_text().splitlines()]  # every line whole again
    assert len(rows) == 6


def test_a_full_disk_stops_caching_not_the_run(tmp_path, isolated_home, tiny_chat):
    s = many_prompts(tmp_path, 8)
    p = harness("run", tiny_chat, "--suite", f"jsonl:{s}", "--backend", "hf", "--max-tokens", "4",
                cwd=tmp_path, home=isolated_home, preexec=_fsize_limit(900))
    assert p.returncode == 0, p.stderr[-1500:]
    assert "could not be written" in p.stdout and "Traceback" not in p.stderr


def test_prompts_longer_than_the_context_are_skipped_and_named(tmp_path, isolated_home, tiny_chat):
    s = tmp_path / "long.jsonl"
    huge = "word " * 10_000_000  # 50 MB
    s.write_text(json.dumps({"id": "huge", "category": "x", "lang": "en", "turns": [huge]}) + "\n"
                 + json.dumps({"id": "fine", "category": "x", "lang": "en", "turns": ["Hello there."]}) + "\n")
    t0 = time.monotonic()
    p = harness("run", tiny_chat, "--suite", f"jsonl:{s}", "--backend", "hf", "--max-tokens", "4", "--json", "r.json",
                cwd=tmp_path, home=isolated_home)
    assert p.returncode == 0, p.stderr[-1500:]
    assert time.monotonic() - t0 < 90  # measured on the prompt's start, not tokenised whole
    doc = json.loads((tmp_path / "r.json").read_text())
    assert [c["id"] for c in doc["cases"]] == ["fine"]
    assert any("skipped" in n and "context" in n and "huge" in n for n in doc["model"]["notes"] + doc["notes"]), doc["notes"]
    p = harness("run", tiny_chat, "--suite", f"jsonl:{s}", "--backend", "hf", "--max-tokens", "4", "--strict",
                cwd=tmp_path, home=isolated_home)
    one_line_error(p, EXIT_INPUT, "context", "--strict")


def test_interrupted_run_resumes_everything_it_finished(tmp_path, isolated_home, tiny_chat):
    total = 1000  # batches of 2: the interrupt lands long before the end on any machine
    s = many_prompts(tmp_path, total)
    (tmp_path / "harness.toml").write_text("[run]\nbatch_size = 2\n")
    args = [HARNESS, "run", str(tiny_chat), "--suite", f"jsonl:{s}", "--backend", "hf", "--max-tokens", "16"]
    proc = subprocess.Popen(args, cwd=tmp_path, env=env_for(isolated_home), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=_default_sigint, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (cache_files(isolated_home) and cache_files(isolated_home)[0].stat().st_size > 0):
        time.sleep(0.05)
    t0 = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
    out, err = proc.communicate(timeout=30)
    assert time.monotonic() - t0 < 10, "one Ctrl-C must stop the run within 10 s"
    assert proc.returncode == EXIT_INTERRUPTED and "interrupted" in err and "Traceback" not in err, err[-800:]
    done = len(cache_files(isolated_home)[0].read_text().splitlines())
    assert 0 < done < total
    p = harness(*args[1:], "--json", "r.json", cwd=tmp_path, home=isolated_home)
    assert p.returncode == 0, p.stderr[-800:]
    model = json.loads((tmp_path / "r.json").read_text())["model"]
    assert model["cached_turns"] == done and model["generated_turns"] == total - done


# ---------------------------------------------------------------------------------------------
# vLLM: Ctrl-C during start-up, and no engine process outliving the harness


def _marked(marker: str) -> list[int]:
    """Processes whose environment carries our marker (the harness and every process it started)."""
    out = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if marker.encode() in Path(f"/proc/{pid}/environ").read_bytes():
                out.append(int(pid))
        except OSError:
            continue
    return [p for p in out if p != os.getpid()]


@pytest.mark.vllm
@pytest.mark.slow
def test_vllm_ctrl_c_at_start_up_and_sigkill_leave_nothing_behind(tmp_path, isolated_home, tiny_chat):
    s = many_prompts(tmp_path, 200)
    marker = f"HARNESS_FAULT_TEST_{os.getpid()}_{time.monotonic_ns()}"
    args = [HARNESS, "run", str(tiny_chat), "--suite", f"jsonl:{s}", "--backend", "vllm", "--max-tokens", "64"]
    env = env_for(isolated_home, **{marker: "1"})
    # Ctrl-C while the engine starts (its core process is up, not ready yet)
    proc = subprocess.Popen(args, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_default_sigint, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and len(_marked(marker)) < 2:  # the harness and its engine process
        time.sleep(0.2)
    t0 = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)
    proc.communicate(timeout=60)
    assert time.monotonic() - t0 < 10 and proc.returncode == EXIT_INTERRUPTED
    time.sleep(1)
    assert _marked(marker) == []
    # SIGKILL of the harness in the middle of generating: its engine process goes with it
    proc = subprocess.Popen(args, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=_default_sigint, start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and not (cache_files(isolated_home) and cache_files(isolated_home)[0].stat().st_size > 0):
        time.sleep(0.2)
    assert cache_files(isolated_home), "generation never started"
    assert len(_marked(marker)) >= 2
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _marked(marker):
        time.sleep(0.2)
    assert _marked(marker) == [], "an engine process outlived the harness"
