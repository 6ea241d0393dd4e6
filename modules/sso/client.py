"""The OpenID Connect relying party: Authlib's Flask client, one registered client per
provider (authorization code flow, PKCE S256, state and nonce).

Authlib keeps state, nonce, PKCE verifier and redirect URI in the Flask session under
``_state_<provider>_<state>``. The Flask session is a cookie signed with SECRET_KEY, so
any worker on any machine that shares SECRET_KEY can finish a sign-in another started;
nothing is kept in process memory. Only the provider's discovery document and JWKS are
cached per process (a second worker simply fetches them again).

This module talks to the provider (HTTP); the account rules are in services.py.
"""

from dataclasses import dataclass

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from joserfc.errors import JoseError

from .config import ProviderConfig

EXTENSION_KEY = "sso"


class SsoError(Exception):
    """A sign-in failed before any account rule ran. ``reason`` is a short code for the
    audit log and the error page; ``detail`` is for the log only, never shown."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass
class SignInClaims:
    """What a successful sign-in proved: the verified ID token claims merged with userinfo."""

    provider: ProviderConfig
    issuer: str
    subject: str
    claims: dict
    id_token: str


def init_client(app: Flask, providers: dict[str, ProviderConfig]) -> None:
    """One Authlib registry per app (not a module global): each app gets its own providers
    and its own cached discovery documents."""
    oauth = OAuth(app)
    for provider in providers.values():
        oauth.register(
            provider.name,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=provider.metadata_url,
            client_kwargs={"scope": provider.scopes, "code_challenge_method": "S256",
                           "default_timeout": provider.timeout},
        )
    app.extensions[EXTENSION_KEY] = {"oauth": oauth, "providers": providers}


def providers() -> dict[str, ProviderConfig]:
    return current_app.extensions[EXTENSION_KEY]["providers"]


def _remote(provider: ProviderConfig):
    return current_app.extensions[EXTENSION_KEY]["oauth"].create_client(provider.name)


def _metadata(provider: ProviderConfig) -> dict:
    """The discovery document; its issuer must be exactly the configured one."""
    metadata = _remote(provider).load_server_metadata()
    if metadata.get("issuer", "").rstrip("/") != provider.issuer.rstrip("/"):
        raise SsoError("issuer", f"discovery issuer {metadata.get('issuer')!r}")
    return metadata


def start_login(provider: ProviderConfig, redirect_uri: str):
    """A redirect to the provider's authorization endpoint (state, nonce, PKCE in session)."""
    try:
        _metadata(provider)
        return _remote(provider).authorize_redirect(redirect_uri)
    except requests.RequestException as error:
        raise SsoError("unavailable", repr(error)) from None
    except ValueError as error:  # a discovery document that is not JSON
        raise SsoError("unavailable", repr(error)) from None


def finish_login(provider: ProviderConfig) -> SignInClaims:
    """Check state, redeem the code (with the PKCE verifier), verify the ID token
    (signature, issuer, audience, expiry, nonce) and fetch userinfo."""
    remote = _remote(provider)
    try:
        metadata = _metadata(provider)
        # Authlib checks signature, expiry, nonce and (by default) iss; it accepts a foreign
        # aud when azp names this client, so aud is required to contain our client id here.
        token = remote.authorize_access_token(claims_options={
            "iss": {"essential": True, "values": [metadata["issuer"]]},
            "aud": {"essential": True, "value": provider.client_id},
        })
        id_claims = token.get("userinfo")
        if not token.get("id_token") or not id_claims:
            raise SsoError("token", "no verified ID token in the token response")
        claims = dict(id_claims)
        if metadata.get("userinfo_endpoint"):
            userinfo = remote.userinfo(token=token)
            if userinfo.get("sub") != id_claims["sub"]:
                raise SsoError("token", "userinfo sub differs from the ID token sub")
            claims.update({key: value for key, value in userinfo.items()
                           if key not in ("sub", "iss", "aud", "nonce", "exp", "iat")})
    except MismatchingStateError:
        raise SsoError("state", "no matching state in the session") from None
    except OAuthError as error:
        reason = {"access_denied": "denied", "invalid_grant": "code"}.get(error.error, "provider")
        raise SsoError(reason, f"{error.error}: {error.description}") from None
    except JoseError as error:
        raise SsoError("token", repr(error)) from None
    except requests.RequestException as error:
        raise SsoError("unavailable", repr(error)) from None
    except ValueError as error:  # a response that is not JSON
        raise SsoError("provider", repr(error)) from None
    return SignInClaims(provider=provider, issuer=metadata["issuer"],
                        subject=str(id_claims["sub"]), claims=claims,
                        id_token=token["id_token"])


def end_session_url(provider: ProviderConfig, *, id_token: str | None,
                    post_logout_redirect_uri: str) -> str | None:
    """The provider's RP-initiated logout URL, or None when it offers none (or is down)."""
    try:
        metadata = _metadata(provider)
        if not metadata.get("end_session_endpoint"):
            return None
        extra = {} if id_token else {"client_id": provider.client_id}
        return _remote(provider).create_logout_url(
            post_logout_redirect_uri=post_logout_redirect_uri, id_token_hint=id_token,
            **extra)["url"]
    except (SsoError, requests.RequestException, ValueError):
        return None
