"""What the load scripts (load_public.py, load_card_drafts.py, region.py) share: gunicorn started as in
docker-compose.yml (sync workers, DEBUG off) on a free loopback port and stopped again, client threads run
and timed, latency percentiles."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def gunicorn_start(*, port: int, workers: int, env: dict, options: tuple[str, ...] = ()) -> subprocess.Popen:
    """gunicorn serving the portal on HOST:`port` in a session of its own (stopped by `process_stop`)."""
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            *options,
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def wait_ready(port: int, path: str, headers: dict, deadline: float) -> None:
    """Wait until the server on `port` answers a GET of `path`, until `deadline` (time.monotonic())."""
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", path, headers=headers)
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer in time")


def process_stop(process: subprocess.Popen, *, timeout: float = 30) -> None:
    """SIGTERM to the process's group, SIGKILL if it has not ended after `timeout` seconds."""
    processes_stop([process], timeout=timeout)


def processes_stop(processes: list[subprocess.Popen], *, timeout: float) -> None:
    for process in processes:
        os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def threads_run(threads: list[threading.Thread], *, join_timeout: float) -> float:
    """Start every thread, wait for each (at most `join_timeout` s); the seconds that took."""
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=join_timeout)
    return time.perf_counter() - started


def latency_ms(latencies: list[float], *, digits: int | None = 1) -> dict:
    """p50/p95/p99/max of latencies in seconds, in milliseconds rounded to `digits` (None: not rounded);
    None each when there are none."""
    values = sorted(latencies)

    def pct(p):
        if not values:
            return None
        ms = values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000
        return ms if digits is None else round(ms, digits)

    return {"p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99), "max_ms": pct(100)}
