"""Paths of the harness, its log line, and the processes it starts (each in its own session, stopped by its own id)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from portal import gunicorn_conf

__all__ = [
    "BENCH_DIR",
    "LUA_SCRIPT",
    "PRODUCTION_TIMEOUT_S",
    "Processes",
    "REFERENCE_FILE",
    "RESULTS_DIR",
    "ROOT",
    "VENV_BIN",
    "free_port",
    "log",
    "run_checked",
]

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
RESULTS_DIR = BENCH_DIR / "results"
LUA_SCRIPT = BENCH_DIR / "wrk_report.lua"
REFERENCE_FILE = BENCH_DIR / "reference.json"  # anchors of a quiet run on this machine (--save-reference)


def log(message: str) -> None:
    print(f"[{dt.datetime.now(dt.UTC):%H:%M:%S}Z] {message}", flush=True)


class Processes:
    """Processes started by this run (each in its own session, stopped by its own id)."""

    def __init__(self):
        self.started: list[subprocess.Popen] = []

    def start(self, command: list[str], *, env: dict, log_path: Path) -> subprocess.Popen:
        handle = log_path.open("wb")
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        handle.close()
        self.started.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen, *, grace: float = 20) -> None:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)  # the group led by the process we started
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        if proc in self.started:
            self.started.remove(proc)

    def stop_all(self) -> None:
        for proc in list(self.started):
            self.stop(proc)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_checked(command: list[str], *, env: dict, what: str, timeout: int = 600) -> str:
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"{what} failed (exit {result.returncode})")
    log(f"{what}: {time.monotonic() - started:.1f} s")
    return result.stdout


# gunicorn's worker timeout, wrk's and the download clients': production's, no longer.
PRODUCTION_TIMEOUT_S = gunicorn_conf.timeout
