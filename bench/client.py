"""A minimal HTTP client for the benchmark: one keep-alive connection, cookies,
CSRF tokens and the quiz form read from the page as a browser would."""

import http.client
import re
import time
import urllib.parse
from dataclasses import dataclass
from html.parser import HTMLParser

CSRF = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Reply:
    status: int
    body: bytes
    location: str
    sql: int | None
    seconds: float


class Session:
    """One client: a connection and its cookies."""

    def __init__(self, port: int, timeout: float = 60):
        self.port, self.timeout = port, timeout
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | list | None = None) -> Reply:
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        for retry in (True, False):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                payload = response.read()
                break
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                       timeout=self.timeout)
                # a closed keep-alive connection is retried once, never a sent POST
                if not retry or method != "GET":
                    raise
        seconds = time.perf_counter() - started
        for cookie in response.msg.get_all("Set-Cookie") or ():
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        sql = response.getheader("X-SQL-Statements")
        return Reply(response.status, payload, response.getheader("Location") or "",
                     int(sql) if sql else None, seconds)

    def csrf(self, path: str) -> str:
        match = CSRF.search(self.request("GET", path).body)
        return match.group(1).decode() if match else ""

    def login(self, email: str, password: str) -> bool:
        token = self.csrf("/login")
        reply = self.request("POST", "/login", {"csrf_token": token, "email": email,
                                                "password": password})
        return reply.status == 302


class _QuizForm(HTMLParser):
    """The fields a participant fills in: the quiz form's hidden fields, and one answer per
    question (the first choice; order and match selects get a full permutation). Other
    forms on the page (log out, the written-standard switch) are not submitted with it."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.taken: set[str] = set()
        self._select: str | None = None
        self._options: list[str] = []
        self._in_quiz = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name") or ""
        if tag == "form":
            self._in_quiz = "quiz-form" in (a.get("class") or "").split()
        if not self._in_quiz:
            return
        if tag == "input" and a.get("type") == "hidden" and name:
            self.fields.append((name, a.get("value") or ""))
        elif tag == "input" and name.startswith("q:") and name not in self.taken:
            self.taken.add(name)
            self.fields.append((name, a.get("value") or ""))
        elif tag == "select" and name.startswith("q:"):
            self._select, self._options = name, []
        elif tag == "option" and self._select and a.get("value"):
            self._options.append(a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_quiz = False
        if tag == "select" and self._select:
            index = int(self._select.rsplit(":", 1)[1])
            self.fields.append((self._select, self._options[index % len(self._options)]))
            self._select = None


def quiz_answers(html: bytes) -> list[tuple[str, str]]:
    parser = _QuizForm()
    parser.feed(html.decode("utf-8", "replace"))
    return parser.fields + [("action", "submit")]
