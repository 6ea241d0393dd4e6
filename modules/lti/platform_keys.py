"""Platforms' public keys (JWKS), cached per process and refetched when a token
names a kid we have not seen (the platform rotated its key). Caching per
process is safe: the key set is public and the source of truth is the URL."""

import time

import jwt
from flask import current_app

from modules.core.i18n import _

from . import http
from .errors import DeliveryError, LaunchError

_cache: dict[str, tuple[float, dict]] = {}


def clear_cache() -> None:
    _cache.clear()


def _fetch(url: str) -> dict:
    try:
        data = http.get_json(url, headers={"Accept": "application/json"})
        key_set = jwt.PyJWKSet.from_dict(data)
    except (DeliveryError, jwt.PyJWKSetError, jwt.PyJWKError, TypeError, KeyError) as error:
        raise LaunchError(_("Kunne ikke hente læringsplattformens offentlige nøkler."),
                          code="jwks_unavailable") from error
    return {key.key_id: key for key in key_set.keys if key.key_id}


def signing_key(jwks_url: str, kid: str):
    """The platform's key ``kid`` or None; refetches the set once on an unknown kid."""
    now = time.monotonic()
    entry = _cache.get(jwks_url)
    max_age = current_app.config["LTI_JWKS_MAX_AGE_SECONDS"]
    if entry is not None and kid in entry[1] and now - entry[0] < max_age:
        return entry[1][kid]
    min_interval = current_app.config["LTI_JWKS_MIN_REFRESH_SECONDS"]
    if entry is not None and kid not in entry[1] and now - entry[0] < min_interval:
        return None  # refetched a moment ago: do not let random kids hammer the platform
    keys = _fetch(jwks_url)
    _cache[jwks_url] = (now, keys)
    return keys.get(kid)
