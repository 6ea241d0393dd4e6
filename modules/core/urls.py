"""Absolute URLs for everything that leaves the site (mail, PDF, QR code, badge, LTI).

They come from one configured base URL (``PUBLIC_BASE_URL``), never from the
request's ``Host`` header (conventions, habit 17).
"""

from urllib.parse import quote, urlsplit

from flask import current_app


def public_base_url() -> str | None:
    """The configured ``PUBLIC_BASE_URL`` without a trailing slash, or None."""
    return (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/") or None


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of ``endpoint``, built on ``PUBLIC_BASE_URL``.

    Works with or without a request. Without a configured base there is no absolute
    URL (RuntimeError): production refuses to start without the setting
    (modules.core.config.check_public_base_url) and `make run` sets it.
    """
    anchor = values.pop("_anchor", None)
    base = public_base_url()
    if base is None:
        raise RuntimeError("PUBLIC_BASE_URL is not set")
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/",
                                       url_scheme=parts.scheme)
    url = f"{parts.scheme}://{parts.netloc}{adapter.build(endpoint, values)}"
    return f"{url}#{quote(anchor, safe='')}" if anchor else url
