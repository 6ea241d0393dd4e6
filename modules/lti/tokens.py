"""OAuth 2 access tokens from a platform: client_credentials with a signed JWT
client assertion (private_key_jwt, LTI security framework 4.1). Tokens are
cached per process until shortly before they expire."""

import secrets
import time

from . import http, keys
from .errors import DeliveryError
from .models import LtiPlatform

_cache: dict[tuple[int, str], tuple[float, str]] = {}


def clear_cache() -> None:
    _cache.clear()


def client_assertion(platform: LtiPlatform) -> str:
    now = int(time.time())
    return keys.sign({"iss": platform.client_id, "sub": platform.client_id,
                      "aud": platform.token_url, "iat": now, "exp": now + 300,
                      "jti": secrets.token_urlsafe(24)})


def access_token(platform: LtiPlatform, scopes: list[str]) -> str:
    scope = " ".join(sorted(scopes))
    cached = _cache.get((platform.id, scope))
    if cached is not None and cached[0] > time.monotonic() + 30:
        return cached[1]
    answer = http.post_form(platform.token_url, {
        "grant_type": "client_credentials",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": client_assertion(platform),
        "scope": scope,
    }).json()
    token = answer.get("access_token") if isinstance(answer, dict) else None
    if not token:
        raise DeliveryError(f"no access_token from {platform.token_url}", code="token")
    lifetime = answer.get("expires_in") or 3600
    _cache[(platform.id, scope)] = (time.monotonic() + float(lifetime), token)
    return token
