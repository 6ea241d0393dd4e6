"""OIDC login initiation and id_token validation (LTI 1.3 core, sections 5.1
and 5.3). Every check raises LaunchError with a Norwegian message and a code;
nothing here signs anyone in."""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import jwt
from flask import current_app
from sqlalchemy.exc import IntegrityError

from modules.core.database import utcnow
from modules.core.extensions import db
from modules.core.i18n import _

from . import platform_keys
from .errors import CookiesBlockedError, LaunchError
from .models import LtiLaunchState, LtiNonce, LtiPlatform

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
DL_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"
MESSAGE_TYPES = (RESOURCE_LINK_REQUEST, DEEP_LINKING_REQUEST)
INSTRUCTOR_ROLES = ("Instructor", "Administrator", "ContentDeveloper", "TeachingAssistant")
STATE_COOKIE_PREFIX = "lti_state_"
LOGIN_PARAMS = ("iss", "login_hint", "target_link_uri", "lti_message_hint", "client_id",
                "lti_deployment_id")


@dataclass
class Launch:
    platform: LtiPlatform
    claims: dict

    def claim(self, name: str, default=None):
        return self.claims.get(CLAIM + name, default)

    @property
    def sub(self) -> str:
        return self.claims["sub"]

    @property
    def message_type(self) -> str:
        return self.claim("message_type")

    @property
    def deployment_id(self) -> str:
        return self.claim("deployment_id")

    @property
    def roles(self) -> list[str]:
        return self.claim("roles") or []

    @property
    def is_instructor(self) -> bool:
        return has_instructor_role(self.roles)

    @property
    def context(self) -> dict:
        return self.claim("context") or {}

    @property
    def resource_link(self) -> dict:
        return self.claim("resource_link") or {}

    @property
    def custom(self) -> dict:
        return self.claim("custom") or {}

    @property
    def target_link_uri(self) -> str:
        return self.claim("target_link_uri") or ""

    @property
    def ags(self) -> dict:
        return self.claims.get(AGS_CLAIM) or {}

    @property
    def nrps(self) -> dict:
        return self.claims.get(NRPS_CLAIM) or {}

    @property
    def deep_linking_settings(self) -> dict:
        return self.claims.get(DL_CLAIM + "deep_linking_settings") or {}


def has_instructor_role(roles: list[str]) -> bool:
    """An Instructor (or Administrator, ContentDeveloper, TeachingAssistant) role in
    the context. Context roles are full membership URIs or, deprecated, short
    names; institution and system roles (".../institution/person#Administrator")
    say nothing about this course and are ignored."""
    for role in roles or []:
        if not isinstance(role, str) or "/institution/" in role or "/system/" in role:
            continue
        if role.rsplit("#", 1)[-1].rsplit("/", 1)[-1] in INSTRUCTOR_ROLES:
            return True
    return False


def find_platform(issuer: str, client_id: str | None) -> LtiPlatform | None:
    query = db.select(LtiPlatform).where(LtiPlatform.issuer == issuer,
                                         LtiPlatform.active.is_(True))
    if client_id:
        query = query.where(LtiPlatform.client_id == client_id)
    platforms = list(db.session.scalars(query.limit(2)))
    return platforms[0] if len(platforms) == 1 else None


def begin_login(params: dict, *, redirect_uri: str) -> tuple[LtiLaunchState, str]:
    """Check an OIDC login initiation and store state + nonce; returns the row and
    the platform authorisation URL to redirect to."""
    params = {name: str(params[name]) for name in LOGIN_PARAMS if params.get(name)}
    for name in ("iss", "login_hint", "target_link_uri"):
        if not params.get(name):
            raise LaunchError(_("Innloggingen fra læringsplattformen mangler «%(name)s».",
                                name=name), code="missing_login_param")
    platform = find_platform(params["iss"], params.get("client_id"))
    if platform is None:
        raise LaunchError(_("Læringsplattformen er ikke registrert hos oss. Be en "
                            "administrator registrere den."), code="unknown_platform")
    if not is_our_url(params["target_link_uri"]):
        raise LaunchError(_("Lenkemålet (target_link_uri) peker ikke til dette verktøyet."),
                          code="wrong_target_link_uri")
    deployment = params.get("lti_deployment_id")
    if deployment and deployment not in platform.deployment_ids:
        raise LaunchError(_("Denne installasjonen (deployment) er ikke registrert."),
                          code="unknown_deployment")
    row = LtiLaunchState(
        state=secrets.token_urlsafe(32), nonce=secrets.token_urlsafe(32),
        platform_id=platform.id, login_params=params,
        expires_at=utcnow() + timedelta(seconds=current_app.config["LTI_STATE_TTL_SECONDS"]))
    db.session.add(row)
    db.session.flush()
    query = {"scope": "openid", "response_type": "id_token", "response_mode": "form_post",
             "prompt": "none", "client_id": platform.client_id, "redirect_uri": redirect_uri,
             "login_hint": params["login_hint"], "state": row.state, "nonce": row.nonce}
    if params.get("lti_message_hint"):
        query["lti_message_hint"] = params["lti_message_hint"]
    separator = "&" if "?" in platform.auth_login_url else "?"
    return row, platform.auth_login_url + separator + urlencode(query)


def get_retry_state(state: str) -> LtiLaunchState:
    """An unused, unexpired state whose login can be restarted in a new window."""
    row = db.session.scalar(db.select(LtiLaunchState).where(LtiLaunchState.state == state))
    if row is None or row.used_at is not None or row.expires_at < utcnow():
        raise LaunchError(_("Innloggingen er utløpt eller ukjent. Start på nytt fra "
                            "læringsplattformen."), code="wrong_state")
    row.used_at = utcnow()
    return row


def validate_launch(form: dict, cookies: dict) -> Launch:
    """Validate a launch POST (id_token + state) and consume its state and nonce."""
    token, state = form.get("id_token"), form.get("state")
    if not token or not state:
        raise LaunchError(_("Oppstarten mangler id_token eller state."), code="missing_params")
    row = db.session.scalar(db.select(LtiLaunchState).where(LtiLaunchState.state == state))
    if row is None or row.expires_at < utcnow():
        raise LaunchError(_("Innloggingen er utløpt eller ukjent (state stemmer ikke). Start "
                            "på nytt fra læringsplattformen."), code="wrong_state")
    if row.used_at is not None:
        raise _replayed()
    if cookies.get(STATE_COOKIE_PREFIX + state) != state:
        raise CookiesBlockedError(_("Nettleseren sendte ikke tilbake informasjonskapselen "
                                    "for innloggingen."), state=state)
    platform = db.session.get(LtiPlatform, row.platform_id)
    if platform is None or not platform.active:
        raise LaunchError(_("Læringsplattformen er ikke aktiv."), code="unknown_platform")
    claims = _verify_token(token, platform)
    if claims.get("nonce") != row.nonce:
        raise LaunchError(_("Engangskoden (nonce) i innloggingen stemmer ikke."),
                          code="wrong_nonce")
    _use_nonce(platform, row.nonce, claims)
    row.used_at = utcnow()
    launch = Launch(platform=platform, claims=claims)
    _check_lti_claims(launch)
    _check_against_login(launch, row.login_params or {})
    return launch


def is_our_url(url: str) -> bool:
    """Whether ``url`` is on this tool's host (the configured base URL's)."""
    from modules.core.urls import external_url

    ours = urlsplit(external_url("lti.launch_tool"))
    theirs = urlsplit(url or "")
    return (theirs.scheme, theirs.netloc.lower()) == (ours.scheme, ours.netloc.lower())


def _check_against_login(launch: Launch, login: dict) -> None:
    """The token must carry what the login initiation announced (LTI 1.3 core 5.1.1):
    the same target_link_uri, and the same deployment when one was named."""
    if login.get("target_link_uri") and launch.target_link_uri != login["target_link_uri"]:
        raise LaunchError(_("Lenkemålet (target_link_uri) i innloggingsbeviset er ikke det "
                            "samme som læringsplattformen oppga da innloggingen startet."),
                          code="wrong_target_link_uri")
    deployment = login.get("lti_deployment_id")
    if deployment and launch.deployment_id != deployment:
        raise LaunchError(_("Installasjonen (deployment) i innloggingsbeviset er ikke den "
                            "samme som læringsplattformen oppga da innloggingen startet."),
                          code="wrong_deployment")


def _replayed() -> LaunchError:
    return LaunchError(_("Denne innloggingen er allerede brukt. Start på nytt fra "
                         "læringsplattformen."), code="replayed_nonce")


def _verify_token(token: str, platform: LtiPlatform) -> dict:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.DecodeError as error:
        raise LaunchError(_("Innloggingsbeviset (id_token) er ikke et gyldig JWT."),
                          code="bad_signature") from error
    if header.get("alg") != "RS256":
        raise LaunchError(_("Innloggingsbeviset er ikke signert med RS256."),
                          code="bad_signature")
    kid = header.get("kid")
    key = platform_keys.signing_key(platform.jwks_url, kid) if kid else None
    if key is None:
        raise LaunchError(_("Innloggingsbeviset er signert med en nøkkel læringsplattformen "
                            "ikke har publisert (ukjent kid)."), code="unknown_kid")
    try:
        claims = jwt.decode(
            token, key, algorithms=["RS256"], audience=platform.client_id,
            issuer=platform.issuer, leeway=current_app.config["LTI_LEEWAY_SECONDS"],
            options={"require": ["exp", "iat", "iss", "aud", "nonce"]})
    except jwt.ExpiredSignatureError as error:
        raise LaunchError(_("Innloggingsbeviset er utløpt. Start på nytt fra "
                            "læringsplattformen."), code="expired") from error
    except jwt.ImmatureSignatureError as error:
        raise LaunchError(_("Innloggingsbeviset er utstedt fram i tid. Sjekk klokken på "
                            "serveren."), code="expired") from error
    except jwt.InvalidAudienceError as error:
        raise LaunchError(_("Innloggingsbeviset er ikke utstedt til dette verktøyet "
                            "(feil mottaker, aud)."), code="wrong_audience") from error
    except jwt.InvalidIssuerError as error:
        raise LaunchError(_("Innloggingsbeviset kommer fra feil utsteder (iss)."),
                          code="wrong_issuer") from error
    except jwt.MissingRequiredClaimError as error:
        raise LaunchError(_("Innloggingsbeviset mangler påkrevd opplysning «%(claim)s».",
                            claim=error.claim), code="missing_claim") from error
    except jwt.InvalidTokenError as error:
        raise LaunchError(_("Signaturen på innloggingsbeviset er ugyldig."),
                          code="bad_signature") from error
    audience = claims["aud"]
    azp = claims.get("azp")
    if (isinstance(audience, list) and len(audience) > 1 and azp is None) or (
            azp is not None and azp != platform.client_id):
        raise LaunchError(_("Innloggingsbeviset er ikke utstedt til dette verktøyet "
                            "(azp)."), code="wrong_audience")
    return claims


def _use_nonce(platform: LtiPlatform, nonce: str, claims: dict) -> None:
    """Record the nonce; the unique key refuses a second use, also across workers."""
    if db.session.scalar(db.select(LtiNonce.id).where(LtiNonce.platform_id == platform.id,
                                                      LtiNonce.value == nonce)):
        raise _replayed()
    expires = utcnow() + timedelta(seconds=current_app.config["LTI_STATE_TTL_SECONDS"] * 2)
    try:
        with db.session.begin_nested():
            db.session.add(LtiNonce(platform_id=platform.id, value=nonce, expires_at=expires))
    except IntegrityError as error:
        raise _replayed() from error


def _missing(name: str) -> LaunchError:
    return LaunchError(_("Innloggingsbeviset mangler påkrevd opplysning «%(claim)s».",
                         claim=name), code="missing_claim")


def _check_lti_claims(launch: Launch) -> None:
    if launch.claim("version") != "1.3.0":
        raise LaunchError(_("Bare LTI-versjon 1.3.0 støttes."), code="wrong_version")
    if launch.message_type not in MESSAGE_TYPES:
        raise LaunchError(_("Meldingstypen «%(type)s» støttes ikke.",
                            type=launch.message_type or "–"), code="wrong_message_type")
    if not launch.deployment_id:
        raise _missing(CLAIM + "deployment_id")
    if launch.deployment_id not in launch.platform.deployment_ids:
        raise LaunchError(_("Denne installasjonen (deployment) er ikke registrert for "
                            "læringsplattformen."), code="unknown_deployment")
    if not isinstance(launch.claims.get("sub"), str) or not launch.claims["sub"]:
        raise _missing("sub")
    if not isinstance(launch.claim("roles"), list):
        raise _missing(CLAIM + "roles")
    if not launch.target_link_uri:
        raise _missing(CLAIM + "target_link_uri")
    if launch.message_type == RESOURCE_LINK_REQUEST and not launch.resource_link.get("id"):
        raise _missing(CLAIM + "resource_link.id")
    if launch.message_type == DEEP_LINKING_REQUEST:
        if not launch.deep_linking_settings.get("deep_link_return_url"):
            raise _missing(DL_CLAIM + "deep_linking_settings.deep_link_return_url")
