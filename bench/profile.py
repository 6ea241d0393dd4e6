"""Profile participant pages in-process (Flask test client, cProfile):
`python -m bench.profile [--requests 200] [--top 25] [PAGE ...]` against DATABASE_URL
(a database holding a demo data set, e.g. one `make bench` kept via
BENCH_DATABASE_URL). Prints the mean time per request and SQL statements per page,
then the top functions by cumulative and own time over all pages."""

import argparse
import cProfile
import io
import pstats
import time

from sqlalchemy import event

from app import create_app
from modules.core.extensions import db

from .client import CSRF

PASSWORD = "Demo-passord-2025"  # noqa: S105 - modules.ops.demo.DEMO_PASSWORD


def _login(client, email: str) -> None:
    token = CSRF.search(client.get("/login").data).group(1).decode()
    reply = client.post("/login", data={"csrf_token": token, "email": email,
                                        "password": PASSWORD})
    if reply.status_code != 302:
        raise SystemExit(f"login failed for {email}")


def pages(client, pick: dict) -> dict[str, str]:
    email, module = pick["module"][0]
    _login(client, email)
    token = CSRF.search(client.get(f"{module}/quiz").data).group(1).decode()
    start = client.post(f"{module}/quiz/start", data={"csrf_token": token})
    attempt = start.headers["Location"]
    attempt = attempt[attempt.index("/quiz/attempts/"):]
    return {"catalog": "/courses", "course": module.rsplit("/m/", 1)[0], "module": module,
            "quiz history": f"{module}/quiz", "attempt": attempt, "min side": "/min-side",
            "verification": pick["verify"][0]}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--out", help="also write the profile to this file (pstats)")
    parser.add_argument("--no-profile", action="store_true", help="times and SQL only")
    parser.add_argument("only", nargs="*")
    args = parser.parse_args()
    app = create_app()
    from . import pick

    with app.app_context():
        chosen = pick.main(10)
        engine = db.engine
    count = [0]
    event.listen(engine, "before_cursor_execute", lambda *a: count.__setitem__(0, count[0] + 1))
    client = app.test_client()
    targets = pages(client, chosen)
    targets = {k: v for k, v in targets.items() if not args.only or k in args.only}
    profile = cProfile.Profile()
    for name, path in targets.items():
        for _ in range(5):
            assert client.get(path).status_code == 200, path
        count[0] = 0
        began = time.perf_counter()
        if not args.no_profile:
            profile.enable()
        for _ in range(args.requests):
            client.get(path)
        profile.disable()
        mean = (time.perf_counter() - began) / args.requests * 1000
        print(f"{name:14} {path:55} {mean:6.2f} ms  {count[0] / args.requests:4.1f} SQL")
    if args.no_profile:
        return
    if args.out:
        profile.dump_stats(args.out)
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
