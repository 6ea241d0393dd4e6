"""Concurrent load: client threads repeat a scenario for a while; per step, the
latencies, SQL statements per request and errors."""

import statistics
import threading
import time
from collections import defaultdict

from .client import Reply, Session


class Stats:
    def __init__(self):
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.sql: dict[str, list[int]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.lock = threading.Lock()
        self.elapsed = 0.0

    def add(self, name: str, reply: Reply | None, ok: bool) -> None:
        with self.lock:
            if reply is not None:
                self.latency[name].append(reply.seconds)
                if reply.sql is not None:
                    self.sql[name].append(reply.sql)
            if not ok:
                self.errors[name] += 1

    def row(self, name: str) -> dict:
        values = sorted(self.latency.get(name, []))
        q = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 \
            else (values * 99 if values else [0.0] * 99)
        sql = self.sql.get(name)
        return {"requests": len(values), "rps": len(values) / self.elapsed if self.elapsed else 0,
                "p50": q[49] * 1000, "p95": q[94] * 1000, "p99": q[98] * 1000,
                "errors": self.errors.get(name, 0),
                "sql": statistics.mean(sql) if sql else None}


def run(sessions: list[Session], scenario, seconds: float) -> Stats:
    """Each session runs ``scenario(session, index, stats)`` in a loop for ``seconds``."""
    stats = Stats()
    stop = time.monotonic() + seconds

    def worker(index: int, session: Session):
        while time.monotonic() < stop:
            try:
                scenario(session, index, stats)
            except Exception as error:  # noqa: BLE001 - counted as an error, load goes on
                stats.add(f"error: {type(error).__name__}", None, False)

    threads = [threading.Thread(target=worker, args=(i, s)) for i, s in enumerate(sessions)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stats.elapsed = time.monotonic() - began
    return stats


def get(path_for, name: str):
    def scenario(session: Session, index: int, stats: Stats) -> None:
        reply = session.request("GET", path_for(index))
        stats.add(name, reply, reply.status == 200)
    return scenario


HEADER = (f"{'endpoint':38} {'req':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p99 ms':>7} {'err':>4} {'SQL/req':>7} {'of ceiling':>10} {'CPU ms/req':>10}")


def line(name: str, r: dict | None, ceiling: float | None) -> str:
    if r is None:
        return f"{name:38} not available (404)"
    share = f"{r['rps'] / ceiling:10.0%}" if ceiling else f"{'':>10}"
    sql = f"{r['sql']:7.1f}" if r["sql"] is not None else f"{'-':>7}"
    cpu = f"{r['cpu_ms']:10.1f}" if r.get("cpu_ms") is not None else f"{'':>10}"
    return (f"{name:38} {r['requests']:6d} {r['rps']:7.1f} {r['p50']:7.1f} {r['p95']:7.1f} "
            f"{r['p99']:7.1f} {r['errors']:4d} {sql} {share} {cpu}")
