#!/usr/bin/env python3
"""http_streams: `GET /api/instances` latency with many unfiltered event streams open.

Starts a real `strata serve` (temporary database, the example strategies, a free loopback
port), creates INSTANCES running instances through the API, then times `GET /api/instances`
(sequential requests on one kept-alive connection): first alone (the baseline), then with
STREAMS unfiltered `/api/events` streams open and read by a client that keeps up. Prints p50
and p99 of both, their ratio, the streams' received bytes and the server's resident memory.
A measurement, not a test: it fails only when the server does not answer.

Usage: tools/bench/http_streams.py [--bin .build/release/strata] [--instances 500] [--streams 200]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import selectors
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class StreamReader(threading.Thread):
    """Opens `count` unfiltered event streams and reads them as fast as they come."""

    def __init__(self, port: int, count: int):
        super().__init__(daemon=True)
        self.selector = selectors.DefaultSelector()
        self.received = 0
        self.opened = 0
        self.stop = threading.Event()
        for _ in range(count):
            sock = socket.create_connection(("127.0.0.1", port))
            sock.sendall(b"GET /api/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
            sock.setblocking(False)
            self.selector.register(sock, selectors.EVENT_READ)

    def run(self) -> None:
        while not self.stop.is_set():
            for key, _ in self.selector.select(timeout=0.2):
                try:
                    data = key.fileobj.recv(1 << 20)
                except BlockingIOError:
                    continue
                if not data:
                    self.selector.unregister(key.fileobj)
                    continue
                if b": connected" in data:
                    self.opened += 1
                self.received += len(data)

    def close(self) -> None:
        self.stop.set()
        self.join(timeout=5)
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()


def time_requests(port: int, count: int, path: str) -> list[float]:
    """Milliseconds of `count` sequential GETs on one connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    timings = []
    for _ in range(count):
        start = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"GET {path}: {response.status}")
        timings.append((time.perf_counter() - start) * 1000)
    connection.close()
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=str(ROOT / ".build" / "release" / "strata"))
    parser.add_argument("--instances", type=int, default=500)
    parser.add_argument("--streams", type=int, default=200)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--path", default="/api/instances")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="strata-http-bench-"))
    strategies = work / "strategies"
    strategies.mkdir()
    for script in (ROOT / "strategies-lua").glob("*.lua"):
        shutil.copy(script, strategies)
    shutil.copytree(ROOT / "strategies-lua" / "lib", strategies / "lib")  # the modules they require
    port = free_port()
    log = open(work / "server.log", "wb")
    server = subprocess.Popen(
        [args.bin, "serve", "--no-demo", "--db", str(work / "strata.db"), "--strategies", str(strategies),
         "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        api = None
        deadline = time.monotonic() + 60
        while api is None:
            try:
                api = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                api.request("GET", "/api/strategies")
                strategies_answer = json.loads(api.getresponse().read())
                if not any(s.get("version") for s in strategies_answer["strategies"]):
                    api = None
                    time.sleep(0.3)
            except OSError:
                api = None
                if time.monotonic() > deadline:
                    raise SystemExit("strata serve did not answer")
                time.sleep(0.3)
        markets = ["BTC/USD", "ETH/USD", "SOL/USD", "XRP/USD"]
        types = ["sma_cross", "bollinger_reversion", "breakout"]
        for index in range(args.instances):
            body = json.dumps({"id": f"bench-{index:04d}", "strategy_type": types[index % 3], "account": "paper",
                               "market": markets[index % 4], "mode": "observe"})
            api.request("POST", "/api/instances", body, {"Content-Type": "application/json"})
            response = api.getresponse()
            response.read()
            if response.status != 201:
                raise SystemExit(f"create: {response.status}")
        deadline = time.monotonic() + 120
        while True:
            api.request("GET", "/api/instances?status=running&limit=1")
            running = json.loads(api.getresponse().read())["total"]
            if running >= args.instances:
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"only {running} of {args.instances} instances running")
            time.sleep(0.5)
        api.close()
        time.sleep(2)

        time_requests(port, 20, args.path)  # warm-up
        baseline = time_requests(port, args.requests, args.path)
        rss_before = rss_mb(server.pid)

        reader = StreamReader(port, args.streams)
        reader.start()
        time.sleep(3)
        with_streams = time_requests(port, args.requests, args.path)
        seconds = 3 + sum(with_streams) / 1000
        opened, received = reader.opened, reader.received
        rss_after = rss_mb(server.pid)
        reader.close()

        def row(name: str, timings: list[float]) -> dict:
            return {"case": name, "p50_ms": round(statistics.median(timings), 2), "p99_ms": round(percentile(timings, 99), 2),
                    "max_ms": round(max(timings), 2)}

        base, loaded = row("baseline", baseline), row(f"{args.streams} unfiltered streams", with_streams)
        result = {
            "scenario": "http_streams", "binary": args.bin, "instances": args.instances, "streams_opened": opened,
            "path": args.path, "requests": args.requests, "baseline": base, "with_streams": loaded,
            "p50_ratio": round(loaded["p50_ms"] / base["p50_ms"], 2), "p99_ratio": round(loaded["p99_ms"] / base["p99_ms"], 2),
            "stream_mb_per_s": round(received / 1e6 / seconds, 1), "rss_mb_before": round(rss_before), "rss_mb_with_streams": round(rss_after),
        }
        print(json.dumps(result, indent=2))
        return 0
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
