"""What the load scripts (load_public.py, load_card_drafts.py, region.py) share: gunicorn as in
docker-compose.yml (sync workers, DEBUG off) on a free loopback port, client threads run and timed,
latency percentiles."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from run import log

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn serving the portal as docker-compose.yml runs it, on a free loopback port, answering GET
    `ready_path` once built; `stop()` ends it."""

    def __init__(self, *, env: dict, workers: int, ready_path: str, headers: dict, options: tuple = ()):
        self.port, self.workers, self.headers = free_port(), workers, headers
        log(f"gunicorn on {HOST}:{self.port}, {workers} workers")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
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
        try:
            wait_ready(self.port, ready_path, headers, time.monotonic() + 60)
        except RuntimeError:
            self.stop()
            raise

    def get(self, path: str, cookie: str, connection=None) -> tuple[int, float]:
        """(status, seconds) of one GET with the session `cookie`, on `connection` if given."""
        own = connection is None
        connection = connection or http.client.HTTPConnection(HOST, self.port, timeout=60)
        started = time.perf_counter()
        connection.request("GET", path, headers={**self.headers, "Cookie": cookie})
        response = connection.getresponse()
        response.read()
        elapsed = time.perf_counter() - started
        if own:
            connection.close()
        return response.status, elapsed

    def stop(self) -> None:
        processes_stop([self.process], timeout=30)


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


def processes_stop(processes: list[subprocess.Popen], *, timeout: float) -> None:
    """SIGTERM to each process's group, SIGKILL to those not ended `timeout` seconds later."""
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
