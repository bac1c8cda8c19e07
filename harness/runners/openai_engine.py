"""The `openai` backend: any OpenAI-compatible server (vllm serve, SGLang, TGI, a hosted API).

    harness compare openai:base@http://127.0.0.1:8000/v1 openai:sft@http://127.0.0.1:8001/v1

Chat models go through `/v1/chat/completions` with the conversation's messages; base models
(`prompt_format = "raw"`, or `icl`: the in-context prompt of harness/icl.py, with its stop string)
through `/v1/completions` with the prompt text the other backends would tokenise
(harness/prompting.py). `auto` asks the chat endpoint first and falls back to raw completions when
the server has no chat template for the model. Requests run concurrently (at
most `[run] request_concurrency` in flight), each with a timeout, and are retried with backoff on
429, 5xx, timeouts, dropped connections and malformed replies. Every finished answer goes to the
generation cache at once, so a run that fails half-way resumes where it stopped.

The API key is read from the environment variable the model names (`api_key_env`, default
OPENAI_API_KEY) when the engine opens: it is never stored in the model spec, the results, the
cache key or a message.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from typing import Any

from harness.config import RunConfig
from harness.errors import HarnessError
from harness.icl import end_answer, load_icl_prompt
from harness.prompting import Message, render_text
from harness.records import FINISH_LENGTH, FINISH_STOP, FINISH_UNKNOWN, ModelSpec, TurnOutput
from harness.runners.backends import backend

PREFIX = "openai:"
RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}
FINISH = {"stop": FINISH_STOP, "length": FINISH_LENGTH, "eos": FINISH_STOP}


def parse_ref(ref: str) -> tuple[str, str]:
    """`openai:MODEL@URL` -> (MODEL, URL); the error names what is missing."""
    body = ref[len(PREFIX):] if ref.startswith(PREFIX) else ref
    model, sep, url = body.rpartition("@")
    if not sep or not model or not url.startswith(("http://", "https://")):
        raise HarnessError(f"{ref!r}: expected openai:MODEL@http(s)://HOST:PORT/v1 (e.g. openai:my-sft@http://127.0.0.1:8000/v1)")
    return model, url.rstrip("/")


class EndpointError(Exception):
    """A reply that retrying may fix (retry=True) or not."""

    def __init__(self, message: str, retry: bool):
        super().__init__(message)
        self.retry = retry


class OpenAIEngine:
    backend = "openai"

    def __init__(self, spec: ModelSpec, run: RunConfig):
        import httpx

        self.model = spec.served_model or parse_ref(spec.path)[0]
        self.url = spec.base_url or parse_ref(spec.path)[1]
        self.run = run
        env = spec.api_key_env or "OPENAI_API_KEY"
        key = os.environ.get(env)
        self._headers = {"Authorization": f"Bearer {key}"} if key else {}
        self._key_env = env
        self.notes: list[str] = []
        self.max_context: int | None = None
        self.prompt_format = {"chat": "chat", "raw": "raw", "icl": "icl"}.get(spec.prompt_format, "auto")
        self.icl = load_icl_prompt(spec.icl_prompt) if self.prompt_format == "icl" else None
        self._timeout = httpx.Timeout(run.request_timeout_s, connect=min(10.0, run.request_timeout_s))
        self._probe()
        if self.prompt_format == "auto":
            self._run(self._choose_format())

    # -- opening: is the server there, does it know the model, does it take the key?

    def _probe(self) -> None:
        import httpx

        try:
            r = httpx.get(f"{self.url}/models", headers=self._headers, timeout=self._timeout)
        except httpx.HTTPError as e:
            raise HarnessError(f"cannot reach {self.url}: {_reason(e)} (is the server running? check the URL)") from None
        if r.status_code in (401, 403):
            raise HarnessError(
                f"{self.url} refused the API key ({r.status_code}): set ${self._key_env} to a key this server accepts"
            )
        if r.status_code != 200:
            raise HarnessError(f"{self.url}/models answered {r.status_code}: {r.text[:200]}")
        try:
            served = {m.get("id"): m for m in r.json().get("data", [])}
        except (ValueError, AttributeError):
            raise HarnessError(f"{self.url}/models did not answer with an OpenAI model list: {r.text[:200]!r}") from None
        if served and self.model not in served:
            raise HarnessError(f"{self.url} does not serve {self.model!r}; it serves: {', '.join(map(str, served))}")

    def prompt_tokens(self, conversation: list[Message], limit: int) -> int:
        # Never asked: max_context is None, prompts are not tokenised here (the server says what does not fit).
        raise NotImplementedError

    # -- generation

    def generate(self, conversations: list[list[Message]], max_tokens: int, on_done=None) -> list[TurnOutput]:
        return self._run(self._generate(conversations, max_tokens, on_done))

    @staticmethod
    def _run(coro: Any) -> Any:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(coro)
        # Called from inside an event loop (a notebook): run ours on a thread of its own.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, coro).result()

    def _client(self) -> Any:
        import httpx

        limits = httpx.Limits(max_connections=max(1, self.run.request_concurrency))
        return httpx.AsyncClient(headers=self._headers, timeout=self._timeout, limits=limits)

    async def _generate(self, conversations, max_tokens, on_done) -> list[TurnOutput]:
        outs: list[TurnOutput | None] = [None] * len(conversations)
        gate = asyncio.Semaphore(max(1, self.run.request_concurrency))
        async with self._client() as client:

            async def one(i: int) -> None:
                async with gate:
                    outs[i] = await self._request(client, conversations[i], max_tokens)
                if on_done is not None:
                    on_done(i, outs[i])  # cached at once: a run that fails later keeps it

            tasks = [asyncio.create_task(one(i)) for i in range(len(conversations))]
            try:
                await asyncio.gather(*tasks)
            except BaseException:
                for t in tasks:
                    t.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                raise
        return [o for o in outs if o is not None]

    async def _choose_format(self) -> None:
        """`auto`: chat when the server applies a chat template for this model (one 1-token request
        tells), raw completions otherwise."""
        self.prompt_format = "chat"
        async with self._client() as client:
            try:
                await self._retrying(client, "/chat/completions", self._body([{"role": "user", "content": "Hi"}], 1))
            except EndpointError as e:
                if "template" not in str(e).lower():
                    raise HarnessError(f"{self.url}/chat/completions ({self.model}): {e}") from None
                self.prompt_format = "raw"
                self.notes.append(f"{self.url} has no chat template for {self.model}: raw prompts through /completions")

    def _body(self, conversation: list[Message], max_tokens: int) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model,
            "max_tokens": max_tokens,
            "temperature": self.run.temperature,
            "seed": self.run.seed,
        }
        if self.run.temperature > 0:
            body["top_p"] = self.run.top_p
        if self.prompt_format == "chat":
            body["messages"] = conversation
        else:  # raw or icl: text rendered exactly as the local backends render it (no tokenizer needed)
            body["prompt"] = render_text(None, conversation, self.prompt_format, self.icl)[0]
        if self.icl is not None:
            body["stop"] = list(self.icl.stops)
        return body

    async def _request(self, client, conversation: list[Message], max_tokens: int) -> TurnOutput:
        path = "/chat/completions" if self.prompt_format == "chat" else "/completions"
        t0 = time.perf_counter()
        try:
            data = await self._retrying(client, path, self._body(conversation, max_tokens))
        except EndpointError as e:
            raise HarnessError(f"{self.url}{path} ({self.model}): {e}") from None
        out = _turn(data, self.prompt_format, time.perf_counter() - t0)
        if self.icl is not None:  # a server that ignores `stop` is cut here, as the local backends are
            out.text, hit = end_answer(out.text, self.icl.stops)
            out.finish_reason = FINISH_STOP if hit else out.finish_reason
        return out

    async def _retrying(self, client, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST with retries and exponential backoff (jittered; a server's Retry-After wins) on what
        retrying may fix; the last error says how many attempts were made."""
        attempts = max(0, self.run.request_retries) + 1
        for attempt in range(attempts):
            try:
                return await self._post(client, path, body)
            except EndpointError as e:
                if not e.retry or attempt == attempts - 1:
                    if attempt:
                        raise EndpointError(f"after {attempt + 1} attempts: {e}", retry=False) from None
                    raise
                delay = getattr(e, "retry_after", None)
                delay = min(30.0, 0.5 * 2**attempt) if delay is None else delay
                await asyncio.sleep(delay * (0.75 + 0.5 * random.random()))
        raise AssertionError("unreachable")

    async def _post(self, client, path: str, body: dict[str, Any]) -> dict[str, Any]:
        import httpx

        try:
            r = await client.post(f"{self.url}{path}", json=body)
        except httpx.TimeoutException:
            raise EndpointError(f"no answer within {self.run.request_timeout_s:g} s", retry=True) from None
        except httpx.HTTPError as e:
            raise EndpointError(_reason(e), retry=True) from None
        if r.status_code in (401, 403):
            raise EndpointError(f"refused the API key ({r.status_code}): set ${self._key_env}", retry=False)
        if r.status_code != 200:
            err = EndpointError(f"HTTP {r.status_code}: {_message(r)}", retry=r.status_code in RETRY_STATUS)
            after = r.headers.get("retry-after")
            if after and after.replace(".", "", 1).isdigit():
                err.retry_after = min(60.0, float(after))  # type: ignore[attr-defined]
            raise err
        try:
            data = r.json()
            data["choices"][0]
        except (ValueError, KeyError, IndexError, TypeError):
            raise EndpointError(f"a reply that is not an OpenAI completion: {r.text[:120]!r}", retry=True) from None
        return data

    def close(self) -> None:
        pass


def _reason(e: Exception) -> str:
    text = str(e) or type(e).__name__
    return text.splitlines()[0][:200]


def _message(r: Any) -> str:
    try:
        err = r.json().get("error") or r.json()
        text = err.get("message") if isinstance(err, dict) else str(err)
    except (ValueError, AttributeError):
        text = r.text
    return str(text or "").strip()[:300]


def _turn(data: dict[str, Any], prompt_format: str, latency: float) -> TurnOutput:
    choice = data["choices"][0]
    text = (choice.get("message") or {}).get("content") if prompt_format == "chat" else choice.get("text")
    usage = data.get("usage") or {}
    return TurnOutput(
        text=text if isinstance(text, str) else "",
        finish_reason=FINISH.get(str(choice.get("finish_reason")), FINISH_UNKNOWN),
        prompt_tokens=usage.get("prompt_tokens"),
        output_tokens=usage.get("completion_tokens"),
        latency_s=latency,
    )


@backend("openai", help="an OpenAI-compatible server (vllm serve, SGLang, TGI, hosted): openai:MODEL@URL")
def open_openai(spec: ModelSpec, run: RunConfig) -> OpenAIEngine:
    return OpenAIEngine(spec, run)
