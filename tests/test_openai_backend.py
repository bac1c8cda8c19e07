"""The openai backend against a local stub server: faults (429, 500, timeouts, dropped connections,
malformed JSON) are retried, persistent ones fail with a clear message and lose nothing finished,
bad endpoints and keys are one-line errors, and the API key never reaches results or the cache."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from helpers import write_jsonl
from typer.testing import CliRunner

import harness
from harness.cli import app
from harness.records import Case
from harness.runners import run_model

runner = CliRunner()
CASES = [Case(id=f"c{i}", category="factual", lang="en", turns=[f"question {i}?"]) for i in range(6)]
MULTI = Case(id="m", category="multiturn", lang="en", turns=["My name is Ada.", "What is my name?"])


class Stub:
    """An OpenAI-compatible server on 127.0.0.1 whose next replies can be scripted as faults."""

    def __init__(self, chat: bool = True, key: str | None = None):
        self.faults: list[str] = []
        self.fail_after: int | None = None  # answer this many completions, then 500 for ever
        self.requests: list[dict] = []
        self.auth: list[str | None] = []
        self.answered = 0
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):  # quiet
                pass

            def _send(self, code, body, headers=()):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers:
                    self.send_header(k, v)
                self.end_headers()
                try:
                    self.wfile.write(data)
                except BrokenPipeError:  # the client gave up (a timeout): what a real server sees too
                    pass

            def do_GET(self):
                stub.auth.append(self.headers.get("Authorization"))
                if key and self.headers.get("Authorization") != f"Bearer {key}":
                    return self._send(401, {"error": {"message": "bad key"}})
                self._send(200, {"object": "list", "data": [{"id": "stub", "object": "model"}]})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stub.requests.append(body)
                stub.auth.append(self.headers.get("Authorization"))
                fault = stub.faults.pop(0) if stub.faults else None
                if fault == "429":
                    return self._send(429, {"error": {"message": "slow down"}}, [("Retry-After", "0")])
                if fault == "500":
                    return self._send(500, {"error": {"message": "boom"}})
                if fault == "timeout":
                    time.sleep(1.5)
                    return self._send(200, {"error": "too late"})
                if fault == "drop":
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return None
                if fault == "garbage":
                    return self._send(200, b"<html>not json")
                if stub.fail_after is not None and stub.answered >= stub.fail_after:
                    return self._send(500, {"error": {"message": "the server fell over"}})
                if self.path.endswith("/chat/completions"):
                    if not chat:
                        return self._send(400, {"error": {"message": "this model has no chat template"}})
                    last = body["messages"][-1]["content"]
                    choice = {"index": 0, "message": {"role": "assistant", "content": f"answer to {last}"},
                              "finish_reason": "stop"}
                else:
                    choice = {"index": 0, "text": f"raw continuation of {body['prompt']!r}", "finish_reason": "length"}
                stub.answered += 1
                self._send(200, {"id": "x", "choices": [choice], "usage": {"prompt_tokens": 5, "completion_tokens": 3}})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _run(ref, cases=CASES, prompt_format="auto", **run):
    cfg = harness.load_config(**{"request_timeout_s": 0.5, "request_retries": 3, **run})
    spec = harness.resolve_models([ref], cfg)[0]
    spec.prompt_format = prompt_format  # what [models.NAME] prompt_format sets
    return run_model(spec, cases, cfg.run)


def test_every_fault_is_retried_and_the_run_completes():
    with Stub() as s:
        s.faults = ["429", "500", "timeout", "drop", "garbage"]  # hit the generation requests (chat: no probe)
        r = _run(f"openai:stub@{s.url}", CASES + [MULTI], prompt_format="chat", request_concurrency=2, request_retries=5)
        assert len(s.requests) == 8 + 5
    assert r.backend == "openai" and r.prompt_format == "chat" and r.generated_turns == 8
    assert r.generations["c3"].texts == ["answer to question 3?"]
    assert r.generations["m"].texts == ["answer to My name is Ada.", "answer to What is my name?"]
    out = r.generations["c0"].turns[0]
    assert (out.finish_reason, out.prompt_tokens, out.output_tokens) == ("stop", 5, 3)
    # the second turn carried the conversation so far, the model's own first answer included
    second = [b for b in s.requests if b.get("messages", [{}])[-1].get("content") == "What is my name?"][-1]
    assert [m["role"] for m in second["messages"]] == ["user", "assistant", "user"]


def test_a_persistent_failure_stops_with_a_message_and_keeps_what_finished():
    with Stub() as s:
        s.fail_after = 3
        with pytest.raises(harness.HarnessError, match=r"/chat/completions \(stub\): after 4 attempts: HTTP 500: the server fell over"):
            _run(f"openai:stub@{s.url}", prompt_format="chat", request_concurrency=1)
        s.fail_after = None
        again = _run(f"openai:stub@{s.url}", prompt_format="chat", request_concurrency=1)
    assert (again.cached_turns, again.generated_turns) == (3, 3)  # resumed: the first three were cached


def test_base_models_go_through_completions():
    with Stub(chat=False) as s:
        r = _run(f"openai:stub@{s.url}", CASES[:2])
        assert r.prompt_format == "raw" and any("no chat template" in n for n in r.notes)
        assert r.generations["c1"].texts == ["raw continuation of 'question 1?\\n'"]
        assert r.generations["c1"].turns[0].finish_reason == "length"
        n = len(s.requests)
        forced = _run(f"openai:stub@{s.url}", CASES[:1], prompt_format="raw", use_cache=False)
        assert forced.prompt_format == "raw" and len(s.requests) == n + 1  # no probe of the chat endpoint
        s.faults = ["429", "500"]  # the probe retries too
        assert _run(f"openai:stub@{s.url}", CASES[2:3]).generated_turns == 1


def test_bad_endpoints_and_keys_are_one_line_errors(monkeypatch):
    with pytest.raises(harness.HarnessError, match=r"openai:MODEL@http"):
        harness.resolve_models(["openai:stub"])
    with Stub() as s:
        closed = s.url
        with pytest.raises(harness.HarnessError, match=r"does not serve 'nope'; it serves: stub"):
            _run(f"openai:nope@{s.url}", CASES[:1])
    with pytest.raises(harness.HarnessError, match=r"cannot reach http://127.0.0.1:\d+/v1: .*is the server running"):
        _run(f"openai:stub@{closed}", CASES[:1])
    monkeypatch.setenv("MY_KEY", "wrong")
    with Stub(key="right") as s, pytest.raises(harness.HarnessError, match=r"refused the API key \(401\): set \$MY_KEY"):
        cfg = harness.load_config()
        spec = harness.resolve_models([f"openai:stub@{s.url}"], cfg)[0]
        spec.api_key_env = "MY_KEY"
        run_model(spec, CASES[:1], cfg.run)


def test_the_api_key_never_reaches_results_or_the_cache(tmp_path, monkeypatch, isolated_home):
    secret = "sk-test-DO-NOT-LEAK-42"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    suite = write_jsonl(tmp_path / "s.jsonl", [{"id": c.id, "category": "factual", "lang": "en", "turns": c.turns} for c in CASES[:3]])
    with Stub(key=secret) as s:
        out = tmp_path / "res.json"
        res = runner.invoke(app, ["--no-color", "compare", f"openai:stub@{s.url}", f"openai:stub@{s.url}",
                                  "--suite", str(suite), "--json", str(out), "--html", str(tmp_path / "r.html")])
        assert res.exit_code == 0, res.output
        assert set(s.auth) == {f"Bearer {secret}"}  # it was sent ...
    written = [out, tmp_path / "r.html", *isolated_home.rglob("*")]
    assert all(secret not in p.read_text(errors="replace") for p in written if p.is_file())  # ... and kept nowhere
    assert secret not in res.output
    doc = json.loads(out.read_text())
    assert doc["models"]["sft"]["backend"] == "openai" and doc["models"]["sft"]["path"] == f"openai:stub@{s.url}"


def test_served_models_from_harness_toml(tmp_path):
    with Stub() as s:
        toml = tmp_path / "harness.toml"
        toml.write_text(f'[models.served]\npath = "stub"\nbackend = "openai"\nbase_url = "{s.url}/"\n'
                        '[models.broken]\npath = "stub"\nbackend = "openai"\n')
        cfg = harness.load_config(toml)
        spec = harness.resolve_models(["served"], cfg)[0]
        assert (spec.served_model, spec.base_url, spec.source) == ("stub", s.url, "openai")
        r = run_model(spec, CASES[:2], cfg.run)
        assert r.generations["c0"].texts == ["answer to question 0?"]
        with pytest.raises(harness.HarnessError, match="needs base_url"):
            harness.resolve_models(["broken"], cfg)
