"""The tool's RSA signing keys: created and rotated by ``flask lti keys rotate``.

Private keys are PEM files (mode 0600) under LTI_KEY_DIR (default
instance/lti/), named <kid>.pem; the public JWKs are rows, so every worker
publishes the same set. A retired key stays published for LTI_KEY_OVERLAP_HOURS
so platforms that cached our key set can still verify tokens signed with it.
"""

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import current_app

from modules.core.database import utcnow
from modules.core.extensions import db
from modules.core.i18n import _

from .errors import LtiError
from .models import LtiKey

_private_cache: dict[str, object] = {}


def key_dir() -> Path:
    configured = current_app.config.get("LTI_KEY_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "lti"


def rotate_key() -> LtiKey:
    """Create a new key and make it current; the previous one becomes retired."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = secrets.token_hex(16)
    folder = key_dir()
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    path = folder / f"{kid}.pem"
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
        handle.write(pem)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    public.pop("key_ops", None)  # RFC 7517: "use" and "key_ops" should not appear together
    public.update(kid=kid, alg="RS256", use="sig")
    now = utcnow()
    for key in db.session.scalars(db.select(LtiKey).where(LtiKey.retired_at.is_(None))):
        key.retired_at = now
    key = LtiKey(kid=kid, public_jwk=public, created_at=now)
    db.session.add(key)
    db.session.flush()
    return key


def published_keys() -> list[LtiKey]:
    """The current key and retired keys still inside the overlap period."""
    hours = current_app.config["LTI_KEY_OVERLAP_HOURS"]
    cutoff = utcnow() - timedelta(hours=hours)
    return list(db.session.scalars(
        db.select(LtiKey).where(LtiKey.retired_at.is_(None) | (LtiKey.retired_at > cutoff))
        .order_by(LtiKey.created_at.desc(), LtiKey.id.desc())))


def public_jwks() -> dict:
    return {"keys": [key.public_jwk for key in published_keys()]}


def current_key() -> LtiKey:
    key = db.session.scalar(db.select(LtiKey).where(LtiKey.retired_at.is_(None))
                            .order_by(LtiKey.id.desc()).limit(1))
    if key is None:
        raise LtiError(_("Verktøyet har ingen nøkkel ennå. En administrator må kjøre "
                         "«flask --app app lti keys rotate»."), code="no_key")
    return key


def _private_key(kid: str):
    if kid not in _private_cache:
        path = key_dir() / f"{kid}.pem"
        try:
            data = path.read_bytes()
        except OSError as error:
            raise LtiError(_("Verktøyets private nøkkel mangler på serveren."),
                           code="no_key") from error
        _private_cache[kid] = serialization.load_pem_private_key(data, password=None)
    return _private_cache[kid]


def sign(claims: dict) -> str:
    """Sign ``claims`` with the current key (RS256, kid in the header)."""
    key = current_key()
    return jwt.encode(claims, _private_key(key.kid), algorithm="RS256",
                      headers={"kid": key.kid, "typ": "JWT"})
