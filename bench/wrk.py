"""Drive one endpoint with `wrk` (a compiled load generator, Debian package `wrk`)
so the figures measure the server, not a Python client on the same CPUs.

Each endpoint gets a generated Lua script: the requests rotate over a list of
targets (path, session cookie and, for a POST, a form body carrying the form's
CSRF token, read beforehand by the Python client as a browser would); the
script counts replies with an unexpected status and sums the server's
X-SQL-Statements header, and prints one JSON line at the end.
"""

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass

MARK = "WRK-RESULT "


@dataclass
class Target:
    path: str
    cookie: str = ""
    body: str = ""  # urlencoded form for a POST


def available() -> bool:
    return shutil.which("wrk") is not None


def _lua_string(value: str) -> str:
    return "[==[" + value + "]==]"


def script(method: str, targets: list[Target], expect: tuple[int, ...]) -> str:
    rows = ",\n".join(
        "{" + ", ".join((_lua_string(t.path), _lua_string(t.cookie), _lua_string(t.body))) + "}"
        for t in targets)
    expected = ", ".join(f"[{code}] = true" for code in expect)
    return f"""
local targets = {{
{rows}
}}
local expected = {{{expected}}}
local method = "{method}"
local threads = {{}}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  index = id
  sql, replies, unexpected = 0, 0, 0
end

function request()
  local t = targets[(index % #targets) + 1]
  index = index + 1
  local headers = {{}}
  if t[2] ~= "" then headers["Cookie"] = t[2] end
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("POST", t[1], headers, t[3])
  end
  return wrk.format("GET", t[1], headers)
end

function response(status, headers, body)
  replies = replies + 1
  if not expected[status] then unexpected = unexpected + 1 end
  local n = headers["X-SQL-Statements"]
  if n then sql = sql + tonumber(n) end
end

function done(summary, latency, requests)
  local total_sql, total_replies, total_unexpected = 0, 0, 0
  for _, thread in ipairs(threads) do
    total_sql = total_sql + thread:get("sql")
    total_replies = total_replies + thread:get("replies")
    total_unexpected = total_unexpected + thread:get("unexpected")
  end
  local e = summary.errors
  io.write(string.format(
    '{MARK}{{"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, '
    .. '"socket_errors": %d, "unexpected": %d, "replies": %d, "sql_total": %d}}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout, total_unexpected, total_replies, total_sql))
end
"""


def run(port: int, method: str, targets: list[Target], seconds: float, connections: int,
        threads: int = 2, expect: tuple[int, ...] = (200,)) -> dict:
    """One wrk run; the row the tables print (req/s, p50/p95/p99 ms, errors, SQL/req)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script(method, targets, expect))
    command = ["wrk", "-t", str(min(threads, connections)), "-c", str(connections),
               "-d", f"{max(1, round(seconds))}s", "--timeout", "10s", "-s", lua.name,
               f"http://127.0.0.1:{port}"]
    out = subprocess.run(command, capture_output=True, text=True, check=False).stdout
    line = next((x for x in out.splitlines() if x.startswith(MARK)), None)
    if line is None:
        raise SystemExit(f"wrk gave no result:\n{out}")
    r = json.loads(line[len(MARK):])
    return {"requests": r["requests"], "rps": r["requests"] / r["seconds"],
            "p50": r["p50"], "p95": r["p95"], "p99": r["p99"],
            "errors": r["socket_errors"] + r["unexpected"],
            "sql": r["sql_total"] / r["replies"] if r["replies"] else None}
