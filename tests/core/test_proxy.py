"""Behind a reverse proxy the app sees the client's scheme and address only when
configured to trust the proxy."""

from flask import request

from app import create_app

FORWARDED = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}


def _seen(app_config: dict) -> tuple[str, str]:
    app = create_app(app_config)
    app.add_url_rule("/_seen", "seen", lambda: f"{request.scheme} {request.remote_addr}")
    return app.test_client().get("/_seen", headers=FORWARDED).get_data(as_text=True)


def test_forwarded_headers_are_ignored_by_default(app_config):
    assert _seen(app_config) == "http 127.0.0.1"


def test_forwarded_headers_are_trusted_when_configured(app_config):
    config = {**app_config, "PROXY_FIX_X_FOR": 1, "PROXY_FIX_X_PROTO": 1}
    assert _seen(config) == "https 203.0.113.9"
