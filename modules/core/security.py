"""Response headers that keep the browser strict: no inline script or style,
no framing, no MIME sniffing."""

from flask import Flask, Response, current_app

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'; frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    app.after_request(_set_security_headers)


def _set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    if "frame-ancestors 'none'" in headers["Content-Security-Policy"]:
        headers.setdefault("X-Frame-Options", "DENY")  # a feature may allow named framers
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    config = current_app.config
    if (config.get("PUBLIC_BASE_URL") or "").startswith("https://") and config["HSTS_MAX_AGE"]:
        headers.setdefault("Strict-Transport-Security", f"max-age={int(config['HSTS_MAX_AGE'])}")
    return response
