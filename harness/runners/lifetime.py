"""One Ctrl-C stops everything the harness started, and no engine process outlives it.

- `watch_interrupts()` (the CLI calls it first): Python turns SIGINT into KeyboardInterrupt only
  between bytecodes, and vLLM's start-up waits in a C poll that keeps retrying: the interrupt would
  sit there until the engine's ready timeout. A wakeup pipe lets a watchdog thread see the signal
  at once: it asks every child process to stop (SIGTERM), gives the main thread a few seconds to
  unwind normally (finished generations are already in the cache), then kills what is left and
  exits with 130. A second Ctrl-C does that at once. Left alone when SIGINT is ignored (`nohup`,
  a background job): then the user asked not to be interrupted.
- `bind_children()` (before an engine starts its processes): every process started from here on
  gets PR_SET_PDEATHSIG = SIGKILL, so it dies with the harness even when the harness is killed
  with SIGKILL (Linux; elsewhere a no-op). Forked children set it after the fork; spawned ones
  (vLLM's engine core) through a small launcher that sets it and then execs the real interpreter.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from pathlib import Path

GRACE_S = 4.0  # after SIGTERM to the children: time for the main thread to unwind by itself
KILL_WAIT_S = 2.0
EXIT_INTERRUPTED = 130

_PR_SET_PDEATHSIG = 1
_watching = False
_bound = False
_stderr_fd: int | None = None  # the terminal's stderr, kept: vLLM's start-up sends fd 2 to a log file


def descendants(pid: int | None = None) -> list[int]:
    """Every process below `pid` (default: this one), from /proc; [] where there is no /proc."""
    root = os.getpid() if pid is None else pid
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for name in entries:
        if not name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{name}/stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid …": comm may hold spaces and parentheses
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(name))
    out, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def signal_all(pids: list[int], sig: int) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, sig)


def _alive(pids: list[int]) -> list[int]:
    out = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            out.append(pid)
    return out


def _stop_everything_and_exit(reason: str) -> None:
    kids = descendants()
    signal_all(kids, signal.SIGKILL)
    deadline = time.monotonic() + KILL_WAIT_S
    while _alive(kids) and time.monotonic() < deadline:
        time.sleep(0.05)
    message = f"\ninterrupted: {reason}; finished generations are cached, run the same command again to resume\n"
    with contextlib.suppress(Exception):
        os.write(_stderr_fd if _stderr_fd is not None else 2, message.encode())
    os._exit(EXIT_INTERRUPTED)


def _watchdog(read_fd: int) -> None:
    first: float | None = None
    while True:
        try:
            data = os.read(read_fd, 64)
        except InterruptedError:
            continue
        except OSError:
            return
        if not data:
            return
        if signal.SIGINT not in data and signal.SIGTERM not in data:
            continue
        if first is not None:
            _stop_everything_and_exit("stopped at the second interrupt")
        first = time.monotonic()
        signal_all(descendants(), signal.SIGTERM)
        threading.Thread(target=_deadline, args=(first,), daemon=True, name="harness-interrupt-deadline").start()


def _deadline(start: float) -> None:
    time.sleep(max(0.0, start + GRACE_S - time.monotonic()))
    _stop_everything_and_exit("the run did not stop by itself in time")


def watch_interrupts() -> None:
    """Arm the watchdog (main thread only; a no-op when SIGINT is ignored or already watched)."""
    global _watching, _stderr_fd
    if _watching or threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return
    with contextlib.suppress(OSError):
        _stderr_fd = os.dup(2)
    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)
    signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    threading.Thread(target=_watchdog, args=(read_fd,), daemon=True, name="harness-interrupt-watchdog").start()
    _watching = True


def _set_pdeathsig() -> None:
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


_LAUNCHER = '''import ctypes, os, signal, sys
try:
    ctypes.CDLL(None).prctl({pr}, signal.SIGKILL, 0, 0, 0)  # die with the harness, even on its SIGKILL
except Exception:
    pass
if os.getppid() == 1:  # the harness is already gone
    sys.exit(1)
os.execv({exe!r}, [{exe!r}, *sys.argv[1:]])
'''


def bind_children(home: Path) -> None:
    """From now on, every child process dies with this one (Linux; a no-op elsewhere)."""
    global _bound
    if _bound or not sys.platform.startswith("linux"):
        return
    import multiprocessing

    os.register_at_fork(after_in_child=_set_pdeathsig)
    launcher = home / "bin" / f"python-bound-{abs(hash(sys.executable))}"
    text = f"#!{sys.executable}\n" + _LAUNCHER.format(pr=_PR_SET_PDEATHSIG, exe=sys.executable)
    try:
        launcher.parent.mkdir(parents=True, exist_ok=True)
        if not launcher.exists() or launcher.read_text() != text:
            tmp = launcher.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(text)
            tmp.chmod(0o755)
            os.replace(tmp, launcher)
    except OSError:
        return  # an unwritable home: children are still stopped by the interrupt watchdog
    multiprocessing.set_executable(str(launcher))
    _bound = True
