"""Prompt arms of one model: `NAME@FORMAT` references, the in-context-alignment prompt (`icl`), its
stop rule on every backend, its place in the cache key, and replacement prompt files."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from harness.config import PROMPT_FORMATS, HarnessConfig, RunConfig, load_config
from harness.errors import HarnessError
from harness.icl import BUILTIN_DIR, end_answer, load_icl_prompt, render_icl
from harness.models import resolve_model, split_prompt_suffix
from harness.prompting import render_ids, render_text
from harness.records import Case, ModelSpec
from harness.runners import run_model

# A short replacement prompt: the tiny model's context is 256 positions.
SHORT = "# Instructions\nAnswer, then stop.\n\n# User:\nsay yes\n\n# Assistant:\nyes\n"
PAIRS = [("hi", "hello there"), ("what is red", "red is a colour"), ("name a fruit", "an apple"), ("count to three", "one two three")]
CASES = [Case(id=f"s{i}", category="factual", lang="en", turns=[q]) for i, (q, _) in enumerate(PAIRS)]


# -- references with a prompt format suffix


def test_suffix_parsing():
    assert split_prompt_suffix("base@icl") == ("base", "icl")
    assert split_prompt_suffix("Qwen/Qwen2.5-0.5B@raw") == ("Qwen/Qwen2.5-0.5B", "raw")
    assert split_prompt_suffix("base") == ("base", None)
    # an openai reference's URL is not a suffix; a format after it is
    assert split_prompt_suffix("openai:m@http://127.0.0.1:8000/v1") == ("openai:m@http://127.0.0.1:8000/v1", None)
    assert split_prompt_suffix("openai:m@http://127.0.0.1:8000/v1@icl") == ("openai:m@http://127.0.0.1:8000/v1", "icl")
    with pytest.raises(HarnessError, match=r"unknown prompt format 'urial'.*known: auto, chat, raw, icl"):
        split_prompt_suffix("base@urial")
    with pytest.raises(HarnessError, match="two prompt formats"):
        split_prompt_suffix("base@icl@raw")


def test_resolve_keeps_the_suffix_in_the_name(tmp_path, tiny_raw):
    cfg = HarnessConfig()
    plain = resolve_model(str(tiny_raw), cfg)
    icl = resolve_model(f"{tiny_raw}@icl", cfg)
    assert (icl.name, icl.path, icl.prompt_format, icl.icl_prompt) == (f"{tiny_raw}@icl", plain.path, "icl", None)
    assert plain.prompt_format == "auto" and plain.name == str(tiny_raw)
    demo = resolve_model("base@chat", cfg, demo_builder=lambda: (tiny_raw, tiny_raw))
    assert (demo.name, demo.source, demo.prompt_format) == ("base@chat", "demo", "chat")
    served = resolve_model("openai:stub@http://127.0.0.1:9/v1@icl", cfg)
    assert (served.served_model, served.base_url, served.prompt_format) == ("stub", "http://127.0.0.1:9/v1", "icl")
    replay = tmp_path / "r.jsonl"
    replay.write_text('{"id": "a", "output": "x"}\n')
    with pytest.raises(HarnessError, match="a prompt format does not apply"):
        resolve_model(f"replay:{replay}@icl", cfg)
    with pytest.raises(HarnessError, match="unknown prompt format 'foo'"):
        resolve_model(f"{tiny_raw}@foo", cfg)
    # a directory whose own name ends in @raw is that directory, not a suffix
    odd = tmp_path / "ckpt@raw"
    odd.mkdir()
    (odd / "config.json").write_text("{}")
    assert resolve_model(str(odd), cfg).prompt_format == "auto"


def test_config_prompt_format_and_icl_prompt(tmp_path, tiny_raw):
    prompt = tmp_path / "mine.txt"
    prompt.write_text(SHORT)
    toml = tmp_path / "harness.toml"
    toml.write_text(f'[models.b]\npath = "{tiny_raw}"\nprompt_format = "icl"\nicl_prompt = "{prompt}"\n')
    cfg = load_config(toml)
    spec = resolve_model("b", cfg)
    assert (spec.prompt_format, spec.icl_prompt) == ("icl", str(prompt))
    raw = resolve_model("b@raw", cfg)  # the entry's other settings stay; the format is the suffix's
    assert (raw.name, raw.prompt_format, raw.icl_prompt) == ("b@raw", "raw", str(prompt))
    toml.write_text(f'[models.b]\npath = "{tiny_raw}"\nprompt_format = "urial"\n')
    with pytest.raises(HarnessError, match=r"\[models.b\]: field 'prompt_format' must be one of auto, chat, raw, icl, got 'urial'"):
        load_config(toml)
    toml.write_text(f'[models.b]\npath = "{tiny_raw}"\nicl_prompt = "{tmp_path / "missing.txt"}"\n')
    with pytest.raises(HarnessError, match=r"harness.toml: \[models.b\]: field 'icl_prompt': .*missing.txt: cannot read"):
        load_config(toml)
    assert "icl" in PROMPT_FORMATS


# -- the prompt and its rendering


def test_builtin_prompt_is_versioned_data():
    p = load_icl_prompt()
    text = (BUILTIN_DIR / "v1.txt").read_text(encoding="utf-8").rstrip()
    assert (p.text, p.version, p.source) == (text, "v1", "built-in")
    assert len(p.digest) == 16 and p.digest in p.label and "icl/v1" in p.label
    # three demonstrations, Chinese and English, one answered with a list and one with a letter
    assert text.count("# User:") == 3 and text.count("# Assistant:") == 3
    assert "- " in text and "\nB" in text and "答" in text


def test_render_single_and_multi_turn_exactly(tiny_raw):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_raw)
    p = load_icl_prompt()
    one = [{"role": "user", "content": "What is 2+2?"}]
    text, special = render_text(tok, one, "icl", p)
    assert special is True
    assert text == p.text + "\n\n# User:\nWhat is 2+2?\n\n# Assistant:\n"
    many = one + [{"role": "assistant", "content": "4."}, {"role": "user", "content": "再加一？"}]
    assert render_text(tok, many, "icl", p)[0] == (
        p.text + "\n\n# User:\nWhat is 2+2?\n\n# Assistant:\n4.\n\n# User:\n再加一？\n\n# Assistant:\n"
    )
    ids = render_ids(tok, one, "icl", p)
    assert ids[0] == tok.bos_token_id and ids.count(tok.bos_token_id) == 1  # special tokens as in raw
    with pytest.raises(ValueError, match="needs its in-context prompt"):
        render_text(tok, one, "icl")


def test_end_answer_cuts_at_the_user_marker():
    assert end_answer("Paris.\n\n# User:\nAnd Spain?", ("# User:",)) == ("Paris.", True)
    assert end_answer("Paris.\n\n", ("# User:",)) == ("Paris.", False)  # a server dropped the marker itself
    assert end_answer("# User: hi", ("# User:",)) == ("", True)


@pytest.mark.parametrize(
    "text, error",
    [
        ("", "is empty"),
        ("# User:\nq\n", r":1: the last demonstration has no '# Assistant:' answer"),
        ("pre\n# Assistant:\na\n", r":2: '# Assistant:' where '# User:' was due"),
        ("# User:\n\n# Assistant:\na\n", r":1: an empty turn"),
        ("# User:\nq\n# Assistant:\n", r":3: the last turn is empty"),
    ],
)
def test_a_bad_prompt_file_is_a_clear_error(tmp_path, text, error):
    f = tmp_path / "p.txt"
    f.write_text(text)
    with pytest.raises(HarnessError, match=error):
        load_icl_prompt(str(f))


def test_unreadable_prompt_files(tmp_path):
    with pytest.raises(HarnessError, match="is a directory"):
        load_icl_prompt(str(tmp_path))
    f = tmp_path / "bin.txt"
    f.write_bytes(b"\xff\xfe\x00junk")
    with pytest.raises(HarnessError, match="not UTF-8"):
        load_icl_prompt(str(f))
    ok = tmp_path / "preamble-only.txt"
    ok.write_text("\ufeffYou answer briefly.\r\n")  # no demonstrations: a zero-shot preamble is allowed
    assert load_icl_prompt(str(ok)).text == "You answer briefly."


# -- the stop rule on the engines, with a tiny base model that writes a fake next user turn


@pytest.fixture(scope="module")
def icl_model(tmp_path_factory):
    """A tiny Llama trained on conversations in the icl format that run on into the next user turn,
    as base models do: (model dir, its prompt file)."""
    import torch
    from tiny_models import tiny_model
    from transformers import GenerationConfig

    root = tmp_path_factory.mktemp("icl")
    prompt_file = root / "short.txt"
    prompt_file.write_text(SHORT)
    prompt = load_icl_prompt(str(prompt_file))
    texts = [
        render_icl(prompt, [{"role": "user", "content": q}]) + f"{a}\n\n# User:\n{PAIRS[(i + 1) % len(PAIRS)][0]}\n\n"
        for i, (q, a) in enumerate(PAIRS)
    ]
    model, tok = tiny_model(texts * 20, vocab_size=300, tie_embeddings=False)
    ids = [tok(t)["input_ids"] for t in texts]
    width = max(map(len, ids))
    batch = torch.tensor([x + [tok.pad_token_id] * (width - len(x)) for x in ids])
    labels = batch.masked_fill(batch == tok.pad_token_id, -100)
    # lr 5e-3 as tiny_models' chat model (at 1e-2 this one stayed at loss ~0.2 and answered two of four).
    opt = torch.optim.AdamW(model.parameters(), lr=5e-3)
    for _ in range(300):
        model(input_ids=batch, labels=labels).loss.backward()
        opt.step()
        opt.zero_grad()
    model.eval()
    model.generation_config = GenerationConfig(bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                                               pad_token_id=tok.pad_token_id)
    out = root / "tiny-icl"
    model.save_pretrained(out)
    tok.save_pretrained(out)
    return out, prompt_file


def _spec(model: Path, prompt_file: Path, fmt: str = "icl") -> ModelSpec:
    return ModelSpec(name=f"tiny@{fmt}", path=str(model), source="local", prompt_format=fmt, icl_prompt=str(prompt_file))


def _check_stopped(r, max_tokens):
    for (q, a), c in zip(PAIRS, CASES, strict=True):
        out = r.generations[c.id].turns[0]
        assert out.text == a, (q, out.text)
        # The model never emits EOS: only the user marker can have stopped it before the cap.
        assert out.finish_reason == "stop" and out.output_tokens < max_tokens


def test_hf_stops_at_the_user_marker(icl_model):
    from harness.runners.hf_engine import HFEngine

    model, prompt_file = icl_model
    run = RunConfig(backend="hf", max_tokens=40, batch_size=3)
    r = run_model(_spec(model, prompt_file), CASES, run)
    assert r.prompt_format == "icl" and r.generated_turns == len(CASES)
    _check_stopped(r, 40)
    assert any(n.startswith(f"in-context prompt {prompt_file} (sha256 ") for n in r.notes)
    # Without the stop rule the same model writes the user's next turn itself.
    engine = HFEngine(_spec(model, prompt_file), run)
    engine.stops = ()
    loose = engine.generate([[{"role": "user", "content": "hi"}]], 40)[0]
    assert loose.text.startswith("hello there\n\n# User:\nwhat is red")
    engine.close()


def test_multi_turn_history_is_rendered_with_the_markers(icl_model):
    model, prompt_file = icl_model
    case = Case(id="m", category="multiturn", lang="en", turns=["hi", "what is red"])
    r = run_model(_spec(model, prompt_file), [case], RunConfig(backend="hf", max_tokens=40))
    first, second = r.generations["m"].turns
    assert first.text == "hello there" and "# User:" not in second.text
    assert second.prompt_tokens > first.prompt_tokens + first.output_tokens - 5  # the first exchange is in its prompt


def test_cache_key_follows_the_prompt_text(icl_model, tmp_path):
    model, prompt_file = icl_model
    mine = tmp_path / "p.txt"
    mine.write_text(SHORT)
    run = RunConfig(backend="hf", max_tokens=6)
    first = run_model(_spec(model, mine), CASES[:2], run)
    assert first.generated_turns == 2
    assert run_model(_spec(model, mine), CASES[:2], run).cached_turns == 2
    mine.write_text(SHORT.replace("Answer, then stop.", "Answer briefly."))  # the same file, new text
    changed = run_model(_spec(model, mine), CASES[:2], run)
    assert changed.generated_turns == 2 and changed.cached_turns == 0
    assert changed.notes != first.notes  # the label carries the new digest
    # raw prompts of the same model are other requests too
    assert run_model(_spec(model, mine, "raw"), CASES[:2], run).generated_turns == 2


@pytest.mark.vllm
def test_vllm_stops_at_the_user_marker_like_hf(icl_model):
    model, prompt_file = icl_model
    v = run_model(_spec(model, prompt_file), CASES, RunConfig(backend="vllm", max_tokens=40))
    assert v.backend == "vllm" and v.prompt_format == "icl"
    _check_stopped(v, 40)
    h = run_model(_spec(model, prompt_file), CASES, RunConfig(backend="hf", max_tokens=40, use_cache=False))
    for c in CASES:
        hv, vv = h.generations[c.id].turns[0], v.generations[c.id].turns[0]
        assert (hv.text, hv.finish_reason, hv.output_tokens) == (vv.text, vv.finish_reason, vv.output_tokens)


# -- a served base model through /v1/completions


class _Completions:
    """A stub OpenAI server whose completions ignore `stop` and run on into a fake user turn."""

    def __init__(self):
        self.bodies: list[dict] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _send(self, body):
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._send({"object": "list", "data": [{"id": "stub", "object": "model"}]})

            def do_POST(self):
                stub.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self._send({"choices": [{"index": 0, "text": "Paris.\n\n# User:\nand Spain?", "finish_reason": "length"}]})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_openai_completions_with_the_icl_prompt():
    stub = _Completions()
    try:
        spec = resolve_model(f"openai:stub@{stub.url}@icl", HarnessConfig())
        r = run_model(spec, CASES[:1], RunConfig(request_retries=0))
    finally:
        stub.close()
    (body,) = stub.bodies
    assert body["stop"] == ["# User:"]
    assert body["prompt"] == load_icl_prompt().text + "\n\n# User:\nhi\n\n# Assistant:\n"
    out = r.generations["s0"].turns[0]
    assert (out.text, out.finish_reason, r.prompt_format) == ("Paris.", "stop", "icl")
