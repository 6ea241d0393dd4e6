"""LTI Dynamic Registration 1.0: the LMS administrator pastes a one-time link an
admin made here; the platform opens it with ``openid_configuration`` and
``registration_token``; the tool reads the platform's OpenID configuration,
registers itself there and stores the new platform switched off, waiting for an
admin here to switch it on.

Only a hash of the link's token is stored. Functions flush but never commit and
raise LtiError with a Norwegian message.
"""

import hashlib
import json
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from modules.accounts import services as accounts
from modules.accounts.models import User
from modules.audit.services import record_event
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.core.i18n import _
from modules.core.urls import external_url

from . import http
from .errors import LtiError
from .launch import DEEP_LINKING_REQUEST, RESOURCE_LINK_REQUEST
from .models import LtiPlatform, LtiRegistrationLink

TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
SCOPES = (
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
)
CLAIMS = ("iss", "sub", "name", "given_name", "family_name", "email", "email_verified")
TOOL_NAME = "Innbyggerstemmen"
TOOL_DESCRIPTION = "Kurs og moduler i innbyggerinvolvering fra Politiet."
MAX_HOURS = 24 * 14


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_link(*, actor: User, default_unit_code: str,
                hours: int) -> tuple[LtiRegistrationLink, str]:
    """A new one-time registration link valid for ``hours``; returns it and its URL
    (shown once: only the token's hash is kept)."""
    if accounts.find_unit(default_unit_code) is None:
        raise LtiError(_("Ukjent enhet."), code="default_unit_code")
    if not 1 <= hours <= MAX_HOURS:
        raise LtiError(_("Gyldighet må være mellom 1 og %(max)d timer.", max=MAX_HOURS),
                       code="hours")
    token = secrets.token_urlsafe(32)
    link = LtiRegistrationLink(token_hash=_hash(token), default_unit_code=default_unit_code,
                               created_by_id=actor.id,
                               expires_at=utcnow() + timedelta(hours=hours))
    db.session.add(link)
    db.session.flush()
    record_event(actor, "lti.registration_link_created", target=link,
                 summary=f"{default_unit_code}, {hours} t")
    return link, external_url("lti.register", token=token)


def list_links() -> list[LtiRegistrationLink]:
    return list(db.session.scalars(db.select(LtiRegistrationLink)
                                   .order_by(LtiRegistrationLink.created_at.desc()).limit(50)))


def claim_link(token: str) -> LtiRegistrationLink:
    """The unused, unexpired link with this token, marked used in the caller's
    transaction (a conditional update: of two concurrent openings one wins; a
    registration that fails rolls the claim back). LtiError otherwise."""
    link = db.session.scalar(db.select(LtiRegistrationLink).where(
        LtiRegistrationLink.token_hash == _hash(token or "")))
    if link is None:
        raise LtiError(_("Registreringslenken er ukjent. Be administratoren av "
                         "Innbyggerstemmen om en ny lenke."), code="unknown_link")
    now = utcnow()
    if link.used_at is None and link.expires_at < now:
        raise LtiError(_("Registreringslenken er utløpt. Be administratoren av "
                         "Innbyggerstemmen om en ny."), code="expired_link")
    claimed = db.session.execute(
        db.update(LtiRegistrationLink)
        .where(LtiRegistrationLink.id == link.id, LtiRegistrationLink.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise LtiError(_("Registreringslenken er allerede brukt. Hver lenke virker bare én "
                         "gang; be administratoren av Innbyggerstemmen om en ny."),
                       code="used_link")
    db.session.refresh(link)
    return link


def _origin(url: str) -> str:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def fetch_configuration(url: str) -> dict:
    """The platform's OpenID configuration, checked: the endpoints we need are there
    and the issuer is on the same origin as the configuration's address."""
    data = http.get_json(url, headers={"Accept": "application/json"})
    if not isinstance(data, dict):
        raise LtiError(_("Læringsplattformens OpenID-konfigurasjon er ikke gyldig."),
                       code="bad_configuration")
    needed = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri",
              "registration_endpoint")
    missing = [name for name in needed if not isinstance(data.get(name), str) or not data[name]]
    if missing:
        raise LtiError(_("Læringsplattformens OpenID-konfigurasjon mangler %(names)s.",
                         names=", ".join(missing)), code="bad_configuration")
    if _origin(data["issuer"]) != _origin(url):
        raise LtiError(_("Utstederen (issuer) i konfigurasjonen hører ikke til samme adresse "
                         "som konfigurasjonen ble hentet fra."), code="wrong_issuer")
    return data


def tool_registration() -> dict:
    """The client registration the tool posts to the platform (LTI DR 1.0, 3.5)."""
    launch_url = external_url("lti.launch_tool")
    message = {"target_link_uri": launch_url, "label": TOOL_NAME, "label#nb": TOOL_NAME}
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": external_url("lti.login"),
        "redirect_uris": [launch_url],
        "client_name": TOOL_NAME,
        "client_name#nb": TOOL_NAME,
        "jwks_uri": external_url("lti.jwks"),
        "logo_uri": external_url("static", filename="favicon.svg"),
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": " ".join(SCOPES),
        TOOL_CONFIGURATION: {
            "domain": urlsplit(launch_url).netloc,
            "description": TOOL_DESCRIPTION,
            "description#nb": TOOL_DESCRIPTION,
            "target_link_uri": launch_url,
            "claims": list(CLAIMS),
            "messages": [
                {"type": RESOURCE_LINK_REQUEST, **message},
                {"type": DEEP_LINKING_REQUEST, **message,
                 "placements": ["ContentArea", "link_selection", "assignment_selection"]},
            ],
        },
    }


def register(link: LtiRegistrationLink, *, openid_configuration: str,
             registration_token: str | None) -> LtiPlatform:
    """Register with the platform behind ``openid_configuration`` and store it,
    switched off (the link was claimed by ``claim_link``)."""
    if not openid_configuration:
        raise LtiError(_("Læringsplattformen sendte ikke adressen til sin "
                         "OpenID-konfigurasjon (openid_configuration)."),
                       code="missing_configuration")
    config = fetch_configuration(openid_configuration)
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if registration_token:
        headers["Authorization"] = f"Bearer {registration_token}"
    answer = http.request("POST", config["registration_endpoint"],
                          data=json.dumps(tool_registration()).encode(),
                          headers=headers).json()
    client_id = answer.get("client_id") if isinstance(answer, dict) else None
    if not client_id:
        raise LtiError(_("Læringsplattformen svarte uten klient-ID (client_id)."),
                       code="bad_registration")
    deployment = (answer.get(TOOL_CONFIGURATION) or {}).get("deployment_id")
    product = (config.get(PLATFORM_CONFIGURATION) or {}).get("product_family_code") or ""
    issuer = config["issuer"]
    if db.session.scalar(db.select(LtiPlatform.id).where(LtiPlatform.issuer == issuer,
                                                         LtiPlatform.client_id == str(client_id))):
        raise LtiError(_("Denne læringsplattformen er allerede registrert med samme "
                         "klient-ID."), code="client_id")
    platform = LtiPlatform(
        name=f"{product.capitalize() or urlsplit(issuer).netloc} ({urlsplit(issuer).netloc})"[:200],
        issuer=issuer, client_id=str(client_id),
        deployment_ids=[str(deployment)] if deployment else [],
        auth_login_url=config["authorization_endpoint"], token_url=config["token_endpoint"],
        jwks_url=config["jwks_uri"], frame_origins=[], link_by_email=False,
        default_unit_code=link.default_unit_code, active=False)
    db.session.add(platform)
    db.session.flush()
    link.platform_id = platform.id
    record_event(None, "lti.platform_registered", target=platform,
                 summary=f"{platform.name} ({issuer}, {client_id})")
    return platform
