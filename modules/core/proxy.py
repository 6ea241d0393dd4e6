"""Optional trust of a reverse proxy's X-Forwarded-* headers."""

from flask import Flask


def trust_reverse_proxy(app: Flask) -> None:
    """Behind nginx: trust this many proxies for X-Forwarded-For/-Proto/-Host/-Port/
    -Prefix (config PROXY_FIX_X_FOR etc., e.g. FLASK_PROXY_FIX_X_FOR=1). Off by default,
    because trusting headers a client can set is only safe behind a proxy that sets them."""
    counts = {key: int(app.config.get(f"PROXY_FIX_X_{key.upper()}", 0) or 0)
              for key in ("for", "proto", "host", "port", "prefix")}
    if any(counts.values()):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, **{f"x_{k}": v for k, v in counts.items()})
