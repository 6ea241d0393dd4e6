"""The test OpenID provider (panva/node-oidc-provider, certified) as a process on loopback,
shared by the test-client flow (tests/sso) and the browser journey (tests/e2e).

The npm package is pinned in tests/sso/provider/package-lock.json; if node_modules is
missing, ``npm ci`` installs it. Without Node.js or npm the tests fail (never skip).
"""

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

PROVIDER_DIR = Path(__file__).parent / "provider"
CLIENT_SECRET = "test-secret-0123456789"
START_TIMEOUT = 30  # seconds for the provider to print READY
UNIT_MAP = {"grp-ost": "ost", "grp-oslo": "oslo", "grp-phs": "phs"}


def ensure_node_modules() -> str:
    """The path of ``node``, after ``npm ci`` if the provider's packages are missing."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js (node) is needed for the SSO tests: it runs the test OpenID provider")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider" / "package.json").is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed once to install the test OpenID provider "
                        "(npm ci in tests/sso/provider)")
        result = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR,
                                capture_output=True, text=True, timeout=600, check=False)
        if result.returncode != 0:
            pytest.fail(f"npm ci in {PROVIDER_DIR} failed:\n{result.stdout}\n{result.stderr}")
    return node


@contextmanager
def loopback_without_proxy() -> Iterator[None]:
    """Loopback never goes through a proxy, for the app's Authlib calls and the tests' own."""
    saved = {key: os.environ.get(key) for key in ("NO_PROXY", "no_proxy")}
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def running_provider(log_dir: Path, rp_base: str) -> Iterator[str]:
    """Start the provider on 127.0.0.1 (a free port) with its clients' redirect URIs on
    ``rp_base`` (the platform's origin); yields its issuer URL, stops it afterwards."""
    node = ensure_node_modules()
    log = log_dir / "provider.log"
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [node, "provider.mjs"], cwd=PROVIDER_DIR, stdout=output, stderr=subprocess.STDOUT,
            env={**os.environ, "RP_BASE": rp_base, "SECRET": CLIENT_SECRET})
    try:
        issuer = None
        deadline = time.monotonic() + START_TIMEOUT
        while issuer is None and time.monotonic() < deadline and process.poll() is None:
            for line in log.read_text().splitlines():
                if line.startswith("READY "):
                    issuer = line.split()[1]
            time.sleep(0.05)
        if issuer is None:
            pytest.fail(f"the test OpenID provider did not start:\n{log.read_text()}")
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


def provider_entry(issuer: str, name: str, client_id: str = "platform", **extra) -> dict:
    """One entry of the app's OIDC_PROVIDERS for a client of the test provider."""
    return {"name": name, "label": f"Logg inn med {name}", "issuer": issuer,
            "client_id": client_id, "client_secret": CLIENT_SECRET,
            "scopes": "openid email profile", "unit_claim": "groups",
            "unit_map": dict(UNIT_MAP), "allow_email_link": False, "timeout": 5, **extra}


def add_provider_account(issuer: str, **claims) -> dict:
    """Add (or replace) a user at the provider; a fresh subject unless ``sub`` is given."""
    claims.setdefault("sub", f"sub-{uuid.uuid4().hex[:12]}")
    claims.setdefault("name", "Ola Nordmann")
    claims.setdefault("email", f"{claims['sub']}@politiet.example.com")
    claims.setdefault("email_verified", True)
    claims.setdefault("groups", ["grp-ost"])
    session = requests.Session()
    session.trust_env = False  # loopback, never a proxy
    response = session.post(f"{issuer}/_test/accounts", json=claims, timeout=5)
    response.raise_for_status()
    return claims
