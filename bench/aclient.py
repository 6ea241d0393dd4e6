"""An event-loop HTTP client for the exam rush: one OS thread, a socket per request in
flight, cookies kept per participant, so thousands of participants cost the client
little CPU (the threads of bench/client.py competed with the server for the CPUs)."""

import asyncio
import time
import urllib.parse

from .client import Reply


class AsyncSession:
    """One participant: cookies, and a connection while gunicorn keeps it open."""

    def __init__(self, port: int, timeout: float = 120):
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}
        self._conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(self, method: str, path: str, body=None) -> Reply:
        data = urllib.parse.urlencode(body).encode() if body is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}",
                 f"Content-Length: {len(data)}"]
        if body is not None:
            lines.append("Content-Type: application/x-www-form-urlencoded")
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + data
        started = time.perf_counter()
        reply = await asyncio.wait_for(self._exchange(raw, method), self.timeout)
        reply.seconds = time.perf_counter() - started
        return reply

    async def _exchange(self, raw: bytes, method: str) -> Reply:
        for fresh in (self._conn is None, True):
            if self._conn is None:
                self._conn = await asyncio.open_connection("127.0.0.1", self.port)
            reader, writer = self._conn
            try:
                writer.write(raw)
                await writer.drain()
                status_line = await reader.readline()
                if not status_line:
                    raise ConnectionResetError("closed before the reply")
                return await self._read(reader, status_line)
            except (OSError, asyncio.IncompleteReadError):
                self.close()
                # a reused connection may have closed: retry a GET once, never resend a POST
                if fresh or method != "GET":
                    raise
        raise ConnectionResetError("no reply")

    async def _read(self, reader: asyncio.StreamReader, status_line: bytes) -> Reply:
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        cookies = []
        while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookies.append(value)
            headers[name] = value
        if "content-length" in headers:
            payload = await reader.readexactly(int(headers["content-length"]))
        else:
            payload = await reader.read()
        for cookie in cookies:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if headers.get("connection", "").lower() == "close" or "content-length" not in headers:
            self.close()
        sql = headers.get("x-sql-statements")
        return Reply(status, payload, headers.get("location", ""), int(sql) if sql else None,
                     0.0)

    def close(self) -> None:
        if self._conn is not None:
            self._conn[1].close()
            self._conn = None

    async def csrf(self, path: str) -> str:
        from .client import CSRF

        match = CSRF.search((await self.request("GET", path)).body)
        return match.group(1).decode() if match else ""

    async def login(self, email: str, password: str) -> bool:
        token = await self.csrf("/login")
        reply = await self.request("POST", "/login", {"csrf_token": token, "email": email,
                                                      "password": password})
        return reply.status == 302
