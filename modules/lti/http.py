"""Outbound HTTP to platforms (JWKS, token, scores, rosters): the one seam.

Uses the standard library so the feature needs no HTTP client dependency.
"""

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from flask import current_app

from modules.core.i18n import _

from .errors import DeliveryError


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise DeliveryError(_("Plattformen svarte ikke med gyldig JSON."),
                                code="bad_json") from error


def request(method: str, url: str, *, data: bytes | None = None,
            headers: dict | None = None) -> Response:
    """Send one request; raises DeliveryError on a network failure or a non-2xx answer."""
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme != "https" and not (scheme == "http" and current_app.config["LTI_ALLOW_HTTP"]):
        raise DeliveryError(_("Adressen må bruke https: %(url)s", url=url), code="not_https")
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})  # noqa: S310
    timeout = current_app.config["LTI_HTTP_TIMEOUT"]
    try:
        with urllib.request.urlopen(req, timeout=timeout) as answer:  # noqa: S310 - checked above
            return Response(answer.status, answer.read(), dict(answer.headers))
    except urllib.error.HTTPError as error:
        body = error.read()[:500].decode("utf-8", "replace")
        raise DeliveryError(f"HTTP {error.code} {url}: {body}", code="http_status") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise DeliveryError(f"{url}: {error}", code="network") from error


def get_json(url: str, *, headers: dict | None = None):
    return request("GET", url, headers=headers).json()


def post_form(url: str, fields: dict) -> Response:
    body = urllib.parse.urlencode(fields).encode()
    return request("POST", url, data=body,
                   headers={"Content-Type": "application/x-www-form-urlencoded",
                            "Accept": "application/json"})
