"""The app as served in the benchmark, plus one bare route as the ceiling: it
returns a module page's HTML from memory, so its throughput is what the server
and the client manage with no application work at all."""

import os
from pathlib import Path

from app import create_app

app = create_app()
_page: list[bytes] = []


@app.get("/_bench/ceiling")
def ceiling():
    if not _page:
        _page.append(Path(os.environ["BENCH_CEILING_FILE"]).read_bytes())
    return _page[0], 200, {"Content-Type": "text/html; charset=utf-8"}
