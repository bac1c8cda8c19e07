"""The HTML report in a real headless browser (Chromium), driven over the DevTools protocol.

Chromium is started with --remote-debugging-pipe: protocol messages are NUL-separated JSON on
file descriptors 3 (to the browser) and 4 (from it), so no port and no websocket library are
needed. The test loads the report offline, checks the page's script ran (the CSP allows it by
hash), types into the search box, expands a case by clicking it, checks that a model output
containing <script> and an <img onerror> is shown as text and ran nothing, follows a URL
fragment (#search=…&open=…), and takes a screenshot.

`make test` installs Chromium when it is missing; without it the test fails, saying how
to install it.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from helpers import compare_json

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser() -> str | None:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """Just enough of the Chrome DevTools Protocol over a pipe."""

    def __init__(self, binary: str, profile: Path):
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire_fds() -> None:  # runs in the child: the protocol's fixed descriptors 3 and 4
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        args = [
            binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars", "--disable-dev-shm-usage",
            f"--user-data-dir={profile}", "--remote-debugging-pipe", "--window-size=1280,900", "about:blank",
        ]
        self.proc = subprocess.Popen(
            args, preexec_fn=wire_fds, close_fds=False, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict] = []
        self.session: str | None = None

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from the browser")
            ready, _, _ = select.select([self._from_child], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_child, 1 << 16)
            if not chunk:
                raise RuntimeError(f"the browser closed the pipe (exit code {self.proc.poll()})")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict | None = None, session: bool = True, timeout: float = 30) -> dict:
        self._id += 1
        msg: dict = {"id": self._id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self._to_child, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def open_page(self) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")

    def eval(self, expression: str):
        res = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in res:
            raise RuntimeError(f"{expression}: {res['exceptionDetails']}")
        return res["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.eval(expression)
            if value:
                return value
            time.sleep(0.05)
        raise TimeoutError(f"never true: {expression}")

    def navigate(self, url: str) -> None:
        self.send("Page.navigate", {"url": url})
        self.wait_for("document.readyState === 'complete' && !!document.body && !!document.body.dataset.ready")

    def click(self, selector: str) -> None:
        box = self.eval(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
            " return [r.left + Math.min(r.width / 2, 40), r.top + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.send(
                "Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1], "button": "left", "clickCount": 1}
            )

    def close(self) -> None:
        try:
            self.send("Browser.close", session=False, timeout=5)
        except Exception:  # noqa: BLE001 - closing anyway
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_child, self._from_child):
            try:
                os.close(fd)
            except OSError:
                pass


@pytest.fixture
def browser(tmp_path):
    binary = find_browser()
    if binary is None:
        pytest.fail("the browser test needs Chromium: `make test` installs it (apt-get install -y chromium)")
    b = Browser(binary, tmp_path / "profile")
    try:
        b.open_page()
        yield b
    finally:
        b.close()


def test_html_report_in_headless_chromium(tmp_path, browser):
    res, _ = compare_json(tmp_path, extra=["--html", str(tmp_path / "report.html")])
    assert res.exit_code == 0, res.output
    url = (tmp_path / "report.html").resolve().as_uri()
    b = browser

    b.navigate(url)
    assert b.eval("document.body.dataset.ready") == "yes"  # the inline script ran: its CSP hash matches
    assert b.eval("document.querySelectorAll('details.case').length") == 48
    assert b.eval("document.getElementById('count').textContent") == "48 of 48 cases"
    assert b.eval("document.querySelectorAll('svg').length") >= 4

    # search: type into the box like a user
    b.eval("document.getElementById('search').focus()")
    b.send("Input.insertText", {"text": "Bella"})
    b.wait_for("document.getElementById('count').textContent === '1 of 48 cases'")
    assert b.eval("[...document.querySelectorAll('details.case')].filter(e => !e.hidden).map(e => e.dataset.id)") == [
        "chat-en-02"
    ]
    # clear, then filter by category through the <select>
    b.eval("const q = document.getElementById('search'); q.value = ''; q.dispatchEvent(new Event('input'))")
    b.eval("const s = document.getElementById('f-category'); s.value = 'multiturn'; s.dispatchEvent(new Event('change'))")
    b.wait_for("document.getElementById('count').textContent === '8 of 48 cases'")

    # expand the case whose SFT output carries markup, by clicking its summary
    b.eval("document.querySelector('details.case[data-id=\"chat-en-00\"]').scrollIntoView()")
    b.click('details.case[data-id="chat-en-00"] > summary')
    b.wait_for("document.querySelector('details.case[data-id=\"chat-en-00\"]').open")
    shown = b.eval("document.querySelector('details.case[data-id=\"chat-en-00\"] .side:nth-child(2)').innerText")
    assert "<script>alert(1)</script>" in shown and "onerror" in shown  # visible as text
    assert "coherence:recall" in shown  # every check with its reason
    # ...and it ran nothing: no new elements, no dialog, no changed title
    assert b.eval("document.querySelectorAll('script').length") == 2
    assert b.eval("document.querySelectorAll('img').length") == 0
    assert b.eval("document.title").startswith("sft-harness")
    assert not [e for e in b.events if e.get("method") == "Page.javascriptDialogOpening"]

    # screenshot
    shot = base64.b64decode(b.send("Page.captureScreenshot", {"format": "png"})["data"])
    assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 10_000
    (tmp_path / "report.png").write_bytes(shot)

    # a link carries a view: search + open through the URL fragment
    b.navigate(url + "#search=fact-zh-03&open=fact-zh-03")
    b.wait_for("document.body.dataset.ready === 'hash'")
    assert b.eval("document.getElementById('count').textContent") == "1 of 48 cases"
    assert b.eval("document.querySelector('details.case[data-id=\"fact-zh-03\"]').open") is True

    # nothing tried to leave the page; no script error; no CSP violation
    logs = [e["params"]["entry"] for e in b.events if e.get("method") == "Log.entryAdded"]
    errors = [e for e in b.events if e.get("method") == "Runtime.exceptionThrown"]
    assert not errors, errors
    assert not [e for e in logs if "Content Security Policy" in e.get("text", "")], logs
