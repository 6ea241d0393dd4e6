"""What one login costs, in CPU seconds of this process (`python -m bench.login_cost`,
DATABASE_URL with a demo data set): the password hash check alone, then the whole
login through the test client (GET /login with its CSRF token, POST /login, which
verifies the hash, stamps last_login_at, writes an audit event and commits)."""

import re
import time

from werkzeug.security import check_password_hash

from app import create_app
from modules.accounts.models import User
from modules.core.extensions import db

PASSWORD = "Demo-passord-2025"  # noqa: S105 - modules.ops.demo.DEMO_PASSWORD
CSRF = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')


def main(n: int = 10) -> None:
    app = create_app({"WTF_CSRF_ENABLED": True})
    with app.app_context():
        users = list(db.session.execute(db.select(User.email, User.password_hash)
                                        .where(User.email.like("demo%")).limit(n)))
    method = users[0][1].split("$", 1)[0]
    began = time.process_time()
    for _email, hashed in users:
        assert check_password_hash(hashed, PASSWORD)
    hash_cpu = (time.process_time() - began) / len(users)
    began = time.process_time()
    for email, _hash in users:
        client = app.test_client()
        token = CSRF.search(client.get("/login").data).group(1).decode()
        reply = client.post("/login", data={"csrf_token": token, "email": email,
                                            "password": PASSWORD})
        assert reply.status_code == 302
    login_cpu = (time.process_time() - began) / len(users)
    print(f"password hash {method}: {hash_cpu * 1000:.0f} ms CPU per check; whole login "
          f"(GET + POST): {login_cpu * 1000:.0f} ms CPU, of which {hash_cpu / login_cpu:.0%} "
          "the hash")


if __name__ == "__main__":
    main()
